//! Notes on a task: validated, signed by their author, listed oldest first.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{new_task, transition};
use crate::common::{self, call};

#[tokio::test]
async fn notes_are_checked_signed_and_listed_in_order() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let task = new_task("DL-1", "2026-12-01")
        .create(&app, &admin.token)
        .await;
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());
    let notes_path = format!("{path}/notes");
    // Notes stay open once a task is closed: these go on a cancelled one.
    transition(
        &app,
        &admin.token,
        task["id"].as_str().unwrap(),
        "cancelled",
    )
    .await
    .assert_ok(StatusCode::OK);

    let note = |body: Value| call(&app, "POST", &notes_path, Some(&admin.token), Some(body));
    note(json!({ "body": "   " }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    note(json!({ "body": "x".repeat(2001) }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let first = note(json!({ "body": "Client called, \"urgent\"" }))
        .await
        .assert_ok(StatusCode::CREATED);
    assert_eq!(first["author_name"], "Test User");
    assert_eq!(first["created_by"], admin.id.as_str());
    note(json!({ "body": "Second" }))
        .await
        .assert_ok(StatusCode::CREATED);
    let notes = call(
        &app,
        "GET",
        &format!("{path}/notes"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let bodies: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Client called, \"urgent\"", "Second"]);
}
