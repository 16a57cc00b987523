//! Quotes through the API and their totals: worked examples of the totals rules, every edge of
//! the state machine, drafts the only editable quotes, expiry past `valid_until`, the PDF, and
//! conversion of an accepted quote into its task.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod flows;
mod totals;

use axum::Router;
use axum::http::StatusCode;
use common::{ClientBuilder, Reply, Workshop, call};
use serde_json::{Value, json};

/// A client of the workshop; its id.
async fn client(w: &Workshop) -> String {
    let client = ClientBuilder::new("Claire Martin")
        .create(&w.app, &w.admin.token)
        .await;
    common::id(&client)
}

/// `POST /quotes` by the supervisor with `body` merged over a quote for `client` with two lines.
async fn create_with(w: &Workshop, client: &str, body: Value) -> Reply {
    let mut quote = json!({
        "client_id": client,
        "description": "Full front PPF",
        "vehicle_plate": "ab-123-cd",
        "vehicle_make": "Peugeot",
        "vehicle_model": "308",
        "ppf_zones": ["hood", "bumper"],
        "items": [
            { "kind": "labor", "label": "Fitting", "qty": 3, "unit_price": 6000 },
            { "kind": "material", "label": "Film", "qty": 2.5, "unit_price": 4000, "tax_rate": 20 },
        ],
    });
    for (key, value) in body.as_object().unwrap() {
        quote[key] = value.clone();
    }
    call(
        &w.app,
        "POST",
        "/api/v1/quotes",
        Some(&w.supervisor.token),
        Some(quote),
    )
    .await
}

/// A quote that must be created; the detail.
async fn quote(w: &Workshop, client: &str) -> Value {
    create_with(w, client, json!({}))
        .await
        .assert_ok(StatusCode::CREATED)
}

/// `POST /quotes/{id}/status` by `token`.
async fn move_to(app: &Router, token: &str, quote: &Value, to: &str) -> Reply {
    let uri = format!("/api/v1/quotes/{}/status", quote["id"].as_str().unwrap());
    call(app, "POST", &uri, Some(token), Some(json!({ "to": to }))).await
}
