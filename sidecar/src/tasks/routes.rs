//! Task CRUD: list with filters, create, read, change, soft delete.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized, Managers, Role, Workshop, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::scheduling::{self, Except};
use crate::state::AppState;
use crate::tasks::change::{self, Change, Lead, notify_assignment};
use crate::tasks::fields::{TECHNICIAN_FIELDS, TaskFields};
use crate::tasks::filter::{TaskFilter, TaskListQuery, order_by};
use crate::tasks::model::{Task, TaskStatus, booked_slot, text};
use crate::tasks::pages;
use crate::tasks::store;

/// List tasks (workshop roles; a technician gets only their own).
#[utoipa::path(
    get,
    path = "/tasks",
    params(TaskListQuery),
    responses(
        (status = 200, description = "A page of tasks", body = ApiResponse<Page<Task>>),
        (status = 400, description = "`VALIDATION_ERROR` naming the bad filter", body = ErrorEnvelope),
    )
)]
pub async fn list_tasks(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<TaskListQuery>,
) -> Result<Response> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let order = order_by(query.sort.as_deref())?;
    let filter = TaskFilter::new(&query, store::scope(&caller.user))?;
    // A page asked for again before any task changes is sent as it was (see `pages`).
    let seen = caller.user.versions.tasks;
    let body = pages::page(&state.db, &state.task_pages, filter, order, bounds, seen).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The effective start and end times after a change: both or neither, start before end.
fn times(start: Option<String>, end: Option<String>) -> Result<(Option<String>, Option<String>)> {
    match (&start, &end) {
        (Some(s), Some(e)) if s >= e => Err(Error::invalid("end_time", "must be after start_time")),
        (Some(_), None) => Err(Error::invalid("end_time", "is required with start_time")),
        (None, Some(_)) => Err(Error::invalid("start_time", "is required with end_time")),
        _ => Ok((start, end)),
    }
}

/// Create a task (admin, supervisor). With `technician_id`, the technician must be active and
/// free in the task's slot.
#[utoipa::path(
    post,
    path = "/tasks",
    request_body = crate::tasks::fields::NewTask,
    responses(
        (status = 201, description = "The new task", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the technician is booked (`details.conflicts`)", body = ErrorEnvelope),
    )
)]
pub async fn create_task(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(fields): Json<TaskFields>,
) -> Result<(StatusCode, ApiResponse<Task>)> {
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    let task = create(&mut tx, &fields, by).await?;
    tx.commit().await?;
    publish_created(&state, &task, by);
    Ok((StatusCode::CREATED, ApiResponse::ok(task)))
}

/// Make a new task of `fields` by `by` in the caller's write transaction: its checks, the
/// technician's availability, its number, the row. Publish with [`publish_created`] after the
/// commit. `POST /tasks` and a quote's conversion both make their tasks here.
pub async fn create(tx: &mut sqlx::AnyConnection, fields: &TaskFields, by: Uuid) -> Result<Task> {
    fields.validate(true)?;
    let status = fields.status.unwrap_or(TaskStatus::Draft);
    if !TaskStatus::INITIAL.contains(&status) {
        return Err(Error::invalid(
            "status",
            "a new task starts as draft, pending, scheduled or assigned",
        ));
    }
    if status == TaskStatus::Assigned && fields.technician_id.is_none() {
        return Err(Error::invalid(
            "technician_id",
            "is required for an assigned task",
        ));
    }
    let (start, end) = times(
        fields.start_time.as_deref().and_then(text),
        fields.end_time.as_deref().and_then(text),
    )?;
    let date = fields.scheduled_date.as_deref().unwrap_or_default().trim();
    let slot = booked_slot(date, start.as_deref(), end.as_deref())?;
    let client_contact = match fields.client_id {
        Some(client) => Some(store::client_contact(&mut *tx, client).await?),
        None => None,
    };
    if let Some(technician) = fields.technician_id {
        scheduling::ensure_technician(&mut *tx, technician).await?;
        scheduling::ensure_free(&mut *tx, technician, slot, Except::default()).await?;
    }
    let now = Utc::now();
    let number = store::allocate_number(tx, now).await?;
    let new = fields.new_task(number, status, client_contact, by, now);
    store::insert(tx, std::slice::from_ref(&new), Some(by)).await?;
    store::find(&mut *tx, new.id).await
}

/// After the commit of [`create`]: `task.created`, and `task.assigned` with the technician's
/// desktop notification when it has one.
pub fn publish_created(state: &AppState, task: &Task, by: Uuid) {
    let audience = Audience::task([task.technician_id]);
    state
        .live
        .publish(EventKind::TaskCreated, audience.clone(), Some(by), task);
    if task.technician_id.is_some() {
        state
            .live
            .publish(EventKind::TaskAssigned, audience, Some(by), task);
        notify_assignment(state, task);
    }
}

/// One task (workshop roles; a technician only their own).
#[utoipa::path(
    get,
    path = "/tasks/{id}",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = ApiResponse<Task>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_task(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Task>> {
    store::find_for(&state.db, id, &caller.user)
        .await
        .map(ApiResponse::ok)
}

/// Change a task (admin, supervisor; a technician their own tasks' `status`, `notes`,
/// `checklist_completed`, `lot_film`, `actual_duration`). A `status` follows the state machine and
/// is recorded in the history; a new technician or slot is checked like an assignment.
#[utoipa::path(
    patch,
    path = "/tasks/{id}",
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = TaskFields,
    responses(
        (status = 200, description = "The task after the change", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 403, description = "`AUTHORIZATION_ERROR`: a field a technician may not change", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION` (with `details.allowed`) or `CONFLICT` (booked)", body = ErrorEnvelope),
    )
)]
pub async fn update_task(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<TaskFields>,
) -> Result<ApiResponse<Task>> {
    fields.validate(false)?;
    let user = &caller.user;
    if user.role() == Role::Technician {
        let beyond = fields.beyond_technician();
        if !beyond.is_empty() {
            return Err(Error::Forbidden(
                format!(
                    "a technician may change only {}; not {}",
                    TECHNICIAN_FIELDS.join(", "),
                    beyond.join(", ")
                )
                .into(),
            ));
        }
    }
    let contact = match fields.client_id {
        Some(client) => Some(store::client_contact(&state.db, client).await?),
        None => None,
    };
    let by = user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find_for(&mut *tx, id, user).await?;
    let mut after = before.clone();
    fields.describe(&mut after, contact);
    if let Some(date) = &fields.scheduled_date {
        date.trim().clone_into(&mut after.scheduled_date);
    }
    let clearing_times = [&fields.start_time, &fields.end_time]
        .into_iter()
        .any(|time| time.as_deref().is_some_and(|t| text(t).is_none()));
    (after.start_time, after.end_time) = if clearing_times {
        (None, None)
    } else {
        times(
            fields
                .start_time
                .as_deref()
                .and_then(text)
                .or(before.start_time.clone()),
            fields
                .end_time
                .as_deref()
                .and_then(text)
                .or(before.end_time.clone()),
        )?
    };
    if let Some(technician) = fields.technician_id {
        after.technician_id = Some(technician);
    }
    if let Some(to) = fields.status {
        if to == before.status {
            return Err(store::invalid_transition(before.status, to));
        }
        after.status = to;
    }
    let change = Change {
        before,
        after,
        status_reason: None,
        date_reason: None,
        lead: Lead::Edit,
    };
    let applied = change::apply(&mut tx, change, by, now).await?;
    tx.commit().await?;
    applied.publish(&state, by);
    Ok(ApiResponse::ok(applied.task))
}

/// Delete a task (admin): soft delete; it leaves lists, lookups and its client's counters.
#[utoipa::path(
    delete,
    path = "/tasks/{id}",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The deleted task", body = ApiResponse<Task>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn delete_task(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Task>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let task = store::find(&mut *tx, id).await?;
    sqlx::query("UPDATE tasks SET deleted_at = $1, deleted_by = $2, updated_at = $3 WHERE id = $4 AND deleted_at IS NULL")
        .bind(now)
        .bind(by.hyphenated().to_string())
        .bind(now)
        .bind(id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    let followed = scheduling::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;
    scheduling::announce(&state, &followed, by);
    state.live.publish(
        EventKind::TaskDeleted,
        Audience::task([task.technician_id]),
        Some(by),
        &task,
    );
    Ok(ApiResponse::ok(task))
}
