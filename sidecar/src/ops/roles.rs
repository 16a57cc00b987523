//! The five role dashboards: `GET /ops/dashboard/{role}/summary` (cards, the supervisor's
//! approvals, the auditor's strip, the plant head's bottleneck). What needs someone of that role
//! now is [`crate::ops::attention`].

use axum::extract::State;
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::clock::{days, now_ms};
use crate::error::Result;
use crate::extract::Path;
use crate::ops::compliance;
use crate::ops::dashboard::stage_wip;
use crate::ops::exceptions;
use crate::ops::flow::{self, Runbook};
use crate::ops::kpi::{self, age, percent};
use crate::ops::model::{
    ChartPoint, DashboardRole, GateStatus, MetricStatus, RunbookStatus, Severity, StageStatus,
    StationState, SystemMetric,
};
use crate::ops::{lines, telemetry};
use crate::response::ApiResponse;
use crate::state::AppState;

/// A decision waiting on a supervisor.
#[derive(Debug, Serialize, ToSchema)]
pub struct Approval {
    /// The runbook (`Manufacturing Execution`).
    pub context: String,
    /// The stage (`Module Assembly (S5)`).
    pub stage: String,
    /// What is to be decided (`Validation: Seal Integrity Check`).
    pub reason: String,
    /// Waiting since.
    pub age: String,
    /// Who decides.
    pub owner: String,
}

/// A role's dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSummary {
    /// The dashboard.
    pub role: DashboardRole,
    /// Its heading.
    pub title: String,
    /// Its KPI cards.
    pub cards: Vec<SystemMetric>,
    /// Pending gate decisions (the supervisor's; empty for others).
    pub approvals: Vec<Approval>,
    /// Trace Coverage, Custody Visibility, Compliance Flags, Last Evidence Sync (the
    /// auditor's; empty for others).
    pub strip: Vec<SystemMetric>,
    /// WIP by stage with the bottleneck (the plant head's; empty for others).
    pub bottleneck: Vec<ChartPoint>,
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}%"))
}

fn level(value: Option<f64>, good: f64, fair: f64) -> MetricStatus {
    match value {
        None => MetricStatus::Info,
        Some(v) if v >= good => MetricStatus::Ok,
        Some(v) if v >= fair => MetricStatus::Warning,
        Some(_) => MetricStatus::Critical,
    }
}

fn count(label: &str, n: usize, bad: MetricStatus) -> SystemMetric {
    SystemMetric::new(
        label,
        n.to_string(),
        if n == 0 { MetricStatus::Ok } else { bad },
    )
}

fn approvals(runbooks: &[Runbook], now: i64) -> Vec<Approval> {
    runbooks
        .iter()
        .flat_map(|r| r.stages.iter().map(move |s| (r, s)))
        .filter(|(_, s)| s.status == StageStatus::InProgress)
        .filter_map(|(r, s)| {
            let g = s.gate.as_ref().filter(|g| g.status == GateStatus::Closed)?;
            Some(Approval {
                context: r.title.clone(),
                stage: s.label(),
                reason: format!("{}: {}", g.r#type, g.condition),
                age: age(s.since, now),
                owner: g.owner.clone(),
            })
        })
        .collect()
}

/// The current 8-hour shift (A 06–14, B 14–22, C 22–06 UTC) and its start.
fn shift(now: i64) -> (&'static str, i64) {
    let hour = (now / 3_600_000) % 24;
    let day = now - now % days(1);
    match hour {
        6..=13 => ("A (06:00–14:00)", day + 6 * 3_600_000),
        14..=21 => ("B (14:00–22:00)", day + 14 * 3_600_000),
        22..=23 => ("C (22:00–06:00)", day + 22 * 3_600_000),
        _ => ("C (22:00–06:00)", day - 2 * 3_600_000),
    }
}

async fn build(conn: &mut AnyConnection, role: DashboardRole) -> Result<RoleSummary> {
    let now = now_ms();
    let runbooks = flow::load(conn).await?;
    let open = exceptions::list_in(conn, None, true).await?;
    let day = telemetry::totals(conn, None, now - days(1), now).await?;
    let mut summary = RoleSummary {
        role,
        title: String::new(),
        cards: Vec::new(),
        approvals: Vec::new(),
        strip: Vec::new(),
        bottleneck: Vec::new(),
    };
    match role {
        DashboardRole::Operator => {
            let (name, start) = shift(now);
            let t = telemetry::totals(conn, None, start, now).await?;
            let lines = lines::load(conn, None).await?;
            let stations: Vec<_> = lines.iter().flat_map(|l| &l.stations).collect();
            let running = stations
                .iter()
                .filter(|s| s.state == StationState::Running)
                .count();
            let blocked = stations
                .iter()
                .filter(|s| s.state == StationState::Blocked)
                .count();
            summary.title = "Operator — shift".into();
            summary.cards = vec![
                SystemMetric::new("Shift", name, MetricStatus::Info),
                SystemMetric::new("Built this shift", t.total.to_string(), MetricStatus::Info),
                SystemMetric::new(
                    "Yield this shift",
                    pct(kpi::yield_percent(&t)),
                    level(kpi::yield_percent(&t), 95.0, 90.0),
                ),
                SystemMetric::new(
                    "Stations running",
                    format!("{running} / {}", stations.len()),
                    MetricStatus::Info,
                ),
                count("Blocked stations", blocked, MetricStatus::Critical),
            ];
        }
        DashboardRole::Supervisor => {
            summary.approvals = approvals(&runbooks, now);
            let blocked = runbooks
                .iter()
                .filter(|r| r.status() == RunbookStatus::Blocked)
                .count();
            summary.title = "Supervisor — flow and approvals".into();
            summary.cards = vec![
                count(
                    "Pending approvals",
                    summary.approvals.len(),
                    MetricStatus::Warning,
                ),
                count("Open exceptions", open.len(), MetricStatus::Warning),
                count("Blocked runbooks", blocked, MetricStatus::Critical),
                SystemMetric::new(
                    "Yield (24 h)",
                    pct(kpi::yield_percent(&day)),
                    level(kpi::yield_percent(&day), 95.0, 90.0),
                ),
            ];
        }
        DashboardRole::PlantHead => {
            let oee = kpi::oee(&day).oee;
            let critical = open
                .iter()
                .filter(|e| e.severity == Severity::Critical)
                .count();
            summary.title = "Plant head — performance".into();
            summary.cards = vec![
                SystemMetric::new("OEE (24 h)", pct(oee), level(oee, 85.0, 65.0)),
                SystemMetric::new(
                    "Yield (24 h)",
                    pct(kpi::yield_percent(&day)),
                    level(kpi::yield_percent(&day), 95.0, 90.0),
                ),
                SystemMetric::new("Built (24 h)", day.total.to_string(), MetricStatus::Info),
                count("Critical exceptions", critical, MetricStatus::Critical),
            ];
            summary.bottleneck = stage_wip(conn).await?;
        }
        DashboardRole::Admin => {
            let c = compliance::assess(conn).await?;
            let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ops_log")
                .fetch_one(&mut *conn)
                .await?;
            summary.title = "Admin — system".into();
            summary.cards = vec![
                SystemMetric::new(
                    "Aadhaar Ready",
                    pct(c.kpis.aadhaar_ready),
                    level(c.kpis.aadhaar_ready, 95.0, 80.0),
                ),
                SystemMetric::new("Runbooks", runbooks.len().to_string(), MetricStatus::Info),
                count("Open exceptions", open.len(), MetricStatus::Warning),
                SystemMetric::new("Log rows", rows.to_string(), MetricStatus::Info),
            ];
        }
        DashboardRole::Auditor => {
            let c = compliance::assess(conn).await?;
            let signed: (i64, i64) =
                sqlx::query_as("SELECT COALESCE(SUM(CASE WHEN passport_signed THEN 1 ELSE 0 END), 0), COUNT(*) FROM ops_packs")
                    .fetch_one(&mut *conn)
                    .await?;
            let with_custody = runbooks.iter().filter(|r| r.custody.is_some()).count();
            let last_sync: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(at) FROM ops_log WHERE category = 'Compliance' OR substr(event, 1, 5) = 'Gate '",
            )
            .fetch_one(&mut *conn)
            .await?;
            let coverage = percent(signed.0 as f64, signed.1 as f64);
            let visibility = percent(with_custody as f64, runbooks.len() as f64);
            summary.title = "Auditor — compliance".into();
            summary.cards = vec![
                SystemMetric::new(
                    "Aadhaar Ready",
                    pct(c.kpis.aadhaar_ready),
                    level(c.kpis.aadhaar_ready, 95.0, 80.0),
                ),
                SystemMetric::new(
                    "EU Passport Ready",
                    pct(c.kpis.eu_passport_ready),
                    level(c.kpis.eu_passport_ready, 95.0, 50.0),
                ),
                SystemMetric::new(
                    "EPR Eligible",
                    c.kpis.epr_eligible.to_string(),
                    MetricStatus::Info,
                ),
            ];
            summary.strip = vec![
                SystemMetric::new("Trace Coverage", pct(coverage), level(coverage, 95.0, 80.0)),
                SystemMetric::new(
                    "Custody Visibility",
                    pct(visibility),
                    level(visibility, 95.0, 50.0),
                ),
                count(
                    "Compliance Flags",
                    c.kpis.risk_count as usize,
                    MetricStatus::Warning,
                ),
                SystemMetric::new(
                    "Last Evidence Sync",
                    last_sync
                        .map_or_else(|| "never".to_owned(), |at| format!("{} ago", age(at, now))),
                    if last_sync.is_some_and(|at| now - at < days(1)) {
                        MetricStatus::Ok
                    } else {
                        MetricStatus::Warning
                    },
                ),
            ];
        }
    }
    Ok(summary)
}

/// A role's dashboard (plant roles; anyone of them may look at another role's view).
#[utoipa::path(
    get,
    path = "/dashboard/{role}/summary",
    params(("role" = DashboardRole, Path, description = "`operator`, `supervisor`, `plant-head`, `admin` or `auditor`")),
    responses(
        (status = 200, description = "The role's cards", body = ApiResponse<RoleSummary>),
        (status = 400, description = "`VALIDATION_ERROR`: not a dashboard role", body = crate::error::ErrorEnvelope),
    )
)]
pub async fn role_summary(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(role): Path<DashboardRole>,
) -> Result<ApiResponse<RoleSummary>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(build(&mut conn, role).await?))
}
