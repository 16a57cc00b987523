//! Interventions through the API: whole PPF and ceramic jobs from start to finalise, every
//! refused move, parallel advances, technicians kept to their own work, and the events.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod flows;
mod photos;
mod refusals;
mod report;
mod scope;

use axum::Router;
use axum::http::StatusCode;
use common::{Reply, TaskBuilder, Workshop, call};
use serde_json::{Value, json};

/// A signature drawn on the pad.
const SIGNATURE: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><path d="M10 80 C 40 10, 65 10, 95 80 S 150 150, 180 80" stroke="black" fill="none"/></svg>"#;

/// A task for the workshop's technician, on `zones`; returns its id.
async fn task_for_technician(w: &Workshop, zones: &[&str]) -> String {
    let task = TaskBuilder::new()
        .plate("AB-123-CD")
        .on("2026-12-10")
        .zones(zones)
        .technician(&w.technician.id)
        .status("assigned")
        .create(&w.app, &w.admin.token)
        .await;
    common::id(&task)
}

/// `POST /interventions` with `body` (the task id merged in).
async fn start_with(app: &Router, token: &str, task: &str, body: Value) -> Reply {
    let mut body = body;
    body["task_id"] = json!(task);
    call(
        app,
        "POST",
        "/api/v1/interventions",
        Some(token),
        Some(body),
    )
    .await
}

/// Start a PPF intervention that must succeed; returns the detail.
async fn start(app: &Router, token: &str, task: &str) -> Value {
    start_with(app, token, task, json!({ "intervention_type": "ppf", "temperature_celsius": 21.0, "humidity_percentage": 50.0 }))
        .await
        .assert_ok(StatusCode::CREATED)
}

/// The id of step `n` (1-based) of a detail.
fn step(detail: &Value, n: usize) -> String {
    detail["steps"][n - 1]["id"]
        .as_str()
        .expect("step id")
        .to_owned()
}

fn path(detail: &Value, tail: &str) -> String {
    let id = detail["intervention"]["id"]
        .as_str()
        .expect("intervention id");
    format!("/api/v1/interventions/{id}{tail}")
}

/// `POST …/steps/{step}/advance` with `body`.
async fn advance(app: &Router, token: &str, detail: &Value, n: usize, body: Value) -> Reply {
    let uri = path(detail, &format!("/steps/{}/advance", step(detail, n)));
    call(app, "POST", &uri, Some(token), Some(body)).await
}

/// The finalise body with the pad's signature.
fn finalize_body() -> Value {
    json!({
        "customer_satisfaction": 9,
        "quality_score": 95,
        "final_observations": ["Edges sealed", "Customer happy"],
        "customer_signature": { "svg_data": SIGNATURE, "signatory": "Claire Martin", "customer_comments": "Parfait" }
    })
}

/// The task as its owner sees it.
async fn task(app: &Router, token: &str, id: &str) -> Value {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks/{id}"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK)
}
