//! Bookings: who is busy when. A technician is booked by their open tasks' slots and their live
//! calendar events; this module checks a slot is free ([`ensure_free`]), lists what is in the
//! way ([`bookings`]), and keeps a task's booking events in line with the task ([`follow`]).
//!
//! Tasks and the calendar both use it; it uses neither (areas depend one way: calendar →
//! tasks → scheduling).

pub mod event;
pub mod follow;

use crate::db::stored::StoredId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{CurrentUser, Role};
use crate::clock::to_datetime;
use crate::error::{Error, Result};

pub use follow::{Followed, announce, follow_task};

/// The technician whose work bounds what the caller sees, if the caller is a technician.
pub fn scope(user: &CurrentUser) -> Option<Uuid> {
    (user.role() == Role::Technician).then(|| user.id())
}

/// Check that `id` is an active, unbanned technician.
pub async fn ensure_technician(db: impl sqlx::AnyExecutor<'_>, id: Uuid) -> Result<()> {
    let role: Option<Role> = sqlx::query_scalar(
        "SELECT role FROM users WHERE id = $1 AND deleted_at IS NULL AND is_active = TRUE AND banned_at IS NULL",
    )
    .bind(id.hyphenated().to_string())
    .fetch_optional(db)
    .await?;
    match role {
        Some(Role::Technician) => Ok(()),
        Some(role) => Err(Error::invalid(
            "technician_id",
            format!("the user is a {role}, not a technician"),
        )),
        None => Err(Error::invalid(
            "technician_id",
            "no active technician has this id",
        )),
    }
}

/// Something a technician is already booked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Booking {
    /// `task` or `event`.
    pub kind: String,
    /// The task's or event's id.
    pub id: Uuid,
    /// Its title (a task's number and title).
    pub title: String,
    /// Start of the booking.
    pub start: DateTime<Utc>,
    /// End of the booking.
    pub end: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    kind: String,
    id: StoredId,
    title: String,
    start_ms: i64,
    end_ms: i64,
}

/// What to leave out of a booking check: the task being (re)booked, or the event being moved.
#[derive(Debug, Clone, Copy, Default)]
pub struct Except {
    /// A task (its booking events never count apart from it).
    pub task: Option<Uuid>,
    /// A calendar event.
    pub event: Option<Uuid>,
}

impl Except {
    /// Leave out one task: the one being rebooked.
    pub fn task(id: Uuid) -> Self {
        Self {
            task: Some(id),
            event: None,
        }
    }
}

/// The technician's open tasks and live events that overlap `[start, end)` (epoch ms).
///
/// A task's own booking events (`event_type = 'task'`) are not counted apart from the task: the
/// task's slot is the booking, and those events follow it (see `calendar::follow_task`).
pub async fn bookings(
    db: impl sqlx::AnyExecutor<'_>,
    technician: Uuid,
    (start, end): (i64, i64),
    except: Except,
) -> Result<Vec<Booking>> {
    let task = except.task.map(|id| id.hyphenated().to_string());
    let event = except.event.map(|id| id.hyphenated().to_string());
    let rows: Vec<BookingRow> = sqlx::query_as(
        "SELECT 'task' AS kind, id, task_number || ' ' || title AS title, slot_start AS start_ms, slot_end AS end_ms \
         FROM tasks \
         WHERE technician_id = $1 AND deleted_at IS NULL AND slot_start < $3 AND slot_end > $2 \
           AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid') \
           AND id IS DISTINCT FROM $4 \
         UNION ALL \
         SELECT 'event', id, title, start_at, end_at FROM calendar_events \
         WHERE technician_id = $1 AND deleted_at IS NULL AND start_at < $3 AND end_at > $2 \
           AND status <> 'cancelled' AND id IS DISTINCT FROM $5 \
           AND NOT (event_type = 'task' AND task_id IS NOT NULL) \
         ORDER BY start_ms",
    )
    .bind(technician.hyphenated().to_string())
    .bind(start)
    .bind(end)
    .bind(task)
    .bind(event)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            Ok(Booking {
                kind: row.kind,
                id: row.id.into_uuid()?,
                title: row.title,
                start: to_datetime(row.start_ms),
                end: to_datetime(row.end_ms),
            })
        })
        .collect::<std::result::Result<_, sqlx::Error>>()?)
}

/// A technician may look only at their own bookings; managers and viewers at anyone's.
pub fn ensure_own_bookings(user: &CurrentUser, technician: Uuid) -> Result<()> {
    match scope(user) {
        Some(me) if me != technician => Err(Error::Forbidden(
            "a technician may check only their own bookings".into(),
        )),
        _ => Ok(()),
    }
}

/// `CONFLICT` naming the bookings in the way, unless the technician is free in the slot.
pub async fn ensure_free(
    db: impl sqlx::AnyExecutor<'_>,
    technician: Uuid,
    slot: (i64, i64),
    except: Except,
) -> Result<()> {
    let bookings = bookings(db, technician, slot, except).await?;
    if bookings.is_empty() {
        return Ok(());
    }
    Err(Error::Conflict {
        message: "the technician is already booked in this slot".into(),
        details: Some(serde_json::json!({ "conflicts": bookings })),
    })
}
