//! Calendar: events CRUD and soft delete, range queries, visibility, booking conflicts, the
//! conflict dry run and scheduling a task.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{Reply, call};
use serde_json::{Value, json};
use sqlx::SqlitePool;

const EVENTS: &str = "/api/v1/calendar/events";

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// `2026-12-01` at `HH:MM` UTC, RFC 3339.
fn at(time: &str) -> String {
    format!("2026-12-01T{time}:00Z")
}

/// A task on 2026-12-01, with a technician and times when given (whole day without times).
fn task_body(plate: &str, technician: Option<&str>, times: Option<(&str, &str)>) -> Value {
    let mut body = json!({
        "vehicle_plate": plate, "vehicle_model": "Model 3", "ppf_zones": ["hood"],
        "scheduled_date": "2026-12-01",
    });
    if let Some(technician) = technician {
        body["technician_id"] = json!(technician);
    }
    if let Some((start, end)) = times {
        body["start_time"] = json!(start);
        body["end_time"] = json!(end);
    }
    body
}

async fn create_task(app: &axum::Router, token: &str, body: Value) -> Value {
    call(app, "POST", "/api/v1/tasks", Some(token), Some(body))
        .await
        .assert_ok(StatusCode::CREATED)
}

async fn get_task(app: &axum::Router, token: &str, task: &str) -> Value {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks/{task}"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK)
}

/// An event body with the required fields.
fn event_body(title: &str, start: &str, end: &str) -> Value {
    json!({ "title": title, "start_datetime": start, "end_datetime": end })
}

/// The same event body booking `technician`.
fn booking(title: &str, start: &str, end: &str, technician: &str) -> Value {
    let mut body = event_body(title, start, end);
    body["technician_id"] = json!(technician);
    body
}

async fn post_event(app: &axum::Router, token: &str, body: Value) -> Reply {
    call(app, "POST", EVENTS, Some(token), Some(body)).await
}

async fn create_event(app: &axum::Router, token: &str, body: Value) -> Value {
    post_event(app, token, body)
        .await
        .assert_ok(StatusCode::CREATED)
}

async fn list(app: &axum::Router, token: &str, query: &str) -> Value {
    call(app, "GET", &format!("{EVENTS}?{query}"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK)
}

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect()
}

async fn schedule(
    app: &axum::Router,
    token: &str,
    task: &str,
    (start, end): (&str, &str),
    technician: &str,
) -> Reply {
    call(
        app,
        "POST",
        "/api/v1/calendar/schedule-task",
        Some(token),
        Some(json!({ "task_id": task, "start": start, "end": end, "technician_id": technician })),
    )
    .await
}

async fn dry_run(app: &axum::Router, token: &str, body: Value) -> Reply {
    call(
        app,
        "POST",
        "/api/v1/calendar/conflicts",
        Some(token),
        Some(body),
    )
    .await
}

/// `(kind, id)` of each booking in a conflict list, sorted.
fn bookings(conflicts: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = conflicts
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["kind"].as_str().unwrap().into(), id(b)))
        .collect();
    found.sort();
    found
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The sorted field names of a validation error.
fn fields(error: &Value) -> Vec<String> {
    error["details"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn create_read_update_and_soft_delete(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let supervisor = common::user(&app, &admin, "sup", "supervisor").await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;

    let body = json!({
        "title": "  Customer drop-off ", "description": "Keys at the desk",
        "start_datetime": "2026-12-01T10:00:00+01:00", "end_datetime": "2026-12-01T10:30:00+01:00",
        "timezone": "Europe/Paris", "event_type": "meeting", "category": "front desk",
        "technician_id": tech.id, "location": "Bay 2", "participants": [viewer.id],
        "recurrence_rule": "FREQ=WEEKLY;COUNT=2", "reminders": [15, 60],
    });
    for reader in [&tech, &viewer] {
        post_event(&app, &reader.token, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    }
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );

    let event = create_event(&app, &supervisor.token, body).await;
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
        sqlx::query_as("SELECT start_at, end_at FROM calendar_events WHERE id = ?")
            .bind(&event_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (start_at, end_at),
        (1_796_115_600_000, 1_796_117_400_000),
        "epoch ms of 09:00Z and 09:30Z"
    );

    let defaults = create_event(
        &app,
        &admin.token,
        event_body("Stock take", &at("14:00"), &at("15:00")),
    )
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
        sqlx::query_as("SELECT deleted_at, deleted_by, title FROM calendar_events WHERE id = ?")
            .bind(&event_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(deleted_at.is_some(), "soft delete keeps the row");
    assert_eq!(deleted_by.as_deref(), Some(supervisor.id.as_str()));
    assert_eq!(title, "Drop-off moved");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn ranges_overlap_and_filters_count_totals(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let task = create_task(&app, &admin.token, task_body("RG-1", None, None)).await;
    let t = &admin.token;

    create_event(&app, t, event_body("early", &at("08:00"), &at("09:00"))).await;
    let mut morning = event_body("morning", &at("09:00"), &at("11:00"));
    morning["event_type"] = json!("meeting");
    create_event(&app, t, morning).await;
    create_event(
        &app,
        t,
        booking("overlap", &at("10:30"), &at("12:00"), &tech.id),
    )
    .await;
    let mut linked = event_body("drop-off", &at("13:00"), &at("14:00"));
    linked["task_id"] = json!(id(&task));
    create_event(&app, t, linked).await;
    let mut next_day = event_body("next day", "2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z");
    next_day["status"] = json!("tentative");
    create_event(&app, t, next_day).await;

    let all = list(&app, t, "").await;
    assert_eq!(
        titles(&all),
        ["early", "morning", "overlap", "drop-off", "next day"],
        "by start time"
    );
    assert_eq!(
        (&all["total"], &all["limit"], &all["offset"]),
        (&json!(5), &json!(50), &json!(0))
    );

    // Overlap: ends after `from` and starts before `to`; touching an edge is not overlapping.
    let cases = [
        (
            "from=2026-12-01T09:00:00Z&to=2026-12-01T11:00:00Z",
            vec!["morning", "overlap"],
        ),
        (
            "from=2026-12-01T10:00:00Z&to=2026-12-01T10:30:00Z",
            vec!["morning"],
        ),
        (
            "from=2026-12-01T10:59:00Z&to=2026-12-01T10:59:30Z",
            vec!["morning", "overlap"],
        ),
        ("from=2026-12-01T12:00:00Z", vec!["drop-off", "next day"]),
        ("to=2026-12-01T09:00:00Z", vec!["early"]),
        ("from=2026-12-01T14:00:00Z&to=2026-12-02T09:00:00Z", vec![]),
        (
            "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z",
            vec!["early", "morning", "overlap", "drop-off"],
        ),
        (&format!("technician_id={}", tech.id), vec!["overlap"]),
        (
            &format!("from=2026-12-01T12:00:00Z&technician_id={}", tech.id),
            vec![],
        ),
        (&format!("task_id={}", id(&task)), vec!["drop-off"]),
        ("event_type=meeting", vec!["morning"]),
        ("status=tentative", vec!["next day"]),
    ];
    for (query, expected) in cases {
        let page = list(&app, t, query).await;
        assert_eq!(titles(&page), expected, "{query}");
        assert_eq!(page["total"], expected.len(), "{query}");
    }

    let page = list(&app, t, "limit=2&offset=1").await;
    assert_eq!(titles(&page), ["morning", "overlap"]);
    assert_eq!(
        (&page["total"], &page["limit"], &page["offset"]),
        (&json!(5), &json!(2), &json!(1)),
        "the total counts every match, not the page"
    );
    let page = list(
        &app,
        t,
        "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&limit=1&offset=3",
    )
    .await;
    assert_eq!(
        (titles(&page), &page["total"]),
        (vec!["drop-off"], &json!(4))
    );

    for (query, field) in [
        ("from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z", "to"),
        ("from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z", "to"),
        ("limit=0", "limit"),
    ] {
        let error = call(&app, "GET", &format!("{EVENTS}?{query}"), Some(t), None)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), [field], "{query}: {error}");
    }
    for query in ["from=yesterday", "event_type=party", "technician_id=nope"] {
        call(&app, "GET", &format!("{EVENTS}?{query}"), Some(t), None)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn technicians_see_unassigned_events_and_their_own(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let operator = common::user(&app, &admin, "operator", "operator").await;

    let shop = create_event(
        &app,
        &admin.token,
        event_body("shop meeting", &at("08:00"), &at("09:00")),
    )
    .await;
    let own = create_event(
        &app,
        &admin.token,
        booking("alice job", &at("09:00"), &at("10:00"), &alice.id),
    )
    .await;
    let theirs = create_event(
        &app,
        &admin.token,
        booking("bob job", &at("09:00"), &at("10:00"), &bob.id),
    )
    .await;

    let page = list(&app, &alice.token, "").await;
    assert_eq!(titles(&page), ["shop meeting", "alice job"]);
    assert_eq!(page["total"], 2);
    let page = list(&app, &alice.token, &format!("technician_id={}", bob.id)).await;
    assert_eq!(page["total"], 0, "a filter cannot widen the scope");
    for reader in [&admin, &viewer] {
        let page = list(&app, &reader.token, "").await;
        assert_eq!(page["total"], 3);
    }
    let page = list(&app, &bob.token, "").await;
    assert_eq!(titles(&page), ["shop meeting", "bob job"]);

    for visible in [&shop, &own] {
        let read = call(
            &app,
            "GET",
            &format!("{EVENTS}/{}", id(visible)),
            Some(&alice.token),
            None,
        )
        .await
        .assert_ok(StatusCode::OK);
        assert_eq!(&read, visible);
    }
    call(
        &app,
        "GET",
        &format!("{EVENTS}/{}", id(&theirs)),
        Some(&alice.token),
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    for path in [EVENTS.to_owned(), format!("{EVENTS}/{}", id(&shop))] {
        call(&app, "GET", &path, Some(&operator.token), None)
            .await
            .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
        call(&app, "GET", &path, None, None)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn a_booked_technician_conflicts_and_adjacent_slots_do_not(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let task = create_task(
        &app,
        t,
        task_body("CF-1", Some(&alice.id), Some(("09:00", "12:00"))),
    )
    .await;

    let error = post_event(
        &app,
        t,
        booking("fit", &at("11:00"), &at("13:00"), &alice.id),
    )
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
    let after = create_event(
        &app,
        t,
        booking("after", &at("12:00"), &at("13:00"), &alice.id),
    )
    .await;
    create_event(
        &app,
        t,
        booking("before", &at("08:00"), &at("09:00"), &alice.id),
    )
    .await;
    let other = create_event(&app, t, booking("bob", &at("11:00"), &at("13:00"), &bob.id)).await;

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
        "SELECT start_at, technician_id FROM calendar_events WHERE id IN (?, ?) ORDER BY technician_id = ?",
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
    let mut whole_day = task_body("CF-2", Some(&bob.id), None);
    whole_day["scheduled_date"] = json!("2026-12-02");
    let whole_day = create_task(&app, t, whole_day).await;
    let error = post_event(
        &app,
        t,
        booking(
            "late",
            "2026-12-02T22:00:00Z",
            "2026-12-02T23:00:00Z",
            &bob.id,
        ),
    )
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
    create_event(
        &app,
        t,
        booking(
            "next morning",
            "2026-12-03T00:00:00Z",
            "2026-12-03T01:00:00Z",
            &bob.id,
        ),
    )
    .await;

    // A closed task books nobody.
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{}/transition", id(&task)),
        Some(t),
        Some(json!({ "to": "cancelled" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    create_event(
        &app,
        t,
        booking("freed", &at("10:00"), &at("11:00"), &alice.id),
    )
    .await;
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn cancelled_events_book_nobody(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    // An appointment tied to a (not yet assigned) task books its technician like any event.
    let task = create_task(&app, t, task_body("CX-1", None, None)).await;
    let mut body = booking("drop-off", &at("10:00"), &at("11:00"), &alice.id);
    body["task_id"] = json!(id(&task));
    let blocker = create_event(&app, t, body).await;

    let error = post_event(
        &app,
        t,
        booking("fit", &at("10:30"), &at("11:30"), &alice.id),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        error["details"]["conflicts"],
        json!([{ "kind": "event", "id": blocker["id"], "title": "drop-off", "start": at("10:00"), "end": at("11:00") }])
    );

    // A cancelled event is not checked and does not block.
    let mut cancelled = booking("called off", &at("10:00"), &at("11:00"), &alice.id);
    cancelled["status"] = json!("cancelled");
    let cancelled = create_event(&app, t, cancelled).await;
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
    let fit = create_event(
        &app,
        t,
        booking("fit", &at("10:30"), &at("11:30"), &alice.id),
    )
    .await;
    let free = dry_run(
        &app,
        t,
        json!({ "technician_id": alice.id, "start": at("09:00"), "end": at("10:30") }),
    )
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
    let status: String = sqlx::query_scalar("SELECT status FROM calendar_events WHERE id = ?")
        .bind(id(&blocker))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
}

/// An event with no task books its technician as much as one tied to a task.
#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn events_without_a_task_block_each_other(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let meeting = create_event(
        &app,
        t,
        booking("meeting", &at("10:00"), &at("11:00"), &alice.id),
    )
    .await;

    let error = post_event(
        &app,
        t,
        booking("fit", &at("10:30"), &at("11:30"), &alice.id),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(
        bookings(&error["details"]["conflicts"]),
        [("event".to_owned(), id(&meeting))]
    );
    let busy = dry_run(
        &app,
        t,
        json!({ "technician_id": alice.id, "start": at("10:30"), "end": at("11:30") }),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(busy["available"], false);
    let error = call(
        &app,
        "POST",
        "/api/v1/tasks",
        Some(t),
        Some(task_body("NT-1", Some(&alice.id), Some(("10:30", "11:30")))),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], meeting["id"]);
}

/// Cancelling or deleting a scheduled task frees its technician, booking event included.
#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn a_closed_or_deleted_tasks_booking_frees_the_technician(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let cancelled = create_task(&app, t, task_body("FR-1", None, None)).await;
    schedule(
        &app,
        t,
        &id(&cancelled),
        (&at("09:00"), &at("10:00")),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{}/transition", id(&cancelled)),
        Some(t),
        Some(json!({ "to": "cancelled" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    create_event(
        &app,
        t,
        booking("after cancel", &at("09:00"), &at("10:00"), &alice.id),
    )
    .await;

    let deleted = create_task(&app, t, task_body("FR-2", None, None)).await;
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
    create_event(
        &app,
        t,
        booking("after delete", &at("11:00"), &at("12:00"), &alice.id),
    )
    .await;
}

/// Moving a scheduled task with `PATCH /tasks/{id}` frees its old slot.
#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn moving_a_scheduled_task_moves_its_booking(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let t = &admin.token;
    let task = create_task(&app, t, task_body("MV-1", None, None)).await;
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
    let free = dry_run(
        &app,
        t,
        json!({ "technician_id": alice.id, "start": at("13:00"), "end": at("14:00") }),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (&free["available"], &free["conflicts"]),
        (&json!(true), &json!([]))
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn the_conflict_dry_run_lists_bookings_in_the_way(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let operator = common::user(&app, &admin, "operator", "operator").await;
    let t = &admin.token;
    let morning = create_task(
        &app,
        t,
        task_body("DR-1", Some(&alice.id), Some(("09:00", "12:00"))),
    )
    .await;
    let later = create_task(&app, t, task_body("DR-2", None, None)).await;
    let scheduled = schedule(
        &app,
        t,
        &id(&later),
        (&at("13:00"), &at("14:00")),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let own_event = &scheduled["event"];
    let meeting = create_event(
        &app,
        t,
        booking("Team meeting", &at("12:00"), &at("12:30"), &alice.id),
    )
    .await;
    let events_before = count(&pool, "SELECT count(*) FROM calendar_events").await;

    let check = |extra: Value| {
        let mut body =
            json!({ "technician_id": alice.id, "start": at("11:00"), "end": at("13:30") });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let busy = dry_run(&app, &alice.token, check(json!({})))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(busy["available"], false);
    // The scheduled task is one booking: its own `task` event is not listed apart from it.
    let mut expected = vec![
        ("event".to_owned(), id(&meeting)),
        ("task".to_owned(), id(&morning)),
        ("task".to_owned(), id(&later)),
    ];
    expected.sort();
    assert_eq!(bookings(&busy["conflicts"]), expected);
    assert!(
        !bookings(&busy["conflicts"]).contains(&("event".to_owned(), id(own_event))),
        "{busy}"
    );
    assert_eq!(busy["conflicts"][0]["id"], morning["id"], "by start time");
    assert_eq!(
        (&busy["conflicts"][0]["start"], &busy["conflicts"][0]["end"]),
        (&json!(at("09:00")), &json!(at("12:00")))
    );

    let without_task = dry_run(&app, t, check(json!({ "exclude_task_id": id(&later) })))
        .await
        .assert_ok(StatusCode::OK);
    let mut expected = vec![
        ("event".to_owned(), id(&meeting)),
        ("task".to_owned(), id(&morning)),
    ];
    expected.sort();
    assert_eq!(
        bookings(&without_task["conflicts"]),
        expected,
        "the task is left out"
    );
    let without_event = dry_run(&app, t, check(json!({ "exclude_event_id": id(&meeting) })))
        .await
        .assert_ok(StatusCode::OK);
    let mut expected = vec![
        ("task".to_owned(), id(&morning)),
        ("task".to_owned(), id(&later)),
    ];
    expected.sort();
    assert_eq!(bookings(&without_event["conflicts"]), expected);

    for body in [
        check(json!({ "start": at("14:00"), "end": at("15:00") })),
        check(json!({ "technician_id": bob.id })),
    ] {
        let free = dry_run(&app, t, body.clone())
            .await
            .assert_ok(StatusCode::OK);
        assert_eq!(
            (&free["available"], &free["conflicts"]),
            (&json!(true), &json!([])),
            "{body}"
        );
    }
    // A technician may look only at their own bookings.
    dry_run(
        &app,
        &alice.token,
        check(json!({ "technician_id": bob.id })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");

    let error = dry_run(&app, t, check(json!({ "end": at("11:00") })))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(fields(&error), ["end"]);
    dry_run(&app, &operator.token, check(json!({})))
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        events_before,
        "a dry run writes nothing"
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn scheduling_a_task_books_it_and_replaces_its_old_booking(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let task = create_task(&app, t, task_body("SC-1", None, None)).await;
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
        sqlx::query_as("SELECT deleted_at, deleted_by FROM calendar_events WHERE id = ?")
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
    let free = dry_run(
        &app,
        t,
        json!({ "technician_id": alice.id, "start": "2026-12-03T09:00:00Z", "end": "2026-12-03T12:00:00Z" }),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(free["available"], true, "{free}");
    let live: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM calendar_events WHERE task_id = ? AND deleted_at IS NULL",
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
    let mut assigned = task_body("SC-2", Some(&bob.id), None);
    assigned["status"] = json!("assigned");
    let assigned = create_task(&app, t, assigned).await;
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn scheduling_refuses_bad_slots_unknown_and_closed_tasks(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let t = &admin.token;
    let task = create_task(&app, t, task_body("SR-1", None, None)).await;
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

    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{task_id}/transition"),
        Some(t),
        Some(json!({ "to": "cancelled" })),
    )
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn a_scheduling_conflict_writes_nothing(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let busy = create_task(
        &app,
        t,
        task_body("NC-1", Some(&alice.id), Some(("09:00", "12:00"))),
    )
    .await;
    let task = create_task(&app, t, task_body("NC-2", None, None)).await;
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
    let snapshot = "SELECT group_concat(id || ':' || coalesce(deleted_at, '-') || ':' || start_at, ',') \
                    FROM (SELECT * FROM calendar_events ORDER BY id)";
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn bad_event_fields_are_named_and_write_nothing(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let t = &admin.token;

    let mut too_much = event_body(&"t".repeat(201), &at("10:00"), &at("09:00"));
    too_much["reminders"] = json!([-1]);
    too_much["description"] = json!("d".repeat(2001));
    let cases = [
        (json!({}), vec!["end_datetime", "start_datetime", "title"]),
        (event_body(" ", &at("10:00"), &at("11:00")), vec!["title"]),
        (
            event_body("ends first", &at("10:00"), &at("09:00")),
            vec!["end_datetime"],
        ),
        (
            event_body("no length", &at("10:00"), &at("10:00")),
            vec!["end_datetime"],
        ),
        (
            too_much,
            vec!["description", "end_datetime", "reminders", "title"],
        ),
        (
            booking("viewer", &at("10:00"), &at("11:00"), &viewer.id),
            vec!["technician_id"],
        ),
        (
            booking("nobody", &at("10:00"), &at("11:00"), &uuid()),
            vec!["technician_id"],
        ),
        (
            {
                let mut body = event_body("no task", &at("10:00"), &at("11:00"));
                body["task_id"] = json!(uuid());
                body
            },
            vec!["task_id"],
        ),
        (
            {
                let mut body = event_body("no client", &at("10:00"), &at("11:00"));
                body["client_id"] = json!(uuid());
                body
            },
            vec!["client_id"],
        ),
    ];
    for (body, expected) in cases {
        let error = post_event(&app, t, body.clone())
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
        let mut body = event_body("bad", &at("10:00"), &at("11:00"));
        body[key] = value;
        post_event(&app, t, body)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        0
    );

    // A change is judged against the stored event.
    let event = create_event(
        &app,
        t,
        booking("ok", &at("10:00"), &at("11:00"), &alice.id),
    )
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

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
