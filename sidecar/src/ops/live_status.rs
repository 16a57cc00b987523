//! Live status: `GET /ops/live-status/summary` (health %, active lines, open exceptions,
//! blocked stations), `/operations` (each runbook running, blocked or idle) and `/lines` (each
//! line's mode and its stations' states).

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::error::Result;
use crate::ops::exceptions;
use crate::ops::flow;
use crate::ops::kpi::percent;
use crate::ops::lines::{self, LineData};
use crate::ops::model::{LineMode, MetricStatus, RunbookStatus, StationState, SystemMetric};
use crate::response::ApiResponse;
use crate::state::AppState;

/// The plant's health tiles (plant roles). Health is the share of runbooks, lines and stations
/// that are not blocked.
#[utoipa::path(
    get,
    path = "/live-status/summary",
    responses((status = 200, description = "The tiles", body = ApiResponse<Vec<SystemMetric>>))
)]
pub async fn live_summary(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<SystemMetric>>> {
    let mut conn = state.db.acquire().await?;
    let runbooks = flow::load(&mut conn).await?;
    let lines = lines::load(&mut conn, None).await?;
    let open = exceptions::list_in(&mut conn, None, true).await?;
    let stations: Vec<_> = lines.iter().flat_map(|l| &l.stations).collect();
    let units = runbooks.len() + lines.len() + stations.len();
    let blocked = runbooks
        .iter()
        .filter(|r| r.status() == RunbookStatus::Blocked)
        .count()
        + lines.iter().filter(|l| l.mode == LineMode::Blocked).count()
        + stations
            .iter()
            .filter(|s| s.state == StationState::Blocked)
            .count();
    let health = percent((units - blocked) as f64, units as f64);
    let active = lines
        .iter()
        .filter(|l| matches!(l.mode, LineMode::Running | LineMode::Blocked))
        .count();
    let blocked_stations = stations
        .iter()
        .filter(|s| s.state == StationState::Blocked)
        .count();
    Ok(ApiResponse::ok(vec![
        SystemMetric::new(
            "System Health",
            health.map_or_else(|| "—".to_owned(), |h| format!("{h:.0}%")),
            match health {
                None => MetricStatus::Info,
                Some(h) if h >= 90.0 => MetricStatus::Ok,
                Some(h) if h >= 70.0 => MetricStatus::Warning,
                Some(_) => MetricStatus::Critical,
            },
        ),
        SystemMetric::new(
            "Active Lines",
            format!("{active} / {}", lines.len()),
            MetricStatus::Info,
        ),
        SystemMetric::new(
            "Open Exceptions",
            open.len().to_string(),
            if open.is_empty() {
                MetricStatus::Ok
            } else {
                MetricStatus::Warning
            },
        ),
        SystemMetric::new(
            "Blocked Stations",
            blocked_stations.to_string(),
            if blocked_stations == 0 {
                MetricStatus::Ok
            } else {
                MetricStatus::Critical
            },
        ),
    ]))
}

/// A runbook as live status shows it (`RunbookSnapshot`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunbookSnapshot {
    /// The runbook.
    pub id: String,
    /// Its title.
    pub name: String,
    /// Its current stage (`S5 Module Assembly`).
    pub stage: Option<String>,
    /// `Running`, `Blocked`, `Idle` or `Maintenance`.
    pub status: LineMode,
    /// Why it is blocked or impaired.
    pub reason: Option<String>,
    /// Its last change.
    pub last_update: DateTime<Utc>,
}

/// Running against blocked operations.
#[derive(Debug, Serialize, ToSchema)]
pub struct Operations {
    /// Runbooks running (degraded included).
    pub running: usize,
    /// Runbooks blocked.
    pub blocked: usize,
    /// Runbooks idle or done.
    pub idle: usize,
    /// Each runbook.
    pub operations: Vec<RunbookSnapshot>,
}

/// Each runbook's live state (plant roles).
#[utoipa::path(
    get,
    path = "/live-status/operations",
    responses((status = 200, description = "The operations", body = ApiResponse<Operations>))
)]
pub async fn live_operations(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Operations>> {
    let mut conn = state.db.acquire().await?;
    let snapshots: Vec<RunbookSnapshot> = flow::load(&mut conn)
        .await?
        .iter()
        .map(|r| {
            let status = r.status();
            RunbookSnapshot {
                id: r.id.clone(),
                name: r.title.clone(),
                stage: r.current_stage(),
                status: match status {
                    RunbookStatus::Blocked => LineMode::Blocked,
                    RunbookStatus::Running => LineMode::Running,
                    RunbookStatus::Degraded => LineMode::Maintenance,
                    RunbookStatus::Idle | RunbookStatus::Healthy => LineMode::Idle,
                },
                reason: match status {
                    RunbookStatus::Degraded => Some("A line serving it is impaired".to_owned()),
                    _ => r.block_reason(),
                },
                last_update: r.last_update,
            }
        })
        .collect();
    let by = |m: LineMode| snapshots.iter().filter(|s| s.status == m).count();
    Ok(ApiResponse::ok(Operations {
        running: by(LineMode::Running) + by(LineMode::Maintenance),
        blocked: by(LineMode::Blocked),
        idle: by(LineMode::Idle),
        operations: snapshots,
    }))
}

/// A station's state on live status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationSnapshot {
    /// The station.
    pub id: String,
    /// Its state.
    pub status: StationState,
}

/// A line on live status (`LineSnapshot`).
#[derive(Debug, Serialize, ToSchema)]
pub struct LineSnapshot {
    /// The line.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its mode.
    pub mode: LineMode,
    /// Its stations.
    pub stations: Vec<StationSnapshot>,
}

impl From<LineData> for LineSnapshot {
    fn from(l: LineData) -> Self {
        Self {
            id: l.id,
            name: l.name,
            mode: l.mode,
            stations: l
                .stations
                .into_iter()
                .map(|s| StationSnapshot {
                    id: s.id,
                    status: s.state,
                })
                .collect(),
        }
    }
}

/// Each line's live state (plant roles).
#[utoipa::path(
    get,
    path = "/live-status/lines",
    responses((status = 200, description = "The lines", body = ApiResponse<Vec<LineSnapshot>>))
)]
pub async fn live_lines(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<LineSnapshot>>> {
    let mut conn = state.db.acquire().await?;
    let lines = lines::load(&mut conn, None).await?;
    Ok(ApiResponse::ok(
        lines.into_iter().map(LineSnapshot::from).collect(),
    ))
}
