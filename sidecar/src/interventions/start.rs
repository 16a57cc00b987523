//! Starting an intervention for a task: the workflow chosen, its steps created, the task's
//! vehicle, client and technician copied, and the task moved to `in_progress`, in one
//! transaction.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Json;
use crate::interventions::change;
use crate::interventions::data::{check_conditions, warnings};
use crate::interventions::model::{
    FilmType, Intervention, InterventionStatus, InterventionType, Lighting, Step, StepStatus,
    StepType, Weather, WorkLocation,
};
use crate::interventions::{store, templates};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::Priority;
use crate::tasks::model::text;
use crate::validate::Checks;

/// Where the job starts (the device's GPS).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    /// Longitude.
    #[schema(minimum = -180, maximum = 180)]
    pub lon: f64,
    /// Accuracy, metres.
    #[schema(minimum = 0)]
    pub accuracy: Option<f64>,
}

/// Start an intervention.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIntervention {
    /// The task.
    pub task_id: Uuid,
    /// Kind of job (default `ppf`).
    #[serde(default = "ppf")]
    pub intervention_type: InterventionType,
    /// Film type.
    pub film_type: Option<FilmType>,
    /// Film brand.
    #[schema(max_length = 100)]
    pub film_brand: Option<String>,
    /// Film model.
    #[schema(max_length = 100)]
    pub film_model: Option<String>,
    /// Zones to cover (default: the task's).
    #[schema(schema_with = crate::validate::intervention_zones_schema)]
    pub zones: Option<Vec<String>>,
    /// Weather.
    pub weather_condition: Option<Weather>,
    /// Light.
    pub lighting_condition: Option<Lighting>,
    /// Where.
    pub work_location: Option<WorkLocation>,
    /// °C: 10-35 (18-25 advised).
    #[schema(minimum = 10, maximum = 35)]
    pub temperature_celsius: Option<f64>,
    /// % relative humidity: at most 80 (40-60 advised).
    #[schema(minimum = 0, maximum = 80)]
    pub humidity_percentage: Option<f64>,
    /// GPS.
    pub location: Option<Location>,
    /// Priority (default: the task's).
    pub priority: Option<Priority>,
    /// What is to be done.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// Planned minutes.
    #[schema(minimum = 0, maximum = 100000)]
    pub estimated_duration: Option<i64>,
    /// Notes.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Photos each step type needs before it completes (`{"installation": 2}`), at most its
    /// limit; none by default.
    #[serde(default)]
    pub photo_minimums: BTreeMap<StepType, i64>,
    /// Step types a supervisor must approve before they complete.
    #[serde(default)]
    pub supervisor_approval: Vec<StepType>,
}

fn ppf() -> InterventionType {
    InterventionType::Ppf
}

/// An intervention with its steps, and the advice its conditions miss.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterventionDetail {
    /// The intervention.
    pub intervention: Intervention,
    /// Its steps, in order.
    pub steps: Vec<Step>,
    /// Conditions outside the advised ranges (allowed; shown to the technician).
    pub warnings: Vec<String>,
}

impl InterventionDetail {
    /// The detail of `intervention` with `steps`.
    pub fn new(intervention: Intervention, steps: Vec<Step>) -> Self {
        let mut warnings = warnings(
            intervention.temperature_celsius,
            intervention.humidity_percentage,
        );
        for step in &steps {
            if let Some(data) = &step.collected_data
                && step.step_type == StepType::Inspection
            {
                let (t, h) = crate::interventions::data::inspection_environment(data);
                warnings.extend(crate::interventions::data::warnings(t, h));
            }
        }
        warnings.dedup();
        Self {
            intervention,
            steps,
            warnings,
        }
    }
}

fn check(request: &StartIntervention) -> Result<()> {
    let mut checks = Checks::default();
    check_conditions(
        &mut checks,
        ("temperature_celsius", request.temperature_celsius),
        ("humidity_percentage", request.humidity_percentage),
    );
    if let Some(at) = request.location {
        checks.check(
            "location.lat",
            (-90.0..=90.0).contains(&at.lat),
            "must be -90 to 90",
        );
        checks.check(
            "location.lon",
            (-180.0..=180.0).contains(&at.lon),
            "must be -180 to 180",
        );
        checks.check(
            "location.accuracy",
            at.accuracy.is_none_or(|a| a >= 0.0),
            "must be ≥ 0",
        );
    }
    let zones = request.zones.as_deref().unwrap_or_default();
    checks.check("zones", zones.len() <= 50, "at most 50 zones");
    checks.check(
        "zones",
        zones
            .iter()
            .all(|z| (1..=50).contains(&z.trim().chars().count())),
        "each zone is named in 1-50 characters",
    );
    checks.check(
        "estimated_duration",
        request
            .estimated_duration
            .is_none_or(|m| (0..=100_000).contains(&m)),
        "must be 0-100000 minutes",
    );
    checks.check(
        "photo_minimums",
        request
            .photo_minimums
            .values()
            .all(|n| (0..=20).contains(n)),
        "each minimum is 0-20 photos",
    );
    checks.finish()
}

/// Start an intervention for a task (staff; a technician on their own tasks). One active
/// intervention per task (`INTERVENTION_ALREADY_ACTIVE`). The workflow is the ceramic one for
/// a ceramic job, `express_ppf` for two zones or fewer, `standard_ppf` otherwise; the task
/// moves to `in_progress` in the same transaction (`INVALID_TRANSITION` if its status cannot).
#[utoipa::path(
    post,
    path = "/interventions",
    request_body = StartIntervention,
    responses(
        (status = 201, description = "The intervention, its steps and condition warnings", body = ApiResponse<InterventionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: conditions outside 10-35 °C or above 80 % humidity, …", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such task for the caller", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_ALREADY_ACTIVE`, or `INVALID_TRANSITION` for the task", body = ErrorEnvelope),
    )
)]
pub async fn start_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Json(request): Json<StartIntervention>,
) -> Result<(StatusCode, ApiResponse<InterventionDetail>)> {
    check(&request)?;
    let by = caller.user.id();
    let now = now_ms();
    let at = to_datetime(now);
    let mut tx = write_transaction(&state.writer).await?;
    let task = crate::tasks::store::find_for(&mut *tx, request.task_id, &caller.user).await?;
    let zones: Vec<String> = match &request.zones {
        Some(zones) => zones.iter().map(|z| z.trim().to_owned()).collect(),
        None => task
            .ppf_zones
            .iter()
            .chain(&task.custom_ppf_zones)
            .cloned()
            .collect(),
    };
    let workflow = templates::choose(request.intervention_type, zones.len());
    let technician_name = match task.technician_id {
        Some(id) => store::user_name(&mut *tx, id).await?,
        None => None,
    };
    let id = Uuid::new_v4();
    let intervention = Intervention {
        id,
        task_id: task.id,
        task_number: task.task_number.clone(),
        status: InterventionStatus::InProgress,
        intervention_type: request.intervention_type,
        workflow,
        priority: request.priority.unwrap_or(task.priority),
        description: request
            .description
            .as_deref()
            .and_then(text)
            .or(task.description.clone()),
        vehicle_plate: task.vehicle_plate.clone(),
        vehicle_model: Some(task.vehicle_model.clone()),
        vehicle_make: task.vehicle_make.clone(),
        vehicle_year: task.vehicle_year.as_deref().and_then(|y| y.parse().ok()),
        vehicle_vin: task.vin.clone(),
        client_id: task.client_id,
        client_name: task.customer_name.clone(),
        client_email: task.customer_email.clone(),
        client_phone: task.customer_phone.clone(),
        technician_id: task.technician_id,
        technician_name,
        current_step: 1,
        completion_percentage: 0,
        ppf_zones_config: zones,
        film_type: request.film_type,
        film_brand: request.film_brand.as_deref().and_then(text),
        film_model: request.film_model.as_deref().and_then(text),
        started_at: Some(at),
        completed_at: None,
        paused_at: None,
        estimated_duration: request.estimated_duration.or(task.estimated_duration),
        actual_duration: None,
        weather_condition: request.weather_condition,
        lighting_condition: request.lighting_condition,
        work_location: request.work_location,
        temperature_celsius: request.temperature_celsius,
        humidity_percentage: request.humidity_percentage,
        start_location_lat: request.location.map(|l| l.lat),
        start_location_lon: request.location.map(|l| l.lon),
        start_location_accuracy: request.location.and_then(|l| l.accuracy),
        customer_satisfaction: None,
        quality_score: None,
        final_observations: Vec::new(),
        customer_signature: None,
        signatory: None,
        customer_comments: None,
        notes: request.notes.as_deref().and_then(text),
        created_at: at,
        updated_at: at,
        created_by: Some(by),
    };
    let steps: Vec<Step> = templates::steps(workflow)
        .iter()
        .zip(1..)
        .map(|(template, number)| {
            let min = request
                .photo_minimums
                .get(&template.step_type)
                .copied()
                .unwrap_or(0);
            let min = min.min(template.max_photos);
            Step {
                id: Uuid::new_v4(),
                intervention_id: id,
                step_number: number,
                step_name: template.name.to_owned(),
                step_type: template.step_type,
                step_status: if number == 1 {
                    StepStatus::InProgress
                } else {
                    StepStatus::Pending
                },
                description: Some(template.description.to_owned()),
                instructions: None,
                quality_checkpoints: template
                    .checkpoints
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect(),
                is_mandatory: template.mandatory,
                requires_photos: min > 0,
                min_photos_required: min,
                max_photos_allowed: template.max_photos,
                photo_count: 0,
                started_at: (number == 1).then_some(at),
                completed_at: None,
                duration_seconds: None,
                estimated_duration_seconds: Some(template.estimated_seconds),
                collected_data: None,
                measurements: None,
                observations: Vec::new(),
                requires_supervisor_approval: request
                    .supervisor_approval
                    .contains(&template.step_type),
                approved_by: None,
                approved_at: None,
                rejection_reason: None,
                notes: None,
                updated_at: at,
            }
        })
        .collect();
    store::insert(&mut tx, &intervention, &steps).await?;
    let tasks = change::follow(&mut tx, &intervention, &steps, by, now).await?;
    tx.commit().await?;
    let applied = change::started(intervention, steps, tasks);
    applied.publish(&state, by);
    let detail = InterventionDetail::new(applied.intervention, applied.steps);
    Ok((StatusCode::CREATED, ApiResponse::ok(detail)))
}
