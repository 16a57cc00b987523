//! The intervention and its steps, each the row it is stored as (the enums are in `enums`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, OptMillis, StoredId, StoredOptId};
use crate::tasks::Priority;

pub use super::enums::*;

/// An intervention: the job done on a task, with the vehicle, client and technician copied
/// from the task when it started.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Intervention {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The task.
    #[sqlx(try_from = "StoredId")]
    pub task_id: Uuid,
    /// The task's number.
    pub task_number: String,
    /// Status.
    pub status: InterventionStatus,
    /// Kind of job.
    pub intervention_type: InterventionType,
    /// The step list followed.
    pub workflow: Workflow,
    /// Priority.
    pub priority: Priority,
    /// What is to be done.
    pub description: Option<String>,
    /// Licence plate.
    pub vehicle_plate: String,
    /// Model.
    pub vehicle_model: Option<String>,
    /// Make.
    pub vehicle_make: Option<String>,
    /// Year.
    pub vehicle_year: Option<i64>,
    /// VIN.
    pub vehicle_vin: Option<String>,
    /// Client.
    #[sqlx(try_from = "StoredOptId")]
    pub client_id: Option<Uuid>,
    /// Client's name.
    pub client_name: Option<String>,
    /// Client's email.
    pub client_email: Option<String>,
    /// Client's phone.
    pub client_phone: Option<String>,
    /// Technician.
    #[sqlx(try_from = "StoredOptId")]
    pub technician_id: Option<Uuid>,
    /// Technician's name.
    pub technician_name: Option<String>,
    /// The active step's number.
    pub current_step: i64,
    /// % of the mandatory steps completed.
    pub completion_percentage: i64,
    /// Zones covered.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub ppf_zones_config: Vec<String>,
    /// Film type.
    pub film_type: Option<FilmType>,
    /// Film brand.
    pub film_brand: Option<String>,
    /// Film model.
    pub film_model: Option<String>,
    /// Started.
    #[sqlx(try_from = "OptMillis")]
    pub started_at: Option<DateTime<Utc>>,
    /// Finalised.
    #[sqlx(try_from = "OptMillis")]
    pub completed_at: Option<DateTime<Utc>>,
    /// Paused since.
    #[sqlx(try_from = "OptMillis")]
    pub paused_at: Option<DateTime<Utc>>,
    /// Planned minutes.
    pub estimated_duration: Option<i64>,
    /// Minutes from start to finalisation.
    pub actual_duration: Option<i64>,
    /// Weather.
    pub weather_condition: Option<Weather>,
    /// Light.
    pub lighting_condition: Option<Lighting>,
    /// Where.
    pub work_location: Option<WorkLocation>,
    /// °C (10-35).
    pub temperature_celsius: Option<f64>,
    /// % relative humidity (at most 80).
    pub humidity_percentage: Option<f64>,
    /// Where the job started: latitude.
    pub start_location_lat: Option<f64>,
    /// Longitude.
    pub start_location_lon: Option<f64>,
    /// Accuracy, metres.
    pub start_location_accuracy: Option<f64>,
    /// 1-10.
    pub customer_satisfaction: Option<i64>,
    /// 0-100.
    pub quality_score: Option<i64>,
    /// Observations made at the end.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub final_observations: Vec<String>,
    /// The customer's signature (sanitised SVG).
    pub customer_signature: Option<String>,
    /// Who signed.
    pub signatory: Option<String>,
    /// What the customer said.
    pub customer_comments: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
    /// Who started it.
    #[sqlx(try_from = "StoredOptId")]
    pub created_by: Option<Uuid>,
}

/// One step of an intervention.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct Step {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Its intervention.
    #[sqlx(try_from = "StoredId")]
    pub intervention_id: Uuid,
    /// 1, 2, … in the order they are done.
    pub step_number: i64,
    /// Name.
    pub step_name: String,
    /// Type (shapes `collected_data`).
    pub step_type: StepType,
    /// Status.
    pub step_status: StepStatus,
    /// What the step is.
    pub description: Option<String>,
    /// How to do it.
    pub instructions: Option<String>,
    /// What must be true when it is done.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub quality_checkpoints: Vec<String>,
    /// Whether finalising needs it completed (a step that is not may be skipped).
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_mandatory: bool,
    /// Whether it needs `min_photos_required` photos before it completes.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub requires_photos: bool,
    /// Photos needed to complete.
    pub min_photos_required: i64,
    /// Photos allowed.
    pub max_photos_allowed: i64,
    /// Photos taken.
    pub photo_count: i64,
    /// Started.
    #[sqlx(try_from = "OptMillis")]
    pub started_at: Option<DateTime<Utc>>,
    /// Completed.
    #[sqlx(try_from = "OptMillis")]
    pub completed_at: Option<DateTime<Utc>>,
    /// Seconds from start to completion.
    pub duration_seconds: Option<i64>,
    /// Planned seconds.
    pub estimated_duration_seconds: Option<i64>,
    /// What was recorded, shaped by `step_type`.
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<serde_json::Value>>")]
    #[schema(value_type = Option<Object>)]
    pub collected_data: Option<serde_json::Value>,
    /// Measurements (name → value).
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<serde_json::Value>>")]
    #[schema(value_type = Option<Object>)]
    pub measurements: Option<serde_json::Value>,
    /// Observations.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub observations: Vec<String>,
    /// Whether a supervisor must approve it before it completes.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub requires_supervisor_approval: bool,
    /// Who approved it.
    #[sqlx(try_from = "StoredOptId")]
    pub approved_by: Option<Uuid>,
    /// When.
    #[sqlx(try_from = "OptMillis")]
    pub approved_at: Option<DateTime<Utc>>,
    /// Why a supervisor sent it back.
    pub rejection_reason: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

/// The columns of an [`Intervention`], for a `SELECT`.
pub const INTERVENTION_COLUMNS: &str = "id, task_id, task_number, status, intervention_type, \
    workflow, priority, description, vehicle_plate, vehicle_model, vehicle_make, vehicle_year, \
    vehicle_vin, client_id, client_name, client_email, client_phone, technician_id, \
    technician_name, current_step, completion_percentage, ppf_zones_config, film_type, \
    film_brand, film_model, started_at, completed_at, paused_at, estimated_duration, \
    actual_duration, weather_condition, lighting_condition, work_location, temperature_celsius, \
    humidity_percentage, start_location_lat, start_location_lon, start_location_accuracy, \
    customer_satisfaction, quality_score, final_observations, customer_signature, signatory, \
    customer_comments, notes, created_at, updated_at, created_by";

/// The columns of a [`Step`], for a `SELECT`.
pub const STEP_COLUMNS: &str = "id, intervention_id, step_number, step_name, step_type, \
    step_status, description, instructions, quality_checkpoints, is_mandatory, requires_photos, \
    min_photos_required, max_photos_allowed, photo_count, started_at, completed_at, \
    duration_seconds, estimated_duration_seconds, collected_data, measurements, observations, \
    requires_supervisor_approval, approved_by, approved_at, rejection_reason, notes, updated_at";

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;
    use utoipa::openapi::{RefOr, Schema};

    use super::*;

    fn fields(schema: RefOr<Schema>) -> Vec<String> {
        let RefOr::T(Schema::Object(object)) = schema else {
            panic!("an object schema");
        };
        object.properties.keys().cloned().collect()
    }

    fn columns(list: &str) -> Vec<String> {
        let mut names: Vec<String> = list.split(',').map(|c| c.trim().to_owned()).collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn the_column_lists_are_the_fields() {
        assert_eq!(
            columns(INTERVENTION_COLUMNS),
            fields(Intervention::schema())
        );
        assert_eq!(columns(STEP_COLUMNS), fields(Step::schema()));
    }

    #[test]
    fn terminal_statuses_go_nowhere() {
        for status in InterventionStatus::ALL {
            assert_eq!(status.targets().is_empty(), !status.is_active(), "{status}");
            assert!(!status.targets().contains(status), "{status}");
        }
    }
}
