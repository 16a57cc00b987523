//! `GET /ops/dashboard/{role}/attention`: what needs someone of that role now (open exceptions,
//! gates waiting, stations down, stock on hold, passports with gaps), by the BPM-OS labels of
//! `targetRoles`.

use axum::extract::State;
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::clock::now_ms;
use crate::error::Result;
use crate::extract::Path;
use crate::ops::compliance;
use crate::ops::exceptions;
use crate::ops::flow::{self};
use crate::ops::inventory::CATEGORIES;
use crate::ops::kpi::age;
use crate::ops::lines;
use crate::ops::model::{
    AttentionType, DashboardRole, GateStatus, InventoryCategoryId, Severity, StageStatus,
    StationState, labels_name,
};
use crate::response::ApiResponse;
use crate::state::AppState;

/// Something that needs a person now (`AttentionItem`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttentionItem {
    /// Stable id (`ex-EX-2026-001`, `gate-mfg-02`).
    pub id: String,
    /// What it is.
    pub r#type: AttentionType,
    /// What to do.
    pub title: String,
    /// Where.
    pub location: String,
    /// Since when.
    pub age: String,
    /// BPM-OS role labels who should act.
    pub target_roles: Vec<String>,
}

fn labels(base: &[String], extra: &[&str]) -> Vec<String> {
    let mut all = base.to_vec();
    for e in extra {
        if !all.iter().any(|l| l == e) {
            all.push((*e).to_owned());
        }
    }
    all
}

async fn attention_all(conn: &mut AnyConnection) -> Result<Vec<AttentionItem>> {
    let now = now_ms();
    let mut items = Vec::new();
    for e in exceptions::list_in(conn, None, true).await? {
        let mut extra = vec!["Supervisor"];
        if e.severity == Severity::Critical {
            extra.push("Management / Auditor");
        }
        let stage_roles: Vec<String> =
            sqlx::query_scalar("SELECT roles FROM ops_stages WHERE id = $1")
                .bind(&e.stage_id)
                .fetch_optional(&mut *conn)
                .await?
                .and_then(|r: String| serde_json::from_str(&r).ok())
                .unwrap_or_default();
        items.push(AttentionItem {
            id: format!("ex-{}", e.id),
            r#type: AttentionType::Exception,
            title: format!("{} {} ({})", e.id, e.r#type, e.severity),
            location: format!("{} · {}", e.runbook, e.stage),
            age: e.age,
            target_roles: labels(&stage_roles, &extra),
        });
    }
    for r in flow::load(conn).await? {
        for s in r
            .stages
            .iter()
            .filter(|s| s.status != StageStatus::Completed)
        {
            let Some(g) = &s.gate else { continue };
            let title = match (g.status, s.status) {
                (GateStatus::Locked, _) => format!("Gate locked: {} {}", g.r#type, g.condition),
                (GateStatus::Closed, StageStatus::InProgress) => {
                    format!("Decision pending: {} {}", g.r#type, g.condition)
                }
                _ => continue,
            };
            items.push(AttentionItem {
                id: format!("gate-{}", s.id),
                r#type: AttentionType::Block,
                title,
                location: format!("{} · {}", r.title, s.label()),
                age: age(s.since, now),
                target_roles: labels(&s.roles, &["Supervisor"]),
            });
        }
    }
    for line in lines::load(conn, None).await? {
        for s in line
            .stations
            .iter()
            .filter(|s| s.state == StationState::Blocked)
        {
            items.push(AttentionItem {
                id: format!("station-{}-{}", line.id, s.id),
                r#type: AttentionType::Block,
                title: format!(
                    "Station blocked: {} — {}",
                    s.name,
                    s.blocked_reason.as_deref().unwrap_or("")
                ),
                location: line.name.clone(),
                age: age(line.last_update.timestamp_millis(), now),
                target_roles: labels(&[], &["Production Operator", "Supervisor"]),
            });
        }
    }
    let blocked: Vec<(InventoryCategoryId, i64, i64)> = sqlx::query_as(
        "SELECT category, COUNT(*), MIN(updated_at) FROM ops_inventory WHERE status = 'Blocked' \
         GROUP BY category",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (category, n, since) in blocked {
        let label = CATEGORIES
            .iter()
            .find(|c| c.0 == category)
            .map_or("", |c| c.1);
        items.push(AttentionItem {
            id: format!("inventory-{category}"),
            r#type: AttentionType::Risk,
            title: format!("{n} blocked in {label}"),
            location: format!("Inventory · {label}"),
            age: age(since, now),
            target_roles: labels(
                &[],
                &[
                    "Stores / Incoming QC",
                    "QA Engineer",
                    "Management / Auditor",
                ],
            ),
        });
    }
    let c = compliance::assess(conn).await?;
    if c.kpis.risk_count > 0 {
        items.push(AttentionItem {
            id: "compliance-passports".into(),
            r#type: AttentionType::Compliance,
            title: format!("{} packs fail passport validation", c.kpis.risk_count),
            location: "Compliance".into(),
            age: "—".into(),
            target_roles: labels(
                &[],
                &[
                    "Compliance / Regulatory",
                    "Management / Auditor",
                    "System Admin",
                ],
            ),
        });
    }
    Ok(items)
}

/// What needs someone of this role now (plant roles): the items whose `targetRoles` name one of
/// the role's BPM-OS labels (all of them for the admin).
#[utoipa::path(
    get,
    path = "/dashboard/{role}/attention",
    params(("role" = DashboardRole, Path, description = "`operator`, `supervisor`, `plant-head`, `admin` or `auditor`")),
    responses(
        (status = 200, description = "The items", body = ApiResponse<Vec<AttentionItem>>),
        (status = 400, description = "`VALIDATION_ERROR`: not a dashboard role", body = crate::error::ErrorEnvelope),
    )
)]
pub async fn role_attention(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(role): Path<DashboardRole>,
) -> Result<ApiResponse<Vec<AttentionItem>>> {
    let mut conn = state.db.acquire().await?;
    let all = attention_all(&mut conn).await?;
    Ok(ApiResponse::ok(
        all.into_iter()
            .filter(|i| labels_name(&i.target_roles, role.role()))
            .collect(),
    ))
}
