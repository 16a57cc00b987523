//! Working the steps: read one, save progress, advance, fail, skip or rework, and a
//! supervisor's approval or rejection. Every change checks the rules of `workflow_validation`
//! (domain facts): the intervention is `in_progress`, the step is the active one, and the step
//! before it is done.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::interventions::change::{self, Lead};
use crate::interventions::model::{Intervention, InterventionStatus, Step, StepStatus};
use crate::interventions::start::InterventionDetail;
use crate::interventions::{data, store};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::Checks;

/// What the technician recorded so far.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepProgress {
    /// Data shaped by the step's type (see the `*Data` schemas); replaces what was saved.
    #[schema(value_type = Option<Object>)]
    pub collected_data: Option<serde_json::Value>,
    /// Measurements, name → value.
    pub measurements: Option<BTreeMap<String, f64>>,
    /// Observations (replaces the list).
    #[schema(schema_with = crate::validate::observations_schema)]
    pub observations: Option<Vec<String>>,
    /// Notes.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// What a step may be moved to besides completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepMove {
    /// It could not be done; it must be reworked before the job can finish.
    Failed,
    /// Left out: only a step that is not mandatory. The next step starts.
    Skipped,
    /// A failed step is to be done again.
    Rework,
}

/// Move a step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepMoveRequest {
    /// Where to.
    pub to: StepMove,
    /// Why (kept in the step's observations).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// The intervention (as the caller may see it), its steps and the index of `step`.
pub(super) async fn load(
    conn: &mut sqlx::AnyConnection,
    id: Uuid,
    step: Uuid,
    caller: &crate::auth::CurrentUser,
) -> Result<(Intervention, Vec<Step>, usize)> {
    let intervention = store::find_for(&mut *conn, id, caller).await?;
    let steps = store::steps(&mut *conn, id).await?;
    let index = steps
        .iter()
        .position(|s| s.id == step)
        .ok_or_else(|| Error::NotFound("no such step in this intervention".into()))?;
    Ok((intervention, steps, index))
}

pub(super) fn invalid(message: String) -> Error {
    Error::InterventionInvalidState(message.into())
}

/// The step at `index` must be the one being worked, in a running intervention.
pub(super) fn ensure_active(
    intervention: &Intervention,
    steps: &[Step],
    index: usize,
) -> Result<()> {
    if intervention.status != InterventionStatus::InProgress {
        return Err(invalid(format!(
            "the intervention is {}: only an intervention in progress has an active step",
            intervention.status
        )));
    }
    let step = &steps[index];
    if index > 0 && !steps[index - 1].step_status.is_done() {
        return Err(invalid(format!(
            "step {} ({}) must be completed first",
            steps[index - 1].step_number,
            steps[index - 1].step_name
        )));
    }
    if !step.step_status.is_open() {
        return Err(invalid(format!(
            "step {} is {}, not the active step",
            step.step_number, step.step_status
        )));
    }
    Ok(())
}

/// Close the step at `index` as `status` (completed or skipped) and start the next, if any.
fn close(steps: &mut [Step], index: usize, status: StepStatus, now: i64) {
    let step = &mut steps[index];
    step.step_status = status;
    step.completed_at = Some(to_datetime(now));
    step.duration_seconds = step
        .started_at
        .map(|s| ((now - s.timestamp_millis()) / 1000).max(0));
    if let Some(next) = steps.get_mut(index + 1)
        && next.step_status == StepStatus::Pending
    {
        next.step_status = StepStatus::InProgress;
        next.started_at = Some(to_datetime(now));
    }
}

/// A reason typed by the user: trimmed, `None` when blank, at most 500 characters.
pub(super) fn reason(field: &str, text: Option<&str>) -> Result<Option<String>> {
    let reason = text.and_then(crate::tasks::model::text);
    let mut checks = Checks::default();
    checks.check(
        field,
        reason.as_ref().is_none_or(|r| r.chars().count() <= 500),
        "must be at most 500 characters",
    );
    checks.finish()?;
    Ok(reason)
}

/// Commit `after`, publish, answer with the detail.
pub(super) async fn finish(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    (before, steps_before): (&Intervention, &[Step]),
    steps_after: Vec<Step>,
    lead: Lead,
    (by, now): (Uuid, i64),
) -> Result<ApiResponse<InterventionDetail>> {
    let after = before.clone();
    let applied = change::apply(
        &mut tx,
        before,
        after,
        steps_before,
        steps_after,
        lead,
        (by, now),
    )
    .await?;
    tx.commit().await?;
    applied.publish(state, by);
    Ok(ApiResponse::ok(InterventionDetail::new(
        applied.intervention,
        applied.steps,
    )))
}

/// One step (workshop staff; a technician on their own interventions).
#[utoipa::path(
    get,
    path = "/interventions/{id}/steps/{step_id}",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    responses(
        (status = 200, description = "The step", body = ApiResponse<Step>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_step(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
) -> Result<ApiResponse<Step>> {
    let mut conn = state.db.acquire().await?;
    let (_, mut steps, index) = load(&mut conn, id, step, &caller.user).await?;
    Ok(ApiResponse::ok(steps.swap_remove(index)))
}

/// Save the active step's progress: its collected data (checked against the step's type),
/// measurements, observations and notes. A step sent back for rework is worked again.
#[utoipa::path(
    put,
    path = "/interventions/{id}/steps/{step_id}",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    request_body = StepProgress,
    responses(
        (status = 200, description = "The intervention after the save", body = ApiResponse<InterventionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: data that is not the step type's", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: not the active step, or not in progress", body = ErrorEnvelope),
    )
)]
pub async fn save_step_progress(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
    Json(progress): Json<StepProgress>,
) -> Result<ApiResponse<InterventionDetail>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let (intervention, steps, index) = load(&mut tx, id, step, &caller.user).await?;
    ensure_active(&intervention, &steps, index)?;
    let mut after = steps.clone();
    record(&mut after[index], progress)?;
    finish(
        &state,
        tx,
        (&intervention, &steps),
        after,
        Lead::Updated,
        (by, now),
    )
    .await
}

/// Write `progress` onto `step`, checked.
fn record(step: &mut Step, progress: StepProgress) -> Result<()> {
    let mut checks = Checks::default();
    let observations = progress
        .observations
        .unwrap_or_else(|| step.observations.clone());
    checks.check(
        "observations",
        observations.len() <= 50,
        "at most 50 observations",
    );
    checks.check(
        "observations",
        observations.iter().all(|o| o.chars().count() <= 500),
        "each at most 500 characters",
    );
    if let Some(m) = &progress.measurements {
        checks.check("measurements", m.len() <= 50, "at most 50 measurements");
        checks.check(
            "measurements",
            m.iter()
                .all(|(k, v)| (1..=100).contains(&k.chars().count()) && v.is_finite()),
            "each named in 1-100 characters, with a number",
        );
    }
    checks.finish()?;
    if let Some(value) = progress.collected_data {
        step.collected_data = Some(data::validate(step.step_type, value)?);
    }
    if let Some(m) = progress.measurements {
        step.measurements = Some(serde_json::to_value(m).map_err(anyhow::Error::from)?);
    }
    step.observations = observations;
    if let Some(notes) = progress.notes {
        step.notes = crate::tasks::model::text(&notes);
    }
    Ok(())
}

/// Complete the active step (with any last progress) and start the next. Refused unless the
/// intervention is in progress, the step is the active one and the one before it is done, its
/// minimum of photos is taken and, where required, a supervisor approved it.
#[utoipa::path(
    post,
    path = "/interventions/{id}/steps/{step_id}/advance",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    request_body = StepProgress,
    responses(
        (status = 200, description = "The intervention with the next step active", body = ApiResponse<InterventionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: the reason it cannot complete", body = ErrorEnvelope),
    )
)]
pub async fn advance_step(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
    Json(progress): Json<StepProgress>,
) -> Result<ApiResponse<InterventionDetail>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let (intervention, steps, index) = load(&mut tx, id, step, &caller.user).await?;
    ensure_active(&intervention, &steps, index)?;
    let mut after = steps.clone();
    let current = &mut after[index];
    record(current, progress)?;
    if current.requires_photos && current.photo_count < current.min_photos_required {
        return Err(invalid(format!(
            "step {} needs at least {} photos before it completes ({} taken)",
            current.step_number, current.min_photos_required, current.photo_count
        )));
    }
    if current.requires_supervisor_approval && current.approved_at.is_none() {
        return Err(invalid(format!(
            "step {} waits for a supervisor's approval",
            current.step_number
        )));
    }
    close(&mut after, index, StepStatus::Completed, now);
    finish(
        &state,
        tx,
        (&intervention, &steps),
        after,
        Lead::Advanced,
        (by, now),
    )
    .await
}

/// Fail, skip (a step that is not mandatory) or rework (a failed step) the active step.
#[utoipa::path(
    post,
    path = "/interventions/{id}/steps/{step_id}/status",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    request_body = StepMoveRequest,
    responses(
        (status = 200, description = "The intervention after the move", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: a mandatory step skipped, a step reworked that did not fail, …", body = ErrorEnvelope),
    )
)]
pub async fn move_step(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
    Json(request): Json<StepMoveRequest>,
) -> Result<ApiResponse<InterventionDetail>> {
    let reason = reason("reason", request.reason.as_deref())?;
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let (intervention, steps, index) = load(&mut tx, id, step, &caller.user).await?;
    let mut after = steps.clone();
    let lead = match request.to {
        StepMove::Rework => {
            if intervention.status != InterventionStatus::InProgress
                || steps[index].step_status != StepStatus::Failed
            {
                return Err(invalid(format!(
                    "only a failed step of an intervention in progress is reworked (step {} is {})",
                    steps[index].step_number, steps[index].step_status
                )));
            }
            after[index].step_status = StepStatus::Rework;
            Lead::Updated
        }
        StepMove::Failed => {
            ensure_active(&intervention, &steps, index)?;
            after[index].step_status = StepStatus::Failed;
            Lead::Updated
        }
        StepMove::Skipped => {
            ensure_active(&intervention, &steps, index)?;
            if steps[index].is_mandatory {
                return Err(invalid(format!(
                    "step {} is mandatory: it cannot be skipped",
                    steps[index].step_number
                )));
            }
            close(&mut after, index, StepStatus::Skipped, now);
            Lead::Advanced
        }
    };
    if let Some(reason) = reason {
        let label = match request.to {
            StepMove::Failed => "Failed",
            StepMove::Skipped => "Skipped",
            StepMove::Rework => "Rework",
        };
        after[index].observations.push(format!("{label}: {reason}"));
    }
    finish(&state, tx, (&intervention, &steps), after, lead, (by, now)).await
}
