//! A task's life: status moves, history, delays, notes, assignment and availability.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use uuid::fmt::Hyphenated;

use crate::auth::{Authorized, Managers, Roles, Workshop, WorkshopStaff};
use crate::calendar;
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::events::Audience;
use crate::extract::{Json, Path, Query};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::model::{Task, TaskStatus, parse_date, parse_time, slot, text};
use crate::tasks::routes::notify_assignment;
use crate::tasks::store::{self, Booking, Change, Except, HistoryEvent};
use crate::validate::Checks;

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// Target status.
    pub to: TaskStatus,
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
    tag = "tasks",
    security(("bearer" = [])),
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
    let mut tx = write_transaction(&state.db).await?;
    let task = store::find_for(&mut *tx, id, &caller.user).await?;
    if request.to == TaskStatus::Assigned && task.technician_id.is_none() {
        return Err(Error::invalid("to", "assign a technician first"));
    }
    let now = now_ms();
    store::move_status(
        &mut tx,
        &task,
        request.to,
        request.reason.as_deref(),
        by,
        now,
    )
    .await?;
    let task = store::find(&mut *tx, id).await?;
    let followed = calendar::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;
    calendar::announce(&state, &followed, by);
    let audience = Audience::task([task.technician_id]);
    state
        .events
        .publish("task.status_changed", audience.clone(), Some(by), &task);
    state
        .events
        .publish("task.updated", audience, Some(by), &task);
    Ok(ApiResponse::ok(task))
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
    tag = "tasks",
    security(("bearer" = [])),
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
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Id.
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
    pub changed_at: DateTime<Utc>,
    /// Who.
    pub changed_by: Option<Uuid>,
    /// Their name.
    pub changed_by_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: Hyphenated,
    event: HistoryEvent,
    old_status: Option<TaskStatus>,
    new_status: Option<TaskStatus>,
    old_value: Option<String>,
    new_value: Option<String>,
    reason: Option<String>,
    changed_at: i64,
    changed_by: Option<Hyphenated>,
    changed_by_name: Option<String>,
}

/// A task's history, oldest first (workshop roles; a technician their own tasks).
#[utoipa::path(
    get,
    path = "/tasks/{id}/history",
    tag = "tasks",
    security(("bearer" = [])),
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
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT h.id, h.event, h.old_status, h.new_status, h.old_value, h.new_value, h.reason, h.changed_at, \
           h.changed_by, u.first_name || ' ' || u.last_name AS changed_by_name \
         FROM task_history h LEFT JOIN users u ON u.id = h.changed_by \
         WHERE h.task_id = ? ORDER BY h.changed_at, h.rowid",
    )
    .bind(id.hyphenated())
    .fetch_all(&state.db)
    .await?;
    Ok(ApiResponse::ok(
        rows.into_iter()
            .map(|r| HistoryEntry {
                id: r.id.into_uuid(),
                event: r.event,
                old_status: r.old_status,
                new_status: r.new_status,
                old_value: r.old_value,
                new_value: r.new_value,
                reason: r.reason,
                changed_at: to_datetime(r.changed_at),
                changed_by: r.changed_by.map(Hyphenated::into_uuid),
                changed_by_name: r.changed_by_name,
            })
            .collect(),
    ))
}

/// A new date for a task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelayRequest {
    /// New day, `YYYY-MM-DD`, different from the current one.
    #[schema(example = "2026-11-25")]
    pub scheduled_date: String,
    /// Why (required, up to 500 characters).
    pub reason: String,
}

/// Move a task to another day, keeping its times (admin, supervisor, its technician). The
/// technician must be free on the new day; the move is recorded in the history.
#[utoipa::path(
    post,
    path = "/tasks/{id}/delay",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = DelayRequest,
    responses(
        (status = 200, description = "The task after the delay", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the task is closed, or the technician is booked", body = ErrorEnvelope),
    )
)]
pub async fn delay(
    caller: Authorized<WorkshopStaff>,
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
    let now = now_ms();
    let mut tx = write_transaction(&state.db).await?;
    let task = store::find_for(&mut *tx, id, &caller.user).await?;
    if task.status.is_closed() {
        return Err(Error::Conflict {
            message: format!("a {} task cannot be delayed", task.status).into(),
            details: None,
        });
    }
    if date == task.scheduled_date {
        return Err(Error::invalid(
            "scheduled_date",
            "is the task's current date",
        ));
    }
    if let Some(technician) = task.technician_id {
        let slot = slot(&date, task.start_time.as_deref(), task.end_time.as_deref())
            .ok_or_else(|| Error::invalid("scheduled_date", "is not a date"))?;
        store::ensure_free(&mut *tx, technician, slot, Except::task(id)).await?;
    }
    sqlx::query("UPDATE tasks SET scheduled_date = ?, updated_at = ?, updated_by = ? WHERE id = ?")
        .bind(&date)
        .bind(now)
        .bind(by.hyphenated())
        .bind(id.hyphenated())
        .execute(&mut *tx)
        .await?;
    let change = Change::value(
        HistoryEvent::Delayed,
        Some(task.scheduled_date.clone()),
        Some(date),
    )
    .because(Some(&request.reason));
    store::record(&mut tx, id, change, by, now).await?;
    let task = store::find(&mut *tx, id).await?;
    let followed = calendar::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;
    calendar::announce(&state, &followed, by);
    state.events.publish(
        "task.updated",
        Audience::task([task.technician_id]),
        Some(by),
        &task,
    );
    Ok(ApiResponse::ok(task))
}

/// A note on a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskNote {
    /// Id.
    pub id: Uuid,
    /// Task.
    pub task_id: Uuid,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Author.
    pub created_by: Option<Uuid>,
    /// Author's name.
    pub author_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Hyphenated,
    task_id: Hyphenated,
    body: String,
    created_at: i64,
    created_by: Option<Hyphenated>,
    author_name: Option<String>,
}

impl NoteRow {
    fn into_note(self) -> TaskNote {
        TaskNote {
            id: self.id.into_uuid(),
            task_id: self.task_id.into_uuid(),
            body: self.body,
            created_at: to_datetime(self.created_at),
            created_by: self.created_by.map(Hyphenated::into_uuid),
            author_name: self.author_name,
        }
    }
}

const NOTE_SELECT: &str = "SELECT n.id, n.task_id, n.body, n.created_at, n.created_by, \
    u.first_name || ' ' || u.last_name AS author_name \
    FROM task_notes n LEFT JOIN users u ON u.id = n.created_by";

/// A task's notes, oldest first (workshop roles; a technician their own tasks).
#[utoipa::path(
    get,
    path = "/tasks/{id}/notes",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The notes", body = ApiResponse<Vec<TaskNote>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn list_notes(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Vec<TaskNote>>> {
    store::find_for(&state.db, id, &caller.user).await?;
    let rows: Vec<NoteRow> = sqlx::query_as(&format!(
        "{NOTE_SELECT} WHERE n.task_id = ? ORDER BY n.created_at, n.rowid"
    ))
    .bind(id.hyphenated())
    .fetch_all(&state.db)
    .await?;
    Ok(ApiResponse::ok(
        rows.into_iter().map(NoteRow::into_note).collect(),
    ))
}

/// A new note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// Text (1–2,000 characters).
    pub body: String,
}

/// Add a note to a task (admin, supervisor; a technician to their own tasks).
#[utoipa::path(
    post,
    path = "/tasks/{id}/notes",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = NoteRequest,
    responses(
        (status = 201, description = "The note", body = ApiResponse<TaskNote>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn add_note(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<NoteRequest>,
) -> Result<(StatusCode, ApiResponse<TaskNote>)> {
    let body = text(&request.body).unwrap_or_default();
    let len = body.chars().count();
    if !(1..=2000).contains(&len) {
        return Err(Error::invalid("body", "must be 1 to 2000 characters"));
    }
    let task = store::find_for(&state.db, id, &caller.user).await?;
    let note = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO task_notes (id, task_id, body, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(note.hyphenated())
    .bind(id.hyphenated())
    .bind(&body)
    .bind(now_ms())
    .bind(caller.user.id().hyphenated())
    .execute(&state.db)
    .await?;
    let row: NoteRow = sqlx::query_as(&format!("{NOTE_SELECT} WHERE n.id = ?"))
        .bind(note.hyphenated())
        .fetch_one(&state.db)
        .await?;
    let note = row.into_note();
    state.events.publish(
        "task.note_added",
        Audience::task([task.technician_id]),
        Some(caller.user.id()),
        &note,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(note)))
}

/// Who should do a task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// An active technician, free in the task's slot; `null` unassigns.
    pub technician_id: Option<Uuid>,
}

/// Assign a task to a technician, or unassign it (admin, supervisor). The technician must be
/// active and have no overlapping task or event; the desktop is notified.
#[utoipa::path(
    post,
    path = "/tasks/{id}/assign",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The task after the assignment", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR`: not an active technician", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: booked (`details.conflicts`), or the task is closed", body = ErrorEnvelope),
    )
)]
pub async fn assign(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<AssignRequest>,
) -> Result<ApiResponse<Task>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.db).await?;
    let before = store::find(&mut *tx, id).await?;
    if before.status.is_closed() {
        return Err(Error::Conflict {
            message: format!("a {} task cannot be assigned", before.status).into(),
            details: None,
        });
    }
    if request.technician_id == before.technician_id {
        return Ok(ApiResponse::ok(before));
    }
    if let Some(technician) = request.technician_id {
        store::ensure_technician(&mut *tx, technician).await?;
        let slot = slot(
            &before.scheduled_date,
            before.start_time.as_deref(),
            before.end_time.as_deref(),
        )
        .ok_or_else(|| Error::invalid("scheduled_date", "is not a date"))?;
        store::ensure_free(&mut *tx, technician, slot, Except::task(id)).await?;
    } else if before.status == TaskStatus::Assigned {
        return Err(Error::Conflict {
            message: "an assigned task keeps a technician; move its status first".into(),
            details: None,
        });
    }
    sqlx::query(
        "UPDATE tasks SET technician_id = ?, assigned_at = ?, assigned_by = ?, updated_at = ?, updated_by = ? WHERE id = ?",
    )
    .bind(request.technician_id.map(|t| t.hyphenated()))
    .bind(request.technician_id.map(|_| now))
    .bind(request.technician_id.map(|_| by.hyphenated()))
    .bind(now)
    .bind(by.hyphenated())
    .bind(id.hyphenated())
    .execute(&mut *tx)
    .await?;
    let change = Change::value(
        HistoryEvent::Assigned,
        before.technician_id.map(|t| t.to_string()),
        request.technician_id.map(|t| t.to_string()),
    );
    store::record(&mut tx, id, change, by, now).await?;
    let task = store::find(&mut *tx, id).await?;
    let followed = calendar::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;
    calendar::announce(&state, &followed, by);
    let audience = Audience::task([before.technician_id, task.technician_id]);
    state
        .events
        .publish("task.assigned", audience.clone(), Some(by), &task);
    state
        .events
        .publish("task.updated", audience, Some(by), &task);
    if task.technician_id.is_some() {
        notify_assignment(&state, &task);
    }
    Ok(ApiResponse::ok(task))
}

/// A dry-run of an assignment.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// Technician.
    pub technician_id: Uuid,
    /// Day, `YYYY-MM-DD`.
    pub date: String,
    /// Start, `HH:MM` (with `end`; without both, the whole day).
    pub start: Option<String>,
    /// End, `HH:MM`.
    pub end: Option<String>,
    /// A task to leave out (the one being moved).
    pub exclude_task_id: Option<Uuid>,
}

/// Whether a technician is free.
#[derive(Debug, Serialize, ToSchema)]
pub struct Availability {
    /// An active technician.
    pub technician_ok: bool,
    /// No booking overlaps.
    pub available: bool,
    /// The overlapping bookings.
    pub conflicts: Vec<Booking>,
}

/// Whether a technician could take a slot, without booking it (workshop roles; a technician
/// only for themselves).
#[utoipa::path(
    get,
    path = "/tasks/availability",
    tag = "tasks",
    security(("bearer" = [])),
    params(AvailabilityQuery),
    responses(
        (status = 200, description = "Availability and conflicts", body = ApiResponse<Availability>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn availability(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<AvailabilityQuery>,
) -> Result<ApiResponse<Availability>> {
    store::ensure_own_bookings(&caller.user, query.technician_id)?;
    let mut checks = Checks::default();
    checks.rule("date", parse_date(&query.date).map(|_| ()));
    for (field, value) in [("start", &query.start), ("end", &query.end)] {
        if let Some(value) = value {
            checks.rule(field, parse_time(value).map(|_| ()));
        }
    }
    checks.check(
        "end",
        query.start.is_some() == query.end.is_some(),
        "give both start and end, or neither",
    );
    checks.check(
        "end",
        match (&query.start, &query.end) {
            (Some(s), Some(e)) => s.trim() < e.trim(),
            _ => true,
        },
        "must be after start",
    );
    checks.finish()?;
    let technician_ok = store::ensure_technician(&state.db, query.technician_id)
        .await
        .is_ok();
    let slot = slot(&query.date, query.start.as_deref(), query.end.as_deref())
        .ok_or_else(|| Error::invalid("date", "is not a date"))?;
    let except = Except {
        task: query.exclude_task_id,
        event: None,
    };
    let conflicts = store::bookings(&state.db, query.technician_id, slot, except).await?;
    Ok(ApiResponse::ok(Availability {
        technician_ok,
        available: technician_ok && conflicts.is_empty(),
        conflicts,
    }))
}
