//! `/calendar/schedule-task`: book a task into the calendar, replacing its booking event and
//! moving the task to the slot through the tasks' change path, in one transaction.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::store::{Resolved, audience, find, insert_event};
use crate::auth::{Authorized, Managers};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::live::EventKind;
use crate::response::ApiResponse;
use crate::scheduling;
use crate::scheduling::event::{CalendarEvent, EVENT_COLUMNS, EventFields, EventStatus, EventType};
use crate::state::AppState;
use crate::tasks;
use crate::tasks::change::{self, Change, Lead};
use crate::tasks::model::{Task, TaskStatus};

/// Book a task into the calendar.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleTaskRequest {
    /// The task.
    pub task_id: Uuid,
    /// Start, RFC 3339 (UTC), a whole minute; start and end on the same UTC day.
    #[schema(example = "2026-11-23T09:00:00Z")]
    pub start: DateTime<Utc>,
    /// End, RFC 3339, a whole minute, after the start.
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
    let mut tx = write_transaction(&state.writer).await?;
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
        "SELECT {EVENT_COLUMNS} FROM calendar_events WHERE task_id = $1 AND event_type = 'task' AND deleted_at IS NULL"
    );
    let replaced: Vec<CalendarEvent> =
        sqlx::query_as::<_, CalendarEvent>(sqlx::AssertSqlSafe(replaced_sql))
            .bind(request.task_id.hyphenated().to_string())
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    sqlx::query(
        "UPDATE calendar_events SET deleted_at = $1, deleted_by = $2, updated_at = $3 \
         WHERE task_id = $4 AND event_type = 'task' AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(by.hyphenated().to_string())
    .bind(now)
    .bind(request.task_id.hyphenated().to_string())
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
    let mut audiences = Vec::with_capacity(replaced.len());
    for old in &replaced {
        audiences.push(audience(&mut tx, old, None).await?);
    }
    let created = audience(&mut tx, &event, None).await?;
    tx.commit().await?;

    for (old, audience) in replaced.iter().zip(audiences) {
        state
            .live
            .publish(EventKind::CalendarDeleted, audience, Some(by), old);
    }
    state
        .live
        .publish(EventKind::CalendarCreated, created, Some(by), &event);
    applied.publish(&state, by);
    Ok((
        StatusCode::CREATED,
        ApiResponse::ok(ScheduledTask {
            event,
            task: applied.task,
        }),
    ))
}
