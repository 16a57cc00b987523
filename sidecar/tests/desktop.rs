//! The sidecar's bridge to the desktop shell, against a fake shell on a real Unix socket, and,
//! without a shell (a team server), desktop requests on the event stream.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use common::stream::Stream;
use rpma_shell_protocol::{Notification, ShellResponse, WindowCommand, WindowState};
use rpma_sidecar::config::Secret;
use rpma_sidecar::live::Audience;
use rpma_sidecar::{AppState, desktop};
use serde_json::json;
use sqlx::AnyPool;

const TOKEN: &str = "shell-secret-42";

/// What the fake shell saw.
#[derive(Default)]
struct Seen {
    commands: Vec<WindowCommand>,
    notifications: Vec<Notification>,
    tokens: Vec<String>,
}

/// A fake shell on `<dir>/shell.sock`; `delay` makes it slow.
fn fake_shell(dir: &std::path::Path, delay: Duration) -> Arc<Mutex<Seen>> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = |seen: &Arc<Mutex<Seen>>, headers: &HeaderMap| {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        seen.lock().unwrap().tokens.push(token.to_owned());
    };
    let (s1, s2, s3) = (seen.clone(), seen.clone(), seen.clone());
    let router = axum::Router::new()
        .route(
            "/window",
            post(
                move |headers: HeaderMap, Json(command): Json<WindowCommand>| async move {
                    tokio::time::sleep(delay).await;
                    record(&s1, &headers);
                    s1.lock().unwrap().commands.push(command);
                    let state = WindowState {
                        maximized: command.action == rpma_shell_protocol::WindowAction::Maximize,
                        ..Default::default()
                    };
                    Json(ShellResponse {
                        success: true,
                        data: state,
                    })
                },
            )
            .get(move |headers: HeaderMap| async move {
                tokio::time::sleep(delay).await;
                record(&s2, &headers);
                Json(ShellResponse {
                    success: true,
                    data: WindowState {
                        visible: true,
                        ..Default::default()
                    },
                })
            }),
        )
        .route(
            "/notify",
            post(
                move |headers: HeaderMap, Json(n): Json<Notification>| async move {
                    record(&s3, &headers);
                    s3.lock().unwrap().notifications.push(n.clone());
                    Json(ShellResponse {
                        success: true,
                        data: n,
                    })
                },
            ),
        )
        .route("/health", get(|| async { "ok" }));
    let listener = std::os::unix::net::UnixListener::bind(dir.join("shell.sock")).unwrap();
    listener.set_nonblocking(true).unwrap();
    tokio::spawn(async move {
        let listener = tokio::net::UnixListener::from_std(listener).unwrap();
        axum::serve(listener, router).await.unwrap();
    });
    seen
}

/// The app configured with the shell socket in `dir` and the token.
fn app_with_shell(
    pool: AnyPool,
    dir: &std::path::Path,
) -> (axum::Router, AppState, tempfile::TempDir) {
    let (mut config, data) = common::config();
    config.shell_socket = Some(dir.join("shell.sock"));
    config.shell_token = Some(Secret(TOKEN.into()));
    let state = AppState::new(pool, config).unwrap();
    (rpma_sidecar::app(state.clone()), state, data)
}

fn pair(kind: &str, id: &str) -> (String, String) {
    (kind.to_owned(), id.to_owned())
}

async fn signed_in(app: &axum::Router) -> common::Account {
    common::admin(app).await
}

#[tokio::test]
async fn window_actions_are_forwarded_with_the_token() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;

    let reply = common::call(
        &app,
        "POST",
        "/api/v1/window",
        Some(&admin.token),
        Some(json!({ "action": "maximize" })),
    )
    .await;
    assert_eq!(reply.assert_ok(StatusCode::OK)["maximized"], true);
    let state = common::call(&app, "GET", "/api/v1/window", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(state["visible"], true);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.commands,
        [WindowCommand {
            action: rpma_shell_protocol::WindowAction::Maximize,
            value: None
        }]
    );
    assert!(
        seen.tokens.iter().all(|t| t == &format!("Bearer {TOKEN}")),
        "{:?}",
        seen.tokens
    );
}

#[tokio::test]
async fn bad_window_commands_never_reach_the_shell() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    for body in [
        json!({ "action": "explode" }),
        json!({ "action": "set_always_on_top" }),
        json!({ "action": "hide", "value": true }),
    ] {
        let reply = common::call(
            &app,
            "POST",
            "/api/v1/window",
            Some(&admin.token),
            Some(body.clone()),
        )
        .await;
        reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    assert!(seen.lock().unwrap().commands.is_empty());
}

#[tokio::test]
async fn notify_is_forwarded_for_supervisors() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    let body = json!({ "title": "Low stock", "body": "PPF roll 60 cm: 2 m left" });
    common::call(
        &app,
        "POST",
        "/api/v1/desktop/notify",
        Some(&admin.token),
        Some(body),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        seen.lock().unwrap().notifications[0].body,
        "PPF roll 60 cm: 2 m left"
    );
}

#[tokio::test]
async fn without_a_shell_the_answer_is_503_and_says_why() {
    let (pool, _db) = common::database().await;
    // Configured, but nothing listens on the socket.
    let sock = tempfile::tempdir().unwrap();
    let (app, _state, _data) = app_with_shell(pool.clone(), sock.path());
    let admin = signed_in(&app).await;
    let error = common::call(
        &app,
        "POST",
        "/api/v1/window",
        Some(&admin.token),
        Some(json!({ "action": "maximize" })),
    )
    .await
    .assert_error(StatusCode::SERVICE_UNAVAILABLE, "SHELL_UNAVAILABLE");
    assert!(
        error["message"].as_str().unwrap().contains("not running"),
        "{error}"
    );

    // Not configured at all (the sidecar runs alone; its own data dir, so sign in again).
    let app = common::app(pool);
    let admin = common::login(&app, &admin.email, common::PASSWORD).await;
    let error = common::call(&app, "GET", "/api/v1/window", Some(&admin.token), None)
        .await
        .assert_error(StatusCode::SERVICE_UNAVAILABLE, "SHELL_UNAVAILABLE");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no desktop shell"),
        "{error}"
    );
}

#[tokio::test]
async fn a_slow_shell_is_503_after_one_second() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    fake_shell(sock.path(), Duration::from_secs(3));
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    let started = Instant::now();
    let error = common::call(&app, "GET", "/api/v1/window", Some(&admin.token), None)
        .await
        .assert_error(StatusCode::SERVICE_UNAVAILABLE, "SHELL_UNAVAILABLE");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(2500),
        "{took:?}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("1 s"),
        "{error}"
    );
}

#[tokio::test]
async fn workflow_notifications_never_fail_when_the_shell_is_gone() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let (_app, state, _data) = app_with_shell(pool, sock.path());
    let started = Instant::now();
    desktop::notify(
        &state,
        Audience::Workshop,
        "Intervention finalised",
        "nobody listens",
    );
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "sent in the background"
    );
    // Its try (a refused connection, at most the shell's deadline) is over before a shell listens.
    tokio::time::sleep(desktop::SHELL_DEADLINE + Duration::from_millis(200)).await;
    let seen = fake_shell(sock.path(), Duration::ZERO);
    desktop::notify(
        &state,
        Audience::Workshop,
        "Intervention finalised",
        "now someone does",
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().unwrap().notifications.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let notifications = &seen.lock().unwrap().notifications;
    assert_eq!(notifications.len(), 1, "{notifications:?}");
    assert_eq!(notifications[0].body, "now someone does");
}

#[tokio::test]
async fn assigning_a_task_notifies_the_desktop() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let task = common::TaskBuilder::new()
        .title("Front PPF")
        .plate("AB-1")
        .model("Clio")
        .on("2026-12-01")
        .at("09:00", "10:00")
        .create(&app, &admin.token)
        .await;
    assert!(
        seen.lock().unwrap().notifications.is_empty(),
        "no notification without a technician"
    );
    common::call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{}/assign", task["id"].as_str().unwrap()),
        Some(&admin.token),
        Some(json!({ "technician_id": tech.id })),
    )
    .await
    .assert_ok(StatusCode::OK);

    // Sent in the background after the answer: wait for it to arrive.
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().unwrap().notifications.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = seen.lock().unwrap();
    let number = task["task_number"].as_str().unwrap();
    assert_eq!(seen.notifications.len(), 1, "{:?}", seen.notifications);
    assert_eq!(
        seen.notifications[0].title,
        format!("Task {number} assigned")
    );
    assert_eq!(seen.notifications[0].body, "Front PPF — 2026-12-01 09:00");
}

#[tokio::test]
async fn a_finalised_intervention_notifies_the_desktop() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    let task = common::TaskBuilder::new()
        .plate("FN-42")
        .on("2026-12-01")
        .zones(&["hood"])
        .status("pending")
        .create(&app, &admin.token)
        .await;
    let detail = common::call(
        &app,
        "POST",
        "/api/v1/interventions",
        Some(&admin.token),
        Some(json!({ "task_id": task["id"] })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let id = detail["intervention"]["id"].as_str().unwrap();
    for step in detail["steps"].as_array().unwrap() {
        let uri = format!(
            "/api/v1/interventions/{id}/steps/{}/advance",
            step["id"].as_str().unwrap()
        );
        common::call(&app, "POST", &uri, Some(&admin.token), Some(json!({})))
            .await
            .assert_ok(StatusCode::OK);
    }
    assert!(
        seen.lock().unwrap().notifications.is_empty(),
        "nothing before the end"
    );
    let signature = r#"<svg xmlns="http://www.w3.org/2000/svg"><path d="M 1 1 L 20 20"/></svg>"#;
    common::call(
        &app,
        "POST",
        &format!("/api/v1/interventions/{id}/finalize"),
        Some(&admin.token),
        Some(json!({ "customer_signature": { "svg_data": signature, "signatory": "C. Martin" } })),
    )
    .await
    .assert_ok(StatusCode::OK);

    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().unwrap().notifications.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.notifications.len(), 1, "{:?}", seen.notifications);
    assert_eq!(
        seen.notifications[0].title,
        "Intervention on FN-42 finalised"
    );
    assert!(
        seen.notifications[0]
            .body
            .contains(task["task_number"].as_str().unwrap())
    );
}

#[tokio::test]
async fn a_critical_exception_brings_the_window_forward() {
    let (pool, _db) = common::database().await;
    let sock = tempfile::tempdir().unwrap();
    let seen = fake_shell(sock.path(), Duration::ZERO);
    let (app, _state, _data) = app_with_shell(pool, sock.path());
    let admin = signed_in(&app).await;
    common::call(&app, "POST", "/api/v1/ops/demo", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::CREATED);
    let raise = |stage: &str, severity: &str| {
        json!({
            "type": "Custody Mismatch",
            "runbookId": "dispatch",
            "stageId": stage,
            "severity": severity,
            "owner": "Security Officer",
            "description": "Driver ID mismatch against the gate pass.",
        })
    };
    // A High one stays on the plant's boards: nothing reaches the desktop.
    common::call(
        &app,
        "POST",
        "/api/v1/ops/exceptions",
        Some(&admin.token),
        Some(raise("dsp-02", "High")),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let critical = common::call(
        &app,
        "POST",
        "/api/v1/ops/exceptions",
        Some(&admin.token),
        Some(raise("dsp-02", "Critical")),
    )
    .await
    .assert_ok(StatusCode::CREATED);

    // Sent in the background after the answer: wait for the window command.
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().unwrap().commands.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = seen.lock().unwrap();
    let id = critical["id"].as_str().unwrap();
    assert_eq!(seen.notifications.len(), 1, "{:?}", seen.notifications);
    assert_eq!(
        seen.notifications[0].title,
        format!("Critical exception {id}")
    );
    assert!(
        seen.notifications[0]
            .body
            .starts_with("Custody Mismatch at "),
        "{:?}",
        seen.notifications[0]
    );
    assert_eq!(
        seen.commands.iter().map(|c| c.action).collect::<Vec<_>>(),
        [rpma_shell_protocol::WindowAction::Focus]
    );
    assert!(
        seen.tokens.iter().all(|t| t == &format!("Bearer {TOKEN}")),
        "{:?}",
        seen.tokens
    );
}

#[tokio::test]
async fn without_a_shell_an_assignment_reaches_the_technicians_desktop_on_the_stream() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let mut alice_stream = Stream::of(&app, &alice).await;
    let mut bob_stream = Stream::of(&app, &bob).await;
    let mut admin_stream = Stream::of(&app, &admin).await;
    let t = &admin.token;

    let task = common::id(
        &common::TaskBuilder::new()
            .plate("TEAM-1")
            .on("2026-12-01")
            .create(&app, t)
            .await,
    );
    let assigned = common::call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{task}/assign"),
        Some(t),
        Some(json!({ "technician_id": alice.id })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let number = assigned["task_number"].as_str().unwrap();
    let client = common::ClientBuilder::new("Fleet Co").create(&app, t).await;
    let client = client["id"].as_str().unwrap();

    assert_eq!(
        alice_stream.kinds(2).await,
        [pair("task.assigned", &task), pair("task.updated", &task)]
    );
    let (kind, _, request) = alice_stream.event().await;
    assert_eq!(kind, "desktop.request");
    assert_eq!(
        request["data"]["notification"]["title"],
        format!("Task {number} assigned")
    );
    assert_eq!(request["data"]["bring_forward"], false);
    assert_eq!(
        alice_stream.kinds(1).await,
        [pair("client.created", client)]
    );
    // The request is alice's alone: not bob's, and not the admin's, who sees the task itself.
    assert_eq!(bob_stream.kinds(1).await, [pair("client.created", client)]);
    assert_eq!(
        admin_stream.kinds(4).await,
        [
            pair("task.created", &task),
            pair("task.assigned", &task),
            pair("task.updated", &task),
            pair("client.created", client),
        ]
    );
}
