//! Reading runbooks: their rows, their stages' rows (with gates and the exceptions that hold
//! them) in two queries, assembled into [`Runbook`]s.

use sqlx::{AnyConnection, FromRow};

use crate::clock::to_datetime;
use crate::error::{Error, Result};
use crate::ops::model::{GateStatus, GateType, Severity, StageStatus};

use super::{
    Custody, Gate, Runbook, StageDefinition, StageException, TraceActivity, WarrantyContext,
};

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
