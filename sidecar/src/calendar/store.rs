//! The SQL shared by the calendar routes: finding a live event (as anyone or as the caller),
//! checking what a new or changed event refers to and that its technician is free, inserting
//! one, and who hears about it.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::live::Audience;
use crate::scheduling::event::{CalendarEvent, EVENT_COLUMNS, EventFields, EventStatus};
use crate::scheduling::{self, Except};
use crate::tasks;
use crate::tasks::model::text;

/// A live event by id.
pub(super) async fn find(db: impl sqlx::SqliteExecutor<'_>, id: Uuid) -> Result<CalendarEvent> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM calendar_events WHERE id = ? AND deleted_at IS NULL");
    sqlx::query_as::<_, CalendarEvent>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such calendar event".into()))
}

/// A live event the caller may see: a technician sees events without a technician and their own.
pub(super) async fn find_for(
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

/// Who hears about a change to `event`: every workshop role when it books no technician, else
/// the other roles and only its technicians (`before` the change and now).
pub(super) fn audience(event: &CalendarEvent, before: Option<Uuid>) -> Audience {
    if event.technician_id.is_none() && before.is_none() {
        Audience::Workshop
    } else {
        Audience::task([before, event.technician_id])
    }
}

/// Check what an event refers to and that its technician is free.
pub(super) async fn check_event(
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
pub(super) struct Resolved {
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    pub(super) task_id: Option<Uuid>,
    pub(super) client_id: Option<Uuid>,
    pub(super) technician_id: Option<Uuid>,
    pub(super) status: EventStatus,
}

/// Insert an event from `fields` and its resolved slot and links; returns its id.
pub(super) async fn insert_event(
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
