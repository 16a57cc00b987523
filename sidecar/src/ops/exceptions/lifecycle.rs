//! An exception's lifecycle: raising one (which holds its stage, and so blocks its runbook) and
//! its moves, each with a history row; resolving the stage's last open one releases the stage.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Datelike;
use serde::Deserialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, PlantWriters};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::EventKind;
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{ExceptionStatus, LogCategory, LogSeverity, Severity, StageStatus};
use crate::ops::{attention_for_critical, publish};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

use super::{Exception, ExceptionDetail, detail, find};

/// An exception to raise.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RaiseException {
    /// `Gate Block`, `Quality Deviation`, …
    #[schema(max_length = 60)]
    pub r#type: String,
    /// The runbook.
    #[schema(max_length = 50)]
    pub runbook_id: String,
    /// Its stage (in progress or already on hold).
    #[schema(max_length = 50)]
    pub stage_id: String,
    /// How bad: a `Critical` one tells the desktop.
    pub severity: Severity,
    /// Who is expected to act.
    #[schema(max_length = 100)]
    pub owner: String,
    /// What happened.
    #[schema(max_length = 1000)]
    pub description: String,
    /// What it stops downstream.
    #[schema(max_length = 500)]
    pub impact: Option<String>,
    /// Who it goes to next.
    #[schema(max_length = 100)]
    pub escalation: Option<String>,
}

/// The trimmed text, or `is required` (the extractor has already refused one over its cap).
fn required(field: &str, value: &str) -> Result<String> {
    text(value).ok_or_else(|| Error::invalid(field, "is required"))
}

/// Raise an exception in the caller's transaction: its stage (in progress or on hold) is put
/// on hold, and the log row written. The demo plant raises its exceptions through here too.
pub async fn raise_in(
    conn: &mut AnyConnection,
    body: &RaiseException,
    by: &str,
) -> Result<Exception> {
    let r#type = required("type", &body.r#type)?;
    let owner = required("owner", &body.owner)?;
    let description = required("description", &body.description)?;
    let impact = body.impact.as_deref().and_then(text);
    let escalation = body.escalation.as_deref().and_then(text);
    let stage: Option<(String, StageStatus)> =
        sqlx::query_as("SELECT runbook_id, status FROM ops_stages WHERE id = $1")
            .bind(&body.stage_id)
            .fetch_optional(&mut *conn)
            .await?;
    let status = match stage {
        Some((runbook, status)) if runbook == body.runbook_id => status,
        _ => {
            return Err(Error::invalid(
                "stageId",
                format!(
                    "runbook `{}` has no stage `{}`",
                    body.runbook_id, body.stage_id
                ),
            ));
        }
    };
    if !matches!(status, StageStatus::InProgress | StageStatus::Hold) {
        return Err(Error::InvalidTransition {
            from: status.to_string(),
            to: StageStatus::Hold.to_string(),
            allowed: Vec::new(),
        });
    }
    let now = now_ms();
    let year = to_datetime(now).year();
    let seq: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM ops_exceptions WHERE year = $1")
            .bind(year)
            .fetch_one(&mut *conn)
            .await?;
    let id = format!("EX-{year}-{seq:03}");
    sqlx::query(
        "INSERT INTO ops_exceptions (id, year, seq, type, runbook_id, stage_id, severity, status, \
         owner, description, impact, escalation, raised_by, raised_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'Raised', $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(year)
    .bind(seq)
    .bind(&r#type)
    .bind(&body.runbook_id)
    .bind(&body.stage_id)
    .bind(body.severity)
    .bind(&owner)
    .bind(&description)
    .bind(&impact)
    .bind(&escalation)
    .bind(by)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    history(conn, &id, None, ExceptionStatus::Raised, None, by).await?;
    sqlx::query("UPDATE ops_stages SET status = 'Hold', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&body.stage_id)
        .execute(&mut *conn)
        .await?;
    let severity = match body.severity {
        Severity::Critical | Severity::High => LogSeverity::Error,
        _ => LogSeverity::Warning,
    };
    log::append(
        conn,
        Entry {
            category: LogCategory::Workflow,
            severity,
            event: &format!("Exception raised ({}): {type}", body.severity),
            entity: &id,
            actor: by,
        },
    )
    .await?;
    find(conn, &id).await
}

async fn history(
    conn: &mut AnyConnection,
    id: &str,
    from: Option<ExceptionStatus>,
    to: ExceptionStatus,
    note: Option<&str>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ops_exception_history (exception_id, from_status, to_status, note, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(note)
    .bind(by)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Raise an exception (admin, supervisor, operator, plant head). Its stage goes on hold and its
/// runbook is blocked; a `Critical` one shows a desktop notification and brings the window
/// forward.
#[utoipa::path(
    post,
    path = "/exceptions",
    request_body = RaiseException,
    responses(
        (status = 201, description = "The exception, `Raised`", body = ApiResponse<Exception>),
        (status = 400, description = "`VALIDATION_ERROR`: a missing or long field, an unknown stage", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION`: the stage is not in progress", body = ErrorEnvelope),
    )
)]
pub async fn raise_exception(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Json(body): Json<RaiseException>,
) -> Result<(StatusCode, ApiResponse<Exception>)> {
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let raised = raise_in(&mut tx, &body, &by).await?;
    tx.commit().await?;
    publish(
        &state,
        EventKind::OpsExceptionRaised,
        caller.user.id(),
        &raised,
    );
    attention_for_critical(&state, &raised);
    Ok((StatusCode::CREATED, ApiResponse::ok(raised)))
}

/// A lifecycle move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionTransition {
    /// `Triaged`, `In Review`, `Resolved` or `Closed`.
    pub to: ExceptionStatus,
    /// What was done (required to resolve: the resolution).
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Move an exception on its lifecycle (admin, supervisor, operator, plant head). Resolving the
/// stage's last unresolved exception puts the stage back in progress.
#[utoipa::path(
    post,
    path = "/exceptions/{id}/transition",
    params(("id" = String, Path, description = "`EX-2026-001`", max_length = 64)),
    request_body = ExceptionTransition,
    responses(
        (status = 200, description = "The exception after the move", body = ApiResponse<ExceptionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: resolving needs a note", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION` with the allowed moves", body = ErrorEnvelope),
    )
)]
pub async fn transition_exception(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<ExceptionTransition>,
) -> Result<ApiResponse<ExceptionDetail>> {
    let note = body.note.as_deref().and_then(text);
    if body.to == ExceptionStatus::Resolved && note.is_none() {
        return Err(Error::invalid(
            "note",
            "resolving an exception needs the resolution",
        ));
    }
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let before = find(&mut tx, &id).await?;
    if !before.status.targets().contains(&body.to) {
        return Err(Error::InvalidTransition {
            from: before.status.to_string(),
            to: body.to.to_string(),
            allowed: before
                .status
                .targets()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        });
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE ops_exceptions SET status = $1, updated_at = $2, \
         resolution = CASE WHEN $3 = 'Resolved' THEN $4 ELSE resolution END WHERE id = $5",
    )
    .bind(body.to)
    .bind(now)
    .bind(body.to)
    .bind(note.as_deref())
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    history(
        &mut tx,
        &id,
        Some(before.status),
        body.to,
        note.as_deref(),
        &by,
    )
    .await?;
    if body.to == ExceptionStatus::Resolved {
        // The stage is released when no other exception still holds it.
        sqlx::query(
            "UPDATE ops_stages SET status = 'In Progress', updated_at = $1 WHERE id = $2 \
             AND status = 'Hold' AND NOT EXISTS (SELECT 1 FROM ops_exceptions \
             WHERE stage_id = $3 AND status NOT IN ('Resolved', 'Closed'))",
        )
        .bind(now)
        .bind(&before.stage_id)
        .bind(&before.stage_id)
        .execute(&mut *tx)
        .await?;
    }
    let severity = match body.to {
        ExceptionStatus::Resolved | ExceptionStatus::Closed => LogSeverity::Success,
        _ => LogSeverity::Info,
    };
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::Workflow,
            severity,
            event: &format!("Exception {}", body.to.as_str().to_lowercase()),
            entity: &id,
            actor: &by,
        },
    )
    .await?;
    let after = detail(&mut tx, &id).await?;
    tx.commit().await?;
    publish(
        &state,
        EventKind::OpsExceptionUpdated,
        caller.user.id(),
        &after.exception,
    );
    Ok(ApiResponse::ok(after))
}
