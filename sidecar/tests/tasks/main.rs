//! Tasks: CRUD, filters and pages, numbers under concurrency, the state machine and its
//! history, delays, notes, assignment and availability, technician limits, stats, CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod assign;
mod crud;
mod csv;
mod delay;
mod list;
mod notes;
mod stats;
mod technician;
mod workflow;

use axum::Router;
use axum::http::StatusCode;
use common::{ClientBuilder, Reply, TaskBuilder, call};
use serde_json::Value;

/// The task these tests start from: a Model 3 with two film zones, on `date`.
fn new_task(plate: &str, date: &str) -> TaskBuilder {
    TaskBuilder::new()
        .plate(plate)
        .on(date)
        .zones(&["hood", "left_fender"])
}

/// A client named `name`, with a phone and an email made of the name's letters; returns its id.
async fn client(app: &Router, token: &str, name: &str) -> String {
    let letters: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let client = ClientBuilder::new(name)
        .email(&format!("{letters}@example.com"))
        .phone("+33 6 00 00 00 00")
        .create(app, token)
        .await;
    common::id(&client)
}

/// `GET /api/v1/tasks?query`, which must succeed; returns the page.
async fn list(app: &Router, token: &str, query: &str) -> Value {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks?{query}"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK)
}

/// Move task `id` to `to` with the reason `to <to>`, which the history tests read back.
async fn transition(app: &Router, token: &str, id: &str, to: &str) -> Reply {
    common::transition(app, token, id, to, Some(&format!("to {to}"))).await
}
