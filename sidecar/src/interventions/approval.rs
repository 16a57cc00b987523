//! A supervisor's word on a step that waits for it: approved, it may complete; rejected, it
//! goes back to `rework` with the reason.

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, CurrentUser, Managers};
use crate::clock::{now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::interventions::change::Lead;
use crate::interventions::model::{Intervention, Step, StepStatus};
use crate::interventions::start::InterventionDetail;
use crate::interventions::steps::{ensure_active, finish, invalid, load, reason};
use crate::response::ApiResponse;
use crate::state::AppState;

/// A supervisor's rejection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Why (required).
    #[schema(max_length = 500)]
    pub rejection_reason: String,
}

/// The intervention, its steps and the index of `step`, which must be the active step and one
/// that waits for a supervisor's word.
async fn awaiting_approval(
    conn: &mut sqlx::AnyConnection,
    id: Uuid,
    step: Uuid,
    caller: &CurrentUser,
) -> Result<(Intervention, Vec<Step>, usize)> {
    let (intervention, steps, index) = load(conn, id, step, caller).await?;
    ensure_active(&intervention, &steps, index)?;
    if !steps[index].requires_supervisor_approval {
        return Err(invalid(format!(
            "step {} does not wait for an approval",
            steps[index].step_number
        )));
    }
    Ok((intervention, steps, index))
}

/// Approve the active step (supervisors and admins): it may then complete.
#[utoipa::path(
    post,
    path = "/interventions/{id}/steps/{step_id}/approve",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    responses(
        (status = 200, description = "The intervention with the step approved", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: no approval asked, or not the active step", body = ErrorEnvelope),
    )
)]
pub async fn approve_step(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
) -> Result<ApiResponse<InterventionDetail>> {
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let (intervention, steps, index) = awaiting_approval(&mut tx, id, step, &caller.user).await?;
    let mut after = steps.clone();
    after[index].approved_by = Some(by);
    after[index].approved_at = Some(to_datetime(now));
    after[index].rejection_reason = None;
    after[index].step_status = StepStatus::InProgress;
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

/// Reject the active step (supervisors and admins): it goes to `rework` with the reason.
#[utoipa::path(
    post,
    path = "/interventions/{id}/steps/{step_id}/reject",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    request_body = Rejection,
    responses(
        (status = 200, description = "The intervention with the step to rework", body = ApiResponse<InterventionDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: no reason", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`", body = ErrorEnvelope),
    )
)]
pub async fn reject_step(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, Uuid)>,
    Json(request): Json<Rejection>,
) -> Result<ApiResponse<InterventionDetail>> {
    let Some(reason) = reason("rejection_reason", Some(&request.rejection_reason))? else {
        return Err(Error::invalid("rejection_reason", "is required"));
    };
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let (intervention, steps, index) = awaiting_approval(&mut tx, id, step, &caller.user).await?;
    let mut after = steps.clone();
    after[index].step_status = StepStatus::Rework;
    after[index].rejection_reason = Some(reason);
    after[index].approved_by = None;
    after[index].approved_at = None;
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
