//! An intervention's life after it starts: pause, resume, cancel (by its state machine, the
//! task following), and finalisation with the customer's signature, which completes the task.

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::interventions::change::{self, Lead, invalid_move};
use crate::interventions::model::{InterventionStatus, StepStatus};
use crate::interventions::start::InterventionDetail;
use crate::interventions::{signature, store};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::model::text;
use crate::validate::Checks;

/// Where [`set_status`] moves an intervention.
#[derive(Debug, Clone, Copy)]
enum Move {
    Pause,
    Resume,
    Cancel,
}

async fn set_status(
    caller: &Authorized<WorkshopStaff>,
    state: &AppState,
    id: Uuid,
    to: Move,
) -> Result<ApiResponse<InterventionDetail>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find_for(&mut *tx, id, &caller.user).await?;
    let steps = store::steps(&mut *tx, id).await?;
    let target = match to {
        Move::Pause => InterventionStatus::Paused,
        Move::Resume => InterventionStatus::InProgress,
        Move::Cancel => InterventionStatus::Cancelled,
    };
    // Resuming is only from a pause: a pending intervention is started, not resumed.
    let resumable = !matches!(to, Move::Resume) || before.status == InterventionStatus::Paused;
    if before.status == target || !resumable || !before.status.targets().contains(&target) {
        return Err(invalid_move(before.status, target));
    }
    let mut after = before.clone();
    after.status = target;
    let mut steps_after = steps.clone();
    let active = change::active(&steps).map(|s| s.step_number);
    for step in &mut steps_after {
        let is_active = Some(step.step_number) == active;
        step.step_status = match (to, step.step_status) {
            (Move::Pause, StepStatus::InProgress) if is_active => StepStatus::Paused,
            (Move::Resume, StepStatus::Paused) => StepStatus::InProgress,
            (_, status) => status,
        };
    }
    match to {
        Move::Pause => after.paused_at = Some(to_datetime(now)),
        Move::Resume | Move::Cancel => after.paused_at = None,
    }
    let applied = change::apply(
        &mut tx,
        &before,
        after,
        &steps,
        steps_after,
        Lead::Status,
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

/// Pause an intervention in progress; the task is paused with it.
#[utoipa::path(
    post,
    path = "/interventions/{id}/pause",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The paused intervention", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`", body = ErrorEnvelope),
    )
)]
pub async fn pause_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<InterventionDetail>> {
    set_status(&caller, &state, id, Move::Pause).await
}

/// Resume a paused intervention; the task is in progress again.
#[utoipa::path(
    post,
    path = "/interventions/{id}/resume",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The intervention, in progress", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`", body = ErrorEnvelope),
    )
)]
pub async fn resume_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<InterventionDetail>> {
    set_status(&caller, &state, id, Move::Resume).await
}

/// Cancel an intervention; the task is cancelled with it (the job is dropped).
#[utoipa::path(
    post,
    path = "/interventions/{id}/cancel",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The cancelled intervention", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`", body = ErrorEnvelope),
    )
)]
pub async fn cancel_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<InterventionDetail>> {
    set_status(&caller, &state, id, Move::Cancel).await
}

/// The customer's signature.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerSignature {
    /// The drawing, as SVG (kept sanitised: shapes only; at most 256 kB).
    #[schema(max_length = 262144)]
    pub svg_data: String,
    /// Who signed.
    #[schema(max_length = 100)]
    pub signatory: String,
    /// What the customer said.
    #[schema(max_length = 2000)]
    pub customer_comments: Option<String>,
}

/// Finalise an intervention.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Finalize {
    /// 1-10.
    #[schema(minimum = 1, maximum = 10)]
    pub customer_satisfaction: Option<i64>,
    /// 0-100.
    #[schema(minimum = 0, maximum = 100)]
    pub quality_score: Option<i64>,
    /// Observations made at the end.
    #[schema(schema_with = crate::validate::observations_schema)]
    pub final_observations: Option<Vec<String>>,
    /// The customer's signature.
    pub customer_signature: CustomerSignature,
}

/// Finalise an intervention: every mandatory step completed, the customer's signature, the
/// satisfaction and quality scores. The task is completed in the same transaction, and the
/// desktop is told.
#[utoipa::path(
    post,
    path = "/interventions/{id}/finalize",
    params(("id" = Uuid, Path, description = "Intervention id")),
    request_body = Finalize,
    responses(
        (status = 200, description = "The completed intervention", body = ApiResponse<InterventionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: scores out of range, a signature that is not a drawing", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: mandatory steps not completed, or not in progress", body = ErrorEnvelope),
    )
)]
pub async fn finalize_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<Finalize>,
) -> Result<ApiResponse<InterventionDetail>> {
    let mut checks = Checks::default();
    let satisfaction_ok = request
        .customer_satisfaction
        .is_none_or(|s| (1..=10).contains(&s));
    checks.check(
        "customer_satisfaction",
        satisfaction_ok,
        "must be between 1 and 10",
    );
    let quality_ok = request.quality_score.is_none_or(|q| (0..=100).contains(&q));
    checks.check("quality_score", quality_ok, "must be between 0 and 100");
    let observations: Vec<String> = request
        .final_observations
        .iter()
        .flatten()
        .filter_map(|o| text(o))
        .collect();
    checks.check(
        "final_observations",
        observations.len() <= 50,
        "at most 50 observations",
    );
    checks.check(
        "final_observations",
        observations.iter().all(|o| o.chars().count() <= 500),
        "each at most 500 characters",
    );
    let sign = &request.customer_signature;
    let signatory = text(&sign.signatory);
    checks.check(
        "customer_signature.signatory",
        signatory.is_some(),
        "is required",
    );
    checks.check(
        "customer_signature.signatory",
        signatory.as_ref().is_none_or(|s| s.chars().count() <= 100),
        "must be at most 100 characters",
    );
    let svg = signature::sanitize(&sign.svg_data);
    if let Err(message) = svg {
        checks.check("customer_signature.svg_data", false, message);
    }
    checks.finish()?;
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find_for(&mut *tx, id, &caller.user).await?;
    let steps = store::steps(&mut *tx, id).await?;
    if !before
        .status
        .targets()
        .contains(&InterventionStatus::Completed)
    {
        return Err(invalid_move(before.status, InterventionStatus::Completed));
    }
    let missing: Vec<String> = steps
        .iter()
        .filter(|s| s.is_mandatory && s.step_status != StepStatus::Completed)
        .map(|s| format!("{} ({})", s.step_name, s.step_status))
        .collect();
    if !missing.is_empty() {
        return Err(Error::InterventionInvalidState(
            format!(
                "every mandatory step must be completed first: {}",
                missing.join(", ")
            )
            .into(),
        ));
    }
    let mut after = before.clone();
    after.status = InterventionStatus::Completed;
    after.completed_at = Some(to_datetime(now));
    after.paused_at = None;
    after.actual_duration = before
        .started_at
        .map(|s| (now - s.timestamp_millis()) / 60_000);
    after.customer_satisfaction = request.customer_satisfaction;
    after.quality_score = request.quality_score;
    after.final_observations = observations;
    after.customer_signature = svg.ok();
    after.signatory = signatory;
    after.customer_comments = sign.customer_comments.as_deref().and_then(text);
    let applied = change::apply(
        &mut tx,
        &before,
        after,
        &steps,
        steps.clone(),
        Lead::Finalized,
        (by, now),
    )
    .await?;
    tx.commit().await?;
    applied.publish(&state, by);
    // The job is done whether or not its report could be made; one can be made again on demand.
    if let Err(e) = crate::interventions::report::generate(&state, id, by).await {
        tracing::error!(intervention = %id, error = %e, "intervention report not made");
    }
    Ok(ApiResponse::ok(InterventionDetail::new(
        applied.intervention,
        applied.steps,
    )))
}
