//! Plant operations through the API, on the demo plant: every contract endpoint's field names
//! and enum values against the contract's lists, every write and its log row, the log chain
//! finding a row edited in SQLite, and who may read and write.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod chain;
mod contract;
mod views;
mod writes;

use axum::http::StatusCode;
use common::{Account, Reply, Workshop, call, user};
use serde_json::Value;
use sqlx::AnyPool;

/// The workshop's accounts, the three plant roles, and the demo plant loaded by the admin.
pub struct Plant {
    pub w: Workshop,
    pub operator: Account,
    pub head: Account,
    pub auditor: Account,
}

impl Plant {
    /// A fresh plant: demo data loaded.
    pub async fn new(pool: AnyPool) -> Self {
        let p = Self::empty(pool).await;
        p.post(&p.w.admin, "/demo", None)
            .await
            .assert_ok(StatusCode::CREATED);
        p
    }

    /// The accounts, with no plant data.
    pub async fn empty(pool: AnyPool) -> Self {
        let w = Workshop::new(pool).await;
        let operator = user(&w.app, &w.admin, "operator1", "operator").await;
        let head = user(&w.app, &w.admin, "head", "plant_head").await;
        let auditor = user(&w.app, &w.admin, "audit", "auditor").await;
        Self {
            w,
            operator,
            head,
            auditor,
        }
    }

    /// `GET /api/v1/ops{path}` as `who`.
    pub async fn get_as(&self, who: &Account, path: &str) -> Reply {
        call(
            &self.w.app,
            "GET",
            &format!("/api/v1/ops{path}"),
            Some(&who.token),
            None,
        )
        .await
    }

    /// `GET /api/v1/ops{path}` as the operator, which must answer 200; its `data`.
    pub async fn read(&self, path: &str) -> Value {
        self.get_as(&self.operator, path)
            .await
            .assert_ok(StatusCode::OK)
    }

    /// `POST /api/v1/ops{path}` as `who`.
    pub async fn post(&self, who: &Account, path: &str, body: Option<Value>) -> Reply {
        call(
            &self.w.app,
            "POST",
            &format!("/api/v1/ops{path}"),
            Some(&who.token),
            body,
        )
        .await
    }

    /// `PUT /api/v1/ops{path}` as `who`.
    pub async fn put(&self, who: &Account, path: &str, body: Value) -> Reply {
        call(
            &self.w.app,
            "PUT",
            &format!("/api/v1/ops{path}"),
            Some(&who.token),
            Some(body),
        )
        .await
    }

    /// The newest log row.
    pub async fn last_log(&self) -> Value {
        self.read("/logs?limit=1").await["items"][0].clone()
    }

    /// The number of log rows.
    pub async fn log_count(&self) -> i64 {
        self.read("/logs?limit=1").await["total"].as_i64().unwrap()
    }

    /// A runbook's detail.
    pub async fn runbook(&self, id: &str) -> Value {
        self.read(&format!("/runbooks/{id}")).await
    }

    /// The pool under the app (to edit rows as an attacker would).
    pub fn pool(&self) -> &AnyPool {
        &self.w.app.state.writer
    }
}

/// A stage of a runbook's detail, by id.
pub fn stage<'a>(runbook: &'a Value, id: &str) -> &'a Value {
    runbook["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no stage {id} in {runbook}"))
}
