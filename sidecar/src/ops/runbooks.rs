//! The control tower and runbook detail: `GET /ops/control-tower/runbooks`, `GET
//! /ops/runbooks/{id}` with its stages, gates and exceptions; and the two moves of a stage:
//! advance (only the current stage, only through an open gate) and a gate decision.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant, PlantWriters};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::EventKind;
use crate::ops::exceptions::{self, Exception};
use crate::ops::flow::{self, Custody, Runbook, StageDefinition, WarrantyContext};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{
    GateStatus, GateType, GateVerdict, LogCategory, LogSeverity, RunbookStatus, StageStatus,
};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

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

/// The stage, checked to be the runbook's and its current one.
fn current<'a>(runbook: &'a Runbook, stage_id: &str) -> Result<&'a StageDefinition> {
    let stage = runbook
        .stages
        .iter()
        .find(|s| s.id == stage_id)
        .ok_or_else(|| {
            Error::NotFound(format!("runbook `{}` has no stage `{stage_id}`", runbook.id).into())
        })?;
    let now = runbook.current();
    if now.map(|c| &c.id) != Some(&stage.id) {
        return Err(Error::Conflict {
            message: format!(
                "stages move in order: the current stage is {}",
                now.map_or("none (every stage is completed)".to_owned(), |c| c.label())
            )
            .into(),
            details: Some(serde_json::json!({ "currentStage": now.map(|c| &c.id) })),
        });
    }
    Ok(stage)
}

async fn set_stage(conn: &mut AnyConnection, id: &str, status: StageStatus) -> Result<()> {
    sqlx::query("UPDATE ops_stages SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Move the runbook's current stage on (admin, supervisor, operator, plant head): a pending
/// stage starts; a stage in progress completes when its gate is open (or it has none), and the
/// next one starts with its gate awaiting a decision.
#[utoipa::path(
    post,
    path = "/runbooks/{runbookId}/stages/{stageId}/advance",
    params(
        ("runbookId" = String, Path, description = "Runbook id", max_length = 64),
        ("stageId" = String, Path, description = "The current stage's id", max_length = 64),
    ),
    responses(
        (status = 200, description = "The runbook after the move", body = ApiResponse<RunbookData>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: not the current stage, or its gate is not open; `INVALID_TRANSITION`: the stage is on hold", body = ErrorEnvelope),
    )
)]
pub async fn advance_stage(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path((runbook_id, stage_id)): Path<(String, String)>,
) -> Result<ApiResponse<RunbookData>> {
    let mut tx = write_transaction(&state.writer).await?;
    let runbook = flow::load_one(&mut tx, &runbook_id).await?;
    let stage = current(&runbook, &stage_id)?;
    let event = match stage.status {
        StageStatus::Pending => {
            set_stage(&mut tx, &stage.id, StageStatus::InProgress).await?;
            format!("Stage started: {}", stage.label())
        }
        StageStatus::InProgress => {
            if let Some(gate) = stage.gate.as_ref().filter(|g| g.status != GateStatus::Open) {
                return Err(Error::Conflict {
                    message: format!(
                        "the {} gate \"{}\" is {}: a stage completes only through an open gate",
                        gate.r#type, gate.condition, gate.status
                    )
                    .into(),
                    details: Some(serde_json::json!({ "gate": gate.status })),
                });
            }
            set_stage(&mut tx, &stage.id, StageStatus::Completed).await?;
            let next = runbook
                .stages
                .iter()
                .skip_while(|s| s.id != stage.id)
                .nth(1);
            if let Some(next) = next {
                set_stage(&mut tx, &next.id, StageStatus::InProgress).await?;
            }
            format!("Stage completed: {}", stage.label())
        }
        from => {
            return Err(Error::InvalidTransition {
                from: from.to_string(),
                to: StageStatus::Completed.to_string(),
                allowed: Vec::new(),
            });
        }
    };
    let by = actor(&caller.user);
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::Workflow,
            severity: LogSeverity::Success,
            event: &event,
            entity: &stage.id,
            actor: &by,
        },
    )
    .await?;
    let after: RunbookData = flow::load_one(&mut tx, &runbook_id).await?.into();
    tx.commit().await?;
    publish(&state, EventKind::OpsStageChanged, caller.user.id(), &after);
    Ok(ApiResponse::ok(after))
}

/// A gate decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GateDecision {
    /// `Open` clears the gate; `Locked` blocks it (with evidence).
    pub status: GateVerdict,
    /// What the decision rests on (required to lock).
    #[schema(max_length = 500)]
    pub evidence: Option<String>,
}

/// Decide the current stage's gate (admin, supervisor, operator, plant head): open it, or lock
/// it with the evidence.
#[utoipa::path(
    post,
    path = "/runbooks/{runbookId}/stages/{stageId}/gate",
    params(
        ("runbookId" = String, Path, description = "Runbook id", max_length = 64),
        ("stageId" = String, Path, description = "The current stage's id", max_length = 64),
    ),
    request_body = GateDecision,
    responses(
        (status = 200, description = "The runbook after the decision", body = ApiResponse<RunbookData>),
        (status = 400, description = "`VALIDATION_ERROR`: locking needs evidence", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such stage, or it has no gate", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: not the current stage", body = ErrorEnvelope),
    )
)]
pub async fn decide_gate(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path((runbook_id, stage_id)): Path<(String, String)>,
    Json(body): Json<GateDecision>,
) -> Result<ApiResponse<RunbookData>> {
    let evidence = body.evidence.as_deref().and_then(text);
    if body.status == GateVerdict::Locked && evidence.is_none() {
        return Err(Error::invalid(
            "evidence",
            "locking a gate needs the evidence",
        ));
    }
    let mut tx = write_transaction(&state.writer).await?;
    let runbook = flow::load_one(&mut tx, &runbook_id).await?;
    let stage = current(&runbook, &stage_id)?;
    let Some(gate) = &stage.gate else {
        return Err(Error::NotFound(
            format!("stage `{stage_id}` has no gate").into(),
        ));
    };
    let by = actor(&caller.user);
    sqlx::query(
        "UPDATE ops_gates SET status = $1, evidence = COALESCE($2, evidence), decided_by = $3, \
         decided_at = $4 WHERE stage_id = $5",
    )
    .bind(GateStatus::from(body.status))
    .bind(evidence.as_deref())
    .bind(&by)
    .bind(now_ms())
    .bind(&stage.id)
    .execute(&mut *tx)
    .await?;
    set_stage(&mut tx, &stage.id, stage.status).await?;
    let (severity, verb) = match body.status {
        GateVerdict::Open => (LogSeverity::Success, "opened"),
        GateVerdict::Locked => (LogSeverity::Warning, "locked"),
    };
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::Workflow,
            severity,
            event: &format!("Gate {verb}: {} {}", gate.r#type, gate.condition),
            entity: &stage.id,
            actor: &by,
        },
    )
    .await?;
    let after: RunbookData = flow::load_one(&mut tx, &runbook_id).await?.into();
    tx.commit().await?;
    publish(&state, EventKind::OpsGateDecided, caller.user.id(), &after);
    Ok(ApiResponse::ok(after))
}
