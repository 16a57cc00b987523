//! Booking conflicts: a technician booked by a task or an event cannot be booked again.

use axum::http::StatusCode;
use serde_json::json;

use super::{EVENTS, at, bookings, count, new_event, new_task};
use crate::common::{self, ConflictCheck, call, id};

#[tokio::test]
async fn a_booked_technician_conflicts_and_adjacent_slots_do_not() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let task = new_task("CF-1")
        .technician(&alice.id)
        .at("09:00", "12:00")
        .create(&app, t)
        .await;

    let error = new_event("fit", &at("11:00"), &at("13:00"))
        .technician(&alice.id)
        .post(&app, t)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        error["details"]["conflicts"],
        json!([{
            "kind": "task", "id": task["id"],
            "title": format!("{} {}", task["task_number"].as_str().unwrap(), task["title"].as_str().unwrap()),
            "start": at("09:00"), "end": at("12:00"),
        }]),
        "{error}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );

    // Touching the task's slot on either side is fine; so is another technician.
    let after = new_event("after", &at("12:00"), &at("13:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
    new_event("before", &at("08:00"), &at("09:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
    let other = new_event("bob", &at("11:00"), &at("13:00"))
        .technician(&bob.id)
        .create(&app, t)
        .await;

    // Moving an event onto the slot, or onto a booked technician, is refused and changes nothing.
    let path = format!("{EVENTS}/{}", id(&after));
    let error = call(
        &app,
        "PATCH",
        &path,
        Some(t),
        Some(json!({ "start_datetime": at("11:30") })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        bookings(&error["details"]["conflicts"]),
        [("task".to_owned(), id(&task))]
    );
    let error = call(
        &app,
        "PATCH",
        &format!("{EVENTS}/{}", id(&other)),
        Some(t),
        Some(json!({ "technician_id": alice.id })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], task["id"]);
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT start_at, technician_id FROM calendar_events WHERE id IN ($1, $2) ORDER BY technician_id = $3",
    )
    .bind(id(&after))
    .bind(id(&other))
    .bind(&bob.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (1_796_126_400_000, alice.id.clone()),
            (1_796_122_800_000, bob.id.clone())
        ],
        "12:00Z and 11:00Z, technicians unchanged"
    );
    // Moving the event within its own slot does not conflict with itself.
    let moved = call(
        &app,
        "PATCH",
        &path,
        Some(t),
        Some(json!({ "end_datetime": at("13:30") })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(moved["end_datetime"], at("13:30"));

    // A task without times books its technician's whole day.
    let whole_day = new_task("CF-2")
        .technician(&bob.id)
        .on("2026-12-02")
        .create(&app, t)
        .await;
    let error = new_event("late", "2026-12-02T22:00:00Z", "2026-12-02T23:00:00Z")
        .technician(&bob.id)
        .post(&app, t)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    let conflict = &error["details"]["conflicts"][0];
    assert_eq!(
        (&conflict["id"], &conflict["start"], &conflict["end"]),
        (
            &whole_day["id"],
            &json!("2026-12-02T00:00:00Z"),
            &json!("2026-12-03T00:00:00Z")
        )
    );
    new_event(
        "next morning",
        "2026-12-03T00:00:00Z",
        "2026-12-03T01:00:00Z",
    )
    .technician(&bob.id)
    .create(&app, t)
    .await;

    // A closed task books nobody.
    common::transition(&app, t, &id(&task), "cancelled", None)
        .await
        .assert_ok(StatusCode::OK);
    new_event("freed", &at("10:00"), &at("11:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
}

#[tokio::test]
async fn cancelled_events_book_nobody() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    // An appointment tied to a (not yet assigned) task books its technician like any event.
    let task = new_task("CX-1").create(&app, t).await;
    let blocker = new_event("drop-off", &at("10:00"), &at("11:00"))
        .technician(&alice.id)
        .task(&id(&task))
        .create(&app, t)
        .await;

    let error = new_event("fit", &at("10:30"), &at("11:30"))
        .technician(&alice.id)
        .post(&app, t)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        error["details"]["conflicts"],
        json!([{ "kind": "event", "id": blocker["id"], "title": "drop-off", "start": at("10:00"), "end": at("11:00") }])
    );

    // A cancelled event is not checked and does not block.
    let cancelled = new_event("called off", &at("10:00"), &at("11:00"))
        .technician(&alice.id)
        .status("cancelled")
        .create(&app, t)
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    let blocker_path = format!("{EVENTS}/{}", id(&blocker));
    let off = call(
        &app,
        "PATCH",
        &blocker_path,
        Some(t),
        Some(json!({ "status": "cancelled" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(off["status"], "cancelled");
    let fit = new_event("fit", &at("10:30"), &at("11:30"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
    let free = ConflictCheck::new(&alice.id, &at("09:00"), &at("10:30"))
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (&free["available"], &free["conflicts"]),
        (&json!(true), &json!([]))
    );

    // Confirming the cancelled event again is checked against what booked the slot since.
    let error = call(
        &app,
        "PATCH",
        &blocker_path,
        Some(t),
        Some(json!({ "status": "confirmed" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        bookings(&error["details"]["conflicts"]),
        [("event".to_owned(), id(&fit))]
    );
    let status: String = sqlx::query_scalar("SELECT status FROM calendar_events WHERE id = $1")
        .bind(id(&blocker))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

/// An event with no task books its technician as much as one tied to a task.
#[tokio::test]
async fn events_without_a_task_block_each_other() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let meeting = new_event("meeting", &at("10:00"), &at("11:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;

    let error = new_event("fit", &at("10:30"), &at("11:30"))
        .technician(&alice.id)
        .post(&app, t)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        bookings(&error["details"]["conflicts"]),
        [("event".to_owned(), id(&meeting))]
    );
    let busy = ConflictCheck::new(&alice.id, &at("10:30"), &at("11:30"))
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(busy["available"], false);
    let error = new_task("NT-1")
        .technician(&alice.id)
        .at("10:30", "11:30")
        .post(&app, t)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], meeting["id"]);
}
