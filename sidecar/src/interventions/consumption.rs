//! `/interventions/{id}/consumption`: the materials a job uses, recorded per step while the
//! intervention is open (`materials::consumption` writes the row and the ledger), listed, and
//! summed for the intervention's summary and report. Who may see the intervention may see and
//! record its consumption.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::interventions::model::InterventionStatus;
use crate::interventions::store;
use crate::live::{Audience, EventKind};
use crate::materials::Material;
use crate::materials::consumption::{self, Consumption, ConsumptionSummary, RecordConsumption};
use crate::materials::ledger;
use crate::response::ApiResponse;
use crate::state::AppState;

/// A consumption recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsumptionRecorded {
    /// The row.
    pub consumption: Consumption,
    /// The material after it (its stock, and whether it is now low).
    pub material: Material,
}

/// Record a material used (and wasted) in an intervention's step (the intervention's crew).
/// The stock must cover used + waste, or nothing is written (`CONFLICT`).
#[utoipa::path(
    post,
    path = "/interventions/{id}/consumption",
    params(("id" = Uuid, Path, description = "Intervention id")),
    request_body = RecordConsumption,
    responses(
        (status = 201, description = "The consumption and the material after it", body = ApiResponse<ConsumptionRecorded>),
        (status = 400, description = "`VALIDATION_ERROR` with field details (a step of another intervention)", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: the intervention or the material", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: not enough stock; `INTERVENTION_INVALID_STATE`: the job is closed", body = ErrorEnvelope),
    )
)]
pub async fn record_consumption(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<RecordConsumption>,
) -> Result<(StatusCode, ApiResponse<ConsumptionRecorded>)> {
    body.check()?;
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    let intervention = store::find_for(&mut *tx, id, &caller.user).await?;
    if !matches!(
        intervention.status,
        InterventionStatus::Pending | InterventionStatus::InProgress | InterventionStatus::Paused
    ) {
        return Err(Error::InterventionInvalidState(
            format!(
                "consumption is recorded while the job is open; this one is {}",
                intervention.status
            )
            .into(),
        ));
    }
    let step = match body.step_id {
        Some(step_id) => {
            let steps = store::steps(&mut *tx, id).await?;
            let step = steps
                .iter()
                .find(|s| s.id == step_id)
                .ok_or_else(|| Error::invalid("step_id", "is not a step of this intervention"))?;
            Some((step.id, step.step_number))
        }
        None => None,
    };
    let (row, moves) = consumption::record(&mut tx, id, step, &body, by, now_ms()).await?;
    tx.commit().await?;
    ledger::publish(&state, by, &moves);
    state.live.publish(
        EventKind::MaterialConsumed,
        Audience::crew([intervention.technician_id]),
        Some(by),
        &row,
    );
    let material = match moves.into_iter().last() {
        Some(moved) => moved.material,
        None => ledger::find(&mut *state.db.acquire().await?, body.material_id).await?,
    };
    Ok((
        StatusCode::CREATED,
        ApiResponse::ok(ConsumptionRecorded {
            consumption: row,
            material,
        }),
    ))
}

/// What an intervention used, oldest first (the intervention's crew).
#[utoipa::path(
    get,
    path = "/interventions/{id}/consumption",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The consumption rows", body = ApiResponse<Vec<Consumption>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn list_consumption(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Vec<Consumption>>> {
    let mut conn = state.db.acquire().await?;
    store::find_for(&mut *conn, id, &caller.user).await?;
    Ok(ApiResponse::ok(
        consumption::of_intervention(&mut conn, id).await?,
    ))
}

/// What an intervention used, by material, and its cost (the intervention's crew).
#[utoipa::path(
    get,
    path = "/interventions/{id}/consumption/summary",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The summary", body = ApiResponse<ConsumptionSummary>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn consumption_summary(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<ConsumptionSummary>> {
    let mut conn = state.db.acquire().await?;
    store::find_for(&mut *conn, id, &caller.user).await?;
    let rows = consumption::of_intervention(&mut conn, id).await?;
    Ok(ApiResponse::ok(consumption::summary(&rows)))
}
