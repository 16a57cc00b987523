//! The log's hash chain: intact after the writes, refused edits through SQL, and an edit made
//! after dropping the guard found and named by `GET /ops/logs/verify`.

use axum::http::StatusCode;
use serde_json::json;

use super::Plant;

#[tokio::test]
async fn verification_names_the_first_row_edited_in_sqlite() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    p.put(
        &p.operator,
        "/lines/line-a/stations/st-01",
        json!({ "state": "Idle" }),
    )
    .await
    .assert_ok(StatusCode::OK);
    let intact = p.read("/logs/verify").await;
    assert_eq!(intact["valid"], true, "{intact}");
    assert_eq!(intact["checked"].as_i64(), Some(p.log_count().await));
    assert_eq!(intact["firstBad"], serde_json::Value::Null);

    // The table refuses edits and deletes…
    let refused = sqlx::query("UPDATE ops_log SET actor = 'nobody' WHERE seq = 2")
        .execute(p.pool())
        .await;
    assert!(refused.unwrap_err().to_string().contains("append-only"));
    assert!(
        sqlx::query("DELETE FROM ops_log WHERE seq = 3")
            .execute(p.pool())
            .await
            .is_err()
    );

    // …but someone with the file can drop the guard: the chain still tells.
    sqlx::query(drop_trigger("ops_log_no_update"))
        .execute(p.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE ops_log SET event = 'Exception closed' WHERE seq = 4")
        .execute(p.pool())
        .await
        .unwrap();
    let broken = p.read("/logs/verify").await;
    assert_eq!(broken["valid"], false);
    assert_eq!(broken["firstBad"]["seq"], 4);
    assert_eq!(broken["firstBad"]["id"], "LOG-000004");
    assert_eq!(
        broken["firstBad"]["reason"],
        "its content does not match its hash"
    );
    assert_eq!(broken["checked"], 4);

    // Rewriting the row's hash too breaks the next row's link instead.
    sqlx::query("UPDATE ops_log SET hash = 'f00d' WHERE seq = 4")
        .execute(p.pool())
        .await
        .unwrap();
    let relinked = p.read("/logs/verify").await;
    assert_eq!(
        relinked["firstBad"]["seq"], 4,
        "its own hash no longer matches"
    );
}

#[tokio::test]
async fn a_deleted_row_is_a_gap_in_the_chain() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    sqlx::query(drop_trigger("ops_log_no_delete"))
        .execute(p.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM ops_log WHERE seq = 2")
        .execute(p.pool())
        .await
        .unwrap();
    let broken = p.read("/logs/verify").await;
    assert_eq!(broken["valid"], false);
    assert_eq!(broken["firstBad"]["seq"], 3);
    assert_eq!(broken["firstBad"]["reason"], "row 2 is missing");
}

/// `DROP TRIGGER` of an `ops_log` guard (PostgreSQL names the table too).
fn drop_trigger(name: &'static str) -> &'static str {
    match (crate::common::on_postgres(), name) {
        (true, "ops_log_no_update") => "DROP TRIGGER ops_log_no_update ON ops_log",
        (true, _) => "DROP TRIGGER ops_log_no_delete ON ops_log",
        (false, "ops_log_no_update") => "DROP TRIGGER ops_log_no_update",
        (false, _) => "DROP TRIGGER ops_log_no_delete",
    }
}
