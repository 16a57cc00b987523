//! CSV export and import: a round trip gives equal rows; bad rows are reported.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use super::{client, new_task, transition};
use crate::common::{self, Reply, call};

/// `GET /api/v1/tasks/export.csv?query`, whatever the answer.
async fn export(app: &Router, token: &str, query: &str) -> Reply {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks/export.csv?{query}"),
        Some(token),
        None,
    )
    .await
}

/// `POST /api/v1/tasks/import?query` with a CSV body, whatever the answer.
async fn import(app: &Router, token: &str, query: &str, csv: &str) -> Reply {
    let request = Request::post(format!("/api/v1/tasks/import?{query}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/csv")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    common::send(app, request).await
}

/// CSV rows keyed by column, without the columns the server assigns.
fn rows(csv: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = ::csv::Reader::from_reader(csv);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .filter(|(h, _)| !["id", "task_number", "created_at", "updated_at"].contains(h))
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn csv_export_then_import_gives_equal_rows() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let client_id = client(&app, &admin.token, "Ünïcode Client").await;
    new_task("ÄB-12, \"X\"", "2026-12-01")
        .title("Hood, \"full\"; wrap 🚗")
        .description("line one\nline two, with comma\r\nand \"quotes\"")
        .notes("Ça va — ok")
        .tags(&["ü", "a,b"])
        .client(&client_id)
        .technician(&tech.id)
        .at("08:00", "09:15")
        .with("vehicle_year", json!("2021"))
        .with("estimated_duration", json!(75))
        .create(&app, &admin.token)
        .await;
    let plain = new_task("PLAIN-1", "2026-12-02")
        .create(&app, &admin.token)
        .await;
    transition(&app, &admin.token, plain["id"].as_str().unwrap(), "pending")
        .await
        .assert_ok(StatusCode::OK);

    let first = export(&app, &admin.token, "sort=scheduled_date").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        first
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"tasks-")
    );
    let text = String::from_utf8(first.body.clone()).expect("UTF-8");
    assert!(
        text.starts_with("task_number,title,description,status,"),
        "{text}"
    );
    let before = rows(&first.body);
    assert_eq!(before.len(), 2);
    assert_eq!(
        before[0]["description"],
        "line one\nline two, with comma\r\nand \"quotes\""
    );

    // Delete the originals (soft), then import the export: the same rows come back.
    sqlx::query("UPDATE tasks SET deleted_at = 1")
        .execute(&pool)
        .await
        .unwrap();
    let report = import(&app, &admin.token, "", &text)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["errors"], json!([]));
    let second = export(&app, &admin.token, "sort=scheduled_date").await;
    assert_eq!(rows(&second.body), before);

    // Filters apply to the export.
    let filtered = export(&app, &admin.token, "status=pending").await;
    assert_eq!(rows(&filtered.body).len(), 1);
    export(&app, &admin.token, "status=nope")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let techs = export(&app, &tech.token, "").await;
    assert_eq!(rows(&techs.body).len(), 1, "a technician exports their own");
}

/// The columns of the import tests' CSV.
const HEADER: &str = "title,vehicle_plate,vehicle_model,ppf_zones,scheduled_date,status,priority\n";

#[tokio::test]
async fn import_reports_each_bad_row_and_all_or_nothing_writes_nothing() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let csv = format!(
        "{HEADER}Good one,AA-1,Clio,hood;roof,2026-12-01,pending,high\n\
         Bad date,AA-2,Clio,hood,2026-31-01,draft,low\n\
         \"Multi\nline\",AA-3,Clio,hood,2026-12-02,draft,urgent\n\
         Bad status,AA-4,Clio,hood,2026-12-03,flying,low\n\
         No zones,AA-5,Clio,,2026-12-03,draft,low\n"
    );
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM tasks")
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    let report = import(&app, &admin.token, "mode=all_or_nothing", &csv)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(report["mode"], "all_or_nothing");
    assert_eq!(
        (report["rows"].as_i64(), report["created"].as_i64()),
        (Some(5), Some(0))
    );
    let errors: Vec<(i64, i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, 3, "scheduled_date"),
            (4, 6, "status"),
            (5, 7, "ppf_zones")
        ]
    );
    assert_eq!(count().await, 0);
    let counters: i64 = sqlx::query_scalar("SELECT count(*) FROM task_number_counters")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(counters, 0, "not even a number was used");

    let report = import(&app, &admin.token, "", &csv)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            report["created"].as_i64(),
            report["errors"].as_array().map(Vec::len)
        ),
        (Some(2), Some(3))
    );
    assert_eq!(count().await, 2);
    let zones: String =
        sqlx::query_scalar("SELECT ppf_zones FROM tasks WHERE vehicle_plate = 'AA-1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(zones, r#"["hood","roof"]"#);
    let title: String = sqlx::query_scalar("SELECT title FROM tasks WHERE vehicle_plate = 'AA-3'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Multi\nline");

    for (csv, reason) in [
        ("title,colour\nx,red\n", "unknown column"),
        ("title,vehicle_plate\nx,y\n", "missing required columns"),
        (
            "vehicle_plate,vehicle_plate,vehicle_model,ppf_zones,scheduled_date\n",
            "repeated column",
        ),
    ] {
        let error = import(&app, &admin.token, "", csv)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"]["header"].is_array(), "{reason}: {error}");
    }
    import(&app, &admin.token, "mode=maybe", HEADER)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(count().await, 2);
}

#[tokio::test]
async fn formula_cells_are_escaped_on_export_and_restored_on_import() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let formulas = [
        ("title", "=HYPERLINK(\"http://evil.example\",\"open\")"),
        ("description", "-2+3+cmd|' /C calc'!A0"),
        ("notes", "+SUM(1,2)"),
        ("customer_name", "@SUM(A1:A2)"),
        ("vehicle_model", "'quoted"),
        ("lot_film", "-1"),
    ];
    let mut task = new_task("FORM-1", "2026-12-03");
    for (field, text) in formulas {
        task = task.with(field, json!(text));
    }
    task.tags(&["=x", "ok"]).create(&app, &admin.token).await;

    let exported = export(&app, &admin.token, "").await;
    let row = &rows(&exported.body)[0];
    for (field, text) in formulas {
        assert_eq!(row[field], format!("'{text}"), "{field} is written as text");
    }
    assert_eq!(row["tags"], "'=x;ok");

    sqlx::query("UPDATE tasks SET deleted_at = 1")
        .execute(&pool)
        .await
        .unwrap();
    let text = String::from_utf8(exported.body.clone()).unwrap();
    let report = import(&app, &admin.token, "", &text)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(report["created"], 1, "{report}");
    let page = common::call(&app, "GET", "/api/v1/tasks", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    let imported = &page["items"][0];
    for (field, text) in formulas {
        assert_eq!(imported[field], text, "{field} comes back as it was");
    }
    assert_eq!(imported["tags"], json!(["=x", "ok"]));
}
