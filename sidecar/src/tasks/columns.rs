//! The stored columns of a task, declared once.
//!
//! [`COLUMNS`] names each `tasks` column a [`Task`] holds, in the order of its fields, with the
//! value a task gives it. Everything that reads or writes whole tasks derives from it: the
//! `SELECT` list ([`select_list`]), the insert and the update ([`store`](super::store)), the
//! seed (through the store) and the CSV export and import ([`CSV_COLUMNS`], whose header is
//! these names). A test holds the list to the fields of [`Task`] in the OpenAPI document, and
//! the `Task` struct decodes its own rows (`sqlx::FromRow`), so a field added to the struct
//! without its column here fails the tests.

use std::fmt::Write as _;
use std::sync::LazyLock;

use crate::db::Separated;
use chrono::{DateTime, Utc};
use sqlx::Any;
use uuid::Uuid;

use crate::tasks::model::{Priority, Task, TaskStatus};

/// The value a task gives one column, borrowed from the task.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// `TEXT NOT NULL`.
    Text(&'a str),
    /// Nullable `TEXT`.
    OptText(Option<&'a str>),
    /// A (nullable) id, stored hyphenated.
    Id(Option<Uuid>),
    /// Labels, stored as a JSON array of strings; `;`-joined in CSV.
    Labels(&'a [String]),
    /// The status name.
    Status(TaskStatus),
    /// The priority name.
    Priority(Priority),
    /// A (nullable) time, stored as epoch milliseconds; RFC 3339 with milliseconds in CSV.
    Time(Option<DateTime<Utc>>),
    /// `0`/`1`; `true`/`false` in CSV.
    Bool(bool),
    /// A nullable integer.
    Int(Option<i64>),
}

impl<'a> Value<'a> {
    /// Bind the value as its column stores it, after a separator.
    pub fn bind(self, row: &mut Separated<'_>) {
        self.push(row, false);
    }

    /// Bind the value as its column stores it, with no separator before it (`col = ?`).
    pub fn bind_unseparated(self, row: &mut Separated<'_>) {
        self.push(row, true);
    }

    fn push(self, row: &mut Separated<'_>, unseparated: bool) {
        fn put<'q, T>(row: &mut Separated<'_>, value: T, unseparated: bool)
        where
            T: sqlx::Encode<'q, Any> + sqlx::Type<Any> + 'q,
        {
            if unseparated {
                row.push_bind_unseparated(value);
            } else {
                row.push_bind(value);
            }
        }
        match self {
            Self::Text(text) => put(row, text, unseparated),
            Self::OptText(text) => put(row, text, unseparated),
            Self::Id(id) => put(row, id.map(|id| id.hyphenated().to_string()), unseparated),
            Self::Labels(labels) => put(
                row,
                serde_json::to_string(labels).unwrap_or_else(|_| "[]".into()),
                unseparated,
            ),
            Self::Status(status) => put(row, status, unseparated),
            Self::Priority(priority) => put(row, priority, unseparated),
            Self::Time(time) => put(row, time.map(|t| t.timestamp_millis()), unseparated),
            Self::Bool(flag) => put(row, flag, unseparated),
            Self::Int(n) => put(row, n, unseparated),
        }
    }

    /// Append the value as a CSV cell (empty when absent).
    pub fn write_cell(self, cell: &mut String) {
        match self {
            Self::Text(text) => cell.push_str(text),
            Self::OptText(text) => cell.push_str(text.unwrap_or_default()),
            Self::Id(id) => {
                if let Some(id) = id {
                    cell.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
                }
            }
            Self::Labels(labels) => {
                for (i, label) in labels.iter().enumerate() {
                    if i > 0 {
                        cell.push(';');
                    }
                    cell.push_str(label);
                }
            }
            Self::Status(status) => cell.push_str(status.as_str()),
            Self::Priority(priority) => cell.push_str(priority.as_str()),
            Self::Time(time) => {
                if let Some(time) = time {
                    let _ = write!(cell, "{}", time.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
                }
            }
            Self::Bool(flag) => cell.push_str(if flag { "true" } else { "false" }),
            Self::Int(n) => {
                if let Some(n) = n {
                    let _ = write!(cell, "{n}");
                }
            }
        }
    }
}

/// One stored column: its name (also the [`Task`] field, the JSON key and the CSV header) and
/// the value a task gives it.
#[derive(Clone, Copy)]
pub struct Column {
    /// Column name.
    pub name: &'static str,
    /// The task's value for it.
    pub value: for<'a> fn(&'a Task) -> Value<'a>,
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every column a [`Task`] holds, in the order of its fields.
#[rustfmt::skip]
pub const COLUMNS: [Column; 38] = [
    Column { name: "id", value: |t| Value::Id(Some(t.id)) },
    Column { name: "task_number", value: |t| Value::Text(&t.task_number) },
    Column { name: "title", value: |t| Value::Text(&t.title) },
    Column { name: "description", value: |t| Value::OptText(t.description.as_deref()) },
    Column { name: "vehicle_plate", value: |t| Value::Text(&t.vehicle_plate) },
    Column { name: "vehicle_model", value: |t| Value::Text(&t.vehicle_model) },
    Column { name: "vehicle_make", value: |t| Value::OptText(t.vehicle_make.as_deref()) },
    Column { name: "vehicle_year", value: |t| Value::OptText(t.vehicle_year.as_deref()) },
    Column { name: "vin", value: |t| Value::OptText(t.vin.as_deref()) },
    Column { name: "ppf_zones", value: |t| Value::Labels(&t.ppf_zones) },
    Column { name: "custom_ppf_zones", value: |t| Value::Labels(&t.custom_ppf_zones) },
    Column { name: "status", value: |t| Value::Status(t.status) },
    Column { name: "priority", value: |t| Value::Priority(t.priority) },
    Column { name: "technician_id", value: |t| Value::Id(t.technician_id) },
    Column { name: "assigned_at", value: |t| Value::Time(t.assigned_at) },
    Column { name: "assigned_by", value: |t| Value::Id(t.assigned_by) },
    Column { name: "scheduled_date", value: |t| Value::Text(&t.scheduled_date) },
    Column { name: "start_time", value: |t| Value::OptText(t.start_time.as_deref()) },
    Column { name: "end_time", value: |t| Value::OptText(t.end_time.as_deref()) },
    Column { name: "client_id", value: |t| Value::Id(t.client_id) },
    Column { name: "customer_name", value: |t| Value::OptText(t.customer_name.as_deref()) },
    Column { name: "customer_email", value: |t| Value::OptText(t.customer_email.as_deref()) },
    Column { name: "customer_phone", value: |t| Value::OptText(t.customer_phone.as_deref()) },
    Column { name: "customer_address", value: |t| Value::OptText(t.customer_address.as_deref()) },
    Column { name: "lot_film", value: |t| Value::OptText(t.lot_film.as_deref()) },
    Column { name: "checklist_completed", value: |t| Value::Bool(t.checklist_completed) },
    Column { name: "notes", value: |t| Value::OptText(t.notes.as_deref()) },
    Column { name: "tags", value: |t| Value::Labels(&t.tags) },
    Column { name: "estimated_duration", value: |t| Value::Int(t.estimated_duration) },
    Column { name: "actual_duration", value: |t| Value::Int(t.actual_duration) },
    Column { name: "started_at", value: |t| Value::Time(t.started_at) },
    Column { name: "completed_at", value: |t| Value::Time(t.completed_at) },
    Column { name: "workflow_id", value: |t| Value::Id(t.workflow_id) },
    Column { name: "current_workflow_step_id", value: |t| Value::Id(t.current_workflow_step_id) },
    Column { name: "completed_steps", value: |t| Value::Int(Some(t.completed_steps)) },
    Column { name: "created_at", value: |t| Value::Time(Some(t.created_at)) },
    Column { name: "updated_at", value: |t| Value::Time(Some(t.updated_at)) },
    Column { name: "created_by", value: |t| Value::Id(t.created_by) },
];

/// Columns an update never changes: who and when made the task, and its number.
pub const FIXED: [&str; 4] = ["id", "task_number", "created_at", "created_by"];

/// The export's columns, in order; the import reads the same names, in any order.
pub const CSV_COLUMNS: [&str; 30] = [
    "task_number",
    "title",
    "description",
    "status",
    "priority",
    "vehicle_plate",
    "vehicle_model",
    "vehicle_make",
    "vehicle_year",
    "vin",
    "ppf_zones",
    "custom_ppf_zones",
    "scheduled_date",
    "start_time",
    "end_time",
    "technician_id",
    "client_id",
    "customer_name",
    "customer_email",
    "customer_phone",
    "customer_address",
    "lot_film",
    "checklist_completed",
    "notes",
    "tags",
    "estimated_duration",
    "actual_duration",
    "id",
    "created_at",
    "updated_at",
];

/// The column called `name`.
pub fn column(name: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|column| column.name == name)
}

/// `id, task_number, ...`: every column of [`COLUMNS`], for a `SELECT`.
pub fn select_list() -> &'static str {
    static LIST: LazyLock<String> = LazyLock::new(|| {
        COLUMNS
            .iter()
            .map(|column| column.name)
            .collect::<Vec<_>>()
            .join(", ")
    });
    &LIST
}

/// The CSV export's columns, each found in [`COLUMNS`].
pub fn csv_columns() -> Vec<&'static Column> {
    CSV_COLUMNS.iter().filter_map(|name| column(name)).collect()
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;
    use utoipa::openapi::{RefOr, Schema};

    use super::*;

    #[test]
    fn the_columns_are_the_fields_of_a_task_in_order() {
        let RefOr::T(Schema::Object(task)) = Task::schema() else {
            panic!("Task is an object schema");
        };
        let fields: Vec<&str> = task.properties.keys().map(String::as_str).collect();
        let mut columns: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        columns.sort_unstable();
        assert_eq!(
            columns, fields,
            "one column for each field of Task, named alike"
        );
    }

    #[test]
    fn every_csv_column_is_a_task_column() {
        assert_eq!(csv_columns().len(), CSV_COLUMNS.len());
        for fixed in FIXED {
            assert!(column(fixed).is_some(), "{fixed}");
        }
    }
}
