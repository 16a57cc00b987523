//! Calendar events: create, read, change, soft delete, and the fields a bad body is told about.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{EVENTS, at, count, fields, list, new_event, titles, uuid};
use crate::common::{self, Workshop, call, id};

#[tokio::test]
async fn create_read_update_and_soft_delete() {
    let (pool, _db) = crate::common::database().await;
    let Workshop {
        app,
        admin,
        supervisor,
        technician: tech,
        viewer,
    } = Workshop::new(pool.clone()).await;

    let body = new_event(
        "  Customer drop-off ",
        "2026-12-01T10:00:00+01:00",
        "2026-12-01T10:30:00+01:00",
    )
    .description("Keys at the desk")
    .event_type("meeting")
    .technician(&tech.id)
    .with("timezone", json!("Europe/Paris"))
    .with("category", json!("front desk"))
    .with("location", json!("Bay 2"))
    .with("participants", json!([viewer.id]))
    .with("recurrence_rule", json!("FREQ=WEEKLY;COUNT=2"))
    .with("reminders", json!([15, 60]));
    for reader in [&tech, &viewer] {
        body.post(&app, &reader.token)
            .await
            .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    }
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );

    let event = body.create(&app, &supervisor.token).await;
    assert_eq!(event["title"], "Customer drop-off");
    assert_eq!(event["description"], "Keys at the desk");
    assert_eq!(
        event["start_datetime"], "2026-12-01T09:00:00Z",
        "kept in UTC"
    );
    assert_eq!(event["end_datetime"], "2026-12-01T09:30:00Z");
    assert_eq!(event["all_day"], false);
    assert_eq!(event["timezone"], "Europe/Paris");
    assert_eq!(event["event_type"], "meeting");
    assert_eq!(event["category"], "front desk");
    assert_eq!(event["technician_id"], tech.id.as_str());
    assert_eq!(event["task_id"], Value::Null);
    assert_eq!(event["location"], "Bay 2");
    assert_eq!(event["participants"], json!([viewer.id]));
    assert_eq!(event["recurrence_rule"], "FREQ=WEEKLY;COUNT=2");
    assert_eq!(event["reminders"], json!([15, 60]));
    assert_eq!(event["status"], "confirmed");
    assert_eq!(event["created_by"], supervisor.id.as_str());
    let event_id = id(&event);
    let (start_at, end_at): (i64, i64) =
        sqlx::query_as("SELECT start_at, end_at FROM calendar_events WHERE id = $1")
            .bind(&event_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (start_at, end_at),
        (1_796_115_600_000, 1_796_117_400_000),
        "epoch ms of 09:00Z and 09:30Z"
    );

    let defaults = new_event("Stock take", &at("14:00"), &at("15:00"))
        .create(&app, &admin.token)
        .await;
    assert_eq!(
        (
            &defaults["event_type"],
            &defaults["timezone"],
            &defaults["status"],
            &defaults["participants"],
            &defaults["reminders"],
            &defaults["technician_id"],
        ),
        (
            &json!("appointment"),
            &json!("UTC"),
            &json!("confirmed"),
            &json!([]),
            &json!([]),
            &Value::Null
        )
    );

    let path = format!("{EVENTS}/{event_id}");
    for reader in [&admin, &tech, &viewer] {
        let read = call(&app, "GET", &path, Some(&reader.token), None)
            .await
            .assert_ok(StatusCode::OK);
        assert_eq!(read, event);
    }

    let change = json!({
        "title": "Drop-off moved", "description": "",
        "start_datetime": at("11:00"), "end_datetime": at("11:45"), "status": "tentative",
    });
    call(
        &app,
        "PATCH",
        &path,
        Some(&tech.token),
        Some(change.clone()),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let changed = call(&app, "PATCH", &path, Some(&admin.token), Some(change))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(changed["title"], "Drop-off moved");
    assert_eq!(changed["description"], Value::Null, "empty string clears");
    assert_eq!(changed["start_datetime"], at("11:00"));
    assert_eq!(changed["end_datetime"], at("11:45"));
    assert_eq!(changed["status"], "tentative");
    assert_eq!(changed["location"], "Bay 2", "absent fields stay");
    assert_eq!(changed["participants"], json!([viewer.id]));
    assert_eq!(changed["technician_id"], tech.id.as_str());
    assert_eq!(
        call(&app, "GET", &path, Some(&admin.token), None)
            .await
            .assert_ok(StatusCode::OK),
        changed
    );

    call(&app, "DELETE", &path, Some(&supervisor.token), None)
        .await
        .assert_ok(StatusCode::OK);
    for (method, body) in [("GET", None), ("PATCH", Some(json!({ "title": "x" })))] {
        call(&app, method, &path, Some(&admin.token), body)
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    call(&app, "DELETE", &path, Some(&admin.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let page = list(&app, &admin.token, "").await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(titles(&page), ["Stock take"]);
    let (deleted_at, deleted_by, title): (Option<i64>, Option<String>, String) =
        sqlx::query_as("SELECT deleted_at, deleted_by, title FROM calendar_events WHERE id = $1")
            .bind(&event_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(deleted_at.is_some(), "soft delete keeps the row");
    assert_eq!(deleted_by.as_deref(), Some(supervisor.id.as_str()));
    assert_eq!(title, "Drop-off moved");
}

#[tokio::test]
async fn bad_event_fields_are_named_and_write_nothing() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let t = &admin.token;

    // Over-long text is refused at the door (the length caps), before the other checks.
    let too_long = new_event(&"t".repeat(201), &at("10:00"), &at("09:00"))
        .with("reminders", json!([-1]))
        .description(&"d".repeat(2001));
    let too_much = new_event("t", &at("10:00"), &at("09:00")).with("reminders", json!([-1]));
    let cases = [
        (json!({}), vec!["end_datetime", "start_datetime", "title"]),
        (
            new_event(" ", &at("10:00"), &at("11:00")).body(),
            vec!["title"],
        ),
        (
            new_event("ends first", &at("10:00"), &at("09:00")).body(),
            vec!["end_datetime"],
        ),
        (
            new_event("no length", &at("10:00"), &at("10:00")).body(),
            vec!["end_datetime"],
        ),
        (too_long.body(), vec!["description", "title"]),
        (too_much.body(), vec!["end_datetime", "reminders"]),
        (
            new_event("viewer", &at("10:00"), &at("11:00"))
                .technician(&viewer.id)
                .body(),
            vec!["technician_id"],
        ),
        (
            new_event("nobody", &at("10:00"), &at("11:00"))
                .technician(&uuid())
                .body(),
            vec!["technician_id"],
        ),
        (
            new_event("no task", &at("10:00"), &at("11:00"))
                .task(&uuid())
                .body(),
            vec!["task_id"],
        ),
        (
            new_event("no client", &at("10:00"), &at("11:00"))
                .with("client_id", json!(uuid()))
                .body(),
            vec!["client_id"],
        ),
    ];
    for (body, expected) in cases {
        let error = call(&app, "POST", EVENTS, Some(t), Some(body.clone()))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), expected, "{body}");
    }
    for (key, value) in [
        ("event_type", json!("party")),
        ("status", json!("maybe")),
        ("start_datetime", json!("tomorrow")),
        ("colour", json!("red")),
    ] {
        new_event("bad", &at("10:00"), &at("11:00"))
            .with(key, value)
            .post(&app, t)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );

    // A change is judged against the stored event.
    let event = new_event("ok", &at("10:00"), &at("11:00"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
    let path = format!("{EVENTS}/{}", id(&event));
    for (change, field) in [
        (json!({ "end_datetime": at("09:00") }), "end_datetime"),
        (json!({ "start_datetime": at("11:00") }), "end_datetime"),
        (json!({ "technician_id": viewer.id }), "technician_id"),
        (json!({ "title": "" }), "title"),
    ] {
        let error = call(&app, "PATCH", &path, Some(t), Some(change.clone()))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), [field], "{change}");
    }
    let stored = call(&app, "GET", &path, Some(t), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stored, event, "refused changes leave the event as it was");
}
