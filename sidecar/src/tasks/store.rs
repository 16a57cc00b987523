//! The task's SQL: lookups scoped to the caller, numbers, inserts, status moves, history and the
//! booking checks that assignment and the calendar share.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqliteConnection;
use utoipa::ToSchema;
use uuid::Uuid;
use uuid::fmt::Hyphenated;

use crate::auth::{CurrentUser, Role};
use crate::clock::to_datetime;
use crate::error::{Error, Result};
use crate::tasks::model::{
    Priority, TASK_COLUMNS, Task, TaskFields, TaskRow, TaskStatus, labels_json, text,
};
use crate::validate::normalize_email;

/// The technician whose tasks bound what the caller sees, if the caller is a technician.
pub fn scope(user: &CurrentUser) -> Option<Uuid> {
    (user.role() == Role::Technician).then(|| user.id())
}

/// A live task by id, whoever asks.
pub async fn find(db: impl sqlx::SqliteExecutor<'_>, id: Uuid) -> Result<Task> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ? AND deleted_at IS NULL");
    sqlx::query_as::<_, TaskRow>(&sql)
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .map(TaskRow::into_task)
        .ok_or_else(|| Error::NotFound("no such task".into()))
}

/// A live task the caller may see: a technician knows only their own (others are "not found").
pub async fn find_for(
    db: impl sqlx::SqliteExecutor<'_>,
    id: Uuid,
    user: &CurrentUser,
) -> Result<Task> {
    let task = find(db, id).await?;
    match scope(user) {
        Some(me) if task.technician_id != Some(me) => Err(Error::NotFound("no such task".into())),
        _ => Ok(task),
    }
}

/// Next `YYYYMMDD-NNN` for the day of `now`. Call inside a write transaction: the counter row
/// is updated and read in one statement, so concurrent creates never share a number.
pub async fn allocate_number(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<String> {
    let day = now.format("%Y%m%d").to_string();
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO task_number_counters (day, last) VALUES (?, 1) \
         ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(&day)
    .fetch_one(conn)
    .await?;
    Ok(format!("{day}-{next:03}"))
}

/// What kind of entry a history row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::Type, ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum HistoryEvent {
    /// The task was created (`new_status`: its first status).
    Created,
    /// The status moved (`old_status` → `new_status`).
    StatusChanged,
    /// The date moved (`old_value` → `new_value`, `YYYY-MM-DD`).
    Delayed,
    /// The technician changed (`old_value` → `new_value`, user ids; empty when none).
    Assigned,
}

/// One history row to write.
#[derive(Debug)]
pub struct Change<'a> {
    /// Kind.
    pub event: HistoryEvent,
    /// Status before.
    pub old_status: Option<TaskStatus>,
    /// Status after.
    pub new_status: Option<TaskStatus>,
    /// Value before (dates, technician ids).
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
    /// Why.
    pub reason: Option<&'a str>,
}

impl Change<'_> {
    /// A status move.
    pub fn status(from: Option<TaskStatus>, to: TaskStatus) -> Self {
        Self {
            event: if from.is_some() {
                HistoryEvent::StatusChanged
            } else {
                HistoryEvent::Created
            },
            old_status: from,
            new_status: Some(to),
            old_value: None,
            new_value: None,
            reason: None,
        }
    }

    /// A change of value (`Delayed`, `Assigned`).
    pub fn value(event: HistoryEvent, old: Option<String>, new: Option<String>) -> Self {
        Self {
            event,
            old_status: None,
            new_status: None,
            old_value: old,
            new_value: new,
            reason: None,
        }
    }

    /// With a reason.
    pub fn because(self, reason: Option<&str>) -> Change<'_> {
        Change { reason, ..self }
    }
}

/// Write a history row.
pub async fn record(
    conn: &mut SqliteConnection,
    task: Uuid,
    change: Change<'_>,
    by: Uuid,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_history (id, task_id, event, old_status, new_status, old_value, new_value, reason, changed_at, changed_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::new_v4().hyphenated())
    .bind(task.hyphenated())
    .bind(change.event)
    .bind(change.old_status)
    .bind(change.new_status)
    .bind(change.old_value)
    .bind(change.new_value)
    .bind(change.reason.and_then(text))
    .bind(now)
    .bind(by.hyphenated())
    .execute(conn)
    .await?;
    Ok(())
}

/// The `INVALID_TRANSITION` error for `from → to`, naming where `from` may go.
pub fn invalid_transition(from: TaskStatus, to: TaskStatus) -> Error {
    Error::InvalidTransition {
        from: from.to_string(),
        to: to.to_string(),
        allowed: from.targets().iter().map(ToString::to_string).collect(),
    }
}

/// Move a task's status if the state machine allows it, stamping `started_at` on the first
/// start and `completed_at` on completion, and write the history row.
pub async fn move_status(
    conn: &mut SqliteConnection,
    task: &Task,
    to: TaskStatus,
    reason: Option<&str>,
    by: Uuid,
    now: i64,
) -> Result<()> {
    if !task.status.can_move_to(to) {
        return Err(invalid_transition(task.status, to));
    }
    let moved = sqlx::query(
        "UPDATE tasks SET status = ?, updated_at = ?, updated_by = ?, \
           started_at = CASE WHEN ? = 'in_progress' THEN coalesce(started_at, ?) ELSE started_at END, \
           completed_at = CASE WHEN ? = 'completed' THEN ? ELSE completed_at END \
         WHERE id = ? AND status = ? AND deleted_at IS NULL",
    )
    .bind(to)
    .bind(now)
    .bind(by.hyphenated())
    .bind(to)
    .bind(now)
    .bind(to)
    .bind(now)
    .bind(task.id.hyphenated())
    .bind(task.status)
    .execute(&mut *conn)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(Error::Conflict {
            message: "the task changed meanwhile; reload it and try again".into(),
            details: None,
        });
    }
    record(
        conn,
        task.id,
        Change::status(Some(task.status), to).because(reason),
        by,
        now,
    )
    .await
}

/// Check that `id` is an active, unbanned technician.
pub async fn ensure_technician(db: impl sqlx::SqliteExecutor<'_>, id: Uuid) -> Result<()> {
    let role: Option<Role> = sqlx::query_scalar(
        "SELECT role FROM users WHERE id = ? AND deleted_at IS NULL AND is_active = 1 AND banned_at IS NULL",
    )
    .bind(id.hyphenated())
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

/// A live client's contact details, to fill a task's customer fields.
pub async fn client_contact(
    db: impl sqlx::SqliteExecutor<'_>,
    id: Uuid,
) -> Result<(String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT name, email, phone FROM clients WHERE id = ? AND deleted_at IS NULL")
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::invalid("client_id", "no live client has this id"))
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
    id: Hyphenated,
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
    db: impl sqlx::SqliteExecutor<'_>,
    technician: Uuid,
    (start, end): (i64, i64),
    except: Except,
) -> Result<Vec<Booking>> {
    let task = except.task.map(|id| id.hyphenated().to_string());
    let event = except.event.map(|id| id.hyphenated().to_string());
    let rows: Vec<BookingRow> = sqlx::query_as(
        "SELECT 'task' AS kind, id, task_number || ' ' || title AS title, slot_start AS start_ms, slot_end AS end_ms \
         FROM tasks \
         WHERE technician_id = ?1 AND deleted_at IS NULL AND slot_start < ?3 AND slot_end > ?2 \
           AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid') \
           AND id IS NOT ?4 \
         UNION ALL \
         SELECT 'event', id, title, start_at, end_at FROM calendar_events \
         WHERE technician_id = ?1 AND deleted_at IS NULL AND start_at < ?3 AND end_at > ?2 \
           AND status <> 'cancelled' AND id IS NOT ?5 \
           AND NOT (event_type = 'task' AND task_id IS NOT NULL) \
         ORDER BY start_ms",
    )
    .bind(technician.hyphenated())
    .bind(start)
    .bind(end)
    .bind(task)
    .bind(event)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Booking {
            kind: row.kind,
            id: row.id.into_uuid(),
            title: row.title,
            start: to_datetime(row.start_ms),
            end: to_datetime(row.end_ms),
        })
        .collect())
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
    db: impl sqlx::SqliteExecutor<'_>,
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

/// A task ready to insert: checked fields plus what the server decides.
#[derive(Debug)]
pub struct NewTask<'a> {
    /// The caller's fields (already validated).
    pub fields: &'a TaskFields,
    /// First status.
    pub status: TaskStatus,
    /// Customer defaults from the client: name, email, phone.
    pub client_contact: Option<(String, Option<String>, Option<String>)>,
}

/// Insert a task with a fresh number and its `created` history row; returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    new: NewTask<'_>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let fields = new.fields;
    let id = Uuid::new_v4();
    let number = allocate_number(conn, now).await?;
    let now_ms = now.timestamp_millis();
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    let (client_name, client_email, client_phone) = new.client_contact.unwrap_or_default();
    let plate = fields
        .vehicle_plate
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let model = fields
        .vehicle_model
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let title = opt(&fields.title).unwrap_or_else(|| format!("{model} {plate}"));
    let title: String = title.chars().take(100).collect();
    sqlx::query(
        "INSERT INTO tasks (id, task_number, title, description, vehicle_plate, vehicle_model, vehicle_make, \
           vehicle_year, vin, ppf_zones, custom_ppf_zones, status, priority, technician_id, assigned_at, \
           assigned_by, scheduled_date, start_time, end_time, client_id, customer_name, customer_email, \
           customer_phone, customer_address, lot_film, checklist_completed, notes, tags, estimated_duration, \
           actual_duration, created_at, updated_at, created_by, updated_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.hyphenated())
    .bind(&number)
    .bind(title)
    .bind(opt(&fields.description))
    .bind(plate)
    .bind(model)
    .bind(opt(&fields.vehicle_make))
    .bind(opt(&fields.vehicle_year))
    .bind(opt(&fields.vin).map(|v| v.to_ascii_uppercase()))
    .bind(labels_json(fields.ppf_zones.as_deref().unwrap_or_default()))
    .bind(labels_json(fields.custom_ppf_zones.as_deref().unwrap_or_default()))
    .bind(new.status)
    .bind(fields.priority.unwrap_or(Priority::Medium))
    .bind(fields.technician_id.map(|t| t.hyphenated()))
    .bind(fields.technician_id.map(|_| now_ms))
    .bind(fields.technician_id.map(|_| by.hyphenated()))
    .bind(fields.scheduled_date.as_deref().map(str::trim))
    .bind(opt(&fields.start_time))
    .bind(opt(&fields.end_time))
    .bind(fields.client_id.map(|c| c.hyphenated()))
    .bind(opt(&fields.customer_name).or(Some(client_name).filter(|n| !n.is_empty())))
    .bind(
        opt(&fields.customer_email)
            .map(|e| normalize_email(&e))
            .or(client_email),
    )
    .bind(opt(&fields.customer_phone).or(client_phone))
    .bind(opt(&fields.customer_address))
    .bind(opt(&fields.lot_film))
    .bind(fields.checklist_completed.unwrap_or(false))
    .bind(opt(&fields.notes))
    .bind(labels_json(fields.tags.as_deref().unwrap_or_default()))
    .bind(fields.estimated_duration)
    .bind(fields.actual_duration)
    .bind(now_ms)
    .bind(now_ms)
    .bind(by.hyphenated())
    .bind(by.hyphenated())
    .execute(&mut *conn)
    .await?;
    record(conn, id, Change::status(None, new.status), by, now_ms).await?;
    Ok(id)
}
