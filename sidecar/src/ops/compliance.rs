//! `GET /ops/compliance`: the passport score of every pack record ("Aadhaar Ready %"), the EU
//! passport and EPR figures, the fields that failed, the risk list and the audit trail.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::clock::to_datetime;
use crate::error::Result;
use crate::ops::kpi::percent;
use crate::ops::model::Severity;
use crate::ops::passport::{PackRecord, aadhaar_failures, epr_eligible, eu_failures};
use crate::response::ApiResponse;
use crate::state::AppState;

/// The compliance KPIs (`KPI_DATA`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceKpis {
    /// Pack records.
    pub total_manufactured: i64,
    /// Share that pass the Aadhaar passport schema, percent (`null` without packs).
    pub aadhaar_ready: Option<f64>,
    /// Share that pass the EU passport schema, percent.
    pub eu_passport_ready: Option<f64>,
    /// Packs registered for EPR.
    pub epr_eligible: i64,
    /// Packs with a failing passport.
    pub risk_count: i64,
}

/// A pack whose passport fails.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Risk {
    /// `RSK-001`.
    pub id: String,
    /// The pack.
    pub pack_id: String,
    /// What fails (`Missing cellOrigin, chemistry`).
    pub issue: String,
    /// High when the Aadhaar schema fails, Medium when only the EU one does.
    pub severity: Severity,
}

/// A compliance event from the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// The stage or entity.
    pub stage: String,
    /// What happened.
    pub event: String,
    /// When.
    pub timestamp: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// The log row's severity.
    pub status: String,
}

/// A field that failed, and on how many packs.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FailedField {
    /// The passport field (`cellOrigin`).
    pub field: String,
    /// Packs failing it.
    pub count: i64,
}

/// The compliance view.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Compliance {
    /// The KPIs.
    pub kpis: ComplianceKpis,
    /// Failing packs, Aadhaar failures first (at most 100).
    pub risks: Vec<Risk>,
    /// The latest compliance and workflow log rows (at most 50).
    pub audit_trail: Vec<AuditEntry>,
    /// Each failing field with its count, most failed first.
    pub failed_fields: Vec<FailedField>,
}

/// Score every pack record.
pub async fn assess(conn: &mut AnyConnection) -> Result<Compliance> {
    let packs: Vec<PackRecord> = sqlx::query_as(
        "SELECT id, manufacturer, chemistry, capacity_kwh, nominal_voltage, cell_origin, \
         manufactured_at, carbon_footprint_kg, recycled_content_pct, epr_registration, \
         passport_signed FROM ops_packs ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut aadhaar, mut eu, mut epr) = (0_i64, 0_i64, 0_i64);
    let mut risks = Vec::new();
    let mut fields: Vec<FailedField> = Vec::new();
    for p in &packs {
        let a = aadhaar_failures(p);
        let e = eu_failures(p);
        aadhaar += i64::from(a.is_empty());
        eu += i64::from(e.is_empty());
        epr += i64::from(epr_eligible(p));
        for f in &e {
            match fields.iter_mut().find(|x| x.field == *f) {
                Some(x) => x.count += 1,
                None => fields.push(FailedField {
                    field: (*f).to_owned(),
                    count: 1,
                }),
            }
        }
        if !e.is_empty() {
            let severity = if a.is_empty() {
                Severity::Medium
            } else {
                Severity::High
            };
            risks.push((p.id.clone(), e.join(", "), severity));
        }
    }
    let risk_count = risks.len() as i64;
    risks.sort_by_key(|r| r.2);
    let risks = risks
        .into_iter()
        .take(100)
        .enumerate()
        .map(|(n, (pack_id, missing, severity))| Risk {
            id: format!("RSK-{:03}", n + 1),
            pack_id,
            issue: format!("Missing or invalid {missing}"),
            severity,
        })
        .collect();
    fields.sort_by(|a, b| b.count.cmp(&a.count).then(a.field.cmp(&b.field)));
    let trail: Vec<(String, String, i64, String, String)> = sqlx::query_as(
        "SELECT entity, event, at, actor, severity FROM ops_log \
         WHERE category IN ('Compliance', 'Workflow') ORDER BY seq DESC LIMIT 50",
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = packs.len() as f64;
    Ok(Compliance {
        kpis: ComplianceKpis {
            total_manufactured: packs.len() as i64,
            aadhaar_ready: percent(aadhaar as f64, total),
            eu_passport_ready: percent(eu as f64, total),
            epr_eligible: epr,
            risk_count,
        },
        risks,
        audit_trail: trail
            .into_iter()
            .map(|(stage, event, at, actor, status)| AuditEntry {
                stage,
                event,
                timestamp: to_datetime(at),
                actor,
                status,
            })
            .collect(),
        failed_fields: fields,
    })
}

/// The compliance view (plant roles); without pack records the percentages are `null`.
#[utoipa::path(
    get,
    path = "/compliance",
    responses((status = 200, description = "Scores, risks and the audit trail", body = ApiResponse<Compliance>))
)]
pub async fn compliance(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Compliance>> {
    let mut conn = state.db.acquire().await?;
    Ok(ApiResponse::ok(assess(&mut conn).await?))
}
