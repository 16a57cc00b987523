//! Runbooks as the screens see them: each runbook read with its stages, gates and the
//! exceptions that hold them ([`load`]), and its status, current stage and block reason
//! computed from those ([`Runbook::status`]), never stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, FromRow};
use utoipa::ToSchema;

use crate::clock::to_datetime;
use crate::error::{Error, Result};
use crate::ops::model::{GateStatus, GateType, RunbookStatus, Severity, StageStatus};

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

#[derive(FromRow)]
struct RunbookRow {
    id: String,
    title: String,
    sop_range: String,
    purpose: String,
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    roles: Vec<String>,
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<Custody>>")]
    custody: Option<Custody>,
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<WarrantyContext>>")]
    warranty_context: Option<WarrantyContext>,
    updated_at: i64,
    #[sqlx(try_from = "crate::db::stored::Flag")]
    line_impaired: bool,
}

#[derive(FromRow)]
struct StageRow {
    id: String,
    runbook_id: String,
    sop: i64,
    name: String,
    nav_target: String,
    status: StageStatus,
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    roles: Vec<String>,
    #[sqlx(try_from = "crate::db::stored::Flag")]
    is_trace_handoff: bool,
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<TraceActivity>>")]
    trace_activity: Option<TraceActivity>,
    updated_at: i64,
    #[sqlx(flatten)]
    gate: GateRow,
    exception_id: Option<String>,
    exception_type: Option<String>,
    exception_severity: Option<Severity>,
    exception_description: Option<String>,
}

#[derive(FromRow)]
struct GateRow {
    gate_type: Option<GateType>,
    condition: Option<String>,
    evidence: Option<String>,
    owner: Option<String>,
    gate_status: Option<GateStatus>,
    impact: Option<String>,
}

impl GateRow {
    fn gate(self) -> Option<Gate> {
        Some(Gate {
            r#type: self.gate_type?,
            condition: self.condition?,
            evidence: self.evidence,
            owner: self.owner?,
            status: self.gate_status?,
            impact: self.impact,
        })
    }
}

const RUNBOOKS: &str = "SELECT r.id, r.title, r.sop_range, r.purpose, r.roles, r.custody, \
    r.warranty_context, r.updated_at, EXISTS (SELECT 1 FROM ops_lines l WHERE l.runbook_id = r.id \
    AND (l.maintenance = TRUE OR EXISTS (SELECT 1 FROM ops_stations s WHERE s.line_id = l.id \
    AND s.state = 'Blocked'))) AS line_impaired FROM ops_runbooks r";

// Each stage with its gate and its oldest unresolved exception.
const STAGES: &str = "SELECT s.id, s.runbook_id, s.sop, s.name, s.nav_target, s.status, s.roles, \
    s.is_trace_handoff, s.trace_activity, s.updated_at, g.type AS gate_type, g.condition, \
    g.evidence, g.owner, g.status AS gate_status, g.impact, e.id AS exception_id, \
    e.type AS exception_type, e.severity AS exception_severity, \
    e.description AS exception_description \
    FROM ops_stages s LEFT JOIN ops_gates g ON g.stage_id = s.id \
    LEFT JOIN ops_exceptions e ON e.id = (SELECT x.id FROM ops_exceptions x \
      WHERE x.stage_id = s.id AND x.status NOT IN ('Resolved', 'Closed') \
      ORDER BY x.raised_at, x.id LIMIT 1)";

/// Every runbook with its stages, in the plant's order.
pub async fn load(conn: &mut AnyConnection) -> Result<Vec<Runbook>> {
    let rows: Vec<RunbookRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{RUNBOOKS} ORDER BY r.position"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let stages: Vec<StageRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{STAGES} ORDER BY s.runbook_id, s.position"
    )))
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(rows, stages))
}

/// One runbook, or `NOT_FOUND`.
pub async fn load_one(conn: &mut AnyConnection, id: &str) -> Result<Runbook> {
    let rows: Vec<RunbookRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{RUNBOOKS} WHERE r.id = $1")))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    if rows.is_empty() {
        return Err(Error::NotFound(format!("no runbook `{id}`").into()));
    }
    let stages: Vec<StageRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{STAGES} WHERE s.runbook_id = $1 ORDER BY s.position"
    )))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(rows, stages).remove(0))
}

fn assemble(rows: Vec<RunbookRow>, stages: Vec<StageRow>) -> Vec<Runbook> {
    let mut runbooks: Vec<Runbook> = rows
        .into_iter()
        .map(|r| Runbook {
            id: r.id,
            title: r.title,
            range: r.sop_range,
            purpose: r.purpose,
            roles: r.roles,
            custody: r.custody,
            warranty_context: r.warranty_context,
            last_update: to_datetime(r.updated_at),
            line_impaired: r.line_impaired,
            stages: Vec::new(),
        })
        .collect();
    for s in stages {
        let Some(runbook) = runbooks.iter_mut().find(|r| r.id == s.runbook_id) else {
            continue;
        };
        runbook.last_update = runbook.last_update.max(to_datetime(s.updated_at));
        let exception = match (s.exception_id, s.exception_type, s.exception_severity) {
            (Some(id), Some(r#type), Some(severity)) => Some(StageException {
                id,
                r#type,
                severity,
                description: s.exception_description.unwrap_or_default(),
            }),
            _ => None,
        };
        runbook.stages.push(StageDefinition {
            id: s.id,
            name: s.name,
            sop_ref: format!("S{}", s.sop),
            nav_target: s.nav_target,
            status: s.status,
            roles: s.roles,
            is_trace_handoff: s.is_trace_handoff,
            trace_activity: s.trace_activity,
            gate: s.gate.gate(),
            exception,
            since: s.updated_at,
        });
    }
    runbooks
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
