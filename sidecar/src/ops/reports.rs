//! Reports: `GET /ops/reports` (the four report templates) and `GET
//! /ops/reports/{reportId}/preview` (each computed from the plant's data as it stands).

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Authorized, Plant};
use crate::clock::{days, now_ms};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Path;
use crate::ops::compliance;
use crate::ops::dashboard::daily;
use crate::ops::exceptions;
use crate::ops::flow;
use crate::ops::inventory::CATEGORIES;
use crate::ops::kpi::{self, percent};
use crate::ops::model::{InventoryCategoryId, InventoryStatus, MetricStatus, SystemMetric};
use crate::ops::{lines, telemetry};
use crate::response::ApiResponse;
use crate::state::AppState;

/// A report template (`ReportTile`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportTile {
    /// `rpt-mfg`, `rpt-comp`, `rpt-inv`, `rpt-wty`.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// What it shows.
    pub description: &'static str,
    /// Who it is for.
    pub owner: &'static str,
}

/// The four templates.
pub const REPORTS: [ReportTile; 4] = [
    ReportTile {
        id: "rpt-mfg",
        title: "Manufacturing Performance",
        description: "Built, good, yield and OEE by day and by line over the last 7 days",
        owner: "Management / Auditor",
    },
    ReportTile {
        id: "rpt-comp",
        title: "Compliance & Passports",
        description: "Aadhaar and EU passport readiness, EPR eligibility and failing fields",
        owner: "Compliance / Regulatory",
    },
    ReportTile {
        id: "rpt-inv",
        title: "Inventory Status",
        description: "Items by category and status",
        owner: "Stores / Incoming QC",
    },
    ReportTile {
        id: "rpt-wty",
        title: "Warranty & Service",
        description: "Warranty runbook stages and their exceptions",
        owner: "Service / Support",
    },
];

/// The report templates (plant roles).
#[utoipa::path(
    get,
    path = "/reports",
    responses((status = 200, description = "The templates", body = ApiResponse<Vec<ReportTile>>))
)]
pub async fn list_reports(
    _caller: Authorized<Plant>,
) -> Result<ApiResponse<&'static [ReportTile]>> {
    Ok(ApiResponse::ok(&REPORTS[..]))
}

/// A report's preview: headline figures and a table.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportPreview {
    /// The report.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it was computed.
    pub generated_at: DateTime<Utc>,
    /// Headline figures.
    pub summary: Vec<SystemMetric>,
    /// The table's columns.
    pub columns: Vec<String>,
    /// Its rows, one text per column (`null` where nothing is known).
    pub rows: Vec<Vec<Option<String>>>,
}

fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn num(v: Option<f64>) -> Option<String> {
    v.map(|v| format!("{v:.1}"))
}

fn info(label: &str, value: impl Into<String>) -> SystemMetric {
    SystemMetric::new(label, value, MetricStatus::Info)
}

/// A report computed from the plant's data (plant roles).
#[utoipa::path(
    get,
    path = "/reports/{reportId}/preview",
    params(("reportId" = String, Path, description = "`rpt-mfg`, `rpt-comp`, `rpt-inv` or `rpt-wty`", max_length = 64)),
    responses(
        (status = 200, description = "The preview", body = ApiResponse<ReportPreview>),
        (status = 404, description = "`NOT_FOUND`: no such report", body = ErrorEnvelope),
    )
)]
pub async fn preview(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<ApiResponse<ReportPreview>> {
    let tile = REPORTS
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Error::NotFound(format!("no report `{id}`").into()))?;
    let mut conn = state.db.acquire().await?;
    let now = now_ms();
    let (summary, columns, rows) = match tile.id {
        "rpt-mfg" => {
            let week = telemetry::totals(&mut conn, None, now - days(7), now).await?;
            let mut rows = Vec::new();
            for (day, t) in daily(&mut conn, 7).await? {
                rows.push(vec![
                    Some(day.format("%Y-%m-%d").to_string()),
                    Some("All lines".to_owned()),
                    Some(t.total.to_string()),
                    Some(t.good.to_string()),
                    num(kpi::yield_percent(&t)),
                    num(kpi::oee(&t).oee),
                ]);
            }
            for line in lines::load(&mut conn, None).await? {
                let t = telemetry::totals(&mut conn, Some(&line.id), now - days(7), now).await?;
                rows.push(vec![
                    Some("Last 7 days".to_owned()),
                    Some(line.name),
                    Some(t.total.to_string()),
                    Some(t.good.to_string()),
                    num(kpi::yield_percent(&t)),
                    num(kpi::oee(&t).oee),
                ]);
            }
            (
                vec![
                    info("Built (7 days)", week.total.to_string()),
                    info(
                        "Yield",
                        num(kpi::yield_percent(&week)).unwrap_or("—".into()),
                    ),
                    info("OEE", num(kpi::oee(&week).oee).unwrap_or("—".into())),
                ],
                cols(&["Day", "Line", "Built", "Good", "Yield %", "OEE %"]),
                rows,
            )
        }
        "rpt-comp" => {
            let c = compliance::assess(&mut conn).await?;
            (
                vec![
                    info("Packs", c.kpis.total_manufactured.to_string()),
                    info(
                        "Aadhaar Ready %",
                        num(c.kpis.aadhaar_ready).unwrap_or("—".into()),
                    ),
                    info(
                        "EU Passport Ready %",
                        num(c.kpis.eu_passport_ready).unwrap_or("—".into()),
                    ),
                    info("EPR Eligible", c.kpis.epr_eligible.to_string()),
                ],
                cols(&["Field", "Packs failing"]),
                c.failed_fields
                    .into_iter()
                    .map(|f| vec![Some(f.field), Some(f.count.to_string())])
                    .collect(),
            )
        }
        "rpt-inv" => {
            let counts: Vec<(InventoryCategoryId, InventoryStatus, i64)> = sqlx::query_as(
                "SELECT category, status, COUNT(*) FROM ops_inventory GROUP BY category, status",
            )
            .fetch_all(&mut *conn)
            .await?;
            let of = |c: InventoryCategoryId, s: InventoryStatus| {
                counts
                    .iter()
                    .find(|r| r.0 == c && r.1 == s)
                    .map_or(0, |r| r.2)
            };
            let total: i64 = counts.iter().map(|r| r.2).sum();
            let good: i64 = counts
                .iter()
                .filter(|r| r.1 == InventoryStatus::Good)
                .map(|r| r.2)
                .sum();
            (
                vec![
                    info("Items", total.to_string()),
                    info(
                        "Good %",
                        num(percent(good as f64, total as f64)).unwrap_or("—".into()),
                    ),
                ],
                cols(&["Category", "Good", "Hold", "Blocked"]),
                CATEGORIES
                    .iter()
                    .map(|(c, label, _, _)| {
                        vec![
                            Some((*label).to_owned()),
                            Some(of(*c, InventoryStatus::Good).to_string()),
                            Some(of(*c, InventoryStatus::Hold).to_string()),
                            Some(of(*c, InventoryStatus::Blocked).to_string()),
                        ]
                    })
                    .collect(),
            )
        }
        _ => {
            let warranty = flow::load(&mut conn)
                .await?
                .into_iter()
                .find(|r| r.id == "warranty");
            let open = exceptions::list_in(&mut conn, Some("warranty"), true).await?;
            let rows = warranty
                .iter()
                .flat_map(|r| &r.stages)
                .map(|s| {
                    let e = open.iter().find(|e| e.stage_id == s.id);
                    vec![
                        Some(s.label()),
                        Some(s.status.to_string()),
                        e.map(|e| e.id.clone()),
                        e.map(|e| e.age.clone()),
                    ]
                })
                .collect();
            (
                vec![
                    info(
                        "Status",
                        warranty
                            .as_ref()
                            .map_or("—".to_owned(), |r| r.status().to_string()),
                    ),
                    info("Open exceptions", open.len().to_string()),
                ],
                cols(&["Stage", "Status", "Exception", "Age"]),
                rows,
            )
        }
    };
    Ok(ApiResponse::ok(ReportPreview {
        id: tile.id.to_owned(),
        title: tile.title.to_owned(),
        generated_at: Utc::now(),
        summary,
        columns,
        rows,
    }))
}
