//! A scheduled task and its booking follow each other: closing, deleting or moving the task
//! frees the old slot.

use axum::http::StatusCode;
use serde_json::json;

use super::{at, new_event, new_task};
use crate::common::{self, ConflictCheck, call, id, schedule};

/// Cancelling or deleting a scheduled task frees its technician, booking event included.
#[tokio::test]
async fn a_closed_or_deleted_tasks_booking_frees_the_technician() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let cancelled = new_task("FR-1").create(&app, t).await;
    schedule(
        &app,
        t,
        &id(&cancelled),
        (&at("09:00"), &at("10:00")),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    common::transition(&app, t, &id(&cancelled), "cancelled", None)
        .await
        .assert_ok(StatusCode::OK);
    new_event("after cancel", &at("09:00"), &at("10:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;

    let deleted = new_task("FR-2").create(&app, t).await;
    schedule(
        &app,
        t,
        &id(&deleted),
        (&at("11:00"), &at("12:00")),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    call(
        &app,
        "DELETE",
        &format!("/api/v1/tasks/{}", id(&deleted)),
        Some(t),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    new_event("after delete", &at("11:00"), &at("12:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
}

/// Moving a scheduled task with `PATCH /tasks/{id}` frees its old slot.
#[tokio::test]
async fn moving_a_scheduled_task_moves_its_booking() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let task = new_task("MV-1").create(&app, t).await;
    schedule(&app, t, &id(&task), (&at("13:00"), &at("14:00")), &alice.id)
        .await
        .assert_ok(StatusCode::CREATED);
    call(
        &app,
        "PATCH",
        &format!("/api/v1/tasks/{}", id(&task)),
        Some(t),
        Some(json!({ "start_time": "16:00", "end_time": "17:00" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let free = ConflictCheck::new(&alice.id, &at("13:00"), &at("14:00"))
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (&free["available"], &free["conflicts"]),
        (&json!(true), &json!([]))
    );
}
