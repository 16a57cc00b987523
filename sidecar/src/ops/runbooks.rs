//! The control tower and runbook detail: `GET /ops/control-tower/runbooks`, `GET
//! /ops/runbooks/{id}` with its stages, gates and exceptions. The moves of a stage are
//! [`crate::ops::stages`].

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Path;
use crate::ops::exceptions::{self, Exception};
use crate::ops::flow::{self, Custody, Runbook, StageDefinition, WarrantyContext};
use crate::ops::model::{GateStatus, GateType, RunbookStatus};
use crate::response::ApiResponse;
use crate::state::AppState;

/// A runbook on the control tower (`RunbookSummary`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunbookSummary {
    /// `manufacturing`.
    pub id: String,
    /// `Manufacturing Execution`.
    pub title: String,
    /// Computed from its stages.
    pub status: RunbookStatus,
    /// `S5 Module Assembly`; `null` when every stage is done.
    pub current_stage: Option<String>,
    /// Why it is blocked.
    pub block_reason: Option<String>,
    /// BPM-OS role labels.
    pub roles: Vec<String>,
    /// The last change of the runbook or a stage.
    pub last_update: DateTime<Utc>,
    /// `S4 → S9`.
    pub range: String,
    /// Completed stages, percent.
    pub progress: u32,
}

impl From<&Runbook> for RunbookSummary {
    fn from(r: &Runbook) -> Self {
        Self {
            id: r.id.clone(),
            title: r.title.clone(),
            status: r.status(),
            current_stage: r.current_stage(),
            block_reason: r.block_reason(),
            roles: r.roles.clone(),
            last_update: r.last_update,
            range: r.range.clone(),
            progress: r.progress(),
        }
    }
}

/// A runbook in full (`RunbookData`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunbookData {
    /// `manufacturing`.
    pub id: String,
    /// `Manufacturing Execution`.
    pub title: String,
    /// `S4 → S9`.
    pub range: String,
    /// What it is for.
    pub purpose: String,
    /// Computed from its stages.
    pub status: RunbookStatus,
    /// `S5 Module Assembly`.
    pub current_stage: Option<String>,
    /// Why it is blocked.
    pub block_reason: Option<String>,
    /// BPM-OS role labels.
    pub roles: Vec<String>,
    /// The last change.
    pub last_update: DateTime<Utc>,
    /// Completed stages, percent.
    pub progress: u32,
    /// Its stages in SOP order.
    pub stages: Vec<StageDefinition>,
    /// Who holds the goods.
    pub custody: Option<Custody>,
    /// The warranty it works under.
    pub warranty_context: Option<WarrantyContext>,
}

impl From<Runbook> for RunbookData {
    fn from(r: Runbook) -> Self {
        Self {
            status: r.status(),
            current_stage: r.current_stage(),
            block_reason: r.block_reason(),
            progress: r.progress(),
            id: r.id,
            title: r.title,
            range: r.range,
            purpose: r.purpose,
            roles: r.roles,
            last_update: r.last_update,
            stages: r.stages,
            custody: r.custody,
            warranty_context: r.warranty_context,
        }
    }
}

/// Every runbook's status (plant roles).
#[utoipa::path(
    get,
    path = "/control-tower/runbooks",
    responses((status = 200, description = "The runbooks, in the plant's order", body = ApiResponse<Vec<RunbookSummary>>))
)]
pub async fn control_tower(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<RunbookSummary>>> {
    let mut conn = state.db.acquire().await?;
    let runbooks = flow::load(&mut conn).await?;
    Ok(ApiResponse::ok(
        runbooks.iter().map(RunbookSummary::from).collect(),
    ))
}

/// One runbook with its stages, custody and warranty context (plant roles).
#[utoipa::path(
    get,
    path = "/runbooks/{runbookId}",
    params(("runbookId" = String, Path, description = "`material`, `manufacturing`, `dispatch` or `warranty`", max_length = 64)),
    responses(
        (status = 200, description = "The runbook", body = ApiResponse<RunbookData>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_runbook(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<RunbookData>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(
        flow::load_one(&mut conn, &id).await?.into(),
    ))
}

/// A runbook's stages in SOP order, with their gates and holding exceptions (plant roles).
#[utoipa::path(
    get,
    path = "/runbooks/{runbookId}/stages",
    params(("runbookId" = String, Path, description = "Runbook id", max_length = 64)),
    responses(
        (status = 200, description = "The stages", body = ApiResponse<Vec<StageDefinition>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn runbook_stages(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<Vec<StageDefinition>>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(
        flow::load_one(&mut conn, &id).await?.stages,
    ))
}

/// A gate with its stage and its last decision.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateDetail {
    /// The stage's id.
    pub stage_id: String,
    /// `Module Assembly (S5)`.
    pub stage: String,
    /// What it checks.
    pub r#type: GateType,
    /// The condition.
    pub condition: String,
    /// What the decision rests on.
    pub evidence: Option<String>,
    /// Who decides.
    pub owner: String,
    /// Its state.
    pub status: GateStatus,
    /// What a locked gate stops.
    pub impact: Option<String>,
}

/// A runbook's gates in SOP order (plant roles).
#[utoipa::path(
    get,
    path = "/runbooks/{runbookId}/gates",
    params(("runbookId" = String, Path, description = "Runbook id", max_length = 64)),
    responses(
        (status = 200, description = "The gates", body = ApiResponse<Vec<GateDetail>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn runbook_gates(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<Vec<GateDetail>>> {
    let mut conn = state.db.acquire().await?;
    let runbook = flow::load_one(&mut conn, &id).await?;
    let gates = runbook
        .stages
        .iter()
        .filter_map(|s| {
            let g = s.gate.clone()?;
            Some(GateDetail {
                stage_id: s.id.clone(),
                stage: s.label(),
                r#type: g.r#type,
                condition: g.condition,
                evidence: g.evidence,
                owner: g.owner,
                status: g.status,
                impact: g.impact,
            })
        })
        .collect();
    Ok(ApiResponse::ok(gates))
}

/// A runbook's unresolved exceptions, newest first (plant roles).
#[utoipa::path(
    get,
    path = "/runbooks/{runbookId}/exceptions",
    params(("runbookId" = String, Path, description = "Runbook id", max_length = 64)),
    responses(
        (status = 200, description = "Its exceptions", body = ApiResponse<Vec<Exception>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn runbook_exceptions(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<Vec<Exception>>> {
    let mut conn = state.db.acquire().await?;
    flow::load_one(&mut conn, &id).await?;
    let open = exceptions::list_in(&mut conn, Some(&id), true).await?;
    Ok(ApiResponse::ok(open))
}
