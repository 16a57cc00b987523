//! Scheduling a task: the booking event, the task that follows it, and what is refused.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{EVENTS, at, bookings, count, fields, get_task, list, new_task, uuid};
use crate::common::{self, ConflictCheck, call, id, schedule};

#[tokio::test]
async fn scheduling_a_task_books_it_and_replaces_its_old_booking() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let task = new_task("SC-1").create(&app, t).await;
    let task_id = id(&task);
    assert_eq!(task["status"], "draft");

    let first = schedule(
        &app,
        t,
        &task_id,
        ("2026-12-03T09:00:00Z", "2026-12-03T11:30:00Z"),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let event = &first["event"];
    assert_eq!(event["event_type"], "task");
    assert_eq!(event["task_id"], task_id.as_str());
    assert_eq!(event["technician_id"], alice.id.as_str());
    assert_eq!(
        (&event["start_datetime"], &event["end_datetime"]),
        (
            &json!("2026-12-03T09:00:00Z"),
            &json!("2026-12-03T11:30:00Z")
        )
    );
    assert_eq!(
        event["title"],
        format!(
            "{} {}",
            task["task_number"].as_str().unwrap(),
            task["title"].as_str().unwrap()
        )
    );
    assert_eq!(event["status"], "confirmed");
    let scheduled = &first["task"];
    assert_eq!(scheduled["scheduled_date"], "2026-12-03");
    assert_eq!(
        (&scheduled["start_time"], &scheduled["end_time"]),
        (&json!("09:00"), &json!("11:30"))
    );
    assert_eq!(scheduled["technician_id"], alice.id.as_str());
    assert_eq!(scheduled["assigned_by"], admin.id.as_str());
    assert_eq!(scheduled["status"], "scheduled");
    assert_eq!(&get_task(&app, t, &task_id).await, scheduled);
    let read = call(
        &app,
        "GET",
        &format!("{EVENTS}/{}", id(event)),
        Some(t),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(&read, event);

    let history = |app: axum::Router| {
        let path = format!("/api/v1/tasks/{task_id}/history");
        let token = admin.token.clone();
        async move {
            call(&app, "GET", &path, Some(&token), None)
                .await
                .assert_ok(StatusCode::OK)
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h["event"].as_str().unwrap().to_owned(),
                        h["old_status"]
                            .as_str()
                            .or(h["old_value"].as_str())
                            .map(str::to_owned),
                        h["new_status"]
                            .as_str()
                            .or(h["new_value"].as_str())
                            .map(str::to_owned),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let s = |v: &str| Some(v.to_owned());
    let mut expected = vec![
        ("created".to_owned(), None, s("draft")),
        ("delayed".to_owned(), s("2026-12-01"), s("2026-12-03")),
        ("assigned".to_owned(), None, s(&alice.id)),
        ("status_changed".to_owned(), s("draft"), s("scheduled")),
    ];
    assert_eq!(history(app.router.clone()).await, expected);

    // Again, overlapping its own booking: no conflict with itself; the old event is replaced.
    let second = schedule(
        &app,
        t,
        &task_id,
        ("2026-12-03T10:00:00Z", "2026-12-03T12:00:00Z"),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_ne!(second["event"]["id"], event["id"]);
    assert_eq!(
        (
            &second["task"]["start_time"],
            &second["task"]["end_time"],
            &second["task"]["status"]
        ),
        (&json!("10:00"), &json!("12:00"), &json!("scheduled"))
    );
    assert_eq!(
        history(app.router.clone()).await,
        expected,
        "same day, technician and status: nothing more to record"
    );
    let (deleted_at, deleted_by): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT deleted_at, deleted_by FROM calendar_events WHERE id = $1")
            .bind(id(event))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(deleted_at.is_some(), "the old booking is soft deleted");
    assert_eq!(deleted_by.as_deref(), Some(admin.id.as_str()));
    call(
        &app,
        "GET",
        &format!("{EVENTS}/{}", id(event)),
        Some(t),
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let page = list(&app, t, &format!("task_id={task_id}")).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], second["event"]["id"]);

    // To another technician and day: recorded, and the first technician is free again.
    let third = schedule(
        &app,
        t,
        &task_id,
        ("2026-12-04T14:00:00Z", "2026-12-04T15:00:00Z"),
        &bob.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(third["task"]["technician_id"], bob.id.as_str());
    assert_eq!(third["task"]["scheduled_date"], "2026-12-04");
    expected.push(("delayed".to_owned(), s("2026-12-03"), s("2026-12-04")));
    expected.push(("assigned".to_owned(), s(&alice.id), s(&bob.id)));
    assert_eq!(history(app.router.clone()).await, expected);
    let free = ConflictCheck::new(&alice.id, "2026-12-03T09:00:00Z", "2026-12-03T12:00:00Z")
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(free["available"], true, "{free}");
    let live: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM calendar_events WHERE task_id = $1 AND deleted_at IS NULL",
    )
    .bind(&task_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(live, 1);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        3
    );

    // An assigned task keeps its status (it cannot move back to scheduled).
    let assigned = new_task("SC-2")
        .technician(&bob.id)
        .status("assigned")
        .create(&app, t)
        .await;
    let moved = schedule(
        &app,
        t,
        &id(&assigned),
        (&at("08:00"), &at("09:00")),
        &bob.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(moved["task"]["status"], "assigned");
    assert_eq!(moved["task"]["start_time"], "08:00");
}

#[tokio::test]
async fn scheduling_refuses_bad_slots_unknown_and_closed_tasks() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let t = &admin.token;
    let task = new_task("SR-1").create(&app, t).await;
    let task_id = id(&task);

    for ((start, end), field) in [
        ((at("11:00"), at("10:00")), "end"),
        ((at("10:00"), at("10:00")), "end"),
        ((at("09:00").replace(":00Z", ":30Z"), at("10:00")), "start"),
        ((at("09:00"), "2026-12-01T10:00:00.500Z".to_owned()), "end"),
        ((at("23:00"), "2026-12-02T01:00:00Z".to_owned()), "end"),
        ((at("22:00"), "2026-12-02T00:00:00Z".to_owned()), "end"),
    ] {
        let error = schedule(&app, t, &task_id, (&start, &end), &alice.id)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), [field], "{start} → {end}: {error}");
    }
    for technician in [&viewer.id, &uuid()] {
        let error = schedule(&app, t, &task_id, (&at("09:00"), &at("10:00")), technician)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), ["technician_id"]);
    }
    schedule(&app, t, &uuid(), (&at("09:00"), &at("10:00")), &alice.id)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    schedule(
        &app,
        &alice.token,
        &task_id,
        (&at("09:00"), &at("10:00")),
        &alice.id,
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");

    common::transition(&app, t, &task_id, "cancelled", None)
        .await
        .assert_ok(StatusCode::OK);
    let before = get_task(&app, t, &task_id).await;
    schedule(&app, t, &task_id, (&at("09:00"), &at("10:00")), &alice.id)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(get_task(&app, t, &task_id).await, before);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );
    assert_eq!(
        before["technician_id"],
        Value::Null,
        "no refused request assigned anyone"
    );
}

#[tokio::test]
async fn a_scheduling_conflict_writes_nothing() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let busy = new_task("NC-1")
        .technician(&alice.id)
        .at("09:00", "12:00")
        .create(&app, t)
        .await;
    let task = new_task("NC-2").create(&app, t).await;
    let task_id = id(&task);
    // Booked once, with bob, so that a refused reschedule has an old event to (not) replace.
    schedule(
        &app,
        t,
        &task_id,
        ("2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z"),
        &bob.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);

    let task_before = get_task(&app, t, &task_id).await;
    let history_count = "SELECT count(*) FROM task_history";
    let history_before = count(&pool, history_count).await;
    let snapshot = "SELECT string_agg(id || ':' || coalesce(CAST(deleted_at AS TEXT), '-') || ':' || start_at, ',' ORDER BY id) \
                    FROM calendar_events";
    let events_before: String = sqlx::query_scalar(snapshot).fetch_one(&pool).await.unwrap();

    let error = schedule(&app, t, &task_id, (&at("11:00"), &at("13:00")), &alice.id)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        bookings(&error["details"]["conflicts"]),
        [("task".to_owned(), id(&busy))]
    );
    assert_eq!(error["details"]["conflicts"][0]["start"], at("09:00"));

    assert_eq!(
        get_task(&app, t, &task_id).await,
        task_before,
        "the task is unchanged"
    );
    assert_eq!(count(&pool, history_count).await, history_before);
    let events_after: String = sqlx::query_scalar(snapshot).fetch_one(&pool).await.unwrap();
    assert_eq!(events_after, events_before, "no event added or deleted");
    let page = list(&app, t, &format!("task_id={task_id}")).await;
    assert_eq!(page["items"][0]["technician_id"], bob.id.as_str());
    assert_eq!(page["total"], 1);
}
