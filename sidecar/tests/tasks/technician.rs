//! What a technician may see and change: their own tasks, and only some fields.

use axum::http::StatusCode;
use serde_json::json;

use super::{list, new_task, transition};
use crate::common::{self, Account, call};

#[tokio::test]
async fn technicians_see_and_change_only_their_own_tasks() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let mine = common::user(&app, &admin, "mine", "technician").await;
    let other = common::user(&app, &admin, "other", "technician").await;
    let assigned = |tech: &Account, plate: &str| new_task(plate, "2026-12-01").technician(&tech.id);
    let own = assigned(&mine, "OWN-1").create(&app, &admin.token).await;
    let theirs = assigned(&other, "OTH-1").create(&app, &admin.token).await;
    let own_path = format!("/api/v1/tasks/{}", own["id"].as_str().unwrap());
    let their_path = format!("/api/v1/tasks/{}", theirs["id"].as_str().unwrap());

    let page = list(&app, &mine.token, "").await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], own["id"]);
    for path in [
        their_path.clone(),
        format!("{their_path}/history"),
        format!("{their_path}/notes"),
    ] {
        call(&app, "GET", &path, Some(&mine.token), None)
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    call(
        &app,
        "PATCH",
        &their_path,
        Some(&mine.token),
        Some(json!({ "notes": "x" })),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    transition(&app, &mine.token, theirs["id"].as_str().unwrap(), "pending")
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    let changed = call(
        &app,
        "PATCH",
        &own_path,
        Some(&mine.token),
        Some(json!({ "notes": "bubbles on the hood", "lot_film": "LOT-42", "checklist_completed": true, "actual_duration": 95, "status": "pending" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            &changed["notes"],
            &changed["lot_film"],
            &changed["checklist_completed"],
            &changed["actual_duration"],
            &changed["status"]
        ),
        (
            &json!("bubbles on the hood"),
            &json!("LOT-42"),
            &json!(true),
            &json!(95),
            &json!("pending")
        )
    );
    let error = call(
        &app,
        "PATCH",
        &own_path,
        Some(&mine.token),
        Some(json!({ "title": "mine now", "notes": "ok" })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    assert!(
        error["message"].as_str().unwrap().contains("title"),
        "{error}"
    );
    let title: String = sqlx::query_scalar("SELECT title FROM tasks WHERE id = $1")
        .bind(own["id"].as_str())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Model 3 OWN-1");

    // Their own task's notes are theirs to use; its date is not theirs to move.
    call(
        &app,
        "POST",
        &format!("{own_path}/notes"),
        Some(&mine.token),
        Some(json!({ "body": "started prep" })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    call(
        &app,
        "POST",
        &format!("{own_path}/delay"),
        Some(&mine.token),
        Some(json!({ "scheduled_date": "2026-12-02", "reason": "sick day" })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let stats = call(&app, "GET", "/api/v1/tasks/stats", Some(&mine.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stats["total"], 1);
}
