//! Tasks written straight from their database rows: how each `tasks` column becomes a field
//! ([`Kind`]), and the list's JSON ([`TaskJson`]); the export's CSV (`export`) uses the same
//! kinds.
//!
//! A page of 50 tasks or an export of 100,000 is mostly per-field work; going through
//! [`TaskRow`](super::model::TaskRow) and [`Task`] copies every text into a `String`, parses
//! the label arrays into `Vec<String>` and drops it all again. Here each field is read in place
//! from a [`Reader`](crate::db::Reader) row (no copy of the values at all) and written out once.
//! [`Task`] stays the one definition of the shape (OpenAPI, single-task responses, events):
//! [`TASK_FIELDS`] follows it field by field, and the tests compare a listed task with the same
//! task read through [`Task`].

use std::borrow::Cow;

use rusqlite::Row;
use serde::Serialize;
use serde::ser::{Error as _, SerializeStruct, Serializer};
use uuid::Uuid;

use crate::clock::to_datetime;
use crate::tasks::model::{Priority, TaskStatus};

#[cfg(doc)]
use crate::tasks::model::Task;

/// How a `tasks` column becomes a [`Task`] field or a CSV cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `TEXT NOT NULL`.
    Text,
    /// Nullable `TEXT`.
    OptText,
    /// A stored UUID (text); `opt` when nullable.
    Uuid {
        /// Nullable.
        opt: bool,
    },
    /// A JSON array of strings: an array in JSON, `;`-joined in CSV.
    Labels,
    /// The status name.
    Status,
    /// The priority name.
    Priority,
    /// Epoch milliseconds: RFC 3339 in JSON (as `DateTime<Utc>`), with milliseconds in CSV.
    Time {
        /// Nullable.
        opt: bool,
    },
    /// `0`/`1`.
    Bool,
    /// Nullable `INTEGER`.
    OptInt,
}

/// The columns of [`crate::tasks::model::TASK_COLUMNS`] in order, each with the [`Task`] field
/// it fills (the same name) and how.
pub const TASK_FIELDS: [(&str, Kind); 35] = [
    ("id", Kind::Uuid { opt: false }),
    ("task_number", Kind::Text),
    ("title", Kind::Text),
    ("description", Kind::OptText),
    ("vehicle_plate", Kind::Text),
    ("vehicle_model", Kind::Text),
    ("vehicle_make", Kind::OptText),
    ("vehicle_year", Kind::OptText),
    ("vin", Kind::OptText),
    ("ppf_zones", Kind::Labels),
    ("custom_ppf_zones", Kind::Labels),
    ("status", Kind::Status),
    ("priority", Kind::Priority),
    ("technician_id", Kind::Uuid { opt: true }),
    ("assigned_at", Kind::Time { opt: true }),
    ("assigned_by", Kind::Uuid { opt: true }),
    ("scheduled_date", Kind::Text),
    ("start_time", Kind::OptText),
    ("end_time", Kind::OptText),
    ("client_id", Kind::Uuid { opt: true }),
    ("customer_name", Kind::OptText),
    ("customer_email", Kind::OptText),
    ("customer_phone", Kind::OptText),
    ("customer_address", Kind::OptText),
    ("lot_film", Kind::OptText),
    ("checklist_completed", Kind::Bool),
    ("notes", Kind::OptText),
    ("tags", Kind::Labels),
    ("estimated_duration", Kind::OptInt),
    ("actual_duration", Kind::OptInt),
    ("started_at", Kind::Time { opt: true }),
    ("completed_at", Kind::Time { opt: true }),
    ("created_at", Kind::Time { opt: false }),
    ("updated_at", Kind::Time { opt: false }),
    ("created_by", Kind::Uuid { opt: true }),
];

/// How the `tasks` column `name` is read (`None` for a column not in [`TASK_FIELDS`]).
pub fn kind_of(name: &str) -> Option<Kind> {
    TASK_FIELDS
        .iter()
        .find(|(field, _)| *field == name)
        .map(|(_, kind)| *kind)
}

/// A label array as stored (a JSON array of strings), borrowed from the row when no string
/// holds an escape. Anything else reads as no labels, as [`TaskRow`](super::model::TaskRow)
/// does.
pub fn labels(json: &str) -> Vec<Cow<'_, str>> {
    if let Ok(plain) = serde_json::from_str::<Vec<&str>>(json) {
        return plain.into_iter().map(Cow::Borrowed).collect();
    }
    serde_json::from_str::<Vec<String>>(json)
        .map(|owned| owned.into_iter().map(Cow::Owned).collect())
        .unwrap_or_default()
}

pub fn uuid(text: &str) -> Result<Uuid, String> {
    Uuid::try_parse(text).map_err(|e| format!("stored id `{text}` is not a UUID: {e}"))
}

/// Column `index` as text, `None` when NULL.
fn text<'r>(row: &'r Row<'_>, index: usize) -> anyhow::Result<Option<&'r str>> {
    Ok(row.get_ref(index)?.as_str_or_null()?)
}

/// Column `index` as non-NULL text.
fn required_text<'r>(row: &'r Row<'_>, index: usize) -> anyhow::Result<&'r str> {
    Ok(row.get_ref(index)?.as_str()?)
}

/// Column `index` as an integer, `None` when NULL.
fn int(row: &Row<'_>, index: usize) -> anyhow::Result<Option<i64>> {
    Ok(row.get_ref(index)?.as_i64_or_null()?)
}

/// A row selected with `TASK_COLUMNS`, serialised exactly as the [`Task`] it would make.
pub struct TaskJson<'a, 'stmt>(pub &'a Row<'stmt>);

impl Serialize for TaskJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let row = self.0;
        let mut task = serializer.serialize_struct("Task", TASK_FIELDS.len())?;
        for (index, (name, kind)) in TASK_FIELDS.into_iter().enumerate() {
            let get = |e: anyhow::Error| S::Error::custom(format!("column {name}: {e:#}"));
            match kind {
                Kind::Text => {
                    task.serialize_field(name, required_text(row, index).map_err(get)?)?
                }
                Kind::OptText => task.serialize_field(name, &text(row, index).map_err(get)?)?,
                Kind::Uuid { .. } => {
                    let id = text(row, index).map_err(get)?;
                    let id = id.map(uuid).transpose().map_err(S::Error::custom)?;
                    task.serialize_field(name, &id)?;
                }
                Kind::Labels => {
                    task.serialize_field(name, &labels(required_text(row, index).map_err(get)?))?;
                }
                Kind::Status => {
                    let status: TaskStatus = required_text(row, index)
                        .map_err(get)?
                        .parse()
                        .map_err(S::Error::custom)?;
                    task.serialize_field(name, &status)?;
                }
                Kind::Priority => {
                    let priority: Priority = required_text(row, index)
                        .map_err(get)?
                        .parse()
                        .map_err(S::Error::custom)?;
                    task.serialize_field(name, &priority)?;
                }
                Kind::Time { .. } => {
                    let ms = int(row, index).map_err(get)?;
                    task.serialize_field(name, &ms.map(to_datetime))?;
                }
                Kind::Bool => {
                    task.serialize_field(
                        name,
                        &(int(row, index).map_err(get)?.is_some_and(|v| v != 0)),
                    )?;
                }
                Kind::OptInt => task.serialize_field(name, &int(row, index).map_err(get)?)?,
            }
        }
        task.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::model::TASK_COLUMNS;

    #[test]
    fn the_fields_follow_the_selected_columns() {
        let columns: Vec<&str> = TASK_COLUMNS.split(',').map(str::trim).collect();
        let fields: Vec<&str> = TASK_FIELDS.iter().map(|(name, _)| *name).collect();
        assert_eq!(columns, fields);
    }

    #[test]
    fn labels_borrow_plain_strings_and_unescape_the_rest() {
        let plain = labels(r#"["hood","left_fender"]"#);
        assert_eq!(plain, ["hood", "left_fender"]);
        assert!(matches!(plain[0], Cow::Borrowed(_)));
        assert_eq!(labels(r#"["a \"b\"","\u00fc"]"#), ["a \"b\"", "ü"]);
        assert!(labels("not json").is_empty());
        assert!(labels("[1, 2]").is_empty());
    }
}
