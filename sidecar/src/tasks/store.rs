//! The task's SQL: lookups scoped to the caller, numbers, whole-task inserts and updates (from
//! the one column list of [`columns`](super::columns)) and the history.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::db::Sql;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{Error, Result};
use crate::tasks::columns::{COLUMNS, FIXED, select_list};
use crate::tasks::fields::ClientContact;
use crate::tasks::model::{Task, TaskStatus, text};

pub use crate::scheduling::scope;

/// A live task by id, whoever asks.
pub async fn find(db: impl sqlx::AnyExecutor<'_>, id: Uuid) -> Result<Task> {
    let sql = format!(
        "SELECT {} FROM tasks WHERE id = $1 AND deleted_at IS NULL",
        select_list()
    );
    sqlx::query_as::<_, Task>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such task".into()))
}

/// A live task the caller may see: a technician knows only their own (others are "not found").
pub async fn find_for(
    db: impl sqlx::AnyExecutor<'_>,
    id: Uuid,
    user: &CurrentUser,
) -> Result<Task> {
    let task = find(db, id).await?;
    match scope(user) {
        Some(me) if task.technician_id != Some(me) => Err(Error::NotFound("no such task".into())),
        _ => Ok(task),
    }
}

/// Reserve `count` numbers of `day` (`YYYYMMDD`) and return the first: the counter row is
/// updated and read in one statement, so concurrent creates never share a number. Call inside
/// a write transaction.
pub async fn allocate_numbers(conn: &mut AnyConnection, day: &str, count: i64) -> Result<i64> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO task_number_counters (day, last) VALUES ($1, $2) \
         ON CONFLICT (day) DO UPDATE SET last = task_number_counters.last + excluded.last \
         RETURNING last",
    )
    .bind(day)
    .bind(count)
    .fetch_one(conn)
    .await?;
    Ok(last - count + 1)
}

/// The task number `n` of `day`: `YYYYMMDD-NNN`.
pub fn number(day: &str, n: i64) -> String {
    format!("{day}-{n:03}")
}

/// Next `YYYYMMDD-NNN` for the day of `now` (inside a write transaction).
pub async fn allocate_number(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<String> {
    let day = now.format("%Y%m%d").to_string();
    let n = allocate_numbers(conn, &day, 1).await?;
    Ok(number(&day, n))
}

/// What kind of entry a history row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
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

crate::db::stored::text_column!(HistoryEvent);

/// One history row to write.
#[derive(Debug)]
pub struct Entry<'a> {
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

impl Entry<'_> {
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
    pub fn because(self, reason: Option<&str>) -> Entry<'_> {
        Entry { reason, ..self }
    }
}

/// Write a history row.
pub async fn record(
    conn: &mut AnyConnection,
    task: Uuid,
    change: Entry<'_>,
    by: Uuid,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_history (id, task_id, event, old_status, new_status, old_value, new_value, reason, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Uuid::new_v4().hyphenated().to_string())
    .bind(task.hyphenated().to_string())
    .bind(change.event)
    .bind(change.old_status)
    .bind(change.new_status)
    .bind(change.old_value)
    .bind(change.new_value)
    .bind(change.reason.and_then(text))
    .bind(now)
    .bind(by.hyphenated().to_string())
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

/// Insert whole tasks (every column of [`COLUMNS`]) and their `created` history rows, in as
/// few statements as SQLite's bound-value limit allows. `by` is who wrote them (none for the
/// seed's data).
pub async fn insert(conn: &mut AnyConnection, tasks: &[Task], by: Option<Uuid>) -> Result<()> {
    // SQLite binds at most 32,766 values a statement.
    let per_statement = 32_766 / (COLUMNS.len() + 1);
    for batch in tasks.chunks(per_statement) {
        let mut insert = Sql::new(format!(
            "INSERT INTO tasks ({}, updated_by) ",
            select_list()
        ));
        insert.push_values(batch, |mut row, task| {
            for column in &COLUMNS {
                (column.value)(task).bind(&mut row);
            }
            row.push_bind(by.map(|by| by.hyphenated().to_string()));
        });
        insert.build().execute(&mut *conn).await?;

        let mut history = Sql::new(
            "INSERT INTO task_history (id, task_id, event, new_status, changed_at, changed_by) ",
        );
        history.push_values(batch, |mut row, task| {
            row.push_bind(Uuid::new_v4().hyphenated().to_string())
                .push_bind(task.id.hyphenated().to_string())
                .push_bind(HistoryEvent::Created)
                .push_bind(task.status)
                .push_bind(task.created_at.timestamp_millis())
                .push_bind(by.map(|by| by.hyphenated().to_string()));
        });
        history.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Write every changeable column of a live task (all of [`COLUMNS`] but [`FIXED`]).
pub async fn update(conn: &mut AnyConnection, task: &Task, by: Uuid) -> Result<()> {
    let mut update = Sql::new("UPDATE tasks SET ");
    let mut set = update.separated(", ");
    for column in COLUMNS.iter().filter(|c| !FIXED.contains(&c.name)) {
        set.push(column.name).push_unseparated(" = ");
        (column.value)(task).bind_unseparated(&mut set);
    }
    set.push("updated_by = ")
        .push_bind_unseparated(by.hyphenated().to_string());
    update
        .push(" WHERE id = ")
        .push_bind(task.id.hyphenated().to_string())
        .push(" AND deleted_at IS NULL");
    let updated = update.build().execute(&mut *conn).await?;
    if updated.rows_affected() == 0 {
        return Err(Error::NotFound("no such task".into()));
    }
    Ok(())
}

/// A live client's contact details, to fill a task's customer fields.
pub async fn client_contact(db: impl sqlx::AnyExecutor<'_>, id: Uuid) -> Result<ClientContact> {
    sqlx::query_as("SELECT name, email, phone FROM clients WHERE id = $1 AND deleted_at IS NULL")
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::invalid("client_id", "no live client has this id"))
}
