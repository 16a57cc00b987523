//! Runbooks as the screens see them: each runbook read with its stages, gates and the
//! exceptions that hold them ([`load`]), and its status, current stage and block reason
//! computed from those ([`Runbook::status`]), never stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::ops::model::{GateStatus, GateType, RunbookStatus, Severity, StageStatus};

mod rows;

pub use rows::{load, load_one};

/// Who holds the goods while the runbook runs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Custody {
    /// Who.
    pub custodian: String,
    /// What they answer for.
    pub responsibilities: Vec<String>,
    /// Since when (a date as shown).
    pub since: String,
}

/// The warranty a runbook works under.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarrantyContext {
    /// What is covered.
    pub entity: String,
    /// `Active`, `Expired`, `Claim Raised`, `Under Review` or `Closed`.
    #[schema(value_type = String, example = "Active")]
    pub status: String,
    /// Who owes what.
    pub liabilities: Vec<String>,
}

/// The trace record a stage hands over.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TraceActivity {
    /// Title.
    pub header: String,
    /// What is recorded.
    pub description: String,
    /// A note for demonstrations, if any.
    pub demo_note: Option<String>,
}

/// A stage's gate.
#[derive(Debug, Clone, Serialize, ToSchema, FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Gate {
    /// What it checks.
    #[sqlx(rename = "gate_type")]
    pub r#type: GateType,
    /// The condition to clear.
    pub condition: String,
    /// What the decision rests on.
    pub evidence: Option<String>,
    /// Who decides.
    pub owner: String,
    /// `Open`, `Closed` (decision pending) or `Locked` (blocked).
    pub status: GateStatus,
    /// What a locked gate stops.
    pub impact: Option<String>,
}

/// The exception that holds a stage (its oldest unresolved one).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StageException {
    /// `EX-2026-001`.
    pub id: String,
    /// `Gate Block`, `Quality Deviation`, …
    pub r#type: String,
    /// How bad.
    pub severity: Severity,
    /// What happened.
    pub description: String,
}

/// One stage (`StageDefinition`), in SOP order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StageDefinition {
    /// `mfg-02`.
    pub id: String,
    /// `Module Assembly`.
    pub name: String,
    /// `S5`.
    pub sop_ref: String,
    /// The screen of the stage (`module_assembly`).
    pub nav_target: String,
    /// Where it stands.
    pub status: StageStatus,
    /// BPM-OS role labels that work it.
    pub roles: Vec<String>,
    /// Whether it hands a trace record over.
    pub is_trace_handoff: bool,
    /// That record.
    pub trace_activity: Option<TraceActivity>,
    /// Its gate.
    pub gate: Option<Gate>,
    /// The exception that holds it.
    pub exception: Option<StageException>,
    /// Its last change (epoch ms), for the ages of approvals and attention items.
    #[serde(skip)]
    #[schema(ignore)]
    pub since: i64,
}

impl StageDefinition {
    /// `Module Assembly (S5)`, as exceptions and approvals name a stage.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.sop_ref)
    }
}

/// A runbook with its stages, as read.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// `manufacturing`.
    pub id: String,
    /// `Manufacturing Execution`.
    pub title: String,
    /// `S4 → S9`.
    pub range: String,
    /// What it is for.
    pub purpose: String,
    /// BPM-OS role labels.
    pub roles: Vec<String>,
    /// Custody, if any.
    pub custody: Option<Custody>,
    /// Warranty, if any.
    pub warranty_context: Option<WarrantyContext>,
    /// The last change of the runbook or a stage.
    pub last_update: DateTime<Utc>,
    /// Whether a line serving it is blocked or in maintenance.
    pub line_impaired: bool,
    /// In SOP order.
    pub stages: Vec<StageDefinition>,
}

impl Runbook {
    /// The first stage not completed.
    pub fn current(&self) -> Option<&StageDefinition> {
        self.stages
            .iter()
            .find(|s| s.status != StageStatus::Completed)
    }

    /// Computed from the stages (docs/plant-operations.md, "Runbook status").
    pub fn status(&self) -> RunbookStatus {
        status_of(
            self.stages
                .iter()
                .map(|s| (s.status, s.gate.as_ref().map(|g| g.status))),
            self.line_impaired,
        )
    }

    /// `S5 Module Assembly`, or `null` when every stage is done.
    pub fn current_stage(&self) -> Option<String> {
        self.current().map(|s| format!("{} {}", s.sop_ref, s.name))
    }

    /// Why it is blocked: the holding exception, else the locked gate.
    pub fn block_reason(&self) -> Option<String> {
        let held = self.stages.iter().find_map(|s| s.exception.as_ref());
        if let Some(e) = held {
            return Some(format!("Exception {}: {}", e.id, e.r#type));
        }
        self.stages.iter().find_map(|s| {
            s.gate
                .as_ref()
                .filter(|g| g.status == GateStatus::Locked)
                .map(|g| format!("Gate {}: {}", g.r#type, g.condition))
        })
    }

    /// Completed stages as a percentage of all.
    pub fn progress(&self) -> u32 {
        let done = self
            .stages
            .iter()
            .filter(|s| s.status == StageStatus::Completed)
            .count();
        (done * 100).checked_div(self.stages.len()).unwrap_or(0) as u32
    }
}

/// A runbook's status from its stages' statuses and gates.
pub fn status_of(
    stages: impl IntoIterator<Item = (StageStatus, Option<GateStatus>)>,
    line_impaired: bool,
) -> RunbookStatus {
    let stages: Vec<_> = stages.into_iter().collect();
    let blocked = stages.iter().any(|(s, g)| {
        *s == StageStatus::Hold || (*s != StageStatus::Completed && *g == Some(GateStatus::Locked))
    });
    if blocked {
        RunbookStatus::Blocked
    } else if !stages.is_empty() && stages.iter().all(|(s, _)| *s == StageStatus::Completed) {
        RunbookStatus::Healthy
    } else if stages.iter().any(|(s, _)| *s == StageStatus::InProgress) {
        if line_impaired {
            RunbookStatus::Degraded
        } else {
            RunbookStatus::Running
        }
    } else {
        RunbookStatus::Idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use GateStatus::*;
    use StageStatus::*;

    #[test]
    fn status_follows_the_stages() {
        assert_eq!(status_of([], false), RunbookStatus::Idle);
        assert_eq!(
            status_of([(Pending, Some(Closed))], false),
            RunbookStatus::Idle
        );
        let running = [(Completed, Some(Open)), (InProgress, Some(Closed))];
        assert_eq!(status_of(running, false), RunbookStatus::Running);
        assert_eq!(status_of(running, true), RunbookStatus::Degraded);
        assert_eq!(
            status_of([(Completed, None), (Hold, Some(Closed))], false),
            RunbookStatus::Blocked
        );
        assert_eq!(
            status_of([(InProgress, Some(Locked)), (Pending, None)], false),
            RunbookStatus::Blocked
        );
        // A completed stage's old locked gate blocks nothing.
        assert_eq!(
            status_of([(Completed, Some(Locked)), (Completed, None)], false),
            RunbookStatus::Healthy
        );
    }
}
