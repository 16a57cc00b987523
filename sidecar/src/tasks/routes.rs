//! Task CRUD: list with filters, create, read, change, soft delete.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized, Managers, Role, Workshop, WorkshopStaff};
use crate::calendar;
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::events::Audience;
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::filter::{TaskFilter, TaskListQuery, order_by};
use crate::tasks::model::{
    TECHNICIAN_FIELDS, Task, TaskFields, TaskStatus, labels_json, slot, text,
};
use crate::tasks::pages;
use crate::tasks::store::{self, Change, Except, HistoryEvent, NewTask};
use crate::validate::normalize_email;

/// List tasks (workshop roles; a technician gets only their own).
#[utoipa::path(
    get,
    path = "/tasks",
    tag = "tasks",
    security(("bearer" = [])),
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
    // The hot path: each row is written as its `Task` JSON in place (see `wire`), and a page
    // asked for again before any task changes is sent as it was (see `pages`).
    let body = pages::page(&state.reader, &state.task_pages, filter, order, bounds).await?;
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

/// The epoch-ms slot of a date and times that have been checked.
fn booked_slot(date: &str, start: Option<&str>, end: Option<&str>) -> Result<(i64, i64)> {
    slot(date, start, end).ok_or_else(|| Error::invalid("scheduled_date", "is not a date"))
}

/// Tell the desktop that a task was assigned; never delays or fails the request.
pub fn notify_assignment(state: &AppState, task: &Task) {
    let state = state.clone();
    let title = format!("Task {} assigned", task.task_number);
    let body = format!(
        "{} — {} {}",
        task.title,
        task.scheduled_date,
        task.start_time.as_deref().unwrap_or_default()
    );
    tokio::spawn(async move { crate::desktop::notify(&state, &title, body.trim()).await });
}

/// Create a task (admin, supervisor). With `technician_id`, the technician must be active and
/// free in the task's slot.
#[utoipa::path(
    post,
    path = "/tasks",
    tag = "tasks",
    security(("bearer" = [])),
    request_body = TaskFields,
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
        Some(client) => Some(store::client_contact(&state.db, client).await?),
        None => None,
    };
    let by = caller.user.id();
    let mut tx = write_transaction(&state.db).await?;
    if let Some(technician) = fields.technician_id {
        store::ensure_technician(&mut *tx, technician).await?;
        store::ensure_free(&mut *tx, technician, slot, Except::default()).await?;
    }
    let new = NewTask {
        fields: &fields,
        status,
        client_contact,
    };
    let id = store::insert(&mut tx, new, by, Utc::now()).await?;
    let task = store::find(&mut *tx, id).await?;
    tx.commit().await?;

    let audience = Audience::task([task.technician_id]);
    state
        .events
        .publish("task.created", audience.clone(), Some(by), &task);
    if task.technician_id.is_some() {
        state
            .events
            .publish("task.assigned", audience, Some(by), &task);
        notify_assignment(&state, &task);
    }
    Ok((StatusCode::CREATED, ApiResponse::ok(task)))
}

/// One task (workshop roles; a technician only their own).
#[utoipa::path(
    get,
    path = "/tasks/{id}",
    tag = "tasks",
    security(("bearer" = [])),
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
    tag = "tasks",
    security(("bearer" = [])),
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
    let client_contact = match fields.client_id {
        Some(client) => Some(store::client_contact(&state.db, client).await?),
        None => None,
    };
    let by = user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.db).await?;
    let before = store::find_for(&mut *tx, id, user).await?;

    // The schedule and technician after the change.
    let date = fields
        .scheduled_date
        .as_deref()
        .map(|d| d.trim().to_owned())
        .unwrap_or_else(|| before.scheduled_date.clone());
    let clearing_times = fields
        .start_time
        .as_deref()
        .is_some_and(|s| text(s).is_none())
        || fields
            .end_time
            .as_deref()
            .is_some_and(|s| text(s).is_none());
    let (start, end) = if clearing_times {
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
    let technician = fields.technician_id.or(before.technician_id);
    let new_technician = fields
        .technician_id
        .filter(|t| Some(*t) != before.technician_id);
    let rescheduled =
        date != before.scheduled_date || start != before.start_time || end != before.end_time;
    if fields.status == Some(TaskStatus::Assigned) && technician.is_none() {
        return Err(Error::invalid(
            "technician_id",
            "is required for an assigned task",
        ));
    }
    if let Some(technician) = new_technician {
        store::ensure_technician(&mut *tx, technician).await?;
    }
    let status_after = fields.status.unwrap_or(before.status);
    if let Some(technician) = technician.filter(|_| new_technician.is_some() || rescheduled) {
        if !status_after.is_closed() {
            let slot = booked_slot(&date, start.as_deref(), end.as_deref())?;
            store::ensure_free(&mut *tx, technician, slot, Except::task(id)).await?;
        }
    }

    let mut update = QueryBuilder::<Sqlite>::new("UPDATE tasks SET updated_at = ");
    update
        .push_bind(now)
        .push(", updated_by = ")
        .push_bind(by.hyphenated().to_string());
    let texts = [
        ("title", &fields.title),
        ("description", &fields.description),
        ("vehicle_make", &fields.vehicle_make),
        ("vehicle_year", &fields.vehicle_year),
        ("customer_name", &fields.customer_name),
        ("customer_phone", &fields.customer_phone),
        ("customer_address", &fields.customer_address),
        ("lot_film", &fields.lot_film),
        ("notes", &fields.notes),
    ];
    for (column, value) in texts {
        if let Some(value) = value {
            update.push(format!(", {column} = ")).push_bind(text(value));
        }
    }
    for (column, value) in [
        ("vehicle_plate", &fields.vehicle_plate),
        ("vehicle_model", &fields.vehicle_model),
    ] {
        if let Some(value) = value {
            update
                .push(format!(", {column} = "))
                .push_bind(value.trim().to_owned());
        }
    }
    if let Some(vin) = &fields.vin {
        update
            .push(", vin = ")
            .push_bind(text(vin).map(|v| v.to_ascii_uppercase()));
    }
    if let Some(email) = &fields.customer_email {
        update
            .push(", customer_email = ")
            .push_bind(text(email).map(|e| normalize_email(&e)));
    }
    for (column, value) in [
        ("ppf_zones", &fields.ppf_zones),
        ("custom_ppf_zones", &fields.custom_ppf_zones),
        ("tags", &fields.tags),
    ] {
        if let Some(value) = value {
            update
                .push(format!(", {column} = "))
                .push_bind(labels_json(value));
        }
    }
    if let Some(priority) = fields.priority {
        update.push(", priority = ").push_bind(priority);
    }
    if let Some(done) = fields.checklist_completed {
        update.push(", checklist_completed = ").push_bind(done);
    }
    for (column, value) in [
        ("estimated_duration", fields.estimated_duration),
        ("actual_duration", fields.actual_duration),
    ] {
        if let Some(value) = value {
            update.push(format!(", {column} = ")).push_bind(value);
        }
    }
    if let Some(client) = fields.client_id {
        update
            .push(", client_id = ")
            .push_bind(client.hyphenated().to_string());
        if let Some((name, email, phone)) = client_contact {
            if fields.customer_name.is_none() {
                update.push(", customer_name = ").push_bind(name);
            }
            if fields.customer_email.is_none() {
                update.push(", customer_email = ").push_bind(email);
            }
            if fields.customer_phone.is_none() {
                update.push(", customer_phone = ").push_bind(phone);
            }
        }
    }
    if rescheduled {
        update
            .push(", scheduled_date = ")
            .push_bind(date.clone())
            .push(", start_time = ")
            .push_bind(start.clone())
            .push(", end_time = ")
            .push_bind(end.clone());
    }
    if let Some(technician) = new_technician {
        update
            .push(", technician_id = ")
            .push_bind(technician.hyphenated().to_string())
            .push(", assigned_at = ")
            .push_bind(now)
            .push(", assigned_by = ")
            .push_bind(by.hyphenated().to_string());
    }
    update
        .push(" WHERE id = ")
        .push_bind(id.hyphenated().to_string())
        .push(" AND deleted_at IS NULL");
    update.build().execute(&mut *tx).await?;

    if date != before.scheduled_date {
        let change = Change::value(
            HistoryEvent::Delayed,
            Some(before.scheduled_date.clone()),
            Some(date.clone()),
        );
        store::record(&mut tx, id, change, by, now).await?;
    }
    if let Some(technician) = new_technician {
        let change = Change::value(
            HistoryEvent::Assigned,
            before.technician_id.map(|t| t.to_string()),
            Some(technician.to_string()),
        );
        store::record(&mut tx, id, change, by, now).await?;
    }
    if let Some(to) = fields.status.filter(|to| *to != before.status) {
        let current = store::find(&mut *tx, id).await?;
        store::move_status(&mut tx, &current, to, None, by, now).await?;
    } else if let Some(to) = fields.status {
        return Err(store::invalid_transition(before.status, to));
    }
    let task = store::find(&mut *tx, id).await?;
    let followed = calendar::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;

    calendar::announce(&state, &followed, by);
    let audience = Audience::task([before.technician_id, task.technician_id]);
    state
        .events
        .publish("task.updated", audience.clone(), Some(by), &task);
    if task.status != before.status {
        state
            .events
            .publish("task.status_changed", audience.clone(), Some(by), &task);
    }
    if new_technician.is_some() {
        state
            .events
            .publish("task.assigned", audience, Some(by), &task);
        notify_assignment(&state, &task);
    }
    Ok(ApiResponse::ok(task))
}

/// Delete a task (admin): soft delete; it leaves lists, lookups and its client's counters.
#[utoipa::path(
    delete,
    path = "/tasks/{id}",
    tag = "tasks",
    security(("bearer" = [])),
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
    let mut tx = write_transaction(&state.db).await?;
    let task = store::find(&mut *tx, id).await?;
    sqlx::query("UPDATE tasks SET deleted_at = ?, deleted_by = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")
        .bind(now)
        .bind(by.hyphenated())
        .bind(now)
        .bind(id.hyphenated())
        .execute(&mut *tx)
        .await?;
    let followed = calendar::follow_task(&mut tx, id, by, now).await?;
    tx.commit().await?;
    calendar::announce(&state, &followed, by);
    state.events.publish(
        "task.deleted",
        Audience::task([task.technician_id]),
        Some(by),
        &task,
    );
    Ok(ApiResponse::ok(task))
}
