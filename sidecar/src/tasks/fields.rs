//! What a caller may set on a task ([`TaskFields`]): the fields a technician may change, and how
//! the fields make a new [`Task`] or change one. Their checks ([`TaskFields::validate`]) are in
//! the `checks` submodule.

mod checks;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::tasks::model::{Priority, Task, TaskStatus, clean_labels, text};
use crate::validate::normalize_email;

/// A task's editable fields. On create, absent fields take their defaults (`vehicle_plate`,
/// `vehicle_model`, `ppf_zones`, `scheduled_date` are required; `title` defaults to the vehicle);
/// on update, absent fields stay as they are and `""` clears an optional text field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskFields {
    /// Title (1–100 characters).
    #[schema(example = "Full front PPF")]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub title: Option<String>,
    /// Details (up to 1,000 characters).
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// Licence plate (1–20 characters).
    #[schema(example = "AB-123-CD")]
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub vehicle_plate: Option<String>,
    /// Model (1–100 characters).
    #[schema(example = "Model 3")]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub vehicle_model: Option<String>,
    /// Make.
    #[schema(max_length = 100)]
    pub vehicle_make: Option<String>,
    /// Year, `YYYY` between 1900 and 2100.
    #[schema(
        max_length = 20,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(19[0-9]{2}|20[0-9]{2}|2100)?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub vehicle_year: Option<String>,
    /// VIN: 17 characters of `A-H J-N P R-Z 0-9`.
    #[schema(
        max_length = 40,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([A-HJ-NPR-Za-hj-npr-z0-9]{17})?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub vin: Option<String>,
    /// PPF zones (1–30 entries, each 1–50 characters, no `;`).
    #[schema(example = json!(["hood", "left_fender"]))]
    #[schema(schema_with = crate::validate::zones_schema)]
    pub ppf_zones: Option<Vec<String>>,
    /// Extra zones (same rules, may be empty).
    #[schema(schema_with = crate::validate::extra_zones_schema)]
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
    #[schema(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub scheduled_date: Option<String>,
    /// Start, `HH:MM` (with `end_time`; `""` clears both).
    #[schema(example = "09:00")]
    #[schema(
        max_length = 20,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(([01][0-9]|2[0-3]):[0-5][0-9])?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub start_time: Option<String>,
    /// End, `HH:MM`, after the start.
    #[schema(example = "12:30")]
    #[schema(
        max_length = 20,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(([01][0-9]|2[0-3]):[0-5][0-9])?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub end_time: Option<String>,
    /// Client (a live client).
    pub client_id: Option<Uuid>,
    /// Customer's name (defaults to the client's).
    #[schema(max_length = 200)]
    pub customer_name: Option<String>,
    /// Customer's email (defaults to the client's).
    #[schema(
        max_length = 254,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub customer_email: Option<String>,
    /// Customer's phone (defaults to the client's).
    #[schema(
        max_length = 40,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([0-9+\-()][0-9+\-() ]{5,18}[0-9+\-()])?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub customer_phone: Option<String>,
    /// Customer's address.
    #[schema(max_length = 500)]
    pub customer_address: Option<String>,
    /// Film batch.
    #[schema(max_length = 100)]
    pub lot_film: Option<String>,
    /// Checklist done.
    pub checklist_completed: Option<bool>,
    /// Free notes (up to 2,000 characters).
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Labels (up to 20, each 1–50 characters, no `;`).
    #[schema(schema_with = crate::validate::task_tags_schema)]
    pub tags: Option<Vec<String>>,
    /// Planned minutes (0–100000).
    #[schema(minimum = 0, maximum = 100000)]
    pub estimated_duration: Option<i64>,
    /// Minutes it took (0–100000).
    #[schema(minimum = 0, maximum = 100000)]
    pub actual_duration: Option<i64>,
}

crate::create_request! {
    /// A new task: [`TaskFields`] with the vehicle, zones and day required.
    NewTask: TaskFields {
        "vehicle_plate": Type::String,
        "vehicle_model": Type::String,
        "ppf_zones": Type::Array,
        "scheduled_date": Type::String,
    }
}

/// The fields a technician may change on their own tasks.
pub const TECHNICIAN_FIELDS: [&str; 5] = [
    "status",
    "notes",
    "checklist_completed",
    "lot_film",
    "actual_duration",
];

impl TaskFields {
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

/// A client's contact details (name, email, phone), the defaults of a task's customer fields.
pub type ClientContact = (String, Option<String>, Option<String>);

impl TaskFields {
    /// The task these (validated) fields make, before it is stored: `number` from
    /// [`allocate_number`](super::store::allocate_number), customer details defaulting to the
    /// client's.
    pub fn new_task(
        &self,
        number: String,
        status: TaskStatus,
        client: Option<ClientContact>,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Task {
        let opt = |v: &Option<String>| v.as_deref().and_then(text);
        let (client_name, client_email, client_phone) = client.unwrap_or_default();
        let trimmed =
            |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_owned();
        let (plate, model) = (trimmed(&self.vehicle_plate), trimmed(&self.vehicle_model));
        let title = opt(&self.title).unwrap_or_else(|| format!("{model} {plate}"));
        let labels = |v: &Option<Vec<String>>| clean_labels(v.as_deref().unwrap_or_default());
        Task {
            id: Uuid::new_v4(),
            task_number: number,
            title: title.chars().take(100).collect(),
            description: opt(&self.description),
            vehicle_plate: plate,
            vehicle_model: model,
            vehicle_make: opt(&self.vehicle_make),
            vehicle_year: opt(&self.vehicle_year),
            vin: opt(&self.vin).map(|v| v.to_ascii_uppercase()),
            ppf_zones: labels(&self.ppf_zones),
            custom_ppf_zones: labels(&self.custom_ppf_zones),
            status,
            priority: self.priority.unwrap_or(Priority::Medium),
            technician_id: self.technician_id,
            assigned_at: self.technician_id.map(|_| now),
            assigned_by: self.technician_id.map(|_| by),
            scheduled_date: trimmed(&self.scheduled_date),
            start_time: opt(&self.start_time),
            end_time: opt(&self.end_time),
            client_id: self.client_id,
            customer_name: opt(&self.customer_name).or(Some(client_name).filter(|n| !n.is_empty())),
            customer_email: opt(&self.customer_email)
                .map(|e| normalize_email(&e))
                .or(client_email),
            customer_phone: opt(&self.customer_phone).or(client_phone),
            customer_address: opt(&self.customer_address),
            lot_film: opt(&self.lot_film),
            checklist_completed: self.checklist_completed.unwrap_or(false),
            notes: opt(&self.notes),
            tags: labels(&self.tags),
            estimated_duration: self.estimated_duration,
            actual_duration: self.actual_duration,
            started_at: None,
            completed_at: None,
            workflow_id: None,
            current_workflow_step_id: None,
            completed_steps: 0,
            created_at: now,
            updated_at: now,
            created_by: Some(by),
        }
    }

    /// Write the given descriptive fields onto `task`: `""` clears an optional text, lists are
    /// cleaned, and a new client fills the customer fields not given. The schedule, technician
    /// and status are the change path's ([`change`](super::change)), not set here.
    pub fn describe(&self, task: &mut Task, contact: Option<ClientContact>) {
        let texts = [
            (&self.description, &mut task.description),
            (&self.vehicle_make, &mut task.vehicle_make),
            (&self.vehicle_year, &mut task.vehicle_year),
            (&self.customer_name, &mut task.customer_name),
            (&self.customer_phone, &mut task.customer_phone),
            (&self.customer_address, &mut task.customer_address),
            (&self.lot_film, &mut task.lot_film),
            (&self.notes, &mut task.notes),
        ];
        for (given, stored) in texts {
            if let Some(value) = given {
                *stored = text(value);
            }
        }
        if let Some(title) = self.title.as_deref().and_then(text) {
            task.title = title;
        }
        for (given, stored) in [
            (&self.vehicle_plate, &mut task.vehicle_plate),
            (&self.vehicle_model, &mut task.vehicle_model),
        ] {
            if let Some(value) = given {
                value.trim().clone_into(stored);
            }
        }
        if let Some(vin) = &self.vin {
            task.vin = text(vin).map(|v| v.to_ascii_uppercase());
        }
        if let Some(email) = &self.customer_email {
            task.customer_email = text(email).map(|e| normalize_email(&e));
        }
        for (given, stored) in [
            (&self.ppf_zones, &mut task.ppf_zones),
            (&self.custom_ppf_zones, &mut task.custom_ppf_zones),
            (&self.tags, &mut task.tags),
        ] {
            if let Some(values) = given {
                *stored = clean_labels(values);
            }
        }
        if let Some(priority) = self.priority {
            task.priority = priority;
        }
        if let Some(done) = self.checklist_completed {
            task.checklist_completed = done;
        }
        if let Some(minutes) = self.estimated_duration {
            task.estimated_duration = Some(minutes);
        }
        if let Some(minutes) = self.actual_duration {
            task.actual_duration = Some(minutes);
        }
        if let Some(client) = self.client_id {
            task.client_id = Some(client);
            if let Some((name, email, phone)) = contact {
                if self.customer_name.is_none() {
                    task.customer_name = Some(name);
                }
                if self.customer_email.is_none() {
                    task.customer_email = email;
                }
                if self.customer_phone.is_none() {
                    task.customer_phone = phone;
                }
            }
        }
    }
}
