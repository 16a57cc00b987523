use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, CurrentUser, Managers, Workshop};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::scheduling::event::{
    CalendarEvent, EVENT_COLUMNS, EventFields, EventRow, EventStatus, EventType,
};
use crate::scheduling::{self, Booking, Except};
use crate::state::AppState;
use crate::tasks;
use crate::tasks::change::{self, Change, Lead};
use crate::tasks::model::{Task, TaskStatus, text};

/// A live event by id.
async fn find(db: impl sqlx::SqliteExecutor<'_>, id: Uuid) -> Result<CalendarEvent> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM calendar_events WHERE id = ? AND deleted_at IS NULL");
    sqlx::query_as::<_, EventRow>(&sql)
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .map(EventRow::into_event)
        .ok_or_else(|| Error::NotFound("no such calendar event".into()))
}

/// A live event the caller may see: a technician sees events without a technician and their own.
async fn find_for(
    db: impl sqlx::SqliteExecutor<'_>,
    id: Uuid,
    user: &CurrentUser,
) -> Result<CalendarEvent> {
    let event = find(db, id).await?;
    match (scheduling::scope(user), event.technician_id) {
        (Some(me), Some(technician)) if technician != me => {
            Err(Error::NotFound("no such calendar event".into()))
        }
        _ => Ok(event),
    }
}

fn audience(event: &CalendarEvent, before: Option<Uuid>) -> Audience {
    if event.technician_id.is_none() && before.is_none() {
        Audience::Workshop
    } else {
        Audience::task([before, event.technician_id])
    }
}

/// Range and filters of the event list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventListQuery {
    /// Events ending after this instant (RFC 3339, e.g. `2026-11-23T00:00:00Z`).
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Events booking this technician.
    pub technician_id: Option<Uuid>,
    /// Events of this task.
    pub task_id: Option<Uuid>,
    /// Events of this client.
    pub client_id: Option<Uuid>,
    /// Kind.
    pub event_type: Option<EventType>,
    /// Status.
    pub status: Option<EventStatus>,
    /// Page size (1–500, default 50).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// Events overlapping a range, by start time (workshop roles; a technician sees events without
/// a technician and their own).
#[utoipa::path(
    get,
    path = "/calendar/events",
    tag = "calendar",
    security(("bearer" = [])),
    params(EventListQuery),
    responses(
        (status = 200, description = "A page of events", body = ApiResponse<Page<CalendarEvent>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn list_events(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<EventListQuery>,
) -> Result<ApiResponse<Page<CalendarEvent>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if to <= from {
            return Err(Error::invalid("to", "must be after `from`"));
        }
    }
    let scope = scheduling::scope(&caller.user);
    let filter = |q: &mut QueryBuilder<'_, Sqlite>| {
        q.push(" FROM calendar_events WHERE deleted_at IS NULL");
        if let Some(from) = query.from {
            q.push(" AND end_at > ").push_bind(from.timestamp_millis());
        }
        if let Some(to) = query.to {
            q.push(" AND start_at < ").push_bind(to.timestamp_millis());
        }
        for (column, id) in [
            ("technician_id", query.technician_id),
            ("task_id", query.task_id),
            ("client_id", query.client_id),
        ] {
            if let Some(id) = id {
                q.push(format!(" AND {column} = "))
                    .push_bind(id.hyphenated().to_string());
            }
        }
        if let Some(me) = scope {
            q.push(" AND (technician_id IS NULL OR technician_id = ")
                .push_bind(me.hyphenated().to_string())
                .push(")");
        }
        if let Some(kind) = query.event_type {
            q.push(" AND event_type = ").push_bind(kind);
        }
        if let Some(status) = query.status {
            q.push(" AND status = ").push_bind(status);
        }
    };
    let page: Page<EventRow> = list::fetch_page(
        &mut *state.db.acquire().await?,
        EVENT_COLUMNS,
        filter,
        "start_at, id",
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page.map(EventRow::into_event)))
}

/// Check what an event refers to and that its technician is free.
async fn check_event(
    conn: &mut SqliteConnection,
    event: &Resolved,
    except_event: Option<Uuid>,
) -> Result<()> {
    if let Some(task) = event.task_id {
        tasks::store::find(&mut *conn, task)
            .await
            .map_err(|_| Error::invalid("task_id", "no live task has this id"))?;
    }
    if let Some(client) = event.client_id {
        tasks::store::client_contact(&mut *conn, client).await?;
    }
    if let Some(technician) = event.technician_id {
        scheduling::ensure_technician(&mut *conn, technician).await?;
        if event.status != EventStatus::Cancelled {
            let except = Except {
                task: event.task_id,
                event: except_event,
            };
            let slot = (event.start.timestamp_millis(), event.end.timestamp_millis());
            scheduling::ensure_free(&mut *conn, technician, slot, except).await?;
        }
    }
    Ok(())
}

/// The fields that decide whether an event can be booked, after a change.
struct Resolved {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    task_id: Option<Uuid>,
    client_id: Option<Uuid>,
    technician_id: Option<Uuid>,
    status: EventStatus,
}

/// Create an event (admin, supervisor). Its technician must be active and free.
#[utoipa::path(
    post,
    path = "/calendar/events",
    tag = "calendar",
    security(("bearer" = [])),
    request_body = EventFields,
    responses(
        (status = 201, description = "The new event", body = ApiResponse<CalendarEvent>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the technician is booked (`details.conflicts`)", body = ErrorEnvelope),
    )
)]
pub async fn create_event(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(fields): Json<EventFields>,
) -> Result<(StatusCode, ApiResponse<CalendarEvent>)> {
    fields.validate(true)?;
    let (Some(start), Some(end)) = (fields.start_datetime, fields.end_datetime) else {
        return Err(Error::invalid("start_datetime", "is required"));
    };
    let resolved = Resolved {
        start,
        end,
        task_id: fields.task_id,
        client_id: fields.client_id,
        technician_id: fields.technician_id,
        status: fields.status.unwrap_or_default(),
    };
    let by = caller.user.id();
    let mut tx = write_transaction(&state.db).await?;
    check_event(&mut tx, &resolved, None).await?;
    let id = insert_event(&mut tx, &fields, &resolved, by).await?;
    let event = find(&mut *tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::CalendarCreated,
        audience(&event, None),
        Some(by),
        &event,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(event)))
}

async fn insert_event(
    conn: &mut SqliteConnection,
    fields: &EventFields,
    resolved: &Resolved,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let now = now_ms();
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    sqlx::query(
        "INSERT INTO calendar_events (id, title, description, start_at, end_at, all_day, timezone, event_type, \
           category, task_id, client_id, technician_id, location, participants, recurrence_rule, reminders, status, \
           created_at, updated_at, created_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.hyphenated())
    .bind(fields.title.as_deref().map(str::trim))
    .bind(opt(&fields.description))
    .bind(resolved.start.timestamp_millis())
    .bind(resolved.end.timestamp_millis())
    .bind(fields.all_day.unwrap_or(false))
    .bind(opt(&fields.timezone).unwrap_or_else(|| "UTC".into()))
    .bind(fields.event_type.unwrap_or_default())
    .bind(opt(&fields.category))
    .bind(resolved.task_id.map(|t| t.hyphenated()))
    .bind(resolved.client_id.map(|c| c.hyphenated()))
    .bind(resolved.technician_id.map(|t| t.hyphenated()))
    .bind(opt(&fields.location))
    .bind(serde_json::to_string(fields.participants.as_deref().unwrap_or_default()).unwrap_or_else(|_| "[]".into()))
    .bind(opt(&fields.recurrence_rule))
    .bind(serde_json::to_string(fields.reminders.as_deref().unwrap_or_default()).unwrap_or_else(|_| "[]".into()))
    .bind(resolved.status)
    .bind(now)
    .bind(now)
    .bind(by.hyphenated())
    .execute(conn)
    .await?;
    Ok(id)
}

/// One event (workshop roles; a technician events without a technician and their own).
#[utoipa::path(
    get,
    path = "/calendar/events/{id}",
    tag = "calendar",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event", body = ApiResponse<CalendarEvent>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_event(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<CalendarEvent>> {
    find_for(&state.db, id, &caller.user)
        .await
        .map(ApiResponse::ok)
}

/// Change an event (admin, supervisor); a new slot or technician is checked for conflicts.
#[utoipa::path(
    patch,
    path = "/calendar/events/{id}",
    tag = "calendar",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = EventFields,
    responses(
        (status = 200, description = "The event after the change", body = ApiResponse<CalendarEvent>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the technician is booked", body = ErrorEnvelope),
    )
)]
pub async fn update_event(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<EventFields>,
) -> Result<ApiResponse<CalendarEvent>> {
    fields.validate(false)?;
    let by = caller.user.id();
    let mut tx = write_transaction(&state.db).await?;
    let before = find(&mut *tx, id).await?;
    let resolved = Resolved {
        start: fields.start_datetime.unwrap_or(before.start_datetime),
        end: fields.end_datetime.unwrap_or(before.end_datetime),
        task_id: fields.task_id.or(before.task_id),
        client_id: fields.client_id.or(before.client_id),
        technician_id: fields.technician_id.or(before.technician_id),
        status: fields.status.unwrap_or(before.status),
    };
    if resolved.end <= resolved.start {
        return Err(Error::invalid(
            "end_datetime",
            "must be after start_datetime",
        ));
    }
    check_event(&mut tx, &resolved, Some(id)).await?;

    let mut update = QueryBuilder::<Sqlite>::new("UPDATE calendar_events SET updated_at = ");
    update
        .push_bind(now_ms())
        .push(", start_at = ")
        .push_bind(resolved.start.timestamp_millis())
        .push(", end_at = ")
        .push_bind(resolved.end.timestamp_millis())
        .push(", status = ")
        .push_bind(resolved.status);
    if let Some(title) = &fields.title {
        update.push(", title = ").push_bind(title.trim().to_owned());
    }
    for (column, value) in [
        ("description", &fields.description),
        ("category", &fields.category),
        ("location", &fields.location),
        ("recurrence_rule", &fields.recurrence_rule),
    ] {
        if let Some(value) = value {
            update.push(format!(", {column} = ")).push_bind(text(value));
        }
    }
    if let Some(timezone) = &fields.timezone {
        update
            .push(", timezone = ")
            .push_bind(text(timezone).unwrap_or_else(|| "UTC".into()));
    }
    if let Some(all_day) = fields.all_day {
        update.push(", all_day = ").push_bind(all_day);
    }
    if let Some(kind) = fields.event_type {
        update.push(", event_type = ").push_bind(kind);
    }
    for (column, value) in [
        ("task_id", fields.task_id),
        ("client_id", fields.client_id),
        ("technician_id", fields.technician_id),
    ] {
        if let Some(value) = value {
            update
                .push(format!(", {column} = "))
                .push_bind(value.hyphenated().to_string());
        }
    }
    if let Some(participants) = &fields.participants {
        update
            .push(", participants = ")
            .push_bind(serde_json::to_string(participants).unwrap_or_else(|_| "[]".into()));
    }
    if let Some(reminders) = &fields.reminders {
        update
            .push(", reminders = ")
            .push_bind(serde_json::to_string(reminders).unwrap_or_else(|_| "[]".into()));
    }
    update
        .push(" WHERE id = ")
        .push_bind(id.hyphenated().to_string());
    update.build().execute(&mut *tx).await?;
    let event = find(&mut *tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::CalendarUpdated,
        audience(&event, before.technician_id),
        Some(by),
        &event,
    );
    Ok(ApiResponse::ok(event))
}

/// Delete an event (admin, supervisor): soft delete.
#[utoipa::path(
    delete,
    path = "/calendar/events/{id}",
    tag = "calendar",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, description = "The deleted event", body = ApiResponse<CalendarEvent>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn delete_event(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<CalendarEvent>> {
    let by = caller.user.id();
    let event = find(&state.db, id).await?;
    let now = now_ms();
    sqlx::query("UPDATE calendar_events SET deleted_at = ?, deleted_by = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")
        .bind(now)
        .bind(by.hyphenated())
        .bind(now)
        .bind(id.hyphenated())
        .execute(&state.db)
        .await?;
    state.live.publish(
        EventKind::CalendarDeleted,
        audience(&event, None),
        Some(by),
        &event,
    );
    Ok(ApiResponse::ok(event))
}

/// A slot to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// Technician.
    pub technician_id: Uuid,
    /// Start, RFC 3339.
    pub start: DateTime<Utc>,
    /// End, RFC 3339, after the start.
    pub end: DateTime<Utc>,
    /// An event to leave out (the one being moved).
    pub exclude_event_id: Option<Uuid>,
    /// A task (and its events) to leave out.
    pub exclude_task_id: Option<Uuid>,
}

/// Bookings in the way.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conflicts {
    /// No booking overlaps.
    pub available: bool,
    /// The overlapping tasks and events.
    pub conflicts: Vec<Booking>,
}

/// The technician's tasks and events overlapping a slot (workshop roles; a technician only
/// for themselves).
#[utoipa::path(
    post,
    path = "/calendar/conflicts",
    tag = "calendar",
    security(("bearer" = [])),
    request_body = ConflictRequest,
    responses(
        (status = 200, description = "Conflicts", body = ApiResponse<Conflicts>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn conflicts(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Json(request): Json<ConflictRequest>,
) -> Result<ApiResponse<Conflicts>> {
    scheduling::ensure_own_bookings(&caller.user, request.technician_id)?;
    if request.end <= request.start {
        return Err(Error::invalid("end", "must be after start"));
    }
    let except = Except {
        task: request.exclude_task_id,
        event: request.exclude_event_id,
    };
    let slot = (
        request.start.timestamp_millis(),
        request.end.timestamp_millis(),
    );
    let conflicts = scheduling::bookings(&state.db, request.technician_id, slot, except).await?;
    Ok(ApiResponse::ok(Conflicts {
        available: conflicts.is_empty(),
        conflicts,
    }))
}

/// Book a task into the calendar.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleTaskRequest {
    /// The task.
    pub task_id: Uuid,
    /// Start, RFC 3339 (UTC); start and end on the same UTC day.
    #[schema(example = "2026-11-23T09:00:00Z")]
    pub start: DateTime<Utc>,
    /// End, RFC 3339, after the start.
    #[schema(example = "2026-11-23T12:00:00Z")]
    pub end: DateTime<Utc>,
    /// An active technician, free in the slot.
    pub technician_id: Uuid,
}

/// The booked event and the task it now schedules.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduledTask {
    /// The new `task` event.
    pub event: CalendarEvent,
    /// The task with its new date, times and technician.
    pub task: Task,
}

/// Schedule a task (admin, supervisor): in one transaction, replace the task's booking event,
/// set its date, times and technician, and move a draft, pending or held task to `scheduled`.
#[utoipa::path(
    post,
    path = "/calendar/schedule-task",
    tag = "calendar",
    security(("bearer" = [])),
    request_body = ScheduleTaskRequest,
    responses(
        (status = 201, description = "The event and the task", body = ApiResponse<ScheduledTask>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such task", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the technician is booked, or the task is closed", body = ErrorEnvelope),
    )
)]
pub async fn schedule_task(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(request): Json<ScheduleTaskRequest>,
) -> Result<(StatusCode, ApiResponse<ScheduledTask>)> {
    if request.end <= request.start {
        return Err(Error::invalid("end", "must be after start"));
    }
    for (field, at) in [("start", request.start), ("end", request.end)] {
        if at.timestamp_millis() % 60_000 != 0 {
            return Err(Error::invalid(
                field,
                "must be a whole minute (tasks keep HH:MM times)",
            ));
        }
    }
    let date = request.start.date_naive();
    let last_instant = request.end - chrono::Duration::milliseconds(1);
    if last_instant.date_naive() != date {
        return Err(Error::invalid(
            "end",
            "must be on the same (UTC) day as start",
        ));
    }
    let (start_time, end_time) = (
        request.start.format("%H:%M").to_string(),
        request.end.format("%H:%M").to_string(),
    );
    if end_time <= start_time {
        // An end at midnight cannot be written as a task's HH:MM end time.
        return Err(Error::invalid("end", "must be before midnight"));
    }
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.db).await?;
    let before = tasks::store::find(&mut *tx, request.task_id).await?;
    if before.status.is_closed() {
        return Err(Error::Conflict {
            message: format!("a {} task cannot be scheduled", before.status).into(),
            details: None,
        });
    }
    scheduling::ensure_technician(&mut *tx, request.technician_id).await?;

    // The task's earlier booking events are replaced by the new one.
    let replaced_sql = format!(
        "SELECT {EVENT_COLUMNS} FROM calendar_events WHERE task_id = ? AND event_type = 'task' AND deleted_at IS NULL"
    );
    let replaced: Vec<CalendarEvent> = sqlx::query_as::<_, EventRow>(&replaced_sql)
        .bind(request.task_id.hyphenated())
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(EventRow::into_event)
        .collect();
    sqlx::query(
        "UPDATE calendar_events SET deleted_at = ?, deleted_by = ?, updated_at = ? \
         WHERE task_id = ? AND event_type = 'task' AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(by.hyphenated())
    .bind(now)
    .bind(request.task_id.hyphenated())
    .execute(&mut *tx)
    .await?;

    // The task takes the slot and the technician (checked to be free there) through its change
    // path; a task that can be scheduled is.
    let status = if before.status.can_move_to(TaskStatus::Scheduled) {
        TaskStatus::Scheduled
    } else {
        before.status
    };
    let after = Task {
        scheduled_date: date.to_string(),
        start_time: Some(start_time),
        end_time: Some(end_time),
        technician_id: Some(request.technician_id),
        status,
        ..before.clone()
    };
    let title = format!("{} {}", before.task_number, before.title);
    let client_id = before.client_id;
    let change = Change {
        before,
        after,
        status_reason: Some("scheduled in the calendar"),
        date_reason: None,
        lead: Lead::Edit,
    };
    let applied = change::apply(&mut tx, change, by, now).await?;

    let fields = EventFields {
        title: Some(title.chars().take(200).collect()),
        event_type: Some(EventType::Task),
        ..EventFields::default()
    };
    let resolved = Resolved {
        start: request.start,
        end: request.end,
        task_id: Some(request.task_id),
        client_id,
        technician_id: Some(request.technician_id),
        status: EventStatus::Confirmed,
    };
    let event_id = insert_event(&mut tx, &fields, &resolved, by).await?;
    let event = find(&mut *tx, event_id).await?;
    tx.commit().await?;

    for old in &replaced {
        state.live.publish(
            EventKind::CalendarDeleted,
            audience(old, None),
            Some(by),
            old,
        );
    }
    state.live.publish(
        EventKind::CalendarCreated,
        audience(&event, None),
        Some(by),
        &event,
    );
    applied.publish(&state, by);
    Ok((
        StatusCode::CREATED,
        ApiResponse::ok(ScheduledTask {
            event,
            task: applied.task,
        }),
    ))
}
