//! The task, its enums and state machine, and the small rules of its values (dates, times,
//! labels, the booked slot).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, OptMillis, StoredId, StoredOptId, stored_enum};

stored_enum! {
    /// Where a task stands. Moves follow [`TaskStatus::targets`].
    TaskStatus {
        /// Being written; not yet in the plan.
        Draft = "draft",
        /// Waiting to be scheduled or assigned.
        Pending = "pending",
        /// Has a date.
        Scheduled = "scheduled",
        /// Has a technician.
        Assigned = "assigned",
        /// Work started.
        InProgress = "in_progress",
        /// Work paused by the technician.
        Paused = "paused",
        /// Held (parts, customer, weather).
        OnHold = "on_hold",
        /// Done.
        Completed = "completed",
        /// Dropped.
        Cancelled = "cancelled",
        /// Completed and filed away.
        Archived = "archived",
        /// Work failed.
        Failed = "failed",
        /// Found to be invalid.
        Invalid = "invalid",
        /// Past its date and not done.
        Overdue = "overdue",
    }
}

impl TaskStatus {
    /// Statuses a new task may start in through the API (imports may carry any).
    pub const INITIAL: [Self; 4] = [Self::Draft, Self::Pending, Self::Scheduled, Self::Assigned];

    /// The statuses this one may move to; moving to the same status is never allowed.
    pub fn targets(self) -> &'static [Self] {
        use TaskStatus::*;
        match self {
            Draft => &[Pending, Scheduled, Cancelled],
            Pending => &[InProgress, Scheduled, OnHold, Cancelled, Assigned],
            Scheduled => &[InProgress, OnHold, Cancelled, Assigned],
            Assigned => &[InProgress, OnHold, Cancelled],
            InProgress => &[Completed, OnHold, Paused, Cancelled],
            Paused => &[InProgress, Cancelled],
            OnHold => &[Pending, Scheduled, InProgress, Cancelled],
            Completed => &[Archived],
            Failed | Invalid => &[Cancelled],
            Overdue => &[InProgress, Cancelled],
            Cancelled | Archived => &[],
        }
    }

    /// Whether the state machine allows `self → to`.
    pub fn can_move_to(self, to: Self) -> bool {
        self.targets().contains(&to)
    }

    /// Whether the task is finished one way or another (no more work, no more booking).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Cancelled | Self::Archived | Self::Failed | Self::Invalid
        )
    }
}

stored_enum! {
    /// How urgent a task is.
    #[derive(Default)]
    Priority {
        /// Whenever.
        Low = "low",
        /// Normal.
        #[default]
        Medium = "medium",
        /// Soon.
        High = "high",
        /// First.
        Urgent = "urgent",
    }
}

/// A workshop task: one vehicle, its PPF zones, when, who, for whom.
// The struct is also the row: it decodes itself from `SELECT {select_list}` (see `columns`,
// which declares the columns once).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Task {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// `YYYYMMDD-NNN`, from the creation date.
    #[schema(example = "20261122-001")]
    pub task_number: String,
    /// Short title.
    pub title: String,
    /// Details.
    pub description: Option<String>,
    /// Licence plate.
    pub vehicle_plate: String,
    /// Model.
    pub vehicle_model: String,
    /// Make.
    pub vehicle_make: Option<String>,
    /// Year (`YYYY`).
    pub vehicle_year: Option<String>,
    /// VIN (17 characters).
    pub vin: Option<String>,
    /// PPF zones to cover (`hood`, `left_fender`, …).
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub ppf_zones: Vec<String>,
    /// Zones outside the standard list.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub custom_ppf_zones: Vec<String>,
    /// Status.
    pub status: TaskStatus,
    /// Priority.
    pub priority: Priority,
    /// Assigned technician.
    #[sqlx(try_from = "StoredOptId")]
    pub technician_id: Option<Uuid>,
    /// When the technician was assigned.
    #[sqlx(try_from = "OptMillis")]
    pub assigned_at: Option<DateTime<Utc>>,
    /// Who assigned them.
    #[sqlx(try_from = "StoredOptId")]
    pub assigned_by: Option<Uuid>,
    /// Day of the work (`YYYY-MM-DD`).
    pub scheduled_date: String,
    /// Start (`HH:MM`), with `end_time`; without both the task books the whole day.
    pub start_time: Option<String>,
    /// End (`HH:MM`).
    pub end_time: Option<String>,
    /// Client.
    #[sqlx(try_from = "StoredOptId")]
    pub client_id: Option<Uuid>,
    /// Customer's name (copied from the client when not given).
    pub customer_name: Option<String>,
    /// Customer's email.
    pub customer_email: Option<String>,
    /// Customer's phone.
    pub customer_phone: Option<String>,
    /// Customer's address.
    pub customer_address: Option<String>,
    /// Film batch used.
    pub lot_film: Option<String>,
    /// Whether the checklist is done.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub checklist_completed: bool,
    /// Free notes on the task itself (see also `/tasks/{id}/notes`).
    pub notes: Option<String>,
    /// Labels.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub tags: Vec<String>,
    /// Planned minutes.
    pub estimated_duration: Option<i64>,
    /// Minutes it took.
    pub actual_duration: Option<i64>,
    /// When work first started.
    #[sqlx(try_from = "OptMillis")]
    pub started_at: Option<DateTime<Utc>>,
    /// When it was completed.
    #[sqlx(try_from = "OptMillis")]
    pub completed_at: Option<DateTime<Utc>>,
    /// The intervention the work is done through (the latest started), if any.
    #[sqlx(try_from = "StoredOptId")]
    pub workflow_id: Option<Uuid>,
    /// That intervention's active step.
    #[sqlx(try_from = "StoredOptId")]
    pub current_workflow_step_id: Option<Uuid>,
    /// How many of its steps are completed.
    pub completed_steps: i64,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
    /// Who created it.
    #[sqlx(try_from = "StoredOptId")]
    pub created_by: Option<Uuid>,
}

/// Optional texts are stored as [`crate::validate::text`] says.
pub use crate::validate::text;

/// Whether `value` has ASCII digits everywhere but at `separators` (the document's patterns
/// `^[0-9]{4}-[0-9]{2}-[0-9]{2}$` and `HH:MM` say the same, without signs or spaces).
fn digits_except(value: &str, separators: &[usize]) -> bool {
    value
        .bytes()
        .enumerate()
        .all(|(i, b)| separators.contains(&i) || b.is_ascii_digit())
}

/// A `YYYY-MM-DD` date (OpenAPI `format: date`).
pub fn parse_date(value: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10 && digits_except(value, &[4, 7]))
        .ok_or_else(|| format!("`{value}` is not a date (YYYY-MM-DD)"))
}

/// An `HH:MM` time.
pub fn parse_time(value: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(value, "%H:%M")
        .ok()
        .filter(|_| value.len() == 5 && digits_except(value, &[2]))
        .ok_or_else(|| format!("`{value}` is not a time (HH:MM)"))
}

/// Clean a list of labels: trimmed, without repeats, in order.
pub fn clean_labels(values: &[String]) -> Vec<String> {
    let mut clean: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = value.trim().to_owned();
        if !clean.contains(&value) {
            clean.push(value);
        }
    }
    clean
}

/// A list of labels as stored (a JSON array).
pub fn labels_json(values: &[String]) -> String {
    serde_json::to_string(&clean_labels(values)).unwrap_or_else(|_| "[]".into())
}

/// A booked slot in epoch ms, as the `slot_start`/`slot_end` columns compute it: the times on
/// the date, or the whole day without them.
pub fn slot(date: &str, start: Option<&str>, end: Option<&str>) -> Option<(i64, i64)> {
    let date = parse_date(date).ok()?;
    let at = |time: NaiveTime| date.and_time(time).and_utc().timestamp_millis();
    match (start.map(parse_time), end.map(parse_time)) {
        (Some(Ok(start)), Some(Ok(end))) => Some((at(start), at(end))),
        _ => {
            let start = at(NaiveTime::MIN);
            Some((start, start + 24 * 3600 * 1000))
        }
    }
}

/// [`slot`] of a date and times that have been checked, or `VALIDATION_ERROR` on
/// `scheduled_date`: the slot a create or a change books.
pub fn booked_slot(
    date: &str,
    start: Option<&str>,
    end: Option<&str>,
) -> crate::Result<(i64, i64)> {
    slot(date, start, end).ok_or_else(|| crate::Error::invalid("scheduled_date", "is not a date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_name_that_parses_back() {
        for &status in TaskStatus::ALL {
            assert_eq!(status.as_str().parse::<TaskStatus>(), Ok(status));
            assert!(!status.can_move_to(status), "{status} → itself");
        }
    }

    #[test]
    fn terminal_statuses_go_nowhere() {
        assert!(TaskStatus::Cancelled.targets().is_empty());
        assert!(TaskStatus::Archived.targets().is_empty());
        assert_eq!(TaskStatus::Completed.targets(), &[TaskStatus::Archived]);
    }

    #[test]
    fn slots_cover_the_times_or_the_whole_day() {
        let (start, end) = slot("2026-11-22", Some("09:00"), Some("10:30")).unwrap_or_default();
        assert_eq!(end - start, 90 * 60 * 1000);
        let (start, end) = slot("2026-11-22", None, None).unwrap_or_default();
        assert_eq!(end - start, 24 * 3600 * 1000);
        assert_eq!(slot("2026-02-30", None, None), None);
    }
}
