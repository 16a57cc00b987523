//! Exceptions: the board (`GET /ops/exceptions`), one exception with its history and
//! escalation path, raising one (which holds its stage and so blocks its runbook), and its
//! lifecycle moves (resolving the stage's last open one releases the stage). Raising and moving
//! are in [`lifecycle`].

pub mod lifecycle;

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, Plant};
use crate::clock::{now_ms, to_datetime};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Path, Query};
use crate::ops::kpi::age;
use crate::ops::model::{ExceptionStatus, Severity};
use crate::response::ApiResponse;
use crate::state::AppState;

/// An exception on the board (`Exception` of BPM-OS, with its lifecycle state and ids).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Exception {
    /// `EX-2026-001`.
    pub id: String,
    /// `Gate Block`, `Quality Deviation`, `SLA Breach`, …
    pub r#type: String,
    /// The runbook's title (`Manufacturing Execution`).
    pub runbook: String,
    /// The stage, `Module Assembly (S5)`.
    pub stage: String,
    /// How bad.
    pub severity: Severity,
    /// Who is expected to act.
    pub owner: String,
    /// Since it was raised (`2h 15m`).
    pub age: String,
    /// What happened.
    pub description: String,
    /// What it stops downstream.
    pub impact: Option<String>,
    /// Who it goes to next (`Production Manager (Level 2)`).
    pub escalation: Option<String>,
    /// Where it is in its lifecycle.
    pub status: ExceptionStatus,
    /// The runbook's id.
    pub runbook_id: String,
    /// The stage's id.
    pub stage_id: String,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
    /// Its last move.
    pub updated_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Row {
    id: String,
    r#type: String,
    runbook: String,
    stage_name: String,
    sop: i64,
    severity: Severity,
    owner: String,
    description: String,
    impact: Option<String>,
    escalation: Option<String>,
    status: ExceptionStatus,
    runbook_id: String,
    stage_id: String,
    raised_at: i64,
    updated_at: i64,
}

impl Row {
    fn exception(self, now: i64) -> Exception {
        Exception {
            age: age(self.raised_at, now),
            stage: format!("{} (S{})", self.stage_name, self.sop),
            id: self.id,
            r#type: self.r#type,
            runbook: self.runbook,
            severity: self.severity,
            owner: self.owner,
            description: self.description,
            impact: self.impact,
            escalation: self.escalation,
            status: self.status,
            runbook_id: self.runbook_id,
            stage_id: self.stage_id,
            raised_at: to_datetime(self.raised_at),
            updated_at: to_datetime(self.updated_at),
        }
    }
}

const SELECT: &str = "SELECT e.id, e.type, r.title AS runbook, s.name AS stage_name, s.sop, \
    e.severity, e.owner, e.description, e.impact, e.escalation, e.status, e.runbook_id, \
    e.stage_id, e.raised_at, e.updated_at FROM ops_exceptions e \
    JOIN ops_runbooks r ON r.id = e.runbook_id JOIN ops_stages s ON s.id = e.stage_id";

/// Exceptions newest first: of one runbook or all, only the unresolved ones or all.
pub async fn list_in(
    conn: &mut AnyConnection,
    runbook: Option<&str>,
    open_only: bool,
) -> Result<Vec<Exception>> {
    let mut q = crate::db::Sql::new(SELECT);
    q.push(" WHERE TRUE");
    if let Some(r) = runbook {
        q.push(" AND e.runbook_id = ").push_bind(r.to_owned());
    }
    if open_only {
        q.push(" AND e.status NOT IN ('Resolved', 'Closed')");
    }
    q.push(" ORDER BY e.raised_at DESC, e.id DESC");
    let rows: Vec<Row> = q.build_query_as().fetch_all(&mut *conn).await?;
    let now = now_ms();
    Ok(rows.into_iter().map(|r| r.exception(now)).collect())
}

pub(super) async fn find(conn: &mut AnyConnection, id: &str) -> Result<Exception> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.exception(now_ms()))
        .ok_or_else(|| Error::NotFound(format!("no exception `{id}`").into()))
}

/// Filters of the board.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExceptionQuery {
    /// Only this lifecycle state.
    pub status: Option<ExceptionStatus>,
    /// Only this severity.
    pub severity: Option<Severity>,
    /// Only this runbook's.
    #[param(max_length = 50)]
    pub runbook: Option<String>,
}

/// Every exception, newest first (plant roles).
#[utoipa::path(
    get,
    path = "/exceptions",
    params(ExceptionQuery),
    responses(
        (status = 200, description = "The exceptions", body = ApiResponse<Vec<Exception>>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad filter", body = ErrorEnvelope),
    )
)]
pub async fn list_exceptions(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Query(query): Query<ExceptionQuery>,
) -> Result<ApiResponse<Vec<Exception>>> {
    let mut conn = state.db.acquire().await?;
    let all = list_in(&mut conn, query.runbook.as_deref(), false).await?;
    Ok(ApiResponse::ok(
        all.into_iter()
            .filter(|e| query.status.is_none_or(|s| s == e.status))
            .filter(|e| query.severity.is_none_or(|s| s == e.severity))
            .collect(),
    ))
}

/// One move of an exception.
#[derive(Debug, Serialize, ToSchema, FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionMove {
    /// From (`null` when raised).
    #[sqlx(rename = "from_status")]
    pub from: Option<ExceptionStatus>,
    /// To.
    #[sqlx(rename = "to_status")]
    pub to: ExceptionStatus,
    /// What was said.
    pub note: Option<String>,
    /// Who.
    pub actor: String,
    /// When.
    #[sqlx(try_from = "crate::db::stored::Millis")]
    pub at: DateTime<Utc>,
}

/// An exception with what it takes to act on it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionDetail {
    /// The exception.
    #[serde(flatten)]
    pub exception: Exception,
    /// How it was resolved.
    pub resolution: Option<String>,
    /// Where it may go next.
    pub allowed: Vec<ExceptionStatus>,
    /// Who acts, then who it escalates to.
    pub escalation_path: Vec<String>,
    /// Its moves, oldest first.
    pub history: Vec<ExceptionMove>,
}

pub(super) async fn detail(conn: &mut AnyConnection, id: &str) -> Result<ExceptionDetail> {
    let exception = find(conn, id).await?;
    let resolution: Option<String> =
        sqlx::query_scalar("SELECT resolution FROM ops_exceptions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let history = sqlx::query_as(
        "SELECT from_status, to_status, note, actor, at FROM ops_exception_history \
         WHERE exception_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let escalation_path = std::iter::once(exception.owner.clone())
        .chain(exception.escalation.clone())
        .collect();
    Ok(ExceptionDetail {
        allowed: exception.status.targets().to_vec(),
        exception,
        resolution,
        escalation_path,
        history,
    })
}

/// One exception with its history and escalation path (plant roles).
#[utoipa::path(
    get,
    path = "/exceptions/{id}",
    params(("id" = String, Path, description = "`EX-2026-001`", max_length = 64)),
    responses(
        (status = 200, description = "The exception", body = ApiResponse<ExceptionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_exception(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<ExceptionDetail>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(detail(&mut conn, &id).await?))
}

pub use lifecycle::{RaiseException, raise_in};
