//! Production lines: `GET /ops/lines` (mode and health computed from the stations and the last
//! 24 h of OEE), one line and its stations, and a station's state. Their telemetry and OEE are
//! in [`crate::ops::telemetry`].

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant, PlantWriters};
use crate::clock::{days, now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::EventKind;
use crate::ops::kpi;
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{LineHealth, LineMode, LogCategory, LogSeverity, StationState};
use crate::ops::publish;
use crate::ops::telemetry::totals;
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
