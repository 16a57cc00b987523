//! The task, its enums and state machine, and the rules of its editable fields.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use uuid::fmt::Hyphenated;

use crate::clock::to_datetime;
use crate::error::Result;
use crate::validate::{self, Checks, normalize_email};

/// Where a task stands. Moves follow [`TaskStatus::targets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being written; not yet in the plan.
    Draft,
    /// Waiting to be scheduled or assigned.
    Pending,
    /// Has a date.
    Scheduled,
    /// Has a technician.
    Assigned,
    /// Work started.
    InProgress,
    /// Work paused by the technician.
    Paused,
    /// Held (parts, customer, weather).
    OnHold,
    /// Done.
    Completed,
    /// Dropped.
    Cancelled,
    /// Completed and filed away.
    Archived,
    /// Work failed.
    Failed,
    /// Found to be invalid.
    Invalid,
    /// Past its date and not done.
    Overdue,
}

impl TaskStatus {
    /// Every status.
    pub const ALL: [Self; 13] = [
        Self::Draft,
        Self::Pending,
        Self::Scheduled,
        Self::Assigned,
        Self::InProgress,
        Self::Paused,
        Self::OnHold,
        Self::Completed,
        Self::Cancelled,
        Self::Archived,
        Self::Failed,
        Self::Invalid,
        Self::Overdue,
    ];

    /// Statuses a new task may start in through the API (imports may carry any).
    pub const INITIAL: [Self; 4] = [Self::Draft, Self::Pending, Self::Scheduled, Self::Assigned];

    /// The name as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Pending => "pending",
            Self::Scheduled => "scheduled",
            Self::Assigned => "assigned",
            Self::InProgress => "in_progress",
            Self::Paused => "paused",
            Self::OnHold => "on_hold",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Archived => "archived",
            Self::Failed => "failed",
            Self::Invalid => "invalid",
            Self::Overdue => "overdue",
        }
    }

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

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaskStatus {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a task status"))
    }
}

/// How urgent a task is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, sqlx::Type, ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum Priority {
    /// Whenever.
    Low,
    /// Normal.
    #[default]
    Medium,
    /// Soon.
    High,
    /// First.
    Urgent,
}

impl Priority {
    /// Every priority.
    pub const ALL: [Self; 4] = [Self::Low, Self::Medium, Self::High, Self::Urgent];

    /// The name as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a priority (low, medium, high, urgent)"))
    }
}

/// A workshop task: one vehicle, its PPF zones, when, who, for whom.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    /// Id.
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
    pub ppf_zones: Vec<String>,
    /// Zones outside the standard list.
    pub custom_ppf_zones: Vec<String>,
    /// Status.
    pub status: TaskStatus,
    /// Priority.
    pub priority: Priority,
    /// Assigned technician.
    pub technician_id: Option<Uuid>,
    /// When the technician was assigned.
    pub assigned_at: Option<DateTime<Utc>>,
    /// Who assigned them.
    pub assigned_by: Option<Uuid>,
    /// Day of the work (`YYYY-MM-DD`).
    pub scheduled_date: String,
    /// Start (`HH:MM`), with `end_time`; without both the task books the whole day.
    pub start_time: Option<String>,
    /// End (`HH:MM`).
    pub end_time: Option<String>,
    /// Client.
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
    pub checklist_completed: bool,
    /// Free notes on the task itself (see also `/tasks/{id}/notes`).
    pub notes: Option<String>,
    /// Labels.
    pub tags: Vec<String>,
    /// Planned minutes.
    pub estimated_duration: Option<i64>,
    /// Minutes it took.
    pub actual_duration: Option<i64>,
    /// When work first started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Who created it.
    pub created_by: Option<Uuid>,
}

/// The `tasks` columns that make a [`Task`].
pub const TASK_COLUMNS: &str = "id, task_number, title, description, vehicle_plate, vehicle_model, \
    vehicle_make, vehicle_year, vin, ppf_zones, custom_ppf_zones, status, priority, technician_id, \
    assigned_at, assigned_by, scheduled_date, start_time, end_time, client_id, customer_name, \
    customer_email, customer_phone, customer_address, lot_film, checklist_completed, notes, tags, \
    estimated_duration, actual_duration, started_at, completed_at, created_at, updated_at, created_by";

/// A `tasks` row.
#[derive(Debug, sqlx::FromRow)]
pub struct TaskRow {
    id: Hyphenated,
    task_number: String,
    title: String,
    description: Option<String>,
    vehicle_plate: String,
    vehicle_model: String,
    vehicle_make: Option<String>,
    vehicle_year: Option<String>,
    vin: Option<String>,
    ppf_zones: String,
    custom_ppf_zones: String,
    status: TaskStatus,
    priority: Priority,
    technician_id: Option<Hyphenated>,
    assigned_at: Option<i64>,
    assigned_by: Option<Hyphenated>,
    scheduled_date: String,
    start_time: Option<String>,
    end_time: Option<String>,
    client_id: Option<Hyphenated>,
    customer_name: Option<String>,
    customer_email: Option<String>,
    customer_phone: Option<String>,
    customer_address: Option<String>,
    lot_film: Option<String>,
    checklist_completed: bool,
    notes: Option<String>,
    tags: String,
    estimated_duration: Option<i64>,
    actual_duration: Option<i64>,
    started_at: Option<i64>,
    completed_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    created_by: Option<Hyphenated>,
}

fn strings(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

impl TaskRow {
    /// The API view of the row.
    pub fn into_task(self) -> Task {
        Task {
            id: self.id.into_uuid(),
            task_number: self.task_number,
            title: self.title,
            description: self.description,
            vehicle_plate: self.vehicle_plate,
            vehicle_model: self.vehicle_model,
            vehicle_make: self.vehicle_make,
            vehicle_year: self.vehicle_year,
            vin: self.vin,
            ppf_zones: strings(&self.ppf_zones),
            custom_ppf_zones: strings(&self.custom_ppf_zones),
            status: self.status,
            priority: self.priority,
            technician_id: self.technician_id.map(Hyphenated::into_uuid),
            assigned_at: self.assigned_at.map(to_datetime),
            assigned_by: self.assigned_by.map(Hyphenated::into_uuid),
            scheduled_date: self.scheduled_date,
            start_time: self.start_time,
            end_time: self.end_time,
            client_id: self.client_id.map(Hyphenated::into_uuid),
            customer_name: self.customer_name,
            customer_email: self.customer_email,
            customer_phone: self.customer_phone,
            customer_address: self.customer_address,
            lot_film: self.lot_film,
            checklist_completed: self.checklist_completed,
            notes: self.notes,
            tags: strings(&self.tags),
            estimated_duration: self.estimated_duration,
            actual_duration: self.actual_duration,
            started_at: self.started_at.map(to_datetime),
            completed_at: self.completed_at.map(to_datetime),
            created_at: to_datetime(self.created_at),
            updated_at: to_datetime(self.updated_at),
            created_by: self.created_by.map(Hyphenated::into_uuid),
        }
    }
}

/// A task's editable fields. On create, absent fields take their defaults (`vehicle_plate`,
/// `vehicle_model`, `ppf_zones`, `scheduled_date` are required; `title` defaults to the vehicle);
/// on update, absent fields stay as they are and `""` clears an optional text field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskFields {
    /// Title (1–100 characters).
    #[schema(example = "Full front PPF")]
    pub title: Option<String>,
    /// Details (up to 1,000 characters).
    pub description: Option<String>,
    /// Licence plate (1–20 characters).
    #[schema(example = "AB-123-CD")]
    pub vehicle_plate: Option<String>,
    /// Model (1–100 characters).
    #[schema(example = "Model 3")]
    pub vehicle_model: Option<String>,
    /// Make.
    pub vehicle_make: Option<String>,
    /// Year, `YYYY` between 1900 and 2100.
    pub vehicle_year: Option<String>,
    /// VIN: 17 characters of `A-H J-N P R-Z 0-9`.
    pub vin: Option<String>,
    /// PPF zones (1–30 entries, each 1–50 characters, no `;`).
    #[schema(example = json!(["hood", "left_fender"]))]
    pub ppf_zones: Option<Vec<String>>,
    /// Extra zones (same rules, may be empty).
    pub custom_ppf_zones: Option<Vec<String>>,
    /// On create: `draft` (default), `pending`, `scheduled` or `assigned`. On update: a move the
    /// state machine allows, recorded in the history.
    pub status: Option<TaskStatus>,
    /// Priority (default `medium`).
    pub priority: Option<Priority>,
    /// Technician to assign (an active technician with no overlapping booking).
    pub technician_id: Option<Uuid>,
    /// Day of the work, `YYYY-MM-DD`.
    #[schema(example = "2026-11-23")]
    pub scheduled_date: Option<String>,
    /// Start, `HH:MM` (with `end_time`; `""` clears both).
    #[schema(example = "09:00")]
    pub start_time: Option<String>,
    /// End, `HH:MM`, after the start.
    #[schema(example = "12:30")]
    pub end_time: Option<String>,
    /// Client (a live client).
    pub client_id: Option<Uuid>,
    /// Customer's name (defaults to the client's).
    pub customer_name: Option<String>,
    /// Customer's email (defaults to the client's).
    pub customer_email: Option<String>,
    /// Customer's phone (defaults to the client's).
    pub customer_phone: Option<String>,
    /// Customer's address.
    pub customer_address: Option<String>,
    /// Film batch.
    pub lot_film: Option<String>,
    /// Checklist done.
    pub checklist_completed: Option<bool>,
    /// Free notes (up to 2,000 characters).
    pub notes: Option<String>,
    /// Labels (up to 20, each 1–50 characters, no `;`).
    pub tags: Option<Vec<String>>,
    /// Planned minutes (0–100000).
    pub estimated_duration: Option<i64>,
    /// Minutes it took (0–100000).
    pub actual_duration: Option<i64>,
}

/// The fields a technician may change on their own tasks.
pub const TECHNICIAN_FIELDS: [&str; 5] = [
    "status",
    "notes",
    "checklist_completed",
    "lot_film",
    "actual_duration",
];

/// `Some(trimmed)` for text, `None` for empty (clears).
pub fn text(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(value: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| value.trim().len() == 10)
        .ok_or_else(|| format!("`{value}` is not a date (YYYY-MM-DD)"))
}

/// An `HH:MM` time.
pub fn parse_time(value: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M")
        .ok()
        .filter(|_| value.trim().len() == 5)
        .ok_or_else(|| format!("`{value}` is not a time (HH:MM)"))
}

fn length(checks: &mut Checks, field: &str, value: Option<&String>, min: usize, max: usize) {
    if let Some(value) = value {
        let len = value.trim().chars().count();
        let message = if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be {min} to {max} characters")
        };
        checks.check(field, (min..=max).contains(&len), &message);
    }
}

fn labels(checks: &mut Checks, field: &str, values: Option<&Vec<String>>, min: usize, max: usize) {
    let Some(values) = values else { return };
    checks.check(
        field,
        (min..=max).contains(&values.len()),
        &format!("must have {min} to {max} entries"),
    );
    checks.check(
        field,
        values
            .iter()
            .all(|v| (1..=50).contains(&v.trim().chars().count()) && !v.contains(';')),
        "each entry must be 1 to 50 characters without `;`",
    );
}

/// Whether `vin` is 17 characters of `A-H J-N P R-Z 0-9` (after upper-casing).
fn vin_ok(vin: &str) -> bool {
    vin.len() == 17
        && vin.bytes().all(|b| {
            b.is_ascii_digit() || (b.is_ascii_uppercase() && !matches!(b, b'I' | b'O' | b'Q'))
        })
}

impl TaskFields {
    /// Check the fields given; `creating` requires the creation fields.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        if creating {
            for (field, present) in [
                ("vehicle_plate", self.vehicle_plate.is_some()),
                ("vehicle_model", self.vehicle_model.is_some()),
                ("ppf_zones", self.ppf_zones.is_some()),
                ("scheduled_date", self.scheduled_date.is_some()),
            ] {
                checks.check(field, present, "is required");
            }
        }
        length(&mut checks, "title", self.title.as_ref(), 1, 100);
        length(
            &mut checks,
            "description",
            self.description.as_ref(),
            0,
            1000,
        );
        length(
            &mut checks,
            "vehicle_plate",
            self.vehicle_plate.as_ref(),
            1,
            20,
        );
        length(
            &mut checks,
            "vehicle_model",
            self.vehicle_model.as_ref(),
            1,
            100,
        );
        for (field, value, max) in [
            ("vehicle_make", &self.vehicle_make, 100),
            ("customer_name", &self.customer_name, 200),
            ("customer_address", &self.customer_address, 500),
            ("lot_film", &self.lot_film, 100),
            ("notes", &self.notes, 2000),
        ] {
            length(&mut checks, field, value.as_ref(), 0, max);
        }
        if let Some(year) = self.vehicle_year.as_deref().and_then(text) {
            let ok = year.len() == 4
                && year
                    .parse::<u16>()
                    .is_ok_and(|y| (1900..=2100).contains(&y));
            checks.check("vehicle_year", ok, "must be a year between 1900 and 2100");
        }
        if let Some(vin) = self.vin.as_deref().and_then(text) {
            checks.check(
                "vin",
                vin_ok(&vin.to_ascii_uppercase()),
                "must be 17 characters of A-H, J-N, P, R-Z and 0-9",
            );
        }
        labels(&mut checks, "ppf_zones", self.ppf_zones.as_ref(), 1, 30);
        labels(
            &mut checks,
            "custom_ppf_zones",
            self.custom_ppf_zones.as_ref(),
            0,
            30,
        );
        labels(&mut checks, "tags", self.tags.as_ref(), 0, 20);
        if let Some(date) = &self.scheduled_date {
            checks.rule("scheduled_date", parse_date(date).map(|_| ()));
        }
        for (field, value) in [
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
        ] {
            if let Some(value) = value.as_deref().and_then(text) {
                checks.rule(field, parse_time(&value).map(|_| ()));
            }
        }
        if let Some(email) = self.customer_email.as_deref().and_then(text) {
            checks.rule("customer_email", validate::email(&normalize_email(&email)));
        }
        if let Some(phone) = self.customer_phone.as_deref().and_then(text) {
            checks.rule("customer_phone", validate::phone(&phone));
        }
        for (field, value) in [
            ("estimated_duration", self.estimated_duration),
            ("actual_duration", self.actual_duration),
        ] {
            if let Some(minutes) = value {
                checks.check(
                    field,
                    (0..=100_000).contains(&minutes),
                    "must be 0 to 100000 minutes",
                );
            }
        }
        checks.finish()
    }

    /// Names of the given fields a technician may not change.
    pub fn beyond_technician(&self) -> Vec<&'static str> {
        let given = [
            ("title", self.title.is_some()),
            ("description", self.description.is_some()),
            ("vehicle_plate", self.vehicle_plate.is_some()),
            ("vehicle_model", self.vehicle_model.is_some()),
            ("vehicle_make", self.vehicle_make.is_some()),
            ("vehicle_year", self.vehicle_year.is_some()),
            ("vin", self.vin.is_some()),
            ("ppf_zones", self.ppf_zones.is_some()),
            ("custom_ppf_zones", self.custom_ppf_zones.is_some()),
            ("priority", self.priority.is_some()),
            ("technician_id", self.technician_id.is_some()),
            ("scheduled_date", self.scheduled_date.is_some()),
            ("start_time", self.start_time.is_some()),
            ("end_time", self.end_time.is_some()),
            ("client_id", self.client_id.is_some()),
            ("customer_name", self.customer_name.is_some()),
            ("customer_email", self.customer_email.is_some()),
            ("customer_phone", self.customer_phone.is_some()),
            ("customer_address", self.customer_address.is_some()),
            ("tags", self.tags.is_some()),
            ("estimated_duration", self.estimated_duration.is_some()),
        ];
        given
            .into_iter()
            .filter_map(|(name, set)| set.then_some(name))
            .collect()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_name_that_parses_back() {
        for status in TaskStatus::ALL {
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
    fn vins_follow_the_iso_alphabet() {
        assert!(vin_ok("WVWZZZ1JZXW000001"));
        assert!(!vin_ok("WVWZZZ1JZXW00000I"));
        assert!(!vin_ok("SHORT"));
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
