//! The domain event stream: what each role receives, how subscribers sign in, and how it ends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::stream::Stream;
use common::{ClientBuilder, EventBuilder, TaskBuilder, TestApp, call};
use serde_json::{Value, json};

/// Create the task `builder` describes; returns its id.
async fn create_task(app: &TestApp, token: &str, builder: TaskBuilder) -> String {
    common::id(&builder.create(app, token).await)
}

/// Move a task to `to`, which must succeed; returns the task after the move.
async fn transition(app: &TestApp, token: &str, task: &str, to: &str) -> Value {
    common::transition(app, token, task, to, None)
        .await
        .assert_ok(StatusCode::OK)
}

/// A task on `date`.
fn new_task(plate: &str, date: &str) -> TaskBuilder {
    TaskBuilder::new().plate(plate).on(date)
}

fn pair(kind: &str, id: &str) -> (String, String) {
    (kind.to_owned(), id.to_owned())
}

#[tokio::test]
async fn managers_and_viewers_receive_task_events() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let supervisor = common::user(&app, &admin, "sup", "supervisor").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let mut admin_stream = Stream::of(&app, &admin).await;
    let mut watchers = [
        Stream::of(&app, &supervisor).await,
        Stream::of(&app, &viewer).await,
    ];

    let task = create_task(&app, &supervisor.token, new_task("EV-1", "2026-12-01")).await;
    let (kind, id, created) = admin_stream.event().await;
    assert_eq!(
        (kind.as_str(), id.as_str()),
        ("task.created", task.as_str())
    );
    assert_eq!(created["actor_id"], supervisor.id.as_str());
    assert_eq!(created["data"]["status"], "draft");
    assert_eq!(created["data"]["vehicle_plate"], "EV-1");

    let moved = transition(&app, &admin.token, &task, "pending").await;
    let (kind, id, changed) = admin_stream.event().await;
    assert_eq!(
        (kind.as_str(), id.as_str()),
        ("task.status_changed", task.as_str())
    );
    assert_eq!(changed["data"]["status"], "pending");
    assert_eq!(
        changed["data"], moved,
        "the event carries the task after the change"
    );
    assert_eq!(changed["actor_id"], admin.id.as_str());
    assert!(
        changed["seq"].as_u64() > created["seq"].as_u64(),
        "{created} then {changed}"
    );
    let (kind, _, updated) = admin_stream.event().await;
    assert_eq!(kind, "task.updated");
    assert_eq!(updated["data"]["status"], "pending");

    for stream in &mut watchers {
        assert_eq!(
            stream.kinds(3).await,
            [
                pair("task.created", &task),
                pair("task.status_changed", &task),
                pair("task.updated", &task)
            ]
        );
    }
}

#[tokio::test]
async fn technicians_receive_only_their_own_tasks_events() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let mut alice_stream = Stream::of(&app, &alice).await;
    let mut bob_stream = Stream::of(&app, &bob).await;
    let t = &admin.token;

    let bobs = create_task(&app, t, new_task("BOB-1", "2026-12-01").technician(&bob.id)).await;
    let unassigned = create_task(&app, t, new_task("NONE-1", "2026-12-01")).await;
    let alices = create_task(
        &app,
        t,
        new_task("ALI-1", "2026-12-02").technician(&alice.id),
    )
    .await;
    // Bob's task moves to alice: both the previous and the new technician hear of it.
    let moved = call(
        &app,
        "PATCH",
        &format!("/api/v1/tasks/{bobs}"),
        Some(t),
        Some(json!({ "technician_id": alice.id })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(moved["technician_id"], alice.id.as_str());
    transition(&app, t, &alices, "pending").await;
    transition(&app, t, &unassigned, "pending").await;
    let client = ClientBuilder::new("Fleet Co").create(&app, t).await;
    let client = client["id"].as_str().unwrap();

    // The first event alice gets is her own task's: bob's and the unassigned one never reached her.
    assert_eq!(
        alice_stream.kinds(9).await,
        [
            pair("task.created", &alices),
            pair("task.assigned", &alices),
            // No shell of its own: "assigned to you" goes to her desktop on the stream.
            pair("desktop.request", ""),
            pair("task.updated", &bobs),
            pair("task.assigned", &bobs),
            pair("desktop.request", ""),
            pair("task.status_changed", &alices),
            pair("task.updated", &alices),
            pair("client.created", client),
        ]
    );
    // Bob hears of his task until it leaves him, then nothing of alice's until the client.
    assert_eq!(
        bob_stream.kinds(6).await,
        [
            pair("task.created", &bobs),
            pair("task.assigned", &bobs),
            pair("desktop.request", ""),
            pair("task.updated", &bobs),
            pair("task.assigned", &bobs),
            pair("client.created", client),
        ]
    );

    // Calendar events: those without a technician reach every technician, booked ones only theirs.
    let event =
        |title: &str| EventBuilder::new(title, "2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z");
    let mut ids = Vec::new();
    for event in [event("bob's").technician(&bob.id), event("everyone's")] {
        ids.push(common::id(&event.create(&app, t).await));
    }
    assert_eq!(
        alice_stream.kinds(1).await,
        [pair("calendar.created", &ids[1])]
    );
    assert_eq!(
        bob_stream.kinds(2).await,
        [
            pair("calendar.created", &ids[0]),
            pair("calendar.created", &ids[1])
        ]
    );
}

/// `POST /api/v1/events/ticket` as this account: the ticket.
async fn ticket(app: &TestApp, token: &str) -> String {
    let data = call(app, "POST", "/api/v1/events/ticket", Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["expires_in"], 30, "{data}");
    data["ticket"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn subscribers_sign_in_with_a_header_or_a_single_use_ticket() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;

    let first = ticket(&app, &viewer.token).await;
    let by_ticket = format!("/api/v1/events?ticket={first}");
    let mut stream = Stream::open(&app, &by_ticket, None).await;
    let task = create_task(&app, &admin.token, new_task("Q-1", "2026-12-01")).await;
    assert_eq!(stream.kinds(1).await, [pair("task.created", &task)]);

    for (uri, token) in [
        // A ticket works once.
        (by_ticket.clone(), None),
        ("/api/v1/events".to_owned(), None),
        ("/api/v1/events?ticket=".to_owned(), None),
        ("/api/v1/events?ticket=not-a-ticket".to_owned(), None),
        // An access token is never taken from the URL.
        (
            format!("/api/v1/events?access_token={}", viewer.token),
            None,
        ),
        ("/api/v1/events".to_owned(), Some("not-a-token")),
        (
            // The header wins over the query: a bad header is not rescued by a good ticket.
            format!(
                "/api/v1/events?ticket={}",
                ticket(&app, &viewer.token).await
            ),
            Some("not-a-token"),
        ),
    ] {
        let reply = call(&app, "GET", &uri, token, None).await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json"),
            "{uri}"
        );
    }
    // Tickets are asked for with a bearer token only.
    call(&app, "POST", "/api/v1/events/ticket", None, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    // An unused ticket of a signed-out session no longer opens a stream.
    let unused = ticket(&app, &viewer.token).await;
    call(
        &app,
        "POST",
        "/api/v1/auth/logout",
        Some(&viewer.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    call(
        &app,
        "GET",
        &format!("/api/v1/events?ticket={unused}"),
        None,
        None,
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[tokio::test]
async fn a_ticket_expires_and_its_stream_ends_with_the_access_token() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let stale = ticket(&app, &admin.token).await;
    sqlx::query("UPDATE stream_tickets SET expires_at = expires_at - 31000")
        .execute(&pool)
        .await
        .unwrap();
    call(
        &app,
        "GET",
        &format!("/api/v1/events?ticket={stale}"),
        None,
        None,
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    // The access token that asked for this ticket expires in half a second (as if it were
    // nearly two hours old): the stream ends then, though the session is live.
    let fresh = ticket(&app, &admin.token).await;
    sqlx::query(
        "UPDATE stream_tickets SET stream_until = $1 WHERE used_at IS NULL AND expires_at > $2",
    )
    .bind(rpma_sidecar::clock::now_ms() + 500)
    .bind(rpma_sidecar::clock::now_ms())
    .execute(&pool)
    .await
    .unwrap();
    let mut stream = Stream::open(&app, &format!("/api/v1/events?ticket={fresh}"), None).await;
    assert!(stream.next().await.is_none(), "the stream ends");
}

#[tokio::test]
async fn closing_the_bus_ends_every_stream() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let mut streams = [
        Stream::of(&app, &admin).await,
        Stream::of(&app, &tech).await,
    ];
    let task = create_task(&app, &admin.token, new_task("CL-1", "2026-12-01")).await;
    assert_eq!(
        streams[0].kinds(1).await,
        [pair("task.created", &task)],
        "the stream is live before the close"
    );

    app.state.live.close();
    for stream in &mut streams {
        let end = stream.next().await;
        assert!(end.is_none(), "the body ends after close: {end:?}");
    }

    // A stream opened after the close ends at once (at most its `ready` comes through).
    let mut late = Stream::connect(&app, "/api/v1/events", Some(&admin.token)).await;
    let mut messages = Vec::new();
    while let Some(message) = late.next().await {
        messages.push(message.event);
    }
    assert!(messages.iter().all(|m| m == "ready"), "{messages:?}");
}

/// Rescheduling a task replaces its booking event; subscribers must hear that the old one went.
#[tokio::test]
async fn rescheduling_announces_the_replaced_booking() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let t = &admin.token;
    let task = create_task(&app, t, new_task("RS-1", "2026-12-01")).await;
    let schedule = |start, end| common::schedule(&app, t, &task, (start, end), &tech.id);
    let first = schedule("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z")
        .await
        .assert_ok(StatusCode::CREATED);
    let old = first["event"]["id"].as_str().unwrap().to_owned();

    let mut stream = Stream::of(&app, &tech).await;
    schedule("2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z")
        .await
        .assert_ok(StatusCode::CREATED);
    // `task.updated` always comes with a schedule; everything about the calendar comes before it.
    let mut seen = Vec::new();
    loop {
        let (kind, id, _) = stream.event().await;
        if kind == "task.updated" {
            break;
        }
        seen.push((kind, id));
    }
    assert!(seen.contains(&pair("calendar.deleted", &old)), "{seen:?}");
}

#[tokio::test]
async fn signing_out_ends_the_stream() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let mut stream = Stream::of(&app, &viewer).await;
    create_task(&app, &admin.token, new_task("SO-1", "2026-12-01")).await;
    let first = stream
        .next()
        .await
        .expect("the viewer receives the first event");
    assert_eq!(first.event, "task.created");

    call(
        &app,
        "POST",
        "/api/v1/auth/logout",
        Some(&viewer.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    create_task(&app, &admin.token, new_task("SO-2", "2026-12-02")).await;
    assert!(
        stream.next().await.is_none(),
        "the signed-out viewer's stream ends instead of delivering more"
    );
}

#[tokio::test]
async fn plant_events_reach_the_plant_roles_only() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let operator = common::user(&app, &admin, "operator1", "operator").await;
    let auditor = common::user(&app, &admin, "auditor1", "auditor").await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let mut plant = [
        Stream::of(&app, &operator).await,
        Stream::of(&app, &auditor).await,
    ];
    let mut workshop = [
        Stream::of(&app, &tech).await,
        Stream::of(&app, &viewer).await,
    ];

    call(&app, "POST", "/api/v1/ops/demo", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::CREATED);
    let raised = call(
        &app,
        "POST",
        "/api/v1/ops/exceptions",
        Some(&operator.token),
        Some(json!({
            "type": "Quality Deviation",
            "runbookId": "dispatch",
            "stageId": "dsp-02",
            "severity": "Critical",
            "owner": "QA Lead",
            "description": "Seal torque out of band.",
        })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let id = raised["id"].as_str().unwrap();
    // A workshop event after the plant's: the workshop's streams see it first, the plant's never.
    let client = ClientBuilder::new("Fleet Co")
        .create(&app, &admin.token)
        .await;

    for stream in &mut plant {
        assert_eq!(stream.event().await.0, "ops.demo_loaded");
        let (kind, event_id, event) = stream.event().await;
        assert_eq!(
            (kind.as_str(), event_id.as_str()),
            ("ops.exception_raised", id)
        );
        assert_eq!(event["actor_id"], operator.id.as_str());
        assert_eq!(event["data"]["severity"], "Critical");
        assert_eq!(event["data"]["status"], "Raised");
        // No shell of its own: the Critical exception's call for attention goes to the plant's
        // desktops on the stream.
        let (kind, _, request) = stream.event().await;
        assert_eq!(kind, "desktop.request");
        assert_eq!(
            request["data"]["notification"]["title"],
            format!("Critical exception {id}")
        );
        assert_eq!(request["data"]["bring_forward"], true);
    }
    for stream in &mut workshop {
        assert_eq!(
            stream.kinds(1).await,
            [pair("client.created", client["id"].as_str().unwrap())]
        );
    }
}
