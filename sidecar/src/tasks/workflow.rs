//! A task's life: status moves, the moves a caller may make, the history, and delays.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Managers, Roles, Workshop, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::change::{self, Change, Lead};
use crate::tasks::model::{Task, TaskStatus, parse_date};
use crate::tasks::store::{self, HistoryEvent};
use crate::validate::Checks;

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// Target status.
    pub to: TaskStatus,
    #[schema(max_length = 500)]
    /// Why (kept in the history, up to 500 characters).
    pub reason: Option<String>,
}

fn reason_ok(checks: &mut Checks, reason: Option<&str>, required: bool) {
    let len = reason.map_or(0, |r| r.trim().chars().count());
    if required {
        checks.check("reason", len >= 1, "is required");
    }
    checks.check("reason", len <= 500, "must be at most 500 characters");
}

/// Move a task to another status (admin, supervisor; a technician their own tasks). The state
/// machine decides; a refused move is `INVALID_TRANSITION` with the allowed targets.
#[utoipa::path(
    post,
    path = "/tasks/{id}/transition",
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The task after the move", body = ApiResponse<Task>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION`: `details.from`, `details.to`, `details.allowed`", body = ErrorEnvelope),
    )
)]
pub async fn transition(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<TransitionRequest>,
) -> Result<ApiResponse<Task>> {
    let mut checks = Checks::default();
    reason_ok(&mut checks, request.reason.as_deref(), false);
    checks.finish()?;
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find_for(&mut *tx, id, &caller.user).await?;
    if request.to == TaskStatus::Assigned && before.technician_id.is_none() {
        return Err(Error::invalid("to", "assign a technician first"));
    }
    if !before.status.can_move_to(request.to) {
        return Err(store::invalid_transition(before.status, request.to));
    }
    let after = Task {
        status: request.to,
        ..before.clone()
    };
    let change = Change {
        before,
        after,
        status_reason: request.reason.as_deref(),
        date_reason: None,
        lead: Lead::Status,
    };
    let applied = change::apply(&mut tx, change, by, now_ms()).await?;
    tx.commit().await?;
    applied.publish(&state, by);
    Ok(ApiResponse::ok(applied.task))
}

/// Where a task can go next.
#[derive(Debug, Serialize, ToSchema)]
pub struct Transitions {
    /// The task's current status.
    pub from: TaskStatus,
    /// Statuses the caller may move it to now, in the state machine's order (empty for viewers;
    /// `assigned` only once a technician is set).
    pub allowed: Vec<TaskStatus>,
}

/// The statuses the caller may move a task to now (workshop roles; a technician their own tasks),
/// so a client can offer exactly the moves `POST /tasks/{id}/transition` accepts.
#[utoipa::path(
    get,
    path = "/tasks/{id}/transitions",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The current status and the allowed targets", body = ApiResponse<Transitions>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn transitions(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Transitions>> {
    let task = store::find_for(&state.db, id, &caller.user).await?;
    let may_move = WorkshopStaff::ALLOWED.contains(&caller.user.role());
    let allowed = task
        .status
        .targets()
        .iter()
        .copied()
        .filter(|to| may_move && (*to != TaskStatus::Assigned || task.technician_id.is_some()))
        .collect();
    Ok(ApiResponse::ok(Transitions {
        from: task.status,
        allowed,
    }))
}

/// One entry of a task's history.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct HistoryEntry {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// What happened.
    pub event: HistoryEvent,
    /// Status before (`status_changed`).
    pub old_status: Option<TaskStatus>,
    /// Status after (`created`, `status_changed`).
    pub new_status: Option<TaskStatus>,
    /// Value before (`delayed`: date; `assigned`: technician id).
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub changed_at: DateTime<Utc>,
    /// Who.
    #[sqlx(try_from = "StoredOptId")]
    pub changed_by: Option<Uuid>,
    /// Their name.
    pub changed_by_name: Option<String>,
}

/// A task's history, oldest first (workshop roles; a technician their own tasks).
#[utoipa::path(
    get,
    path = "/tasks/{id}/history",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The history", body = ApiResponse<Vec<HistoryEntry>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn history(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Vec<HistoryEntry>>> {
    store::find_for(&state.db, id, &caller.user).await?;
    let entries: Vec<HistoryEntry> = sqlx::query_as(
        "SELECT h.id, h.event, h.old_status, h.new_status, h.old_value, h.new_value, h.reason, h.changed_at, \
           h.changed_by, u.first_name || ' ' || u.last_name AS changed_by_name \
         FROM task_history h LEFT JOIN users u ON u.id = h.changed_by \
         WHERE h.task_id = $1 ORDER BY h.changed_at, h.rowid",
    )
    .bind(id.hyphenated().to_string())
    .fetch_all(&state.db)
    .await?;
    Ok(ApiResponse::ok(entries))
}

/// A new date for a task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelayRequest {
    /// New day, `YYYY-MM-DD`, different from the current one.
    #[schema(example = "2026-11-25")]
    #[schema(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub scheduled_date: String,
    /// Why (required, up to 500 characters).
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub reason: String,
}

/// Move a task to another day, keeping its times (admin, supervisor: a technician may not move
/// a task's date, their own included). The technician must be free on the new day; the move is
/// recorded in the history.
#[utoipa::path(
    post,
    path = "/tasks/{id}/delay",
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = DelayRequest,
    responses(
        (status = 200, description = "The task after the delay", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 403, description = "`AUTHORIZATION_ERROR`: not an admin or a supervisor", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the task is closed, or the technician is booked", body = ErrorEnvelope),
    )
)]
pub async fn delay(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<DelayRequest>,
) -> Result<ApiResponse<Task>> {
    let mut checks = Checks::default();
    checks.rule(
        "scheduled_date",
        parse_date(&request.scheduled_date).map(|_| ()),
    );
    reason_ok(&mut checks, Some(&request.reason), true);
    checks.finish()?;
    let date = request.scheduled_date.trim().to_owned();
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find_for(&mut *tx, id, &caller.user).await?;
    if before.status.is_closed() {
        return Err(Error::Conflict {
            message: format!("a {} task cannot be delayed", before.status).into(),
            details: None,
        });
    }
    if date == before.scheduled_date {
        return Err(Error::invalid(
            "scheduled_date",
            "is the task's current date",
        ));
    }
    let after = Task {
        scheduled_date: date,
        ..before.clone()
    };
    let change = Change {
        before,
        after,
        status_reason: None,
        date_reason: Some(&request.reason),
        lead: Lead::Edit,
    };
    let applied = change::apply(&mut tx, change, by, now_ms()).await?;
    tx.commit().await?;
    applied.publish(&state, by);
    Ok(ApiResponse::ok(applied.task))
}
