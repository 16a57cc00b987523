//! A task's booking events (`event_type = 'task'`) follow their task: they move with its slot and
//! technician, are cancelled when it closes, and are deleted with it.

use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::Result;
use crate::live::{Audience, EventKind};
use crate::scheduling::event::{CalendarEvent, EVENT_COLUMNS};
use crate::state::AppState;

/// A booking event changed because its task changed.
#[derive(Debug)]
pub struct Followed {
    /// The event after the change.
    pub event: CalendarEvent,
    /// Whether it was deleted (its task was).
    pub deleted: bool,
    /// Its technician before the change.
    pub technician_before: Option<Uuid>,
}

/// The events of `ids` as stored, deleted or not.
async fn events(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<CalendarEvent>> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM calendar_events WHERE id = $1");
        let row: CalendarEvent = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        found.push(row);
    }
    Ok(found)
}

/// Bring the task's live booking events in line with the task; returns those that changed.
/// Call in the transaction that changed the task, after the change.
pub async fn follow_task(
    conn: &mut AnyConnection,
    task: Uuid,
    by: Uuid,
    now: i64,
) -> Result<Vec<Followed>> {
    let before: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, technician_id FROM calendar_events \
         WHERE task_id = $1 AND event_type = 'task' AND deleted_at IS NULL",
    )
    .bind(task.hyphenated().to_string())
    .fetch_all(&mut *conn)
    .await?;
    if before.is_empty() {
        return Ok(Vec::new());
    }
    let deleted: Vec<String> = sqlx::query_scalar(
        "UPDATE calendar_events SET deleted_at = $1, deleted_by = $2, updated_at = $1 \
         WHERE task_id = $3 AND event_type = 'task' AND deleted_at IS NULL \
           AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = $3 AND t.deleted_at IS NOT NULL) \
         RETURNING id",
    )
    .bind(now)
    .bind(by.hyphenated().to_string())
    .bind(task.hyphenated().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let moved: Vec<String> = sqlx::query_scalar(
        "UPDATE calendar_events SET start_at = t.slot_start, end_at = t.slot_end, \
           technician_id = t.technician_id, updated_at = $1, \
           status = CASE WHEN t.status IN ('completed', 'cancelled', 'archived', 'failed', 'invalid') \
                         THEN 'cancelled' ELSE calendar_events.status END \
         FROM tasks t \
         WHERE t.id = calendar_events.task_id AND calendar_events.task_id = $2 \
           AND calendar_events.event_type = 'task' AND calendar_events.deleted_at IS NULL \
           AND (calendar_events.start_at IS DISTINCT FROM t.slot_start OR calendar_events.end_at IS DISTINCT FROM t.slot_end \
                OR calendar_events.technician_id IS DISTINCT FROM t.technician_id \
                OR (t.status IN ('completed', 'cancelled', 'archived', 'failed', 'invalid') \
                    AND calendar_events.status <> 'cancelled')) \
         RETURNING calendar_events.id",
    )
    .bind(now)
    .bind(task.hyphenated().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let technician_before = |id: Uuid| {
        before
            .iter()
            .find(|(event, _)| event.parse() == Ok(id))
            .and_then(|(_, technician)| technician.as_deref()?.parse().ok())
    };
    let mut followed = Vec::new();
    for (ids, deleted) in [(deleted, true), (moved, false)] {
        for event in events(conn, &ids).await? {
            followed.push(Followed {
                technician_before: technician_before(event.id),
                event,
                deleted,
            });
        }
    }
    Ok(followed)
}

/// Publish `calendar.updated` or `calendar.deleted` for each followed event (after commit).
pub fn announce(state: &AppState, followed: &[Followed], by: Uuid) {
    for change in followed {
        let kind = if change.deleted {
            EventKind::CalendarDeleted
        } else {
            EventKind::CalendarUpdated
        };
        let audience = match (change.technician_before, change.event.technician_id) {
            (None, None) => Audience::Workshop,
            (before, after) => Audience::task([before, after]),
        };
        state.live.publish(kind, audience, Some(by), &change.event);
    }
}
