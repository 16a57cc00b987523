//! The demo plant for a first run: four runbooks with their stages and gates, two lines, days
//! of 15-minute telemetry, about 300 inventory items, 240 pack records (a few with passport
//! gaps) and four open exceptions raised through [`exceptions::raise_in`], all in one
//! transaction. `rpma-seed --ops-demo` and `POST /api/v1/ops/demo` load it on an empty plant.
//! What it is made of is in [`data`]; [`structure`] and [`floor`] write it.

mod data;
mod floor;
mod structure;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{AdminOnly, Authorized};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::live::EventKind;
use crate::ops::exceptions::{self, RaiseException};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{LogCategory, LogSeverity};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;

use data::{EXCEPTIONS, RUNBOOKS, STAGES};
use floor::{inventory, packs, telemetry};
use structure::structure;

/// What was loaded.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemoPlant {
    /// Runbooks.
    pub runbooks: usize,
    /// Stages.
    pub stages: usize,
    /// Lines.
    pub lines: usize,
    /// Telemetry intervals.
    pub telemetry: usize,
    /// Inventory items.
    pub inventory: usize,
    /// Pack records.
    pub packs: usize,
    /// Open exceptions.
    pub exceptions: usize,
}

/// A small deterministic generator, so the demo plant is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next()
    }
}

fn date(ms: i64) -> String {
    to_datetime(ms).format("%Y-%m-%d").to_string()
}

/// Whether the plant has any runbook.
pub async fn has_plant(conn: &mut AnyConnection) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ops_runbooks")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}
/// Load the demo plant in the caller's transaction; `CONFLICT` when the plant has runbooks.
pub async fn load(conn: &mut AnyConnection, telemetry_days: i64, by: &str) -> Result<DemoPlant> {
    if has_plant(conn).await? {
        return Err(Error::Conflict {
            message: "the plant already has data: the demo loads only on an empty plant".into(),
            details: None,
        });
    }
    let now = now_ms();
    let mut rng = Rng(2026);
    structure(conn, now).await?;
    let telemetry = telemetry(conn, now, telemetry_days.clamp(1, 400), &mut rng).await?;
    let inventory = inventory(conn, now, &mut rng).await?;
    let packs = packs(conn, now, &mut rng).await?;
    log::append(
        conn,
        Entry {
            category: LogCategory::System,
            severity: LogSeverity::Info,
            event: "Demo plant loaded",
            entity: "plant",
            actor: by,
        },
    )
    .await?;
    log::append(
        conn,
        Entry {
            category: LogCategory::Compliance,
            severity: LogSeverity::Success,
            event: &format!("Passport data synced for {packs} packs"),
            entity: "registry",
            actor: by,
        },
    )
    .await?;
    for (r#type, runbook, stage, severity, owner, description, impact, escalation) in EXCEPTIONS {
        let body = RaiseException {
            r#type: r#type.into(),
            runbook_id: runbook.into(),
            stage_id: stage.into(),
            severity,
            owner: owner.into(),
            description: description.into(),
            impact: Some(impact.into()),
            escalation: Some(escalation.into()),
        };
        exceptions::raise_in(conn, &body, by).await?;
    }
    Ok(DemoPlant {
        runbooks: RUNBOOKS.len(),
        stages: STAGES.len(),
        lines: 2,
        telemetry,
        inventory,
        packs,
        exceptions: EXCEPTIONS.len(),
    })
}

/// Load the demo plant (admins, on an empty plant): a week of telemetry.
#[utoipa::path(
    post,
    path = "/demo",
    responses(
        (status = 201, description = "What was loaded", body = ApiResponse<DemoPlant>),
        (status = 409, description = "`CONFLICT`: the plant already has data", body = ErrorEnvelope),
    )
)]
pub async fn load_demo(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
) -> Result<(StatusCode, ApiResponse<DemoPlant>)> {
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let loaded = load(&mut tx, 7, &by).await?;
    tx.commit().await?;
    publish(&state, EventKind::OpsDemoLoaded, caller.user.id(), &loaded);
    Ok((StatusCode::CREATED, ApiResponse::ok(loaded)))
}
