//! The two moves of a runbook's stage: advance (only the current stage, only through an open
//! gate) and a gate decision, each logged and published.

use axum::extract::State;
use serde::Deserialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, PlantWriters};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::EventKind;
use crate::ops::flow::{self, Runbook, StageDefinition};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{GateStatus, GateVerdict, LogCategory, LogSeverity, StageStatus};
use crate::ops::publish;
use crate::ops::runbooks::RunbookData;
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

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
