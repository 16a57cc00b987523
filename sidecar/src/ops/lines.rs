//! Production lines: `GET /ops/lines` (mode and health computed from the stations and the last
//! 24 h of OEE), one line, its stations and its OEE over a window; a station's state; and
//! telemetry ingest in batches.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, Plant, PlantWriters};
use crate::clock::{days, now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::live::EventKind;
use crate::ops::kpi::{self, OeeScores, Totals};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{LineHealth, LineMode, LogCategory, LogSeverity, StationState};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// A station (`Station`); its reason is `blockedReason`, as domain facts name it.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Station {
    /// `st-01`.
    pub id: String,
    /// `Cell Load`.
    pub name: String,
    /// Its state.
    pub state: StationState,
    /// Why it is blocked (only when it is).
    pub blocked_reason: Option<String>,
    #[serde(skip)]
    #[schema(ignore)]
    line_id: String,
}

/// A line (`LineData`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineData {
    /// `line-a`.
    pub id: String,
    /// `Line A (Modules)`.
    pub name: String,
    /// What it builds.
    pub r#type: String,
    /// Computed from its stations.
    pub mode: LineMode,
    /// The runbook it serves.
    pub runbook_ref: Option<String>,
    /// The last change of the line or a station.
    pub last_update: DateTime<Utc>,
    /// Computed from its mode and its last 24 h of OEE.
    pub health: LineHealth,
    /// Its stations in order.
    pub stations: Vec<Station>,
}

#[derive(FromRow)]
struct LineRow {
    id: String,
    name: String,
    r#type: String,
    runbook_id: Option<String>,
    #[sqlx(try_from = "crate::db::stored::Flag")]
    maintenance: bool,
    updated_at: i64,
    station_updated: Option<i64>,
}

/// A line's mode: maintenance as set, else blocked, running or idle by its stations.
pub fn mode_of(maintenance: bool, stations: &[StationState]) -> LineMode {
    if maintenance {
        LineMode::Maintenance
    } else if stations.contains(&StationState::Blocked) {
        LineMode::Blocked
    } else if stations.contains(&StationState::Running) {
        LineMode::Running
    } else {
        LineMode::Idle
    }
}

/// A line's health from its mode and OEE.
pub fn health_of(mode: LineMode, oee: Option<f64>) -> LineHealth {
    match mode {
        LineMode::Blocked => LineHealth::Critical,
        LineMode::Maintenance => LineHealth::Attention,
        _ if oee.is_some_and(|o| o < 65.0) => LineHealth::Attention,
        _ => LineHealth::Ok,
    }
}

/// The sums [`totals`] reads, over the rows its `WHERE` picks.
const TOTALS: &str = "SELECT CAST(COALESCE(SUM(planned_ms), 0) AS BIGINT), \
     CAST(COALESCE(SUM(run_ms), 0) AS BIGINT), \
     CAST(COALESCE(SUM(ideal_cycle_ms * total_count), 0) AS BIGINT), \
     COALESCE(SUM(CAST(planned_ms AS DOUBLE PRECISION) / ideal_cycle_ms), 0.0), \
     CAST(COALESCE(SUM(total_count), 0) AS BIGINT), CAST(COALESCE(SUM(good_count), 0) AS BIGINT), \
     COUNT(*) \
     FROM ops_telemetry WHERE interval_start >= $1 AND interval_start < $2";

/// Telemetry summed over `[from, to)`, of one line or of all.
///
/// One line's is its own query, `line_id = ?`, so that it ranges over the primary key
/// `(line_id, interval_start)`: an `(? IS NULL OR line_id = ?)` filter makes the planner take the
/// all-lines index and skip the other lines' rows one by one. A line's OEE over a year of
/// telemetry (35,000 intervals) went from 27 to 245 requests/s, over 30 days from 388 to 1,733
/// (`BENCH_ONLY=ops make bench`, 32 connections, 2 cores).
pub async fn totals(
    conn: &mut AnyConnection,
    line: Option<&str>,
    from: i64,
    to: i64,
) -> Result<Totals> {
    type Sums = (i64, i64, i64, f64, i64, i64, i64);
    let sums: Sums = match line {
        Some(line) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{TOTALS} AND line_id = $3")))
                .bind(from)
                .bind(to)
                .bind(line)
                .fetch_one(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_as(TOTALS)
                .bind(from)
                .bind(to)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let (planned_ms, run_ms, ideal_ms, capacity, total, good, intervals) = sums;
    Ok(Totals {
        planned_ms,
        run_ms,
        ideal_ms,
        capacity,
        total,
        good,
        intervals,
    })
}

/// Every line (or one) with its stations.
pub async fn load(conn: &mut AnyConnection, only: Option<&str>) -> Result<Vec<LineData>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.id, l.name, l.type, l.runbook_id, l.maintenance, l.updated_at, \
         (SELECT MAX(s.updated_at) FROM ops_stations s WHERE s.line_id = l.id) AS station_updated \
         FROM ops_lines l WHERE ($1 IS NULL OR l.id = $2) ORDER BY l.position",
    )
    .bind(only)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let stations: Vec<Station> = sqlx::query_as(
        "SELECT id, name, state, blocked_reason, line_id FROM ops_stations \
         WHERE ($1 IS NULL OR line_id = $2) ORDER BY line_id, position",
    )
    .bind(only)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let now = now_ms();
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let own: Vec<Station> = stations
            .iter()
            .filter(|s| s.line_id == r.id)
            .cloned()
            .collect();
        let states: Vec<StationState> = own.iter().map(|s| s.state).collect();
        let mode = mode_of(r.maintenance, &states);
        let day = kpi::oee(&totals(conn, Some(&r.id), now - days(1), now).await?);
        lines.push(LineData {
            health: health_of(mode, day.oee),
            last_update: to_datetime(r.updated_at.max(r.station_updated.unwrap_or(0))),
            id: r.id,
            name: r.name,
            r#type: r.r#type,
            mode,
            runbook_ref: r.runbook_id,
            stations: own,
        });
    }
    Ok(lines)
}

async fn load_one(conn: &mut AnyConnection, id: &str) -> Result<LineData> {
    load(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("no line `{id}`").into()))
}

/// Every line with its stations (plant roles).
#[utoipa::path(
    get,
    path = "/lines",
    responses((status = 200, description = "The lines", body = ApiResponse<Vec<LineData>>))
)]
pub async fn list_lines(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<LineData>>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(load(&mut conn, None).await?))
}

/// One line (plant roles).
#[utoipa::path(
    get,
    path = "/lines/{lineId}",
    params(("lineId" = String, Path, description = "`line-a`", max_length = 64)),
    responses(
        (status = 200, description = "The line", body = ApiResponse<LineData>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_line(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<LineData>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(load_one(&mut conn, &id).await?))
}

/// A line's stations in order (plant roles).
#[utoipa::path(
    get,
    path = "/lines/{lineId}/stations",
    params(("lineId" = String, Path, description = "`line-a`", max_length = 64)),
    responses(
        (status = 200, description = "The stations", body = ApiResponse<Vec<Station>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn line_stations(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<Vec<Station>>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(load_one(&mut conn, &id).await?.stations))
}

/// The window of an OEE request.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// Start (RFC 3339; default 24 h before `to`).
    pub from: Option<DateTime<Utc>>,
    /// End (RFC 3339; default now).
    pub to: Option<DateTime<Utc>>,
}

impl WindowQuery {
    /// `[from, to)` in ms, checked.
    pub fn bounds(&self) -> Result<(i64, i64)> {
        let to = self.to.map_or_else(now_ms, |t| t.timestamp_millis());
        let from = self.from.map_or(to - days(1), |f| f.timestamp_millis());
        if from >= to {
            return Err(Error::invalid("from", "must be before `to`"));
        }
        if to - from > days(366) {
            return Err(Error::invalid("from", "a window is at most 366 days"));
        }
        Ok((from, to))
    }
}

/// A line's OEE over a window, with what it was computed from.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineOee {
    /// The line.
    pub line_id: String,
    /// Window start.
    pub from: DateTime<Utc>,
    /// Window end.
    pub to: DateTime<Utc>,
    /// The scores (all `null` without telemetry).
    #[serde(flatten)]
    pub scores: OeeScores,
    /// Good / built, percent.
    pub r#yield: Option<f64>,
    /// Units the planned time allowed at the ideal rate.
    pub planned: i64,
    /// Units built.
    pub built: i64,
    /// Good units.
    pub ok: i64,
    /// Telemetry intervals in the window.
    pub intervals: i64,
}

/// A line's availability, performance, quality and OEE, computed from its telemetry (plant
/// roles).
#[utoipa::path(
    get,
    path = "/lines/{lineId}/oee",
    params(("lineId" = String, Path, description = "`line-a`", max_length = 64), WindowQuery),
    responses(
        (status = 200, description = "The scores", body = ApiResponse<LineOee>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad window", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn line_oee(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(window): Query<WindowQuery>,
) -> Result<ApiResponse<LineOee>> {
    let (from, to) = window.bounds()?;
    let mut conn = state.db.acquire().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ops_lines WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        return Err(Error::NotFound(format!("no line `{id}`").into()));
    }
    let t = totals(&mut conn, Some(&id), from, to).await?;
    Ok(ApiResponse::ok(LineOee {
        line_id: id,
        from: to_datetime(from),
        to: to_datetime(to),
        scores: kpi::oee(&t),
        r#yield: kpi::yield_percent(&t),
        planned: t.capacity.round() as i64,
        built: t.total,
        ok: t.good,
        intervals: t.intervals,
    }))
}

/// A station's new state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StationChange {
    /// The state.
    pub state: StationState,
    /// Why (required for `Blocked`, refused otherwise).
    #[schema(max_length = 200)]
    pub blocked_reason: Option<String>,
}

/// Set a station's state (admin, supervisor, operator, plant head).
#[utoipa::path(
    put,
    path = "/lines/{lineId}/stations/{stationId}",
    params(
        ("lineId" = String, Path, description = "`line-a`", max_length = 64),
        ("stationId" = String, Path, description = "`st-02`", max_length = 64),
    ),
    request_body = StationChange,
    responses(
        (status = 200, description = "The line after the change", body = ApiResponse<LineData>),
        (status = 400, description = "`VALIDATION_ERROR`: a blocked station needs its reason", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn set_station(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path((line_id, station_id)): Path<(String, String)>,
    Json(body): Json<StationChange>,
) -> Result<ApiResponse<LineData>> {
    let reason = body.blocked_reason.as_deref().and_then(text);
    match (body.state, &reason) {
        (StationState::Blocked, None) => {
            return Err(Error::invalid(
                "blockedReason",
                "a blocked station needs its reason",
            ));
        }
        (StationState::Blocked, _) | (_, None) => {}
        (_, Some(_)) => {
            return Err(Error::invalid(
                "blockedReason",
                "only a blocked station has a reason",
            ));
        }
    }
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let changed = sqlx::query(
        "UPDATE ops_stations SET state = $1, blocked_reason = $2, updated_at = $3 \
         WHERE id = $4 AND line_id = $5",
    )
    .bind(body.state)
    .bind(reason.as_deref())
    .bind(now_ms())
    .bind(&station_id)
    .bind(&line_id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(Error::NotFound(
            format!("line `{line_id}` has no station `{station_id}`").into(),
        ));
    }
    let severity = match body.state {
        StationState::Blocked => LogSeverity::Error,
        _ => LogSeverity::Info,
    };
    let event = match &reason {
        Some(r) => format!("Station {}: {r}", body.state),
        None => format!("Station {}", body.state),
    };
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::System,
            severity,
            event: &event,
            entity: &format!("{line_id}/{station_id}"),
            actor: &by,
        },
    )
    .await?;
    let line = load_one(&mut tx, &line_id).await?;
    tx.commit().await?;
    publish(
        &state,
        EventKind::OpsStationChanged,
        caller.user.id(),
        &line,
    );
    Ok(ApiResponse::ok(line))
}

/// One telemetry interval.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Interval {
    /// Start.
    pub start: DateTime<Utc>,
    /// End (after the start, at most a day later).
    pub end: DateTime<Utc>,
    /// Planned production time, ms.
    #[schema(minimum = 0)]
    pub planned_ms: i64,
    /// Run time, ms (at most the planned time).
    #[schema(minimum = 0)]
    pub run_ms: i64,
    /// Ideal time per unit, ms.
    #[schema(minimum = 1)]
    pub ideal_cycle_ms: i64,
    /// Units built.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub total_count: i64,
    /// Good units (at most the units built).
    #[schema(minimum = 0)]
    pub good_count: i64,
}

/// A batch of telemetry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TelemetryBatch {
    /// 1–1,000 intervals; one that was sent before replaces the first.
    #[schema(min_items = 1, max_items = 1000)]
    pub intervals: Vec<Interval>,
}

/// What a batch did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ingested {
    /// The line.
    pub line_id: String,
    /// Intervals stored.
    pub accepted: usize,
}

/// The first problem of an interval, named by its field.
pub fn check_interval(i: &Interval) -> Option<(&'static str, &'static str)> {
    let span = (i.end - i.start).num_milliseconds();
    if span <= 0 {
        Some(("end", "must be after `start`"))
    } else if span > days(1) {
        Some(("end", "an interval is at most a day"))
    } else if i.planned_ms < 0 || i.planned_ms > span {
        Some(("plannedMs", "must be between 0 and the interval's length"))
    } else if i.run_ms < 0 || i.run_ms > i.planned_ms {
        Some(("runMs", "must be between 0 and `plannedMs`"))
    } else if i.ideal_cycle_ms <= 0 {
        Some(("idealCycleMs", "must be above 0"))
    } else if i.total_count < 0 || i.total_count > 1_000_000 {
        Some(("totalCount", "must be between 0 and 1,000,000"))
    } else if i.good_count < 0 || i.good_count > i.total_count {
        Some(("goodCount", "must be between 0 and `totalCount`"))
    } else {
        None
    }
}

/// Store intervals in the caller's transaction (the demo plant's week goes through here too).
pub async fn ingest_in(
    conn: &mut AnyConnection,
    line_id: &str,
    intervals: &[Interval],
) -> Result<()> {
    for i in intervals {
        sqlx::query(
            "INSERT INTO ops_telemetry (line_id, interval_start, interval_end, planned_ms, run_ms, \
             ideal_cycle_ms, total_count, good_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (line_id, interval_start) DO UPDATE SET interval_end = excluded.interval_end, \
             planned_ms = excluded.planned_ms, run_ms = excluded.run_ms, \
             ideal_cycle_ms = excluded.ideal_cycle_ms, total_count = excluded.total_count, \
             good_count = excluded.good_count",
        )
        .bind(line_id)
        .bind(i.start.timestamp_millis())
        .bind(i.end.timestamp_millis())
        .bind(i.planned_ms)
        .bind(i.run_ms)
        .bind(i.ideal_cycle_ms)
        .bind(i.total_count)
        .bind(i.good_count)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Ingest a batch of a line's telemetry (admin, supervisor, operator, plant head): all of it or,
/// when one interval is wrong, none (the error names it: `intervals[3].runMs`).
#[utoipa::path(
    post,
    path = "/lines/{lineId}/telemetry",
    params(("lineId" = String, Path, description = "`line-a`", max_length = 64)),
    request_body = TelemetryBatch,
    responses(
        (status = 200, description = "Stored", body = ApiResponse<Ingested>),
        (status = 400, description = "`VALIDATION_ERROR` naming the interval and field", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn ingest_telemetry(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path(line_id): Path<String>,
    Json(body): Json<TelemetryBatch>,
) -> Result<ApiResponse<Ingested>> {
    if body.intervals.is_empty() || body.intervals.len() > 1000 {
        return Err(Error::invalid(
            "intervals",
            "a batch holds 1 to 1,000 intervals",
        ));
    }
    for (n, interval) in body.intervals.iter().enumerate() {
        if let Some((field, problem)) = check_interval(interval) {
            return Err(Error::invalid(format!("intervals[{n}].{field}"), problem));
        }
    }
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ops_lines WHERE id = $1")
        .bind(&line_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(Error::NotFound(format!("no line `{line_id}`").into()));
    }
    ingest_in(&mut tx, &line_id, &body.intervals).await?;
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::System,
            severity: LogSeverity::Info,
            event: &format!("Telemetry ingested: {} intervals", body.intervals.len()),
            entity: &line_id,
            actor: &by,
        },
    )
    .await?;
    tx.commit().await?;
    let done = Ingested {
        line_id,
        accepted: body.intervals.len(),
    };
    publish(
        &state,
        EventKind::OpsTelemetryIngested,
        caller.user.id(),
        &done,
    );
    Ok(ApiResponse::ok(done))
}
