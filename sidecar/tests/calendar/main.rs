//! Calendar: events CRUD and soft delete, range queries, visibility, booking conflicts, the
//! conflict dry run, scheduling a task and the booking that follows it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod conflicts;
mod dry_run;
mod events;
mod following;
mod range;
mod schedule;

use axum::Router;
use axum::http::StatusCode;
use common::{EventBuilder, TaskBuilder, call, id};
use serde_json::Value;
use sqlx::AnyPool;

const EVENTS: &str = "/api/v1/calendar/events";

/// `2026-12-01` at `HH:MM` UTC, RFC 3339.
fn at(time: &str) -> String {
    format!("2026-12-01T{time}:00Z")
}

/// A task on 2026-12-01 (a whole day, nobody assigned, until told otherwise).
fn new_task(plate: &str) -> TaskBuilder {
    TaskBuilder::new().plate(plate)
}

/// An event from `start` to `end`.
fn new_event(title: &str, start: &str, end: &str) -> EventBuilder {
    EventBuilder::new(title, start, end)
}

/// `GET /api/v1/tasks/{task}`, which must succeed.
async fn get_task(app: &Router, token: &str, task: &str) -> Value {
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

/// `GET /api/v1/calendar/events?query`, which must succeed; returns the page.
async fn list(app: &Router, token: &str, query: &str) -> Value {
    call(app, "GET", &format!("{EVENTS}?{query}"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK)
}

/// The titles of a page's events, in order.
fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect()
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

/// The single number a `SELECT count(*)` returns.
async fn count(pool: &AnyPool, sql: &'static str) -> i64 {
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

/// A fresh id that names nothing.
fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
