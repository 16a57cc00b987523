//! The state machine: every move, the moves offered to each caller, and the history.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{new_task, transition};
use crate::common::{self, Workshop, call};

/// The state machine of domain-facts.md, written out independently of the code.
const MACHINE: &[(&str, &[&str])] = &[
    ("draft", &["pending", "scheduled", "cancelled"]),
    (
        "pending",
        &[
            "in_progress",
            "scheduled",
            "on_hold",
            "cancelled",
            "assigned",
        ],
    ),
    (
        "scheduled",
        &["in_progress", "on_hold", "cancelled", "assigned"],
    ),
    ("assigned", &["in_progress", "on_hold", "cancelled"]),
    (
        "in_progress",
        &["completed", "on_hold", "paused", "cancelled"],
    ),
    ("paused", &["in_progress", "cancelled"]),
    (
        "on_hold",
        &["pending", "scheduled", "in_progress", "cancelled"],
    ),
    ("completed", &["archived"]),
    ("failed", &["cancelled"]),
    ("invalid", &["cancelled"]),
    ("overdue", &["in_progress", "cancelled"]),
    ("cancelled", &[]),
    ("archived", &[]),
];

#[tokio::test]
async fn every_transition_follows_the_state_machine() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let all: Vec<&str> = MACHINE.iter().map(|(from, _)| *from).collect();
    let mut day = 0;
    for (from, allowed) in MACHINE {
        for to in &all {
            day += 1;
            // A fresh task put straight into `from` (setup only; the API is what is tested).
            let date = format!("2027-{:02}-{:02}", 1 + day / 28 % 12, 1 + day % 28);
            let hour = day % 24;
            let task = new_task("MC-1", &date)
                .technician(&tech.id)
                .at(&format!("{hour:02}:00"), &format!("{hour:02}:30"))
                .create(&app, &admin.token)
                .await;
            let id = task["id"].as_str().unwrap();
            sqlx::query("UPDATE tasks SET status = $1 WHERE id = $2")
                .bind(from)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();

            let reply = transition(&app, &admin.token, id, to).await;
            if allowed.contains(to) {
                let moved = reply.assert_ok(StatusCode::OK);
                assert_eq!(moved["status"], *to, "{from} → {to}");
                let (old, new, reason): (String, String, String) = sqlx::query_as(
                    "SELECT old_status, new_status, reason FROM task_history WHERE task_id = $1 AND event = 'status_changed'",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
                assert_eq!(
                    (old.as_str(), new.as_str(), reason),
                    (*from, *to, format!("to {to}"))
                );
            } else {
                let error = reply.assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
                assert_eq!(error["details"]["from"], *from);
                assert_eq!(error["details"]["to"], *to);
                let named: BTreeSet<&str> = error["details"]["allowed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(named, allowed.iter().copied().collect(), "{from}");
                let status: String = sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(status, *from, "unchanged after a refused move");
            }
        }
    }
}

#[tokio::test]
async fn transitions_offer_exactly_the_moves_the_caller_may_make() {
    let (pool, _db) = crate::common::database().await;
    let Workshop {
        app,
        admin,
        technician: tech,
        viewer,
        ..
    } = Workshop::new(pool.clone()).await;
    let other = common::user(&app, &admin, "other", "technician").await;
    let allowed_of = |data: &Value| -> Vec<String> {
        data["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    for (day, (from, allowed)) in MACHINE.iter().enumerate() {
        let task = new_task("TR-1", &format!("2027-02-{:02}", day + 1))
            .technician(&tech.id)
            .create(&app, &admin.token)
            .await;
        let id = task["id"].as_str().unwrap();
        sqlx::query("UPDATE tasks SET status = $1 WHERE id = $2")
            .bind(from)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        let path = format!("/api/v1/tasks/{id}/transitions");
        for token in [&admin.token, &tech.token] {
            let data = call(&app, "GET", &path, Some(token), None)
                .await
                .assert_ok(StatusCode::OK);
            assert_eq!(data["from"], *from);
            let offered: BTreeSet<String> = allowed_of(&data).into_iter().collect();
            let expected: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
            assert_eq!(offered, expected, "{from}");
        }
        let seen = call(&app, "GET", &path, Some(&viewer.token), None)
            .await
            .assert_ok(StatusCode::OK);
        assert!(allowed_of(&seen).is_empty(), "a viewer may not move {from}");
        call(&app, "GET", &path, Some(&other.token), None)
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }

    // Without a technician, `assigned` is not offered (the move would be refused).
    let task = new_task("TR-2", "2027-03-01")
        .create(&app, &admin.token)
        .await;
    let id = task["id"].as_str().unwrap();
    let path = format!("/api/v1/tasks/{id}/transitions");
    transition(&app, &admin.token, id, "pending")
        .await
        .assert_ok(StatusCode::OK);
    let data = call(&app, "GET", &path, Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["from"], "pending");
    assert_eq!(
        allowed_of(&data),
        ["in_progress", "scheduled", "on_hold", "cancelled"]
    );
}

#[tokio::test]
async fn history_records_the_life_of_a_task() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let task = new_task("HI-1", "2026-12-01")
        .create(&app, &admin.token)
        .await;
    let id = task["id"].as_str().unwrap();
    transition(&app, &admin.token, id, "pending")
        .await
        .assert_ok(StatusCode::OK);
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{id}/assign"),
        Some(&admin.token),
        Some(json!({ "technician_id": tech.id })),
    )
    .await
    .assert_ok(StatusCode::OK);
    transition(&app, &tech.token, id, "in_progress")
        .await
        .assert_ok(StatusCode::OK);
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{id}/delay"),
        Some(&admin.token),
        Some(json!({ "scheduled_date": "2026-12-04", "reason": "film backorder" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let done = transition(&app, &tech.token, id, "completed")
        .await
        .assert_ok(StatusCode::OK);
    assert!(
        done["started_at"].is_string() && done["completed_at"].is_string(),
        "{done}"
    );

    let history = call(
        &app,
        "GET",
        &format!("/api/v1/tasks/{id}/history"),
        Some(&tech.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let entries: Vec<(String, Value, Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_owned(),
                e["new_status"].clone(),
                e["new_value"].clone(),
                e["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            ("created".into(), json!("draft"), Value::Null, Value::Null),
            (
                "status_changed".into(),
                json!("pending"),
                Value::Null,
                json!("to pending")
            ),
            ("assigned".into(), Value::Null, json!(tech.id), Value::Null),
            (
                "status_changed".into(),
                json!("in_progress"),
                Value::Null,
                json!("to in_progress")
            ),
            (
                "delayed".into(),
                Value::Null,
                json!("2026-12-04"),
                json!("film backorder")
            ),
            (
                "status_changed".into(),
                json!("completed"),
                Value::Null,
                json!("to completed")
            ),
        ]
    );
    assert_eq!(history[3]["changed_by"], tech.id.as_str());
    assert_eq!(history[3]["changed_by_name"], "Test User");
}
