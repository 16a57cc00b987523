//! Materials through the API: the catalogue, categories and suppliers, the stock ledger (its
//! property: stock = Σ ledger, never negative), consumption from an intervention's step with
//! its cost, events and report, and parallel consumption that never overdraws.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod catalogue;
mod consumption;
mod ledger;

use axum::Router;
use axum::http::StatusCode;
use common::{Reply, TaskBuilder, Workshop, call};
use serde_json::{Value, json};

/// `POST /materials` with `body` merged over a valid piece of film; the reply.
async fn create_with(app: &Router, token: &str, body: Value) -> Reply {
    let mut material = json!({
        "sku": "PPF-STD-152",
        "name": "Standard film 152 cm",
        "material_type": "ppf_film",
        "unit_of_measure": "meter",
        "unit_cost": 1250,
        "reorder_point": 5,
        "category_id": "cat_ppf_films",
    });
    for (key, value) in body.as_object().unwrap() {
        material[key] = value.clone();
    }
    call(
        app,
        "POST",
        "/api/v1/materials",
        Some(token),
        Some(material),
    )
    .await
}

/// A material that must be created; returns it.
async fn material(app: &Router, token: &str, body: Value) -> Value {
    create_with(app, token, body)
        .await
        .assert_ok(StatusCode::CREATED)
}

/// `POST /materials/{id}/stock`.
async fn move_stock(app: &Router, token: &str, id: &str, body: Value) -> Reply {
    let uri = format!("/api/v1/materials/{id}/stock");
    call(app, "POST", &uri, Some(token), Some(body)).await
}

/// A material's whole ledger, newest first.
async fn ledger_of(app: &Router, token: &str, id: &str) -> Vec<Value> {
    let uri = format!("/api/v1/materials/{id}/transactions?limit=500");
    let page = call(app, "GET", &uri, Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    page["items"].as_array().unwrap().clone()
}

/// An in-progress PPF intervention on a task of the workshop's technician; the detail.
async fn intervention(w: &Workshop) -> Value {
    let task = TaskBuilder::new()
        .plate("MA-001-TS")
        .on("2026-12-10")
        .zones(&["hood"])
        .technician(&w.technician.id)
        .status("assigned")
        .create(&w.app, &w.admin.token)
        .await;
    let body = json!({ "task_id": common::id(&task), "intervention_type": "ppf" });
    call(
        &w.app,
        "POST",
        "/api/v1/interventions",
        Some(&w.technician.token),
        Some(body),
    )
    .await
    .assert_ok(StatusCode::CREATED)
}

/// `POST /interventions/{id}/consumption` by `token`.
async fn consume(app: &Router, token: &str, detail: &Value, body: Value) -> Reply {
    let id = detail["intervention"]["id"].as_str().unwrap();
    let uri = format!("/api/v1/interventions/{id}/consumption");
    call(app, "POST", &uri, Some(token), Some(body)).await
}
