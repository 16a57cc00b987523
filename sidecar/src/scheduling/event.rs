//! A calendar event and the rules of its fields. Kept with the bookings, since an event books
//! its technician; the calendar area owns the routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::error::Result;
use crate::validate::Checks;

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A meeting.
    Meeting,
    /// A customer appointment.
    #[default]
    Appointment,
    /// The booked slot of a task (made by `schedule-task`).
    Task,
    /// A reminder.
    Reminder,
    /// Anything else.
    Other,
}

crate::db::stored::text_column!(EventType);

/// Whether an event holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// It holds (books its technician).
    #[default]
    Confirmed,
    /// Pencilled in (books its technician).
    Tentative,
    /// Called off (books nobody).
    Cancelled,
}

crate::db::stored::text_column!(EventStatus);

/// A calendar event.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CalendarEvent {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Details.
    pub description: Option<String>,
    /// Start (UTC).
    #[sqlx(rename = "start_at", try_from = "Millis")]
    pub start_datetime: DateTime<Utc>,
    /// End (UTC), after the start.
    #[sqlx(rename = "end_at", try_from = "Millis")]
    pub end_datetime: DateTime<Utc>,
    /// Whole-day event.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub all_day: bool,
    /// Time zone to show it in (IANA name; default `UTC`).
    pub timezone: String,
    /// Kind.
    pub event_type: EventType,
    /// Free category.
    pub category: Option<String>,
    /// Task it books.
    #[sqlx(try_from = "StoredOptId")]
    pub task_id: Option<Uuid>,
    /// Client it concerns.
    #[sqlx(try_from = "StoredOptId")]
    pub client_id: Option<Uuid>,
    /// Technician it books.
    #[sqlx(try_from = "StoredOptId")]
    pub technician_id: Option<Uuid>,
    /// Where.
    pub location: Option<String>,
    /// Other users taking part.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<Uuid>>")]
    pub participants: Vec<Uuid>,
    /// Repetition (`RRULE`), stored as given.
    pub recurrence_rule: Option<String>,
    /// The event this one repeats.
    #[sqlx(try_from = "StoredOptId")]
    pub parent_event_id: Option<Uuid>,
    /// Reminders, in minutes before the start.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<i64>>")]
    pub reminders: Vec<i64>,
    /// Status.
    pub status: EventStatus,
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

/// The `calendar_events` columns that make a [`CalendarEvent`].
pub const EVENT_COLUMNS: &str = "id, title, description, start_at, end_at, all_day, timezone, \
    event_type, category, task_id, client_id, technician_id, location, participants, \
    recurrence_rule, parent_event_id, reminders, status, created_at, updated_at, created_by";

/// An event's editable fields. On create `title`, `start_datetime` and `end_datetime` are
/// required; on update absent fields stay and `""` clears an optional text.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFields {
    /// Title (1–200 characters).
    #[schema(example = "Customer drop-off")]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub title: Option<String>,
    /// Details (up to 2,000 characters).
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Start, RFC 3339.
    #[schema(example = "2026-11-23T09:00:00Z")]
    pub start_datetime: Option<DateTime<Utc>>,
    /// End, RFC 3339, after the start.
    #[schema(example = "2026-11-23T10:00:00Z")]
    pub end_datetime: Option<DateTime<Utc>>,
    /// Whole-day event.
    pub all_day: Option<bool>,
    /// IANA time zone to show it in (default `UTC`).
    #[schema(max_length = 64)]
    pub timezone: Option<String>,
    /// Kind (default `appointment`).
    pub event_type: Option<EventType>,
    /// Free category.
    #[schema(max_length = 100)]
    pub category: Option<String>,
    /// A live task.
    pub task_id: Option<Uuid>,
    /// A live client.
    pub client_id: Option<Uuid>,
    /// An active technician, free in the slot.
    pub technician_id: Option<Uuid>,
    /// Where.
    #[schema(max_length = 200)]
    pub location: Option<String>,
    /// Other users (up to 50).
    #[schema(max_items = 50)]
    pub participants: Option<Vec<Uuid>>,
    /// `RRULE` text (up to 500 characters).
    #[schema(max_length = 500)]
    pub recurrence_rule: Option<String>,
    /// Minutes before the start (up to 10 values, 0–40320).
    #[schema(schema_with = crate::validate::reminders_schema)]
    pub reminders: Option<Vec<i64>>,
    /// Status (default `confirmed`).
    pub status: Option<EventStatus>,
}

crate::create_request! {
    /// A new event: [`EventFields`] with a title, a start and an end.
    NewEvent: EventFields {
        "title": Type::String,
        "start_datetime": Type::String,
        "end_datetime": Type::String,
    }
}

impl EventFields {
    /// Check the fields given; `creating` requires the creation fields.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        if creating {
            for (field, present) in [
                ("title", self.title.is_some()),
                ("start_datetime", self.start_datetime.is_some()),
                ("end_datetime", self.end_datetime.is_some()),
            ] {
                checks.check(field, present, "is required");
            }
        }
        if let Some(title) = &self.title {
            let len = title.trim().chars().count();
            checks.check(
                "title",
                (1..=200).contains(&len),
                "must be 1 to 200 characters",
            );
        }
        for (field, value, max) in [
            ("description", &self.description, 2000),
            ("timezone", &self.timezone, 64),
            ("category", &self.category, 100),
            ("location", &self.location, 200),
            ("recurrence_rule", &self.recurrence_rule, 500),
        ] {
            if let Some(value) = value {
                checks.check(
                    field,
                    value.chars().count() <= max,
                    &format!("must be at most {max} characters"),
                );
            }
        }
        if let Some(participants) = &self.participants {
            checks.check(
                "participants",
                participants.len() <= 50,
                "at most 50 participants",
            );
        }
        if let Some(reminders) = &self.reminders {
            checks.check("reminders", reminders.len() <= 10, "at most 10 reminders");
            checks.check(
                "reminders",
                reminders.iter().all(|m| (0..=40_320).contains(m)),
                "each reminder must be 0 to 40320 minutes",
            );
        }
        if let (Some(start), Some(end)) = (self.start_datetime, self.end_datetime) {
            checks.check("end_datetime", end > start, "must be after start_datetime");
        }
        checks.finish()
    }
}
