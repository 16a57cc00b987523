//! The plant dashboard: `GET /ops/dashboard/summary` (planned, built, yield, hold and OEE over
//! the last 24 h), `/trends` (seven daily points) and `/distributions` (stage WIP with the
//! bottleneck, custody, open exceptions by severity, inventory by category).

use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::clock::{days, now_ms, to_datetime};
use crate::error::Result;
use crate::ops::inventory::CATEGORIES;
use crate::ops::kpi::{self, Totals};
use crate::ops::model::{ChartPoint, CustodyType, Severity};
use crate::ops::telemetry;
use crate::response::ApiResponse;
use crate::state::AppState;

/// A window of time.
#[derive(Debug, Serialize, ToSchema)]
pub struct Window {
    /// Start.
    pub from: DateTime<Utc>,
    /// End.
    pub to: DateTime<Utc>,
}

/// The plant's headline figures over the last 24 h.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardSummary {
    /// Units the planned time allowed at the ideal rate.
    pub planned: i64,
    /// Units built.
    pub built: i64,
    /// Good units.
    pub ok: i64,
    /// Good / built, percent (`null` when nothing was built).
    pub r#yield: Option<f64>,
    /// Inventory items on hold.
    pub hold: i64,
    /// OEE of every line together, percent.
    pub oee: Option<f64>,
    /// The window.
    pub window: Window,
}

/// Items on hold.
pub async fn on_hold(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM ops_inventory WHERE status = 'Hold'")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The headline figures (plant roles).
#[utoipa::path(
    get,
    path = "/dashboard/summary",
    responses((status = 200, description = "The last 24 h", body = ApiResponse<DashboardSummary>))
)]
pub async fn dashboard_summary(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<DashboardSummary>> {
    let to = now_ms();
    let from = to - days(1);
    let mut conn = state.db.acquire().await?;
    let t = telemetry::totals(&mut conn, None, from, to).await?;
    Ok(ApiResponse::ok(DashboardSummary {
        planned: t.capacity.round() as i64,
        built: t.total,
        ok: t.good,
        r#yield: kpi::yield_percent(&t),
        hold: on_hold(&mut conn).await?,
        oee: kpi::oee(&t).oee,
        window: Window {
            from: to_datetime(from),
            to: to_datetime(to),
        },
    }))
}

/// Seven daily points of each trend, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Trends {
    /// Units built a day (`value`), good units (`value2`).
    pub built: Vec<ChartPoint>,
    /// Yield a day, percent.
    pub r#yield: Vec<ChartPoint>,
    /// OEE a day, percent.
    pub oee: Vec<ChartPoint>,
}

/// One day's telemetry, `day` counted from the first day.
#[derive(sqlx::FromRow)]
struct Day {
    day: i64,
    #[sqlx(flatten)]
    totals: Totals,
}

/// Each of the last `n` whole UTC days (today included), oldest first, with its totals.
pub async fn daily(conn: &mut AnyConnection, n: i64) -> Result<Vec<(DateTime<Utc>, Totals)>> {
    let today = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let first = today - Duration::days(n - 1);
    let rows: Vec<Day> = sqlx::query_as(
        "SELECT (interval_start - $1) / 86400000 AS day, CAST(SUM(planned_ms) AS BIGINT) AS planned_ms, \
         CAST(SUM(run_ms) AS BIGINT) AS run_ms, \
         CAST(SUM(ideal_cycle_ms * total_count) AS BIGINT) AS ideal_ms, \
         SUM(CAST(planned_ms AS DOUBLE PRECISION) / ideal_cycle_ms) AS capacity, \
         CAST(SUM(total_count) AS BIGINT) AS total, CAST(SUM(good_count) AS BIGINT) AS good, COUNT(*) AS intervals FROM ops_telemetry \
         WHERE interval_start >= $2 GROUP BY day ORDER BY day",
    )
    .bind(first.timestamp_millis())
    .bind(first.timestamp_millis())
    .fetch_all(&mut *conn)
    .await?;
    Ok((0..n)
        .map(|d| {
            let t = rows
                .iter()
                .find(|r| r.day == d)
                .map_or_else(Totals::default, |r| r.totals);
            (first + Duration::days(d), t)
        })
        .collect())
}

/// The trends of the last seven days (plant roles); days without telemetry are 0.
#[utoipa::path(
    get,
    path = "/dashboard/trends",
    responses((status = 200, description = "Daily series", body = ApiResponse<Trends>))
)]
pub async fn trends(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Trends>> {
    let mut conn = state.db.acquire().await?;
    let days = daily(&mut conn, 7).await?;
    let label = |d: &DateTime<Utc>| d.format("%b %d").to_string();
    Ok(ApiResponse::ok(Trends {
        built: days
            .iter()
            .map(|(d, t)| ChartPoint {
                value2: Some(t.good as f64),
                ..ChartPoint::new(label(d), t.total as f64)
            })
            .collect(),
        r#yield: days
            .iter()
            .map(|(d, t)| ChartPoint::new(label(d), kpi::yield_percent(t).unwrap_or(0.0)))
            .collect(),
        oee: days
            .iter()
            .map(|(d, t)| ChartPoint::new(label(d), kpi::oee(t).oee.unwrap_or(0.0)))
            .collect(),
    }))
}

/// Breakdowns of the plant as it stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Distributions {
    /// Work waiting at each stage, SOP order; the bottleneck is red.
    pub stage_mix: Vec<ChartPoint>,
    /// Packs by custodian.
    pub custody_mix: Vec<ChartPoint>,
    /// Unresolved exceptions by severity.
    pub severity_mix: Vec<ChartPoint>,
    /// Inventory items by category.
    pub inventory_mix: Vec<ChartPoint>,
}

/// Each stage as `S5 Module Assembly` with its WIP, in SOP order, the bottleneck coloured.
pub async fn stage_wip(conn: &mut AnyConnection) -> Result<Vec<ChartPoint>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT s.sop, s.name, (SELECT COUNT(*) FROM ops_inventory i WHERE i.stage_id = s.id) \
         FROM ops_stages s JOIN ops_runbooks r ON r.id = s.runbook_id \
         ORDER BY s.sop, r.position, s.position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let wip: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let worst = kpi::bottleneck(&wip);
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(n, (sop, name, w))| ChartPoint {
            color: Some(
                if Some(n) == worst {
                    "#dc2626"
                } else {
                    "#2563eb"
                }
                .to_owned(),
            ),
            ..ChartPoint::new(format!("S{sop} {name}"), w as f64)
        })
        .collect())
}

const CUSTODY_COLORS: [(CustodyType, &str); 4] = [
    (CustodyType::Manufacturer, "#2563eb"),
    (CustodyType::Logistics, "#d97706"),
    (CustodyType::Customer, "#059669"),
    (CustodyType::Recycler, "#475569"),
];

const SEVERITY_COLORS: [(Severity, &str); 4] = [
    (Severity::Critical, "#dc2626"),
    (Severity::High, "#d97706"),
    (Severity::Medium, "#2563eb"),
    (Severity::Low, "#64748b"),
];

/// The breakdowns (plant roles); an empty plant answers zeros.
#[utoipa::path(
    get,
    path = "/dashboard/distributions",
    responses((status = 200, description = "The breakdowns", body = ApiResponse<Distributions>))
)]
pub async fn distributions(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Distributions>> {
    let mut conn = state.db.acquire().await?;
    let custody: Vec<(CustodyType, i64)> =
        sqlx::query_as("SELECT custody, COUNT(*) FROM ops_packs GROUP BY custody")
            .fetch_all(&mut *conn)
            .await?;
    let severity: Vec<(Severity, i64)> = sqlx::query_as(
        "SELECT severity, COUNT(*) FROM ops_exceptions \
         WHERE status NOT IN ('Resolved', 'Closed') GROUP BY severity",
    )
    .fetch_all(&mut *conn)
    .await?;
    let inventory: Vec<(String, i64)> =
        sqlx::query_as("SELECT category, COUNT(*) FROM ops_inventory GROUP BY category")
            .fetch_all(&mut *conn)
            .await?;
    let count = |rows: &[(String, i64)], key: &str| {
        rows.iter().find(|r| r.0 == key).map_or(0, |r| r.1) as f64
    };
    let coloured = |label: &str, value: f64, color: &str| ChartPoint {
        color: Some(color.to_owned()),
        ..ChartPoint::new(label, value)
    };
    Ok(ApiResponse::ok(Distributions {
        stage_mix: stage_wip(&mut conn).await?,
        custody_mix: CUSTODY_COLORS
            .iter()
            .map(|(c, color)| {
                let n = custody.iter().find(|r| r.0 == *c).map_or(0, |r| r.1);
                coloured(c.as_str(), n as f64, color)
            })
            .collect(),
        severity_mix: SEVERITY_COLORS
            .iter()
            .map(|(s, color)| {
                let n = severity.iter().find(|r| r.0 == *s).map_or(0, |r| r.1);
                coloured(s.as_str(), n as f64, color)
            })
            .collect(),
        inventory_mix: CATEGORIES
            .iter()
            .map(|(id, label, _, color)| coloured(label, count(&inventory, id.as_str()), color))
            .collect(),
    }))
}
