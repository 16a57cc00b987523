//! `/calendar/events`: list a range, create, read, change and delete events; the checks and SQL
//! they share are in [`store`](super::store).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::db::Sql;
use utoipa::IntoParams;
use uuid::Uuid;

use super::store::{
    Resolved, audience, check_event, find, find_for, insert_event, push_visible_to,
};
use crate::auth::{Authorized, Managers, Workshop};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::EventKind;
use crate::response::ApiResponse;
use crate::scheduling;
use crate::scheduling::event::{CalendarEvent, EVENT_COLUMNS, EventFields, EventStatus, EventType};
use crate::state::AppState;
use crate::tasks::model::text;

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
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// Events overlapping a range, by start time (workshop roles; a technician sees events without
/// a technician and their own).
#[utoipa::path(
    get,
    path = "/calendar/events",
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
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to <= from
    {
        return Err(Error::invalid("to", "must be after `from`"));
    }
    let scope = scheduling::scope(&caller.user);
    let filter = |q: &mut Sql| {
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
            push_visible_to(q, me);
        }
        if let Some(kind) = query.event_type {
            q.push(" AND event_type = ").push_bind(kind);
        }
        if let Some(status) = query.status {
            q.push(" AND status = ").push_bind(status);
        }
    };
    let page: Page<CalendarEvent> = list::fetch_page(
        &mut *state.db.acquire().await?,
        EVENT_COLUMNS,
        filter,
        "start_at, id",
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page))
}

/// Create an event (admin, supervisor). Its technician must be active and free.
#[utoipa::path(
    post,
    path = "/calendar/events",
    request_body = crate::scheduling::event::NewEvent,
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
    let mut tx = write_transaction(&state.writer).await?;
    check_event(&mut tx, &resolved, None).await?;
    let id = insert_event(&mut tx, &fields, &resolved, by).await?;
    let event = find(&mut *tx, id).await?;
    let audience = audience(&mut tx, &event, None).await?;
    tx.commit().await?;
    state
        .live
        .publish(EventKind::CalendarCreated, audience, Some(by), &event);
    Ok((StatusCode::CREATED, ApiResponse::ok(event)))
}

/// One event (workshop roles; a technician events without a technician and their own).
#[utoipa::path(
    get,
    path = "/calendar/events/{id}",
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
    find_for(&mut *state.db.acquire().await?, id, &caller.user)
        .await
        .map(ApiResponse::ok)
}

/// Change an event (admin, supervisor); a new slot or technician is checked for conflicts.
#[utoipa::path(
    patch,
    path = "/calendar/events/{id}",
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
    let mut tx = write_transaction(&state.writer).await?;
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

    let mut update = Sql::new("UPDATE calendar_events SET updated_at = ");
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
    let audience = audience(&mut tx, &event, Some(&before)).await?;
    tx.commit().await?;
    state
        .live
        .publish(EventKind::CalendarUpdated, audience, Some(by), &event);
    Ok(ApiResponse::ok(event))
}

/// Delete an event (admin, supervisor): soft delete.
#[utoipa::path(
    delete,
    path = "/calendar/events/{id}",
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
    sqlx::query("UPDATE calendar_events SET deleted_at = $1, deleted_by = $2, updated_at = $3 WHERE id = $4 AND deleted_at IS NULL")
        .bind(now)
        .bind(by.hyphenated().to_string())
        .bind(now)
        .bind(id.hyphenated().to_string())
        .execute(&state.writer)
        .await?;
    let audience = audience(&mut *state.db.acquire().await?, &event, None).await?;
    state
        .live
        .publish(EventKind::CalendarDeleted, audience, Some(by), &event);
    Ok(ApiResponse::ok(event))
}
