//! The SQL shared by the calendar routes: finding a live event (as anyone or as the caller),
//! checking what a new or changed event refers to and that its technician is free, inserting
//! one, and who hears about it.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use crate::db::Sql;
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
pub(super) async fn find(db: impl sqlx::AnyExecutor<'_>, id: Uuid) -> Result<CalendarEvent> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM calendar_events WHERE id = $1 AND deleted_at IS NULL");
    sqlx::query_as::<_, CalendarEvent>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such calendar event".into()))
}

/// A live event the caller may see (see [`push_visible_to`]).
pub(super) async fn find_for(
    conn: &mut AnyConnection,
    id: Uuid,
    user: &CurrentUser,
) -> Result<CalendarEvent> {
    let event = find(&mut *conn, id).await?;
    let Some(me) = scheduling::scope(user) else {
        return Ok(event);
    };
    match watcher(&mut *conn, &event).await? {
        Watcher::Everyone => Ok(event),
        Watcher::Technician(technician) if technician == me => Ok(event),
        _ => Err(Error::NotFound("no such calendar event".into())),
    }
}

/// ` AND` the condition the events a technician (`me`) may see meet: an event of a task only
/// when the task is theirs; an event of no task when it books no technician or them.
pub(super) fn push_visible_to(q: &mut Sql, me: Uuid) {
    let me = me.hyphenated().to_string();
    q.push(" AND ((task_id IS NULL AND (technician_id IS NULL OR technician_id = ")
        .push_bind(me.clone())
        .push(")) OR task_id IN (SELECT id FROM tasks WHERE technician_id = ")
        .push_bind(me)
        .push(" AND deleted_at IS NULL))");
}

/// Which technicians may see an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Watcher {
    /// Every workshop role.
    Everyone,
    /// This technician (and the roles that see all).
    Technician(Uuid),
    /// No technician (only the roles that see all).
    Nobody,
}

async fn watcher(conn: &mut AnyConnection, event: &CalendarEvent) -> Result<Watcher> {
    Ok(match (event.task_id, event.technician_id) {
        (Some(task), _) => {
            let owner: Option<Option<String>> =
                sqlx::query_scalar("SELECT technician_id FROM tasks WHERE id = $1")
                    .bind(task.hyphenated().to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            match owner.flatten().and_then(|id| id.parse().ok()) {
                Some(owner) => Watcher::Technician(owner),
                None => Watcher::Nobody,
            }
        }
        (None, Some(technician)) => Watcher::Technician(technician),
        (None, None) => Watcher::Everyone,
    })
}

/// Who hears about a change to `event` (and, for a change, what it was `before`): the
/// technicians who may see it before or after, with the roles that see all.
pub(super) async fn audience(
    conn: &mut AnyConnection,
    event: &CalendarEvent,
    before: Option<&CalendarEvent>,
) -> Result<Audience> {
    let mut technicians = Vec::new();
    for event in std::iter::once(event).chain(before) {
        match watcher(&mut *conn, event).await? {
            Watcher::Everyone => return Ok(Audience::Workshop),
            Watcher::Technician(id) => technicians.push(Some(id)),
            Watcher::Nobody => {}
        }
    }
    Ok(Audience::task(technicians))
}

/// Check what an event refers to and that its technician is free.
pub(super) async fn check_event(
    conn: &mut AnyConnection,
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
    conn: &mut AnyConnection,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(id.hyphenated().to_string())
    .bind(fields.title.as_deref().map(str::trim))
    .bind(opt(&fields.description))
    .bind(resolved.start.timestamp_millis())
    .bind(resolved.end.timestamp_millis())
    .bind(fields.all_day.unwrap_or(false))
    .bind(opt(&fields.timezone).unwrap_or_else(|| "UTC".into()))
    .bind(fields.event_type.unwrap_or_default())
    .bind(opt(&fields.category))
    .bind(resolved.task_id.map(|t| t.hyphenated().to_string()))
    .bind(resolved.client_id.map(|c| c.hyphenated().to_string()))
    .bind(resolved.technician_id.map(|t| t.hyphenated().to_string()))
    .bind(opt(&fields.location))
    .bind(serde_json::to_string(fields.participants.as_deref().unwrap_or_default()).unwrap_or_else(|_| "[]".into()))
    .bind(opt(&fields.recurrence_rule))
    .bind(serde_json::to_string(fields.reminders.as_deref().unwrap_or_default()).unwrap_or_else(|_| "[]".into()))
    .bind(resolved.status)
    .bind(now)
    .bind(now)
    .bind(by.hyphenated().to_string())
    .execute(conn)
    .await?;
    Ok(id)
}
