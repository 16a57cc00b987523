//! Delaying a task to another day, with a reason; a closed task stays where it is.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{new_task, transition};
use crate::common::{self, call};

#[tokio::test]
async fn delays_need_a_reason_and_an_open_task() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let task = new_task("DL-1", "2026-12-01")
        .create(&app, &admin.token)
        .await;
    let delay_path = format!("/api/v1/tasks/{}/delay", task["id"].as_str().unwrap());
    let delay = |body: Value| call(&app, "POST", &delay_path, Some(&admin.token), Some(body));

    let error = delay(json!({ "scheduled_date": "2026-12-05", "reason": " " }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["reason"].is_array());
    let error = delay(json!({ "scheduled_date": "05/12/2026", "reason": "rain" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["scheduled_date"].is_array());
    delay(json!({ "scheduled_date": "2026-12-01", "reason": "rain" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let moved = delay(json!({ "scheduled_date": "2026-12-05", "reason": "rain" }))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(moved["scheduled_date"], "2026-12-05");
    transition(
        &app,
        &admin.token,
        task["id"].as_str().unwrap(),
        "cancelled",
    )
    .await
    .assert_ok(StatusCode::OK);
    delay(json!({ "scheduled_date": "2026-12-09", "reason": "rain" }))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
}
