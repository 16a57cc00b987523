//! A line's telemetry: the sums of its 15-minute intervals over a window ([`totals`], which the
//! OEE, the dashboard and the role views read), `GET /ops/lines/{id}/oee`, and ingest in batches.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, Plant, PlantWriters};
use crate::clock::{days, now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::live::EventKind;
use crate::ops::kpi::{self, OeeScores, Totals};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{LogCategory, LogSeverity};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;
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
