//! The demo plant for a first run: four runbooks with their stages and gates, two lines, days
//! of 15-minute telemetry, about 300 inventory items, 240 pack records (a few with passport
//! gaps) and four open exceptions raised through [`exceptions::raise_in`], all in one
//! transaction. `rpma-seed --ops-demo` and `POST /api/v1/ops/demo` load it on an empty plant.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{AdminOnly, Authorized};
use crate::clock::{days, minutes, now_ms, to_datetime};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::live::EventKind;
use crate::ops::exceptions::{self, RaiseException};
use crate::ops::lines::{self, Interval};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{LogCategory, LogSeverity, Severity};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;

/// What was loaded.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DemoPlant {
    /// Runbooks.
    pub runbooks: usize,
    /// Stages.
    pub stages: usize,
    /// Lines.
    pub lines: usize,
    /// Telemetry intervals.
    pub telemetry: usize,
    /// Inventory items.
    pub inventory: usize,
    /// Pack records.
    pub packs: usize,
    /// Open exceptions.
    pub exceptions: usize,
}

type Stage = (
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    (&'static str, &'static str, &'static str),
);

const RUNBOOKS: [(&str, &str, &str, &str, &[&str]); 4] = [
    (
        "material",
        "Material Receipt",
        "S2 → S4",
        "Procure, receive and inspect cells and components, and release them to production.",
        &[
            "Commercial / Procurement",
            "Stores / Incoming QC",
            "QA Engineer",
        ],
    ),
    (
        "manufacturing",
        "Manufacturing Execution",
        "S4 → S9",
        "Plan batches, assemble and test modules and packs, and register each pack's passport.",
        &[
            "Production Planner",
            "Production Operator",
            "Supervisor",
            "QA Engineer",
        ],
    ),
    (
        "dispatch",
        "Dispatch Chain",
        "S11 → S14",
        "Move finished packs from stock to the customer with an unbroken custody record.",
        &["Logistics / Dispatch", "Supervisor"],
    ),
    (
        "warranty",
        "Warranty Lifecycle",
        "S15 → S16",
        "Triage field returns, find root causes and hand end-of-life packs to recyclers.",
        &["Service / Support", "Sustainability / ESG"],
    ),
];

// (id, sop, name, nav target, status, roles, gate (type, condition, owner))
const STAGES: [Stage; 15] = [
    (
        "mat-01",
        2,
        "Procurement",
        "procurement",
        "Completed",
        &["Commercial / Procurement"],
        (
            "Approval",
            "PO approved against SKU blueprint",
            "Commercial / Procurement",
        ),
    ),
    (
        "mat-02",
        3,
        "Inbound Receipt & QC",
        "inbound_receipt",
        "In Progress",
        &["Stores / Incoming QC", "QA Engineer"],
        ("Validation", "AQL 2.5 sampling passed", "QA Engineer"),
    ),
    (
        "mat-03",
        4,
        "Material Release",
        "batch_planning",
        "Pending",
        &["Stores / Incoming QC", "Production Planner"],
        (
            "Authorization",
            "Lots released to batch planning",
            "Production Planner",
        ),
    ),
    (
        "mfg-01",
        4,
        "Batch Planning",
        "batch_planning",
        "Completed",
        &["Production Planner"],
        (
            "Authorization",
            "Batch plan authorised",
            "Production Planner",
        ),
    ),
    (
        "mfg-02",
        5,
        "Module Assembly",
        "module_assembly",
        "In Progress",
        &["Production Operator", "Supervisor"],
        ("Interlock", "Seal Integrity Check", "Supervisor"),
    ),
    (
        "mfg-03",
        6,
        "Module QA",
        "module_qa",
        "Pending",
        &["QA Engineer"],
        ("Validation", "End-of-line test passed", "QA Engineer"),
    ),
    (
        "mfg-04",
        7,
        "Pack Assembly",
        "pack_assembly",
        "Pending",
        &["Production Operator"],
        ("Interlock", "Torque verification", "Supervisor"),
    ),
    (
        "mfg-05",
        8,
        "Pack Review",
        "pack_review",
        "Pending",
        &["QA Engineer", "Supervisor"],
        ("Approval", "QA sign-off", "QA Engineer"),
    ),
    (
        "mfg-06",
        9,
        "Battery Registry",
        "battery_registry",
        "Pending",
        &["Compliance / Regulatory", "System Admin"],
        ("Handoff", "Passport registered", "Compliance / Regulatory"),
    ),
    (
        "dsp-01",
        11,
        "Finished Goods",
        "finished_goods",
        "Completed",
        &["Stores / Incoming QC"],
        (
            "Validation",
            "Stock count matches registry",
            "Stores / Incoming QC",
        ),
    ),
    (
        "dsp-02",
        12,
        "Packaging & Aggregation",
        "packaging_aggregation",
        "In Progress",
        &["Logistics / Dispatch"],
        ("Approval", "Packing list verified", "Supervisor"),
    ),
    (
        "dsp-03",
        13,
        "Dispatch Authorization",
        "dispatch_authorization",
        "Pending",
        &["Logistics / Dispatch", "Supervisor"],
        ("Authorization", "Gate pass issued", "Supervisor"),
    ),
    (
        "dsp-04",
        14,
        "Dispatch Execution",
        "dispatch_execution",
        "Pending",
        &["Logistics / Dispatch"],
        ("Handoff", "Custody transfer signed", "Logistics / Dispatch"),
    ),
    (
        "wty-01",
        15,
        "Triage & RCA",
        "service_warranty",
        "In Progress",
        &["Service / Support"],
        ("Approval", "RCA report accepted", "Service / Support"),
    ),
    (
        "wty-02",
        16,
        "Recycling & Recovery",
        "recycling_recovery",
        "Pending",
        &["Sustainability / ESG"],
        (
            "Handoff",
            "Recycler custody accepted",
            "Sustainability / ESG",
        ),
    ),
];

/// A small deterministic generator, so the demo plant is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next()
    }
}

fn date(ms: i64) -> String {
    to_datetime(ms).format("%Y-%m-%d").to_string()
}

/// Whether the plant has any runbook.
pub async fn has_plant(conn: &mut AnyConnection) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ops_runbooks")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

async fn structure(conn: &mut AnyConnection, now: i64) -> Result<()> {
    for (n, (id, title, range, purpose, roles)) in RUNBOOKS.iter().enumerate() {
        let custody = match *id {
            "material" => {
                json!({"custodian": "Stores / Incoming QC", "responsibilities": ["Receipt", "Incoming QC", "Quarantine"], "since": date(now - days(3))})
            }
            "manufacturing" => {
                json!({"custodian": "Manufacturer", "responsibilities": ["Assembly", "Testing", "Passport data"], "since": date(now - days(2))})
            }
            "dispatch" => {
                json!({"custodian": "Logistics", "responsibilities": ["Packing", "Gate pass", "Transport"], "since": date(now - days(1))})
            }
            _ => {
                json!({"custodian": "Customer", "responsibilities": ["Field use", "Return on failure"], "since": date(now - days(200))})
            }
        };
        let warranty = (*id == "warranty").then(|| {
            json!({"entity": "PCK-2025-010-092", "status": "Claim Raised", "liabilities": ["Manufacturer: cell defects for 8 years", "Installer: fitting and wiring"]})
        });
        sqlx::query(
            "INSERT INTO ops_runbooks (id, title, sop_range, purpose, roles, custody, warranty_context, position, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(title)
        .bind(range)
        .bind(purpose)
        .bind(json!(roles).to_string())
        .bind(custody.to_string())
        .bind(warranty.map(|w| w.to_string()))
        .bind(n as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    for (position, (id, sop, name, nav, status, roles, (gate_type, condition, owner))) in
        STAGES.iter().enumerate()
    {
        let runbook = match &id[..3] {
            "mat" => "material",
            "mfg" => "manufacturing",
            "dsp" => "dispatch",
            _ => "warranty",
        };
        let handoff = matches!(*id, "mfg-06" | "dsp-04" | "wty-02");
        let trace = handoff.then(|| {
            json!({"header": format!("{name} trace record"), "description": format!("Custody and identity of each unit are written to the registry at {name}."), "demoNote": null}).to_string()
        });
        sqlx::query(
            "INSERT INTO ops_stages (id, runbook_id, position, sop, name, nav_target, status, roles, is_trace_handoff, trace_activity, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(runbook)
        .bind(position as i64)
        .bind(sop)
        .bind(name)
        .bind(nav)
        .bind(status)
        .bind(json!(roles).to_string())
        .bind(handoff)
        .bind(trace)
        .bind(now - minutes(30 + 17 * position as i64))
        .execute(&mut *conn)
        .await?;
        let gate_status = if *status == "Completed" {
            "Open"
        } else {
            "Closed"
        };
        sqlx::query(
            "INSERT INTO ops_gates (stage_id, type, condition, evidence, owner, status, impact) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(gate_type)
        .bind(condition)
        .bind((gate_status == "Open").then_some("Checked at release"))
        .bind(owner)
        .bind(gate_status)
        .bind(format!("Holds {name} until cleared"))
        .execute(&mut *conn)
        .await?;
    }
    let lines = [
        (
            "line-a",
            "Line A (Modules)",
            "Module Assembly",
            [
                ("st-01", "Cell Load", "Running", None),
                ("st-02", "Weld", "Blocked", Some("Safety Curtain")),
                ("st-03", "Module Test", "Running", None),
                ("st-04", "Module Pack", "Ready", None),
            ],
        ),
        (
            "line-b",
            "Line B (Packs)",
            "Pack Assembly",
            [
                ("st-05", "Pack Frame", "Running", None),
                ("st-06", "Busbar Fit", "Running", None),
                ("st-07", "BMS Flash", "Ready", None),
                ("st-08", "EOL Test", "Idle", None),
            ],
        ),
    ];
    for (n, (id, name, kind, stations)) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO ops_lines (id, name, type, runbook_id, maintenance, position, updated_at) \
             VALUES ($1, $2, $3, 'manufacturing', FALSE, $4, $5)",
        )
        .bind(id)
        .bind(name)
        .bind(kind)
        .bind(n as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        for (p, (sid, sname, state, reason)) in stations.iter().enumerate() {
            sqlx::query(
                "INSERT INTO ops_stations (id, line_id, position, name, state, blocked_reason, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(sid)
            .bind(id)
            .bind(p as i64)
            .bind(sname)
            .bind(state)
            .bind(reason)
            .bind(now - minutes(40))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// `days` of 15-minute intervals for both lines, ending at the last quarter hour.
async fn telemetry(
    conn: &mut AnyConnection,
    now: i64,
    span_days: i64,
    rng: &mut Rng,
) -> Result<usize> {
    let quarter = minutes(15);
    let end = now - now % quarter;
    let count = (span_days * 96) as usize;
    let mut stored = 0;
    for (line, cycle) in [("line-a", 20_000_i64), ("line-b", 45_000)] {
        let mut batch = Vec::with_capacity(1000);
        for n in (1..=count).rev() {
            let start = end - n as i64 * quarter;
            let run = (quarter as f64 * rng.between(0.80, 0.96)) as i64;
            let total = (run as f64 / cycle as f64 * rng.between(0.88, 0.98)) as i64;
            let good = (total as f64 * rng.between(0.93, 0.995)) as i64;
            batch.push(Interval {
                start: DateTime::<Utc>::from_timestamp_millis(start).unwrap_or_default(),
                end: DateTime::<Utc>::from_timestamp_millis(start + quarter).unwrap_or_default(),
                planned_ms: quarter,
                run_ms: run,
                ideal_cycle_ms: cycle,
                total_count: total,
                good_count: good,
            });
            if batch.len() == 1000 {
                lines::ingest_in(conn, line, &batch).await?;
                stored += batch.len();
                batch.clear();
            }
        }
        lines::ingest_in(conn, line, &batch).await?;
        stored += batch.len();
    }
    Ok(stored)
}

/// An inventory category's demo rows: category, id prefix, count, first number, SKU and the
/// stage that holds them.
type InventoryGroup = (
    &'static str,
    &'static str,
    usize,
    i64,
    &'static str,
    Option<&'static str>,
);

async fn inventory(conn: &mut AnyConnection, now: i64, rng: &mut Rng) -> Result<usize> {
    let groups: [InventoryGroup; 5] = [
        (
            "cells",
            "CELL-2026-",
            120,
            1000,
            "CELL-LFP-21700",
            Some("mfg-01"),
        ),
        (
            "modules",
            "MOD-2026-A-",
            70,
            500,
            "MOD-LFP-16S",
            Some("mfg-03"),
        ),
        (
            "packs",
            "PCK-2026-B-",
            50,
            800,
            "PCK-LFP-15K",
            Some("mfg-05"),
        ),
        (
            "finished",
            "FG-2026-",
            40,
            9000,
            "FG-PCK-15K",
            Some("dsp-02"),
        ),
        ("deployed", "ASSET-", 20, 7000, "PCK-LFP-15K", None),
    ];
    let mut n = 0;
    for (category, prefix, count, first, sku, stage) in groups {
        for i in 0..count {
            n += 1;
            let status = if n % 29 == 0 {
                "Blocked"
            } else if n % 13 == 0 {
                "Hold"
            } else {
                "Good"
            };
            // Modules pile up before QA: half of them still wait at assembly.
            let stage = match (category, i % 2) {
                ("modules", 0) => Some("mfg-02"),
                _ => stage,
            };
            sqlx::query(
                "INSERT INTO ops_inventory (id, category, sku, location, status, batch_ref, exception_ref, stage_id, received_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9)",
            )
            .bind(format!("{prefix}{}", first + i as i64))
            .bind(category)
            .bind(sku)
            .bind(format!("Zone {} - Rack {}", ["A", "B", "C"][i % 3], 1 + i % 6))
            .bind(status)
            .bind(format!("BATCH-INB-{}", 100 + i / 10))
            .bind(stage)
            .bind(now - (rng.between(0.0, 14.0) * days(1) as f64) as i64)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(n)
}

async fn packs(conn: &mut AnyConnection, now: i64, rng: &mut Rng) -> Result<usize> {
    let count = 240;
    for i in 0..count {
        let lfp = i % 3 != 0;
        let custody = match i % 20 {
            0..=11 => "Manufacturer",
            12..=14 => "Logistics",
            15..=18 => "Customer",
            _ => "Recycler",
        };
        sqlx::query(
            "INSERT INTO ops_packs (id, manufacturer, chemistry, capacity_kwh, nominal_voltage, cell_origin, manufactured_at, \
             carbon_footprint_kg, recycled_content_pct, epr_registration, passport_signed, custody, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(format!("PCK-2026-B-{}", 800 + i))
        .bind("RPMA Battery Works")
        .bind(if lfp { "LFP" } else { "NMC" })
        .bind(if lfp { 15.0 } else { 30.0 })
        .bind(if lfp { 51.2 } else { 102.4 })
        // Every 50th pack lacks its cell origin: the passport gap the demo shows.
        .bind((i % 50 != 7).then_some(if i % 2 == 0 { "IN" } else { "CN" }))
        .bind(now - (rng.between(1.0, 60.0) * days(1) as f64) as i64)
        .bind((i % 4 != 3).then(|| rng.between(600.0, 1100.0).round()))
        .bind((i % 5 != 4).then(|| rng.between(4.0, 16.0).round()))
        .bind((i % 40 != 39).then(|| format!("EPR-IN-2026-{:05}", 1000 + i)))
        .bind(i % 9 < 4)
        .bind(custody)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(count)
}

/// A demo exception: type, runbook, stage, severity, owner, description, impact, escalation.
type DemoException = (
    &'static str,
    &'static str,
    &'static str,
    Severity,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const EXCEPTIONS: [DemoException; 4] = [
    (
        "Gate Block",
        "manufacturing",
        "mfg-02",
        Severity::Critical,
        "Supervisor",
        "Enclosure seal integrity validation failed for Batch B-2026-01-001. Interlock active.",
        "If unresolved, impacts Pack Assembly (S7) start. Line stoppage imminent.",
        "Production Manager (Level 2)",
    ),
    (
        "Quality Deviation",
        "material",
        "mat-02",
        Severity::High,
        "QA Engineer",
        "Incoming cell batch sampling failed AQL 2.5 on internal resistance.",
        "Batch quarantine prevents release to Manufacturing.",
        "Quality Lead (Level 2)",
    ),
    (
        "Compliance Alert",
        "manufacturing",
        "mfg-02",
        Severity::Medium,
        "Compliance",
        "Digital passport signature generation timed out for three modules.",
        "Units cannot move to Pack Review (S8).",
        "System Admin (Level 3)",
    ),
    (
        "SLA Breach",
        "warranty",
        "wty-01",
        Severity::Low,
        "Service Eng",
        "RCA report overdue for PCK-2025-010-092.",
        "Customer satisfaction risk. KPI deviation.",
        "Service Head (Level 2)",
    ),
];

/// Load the demo plant in the caller's transaction; `CONFLICT` when the plant has runbooks.
pub async fn load(conn: &mut AnyConnection, telemetry_days: i64, by: &str) -> Result<DemoPlant> {
    if has_plant(conn).await? {
        return Err(Error::Conflict {
            message: "the plant already has data: the demo loads only on an empty plant".into(),
            details: None,
        });
    }
    let now = now_ms();
    let mut rng = Rng(2026);
    structure(conn, now).await?;
    let telemetry = telemetry(conn, now, telemetry_days.clamp(1, 400), &mut rng).await?;
    let inventory = inventory(conn, now, &mut rng).await?;
    let packs = packs(conn, now, &mut rng).await?;
    log::append(
        conn,
        Entry {
            category: LogCategory::System,
            severity: LogSeverity::Info,
            event: "Demo plant loaded",
            entity: "plant",
            actor: by,
        },
    )
    .await?;
    log::append(
        conn,
        Entry {
            category: LogCategory::Compliance,
            severity: LogSeverity::Success,
            event: &format!("Passport data synced for {packs} packs"),
            entity: "registry",
            actor: by,
        },
    )
    .await?;
    for (r#type, runbook, stage, severity, owner, description, impact, escalation) in EXCEPTIONS {
        let body = RaiseException {
            r#type: r#type.into(),
            runbook_id: runbook.into(),
            stage_id: stage.into(),
            severity,
            owner: owner.into(),
            description: description.into(),
            impact: Some(impact.into()),
            escalation: Some(escalation.into()),
        };
        exceptions::raise_in(conn, &body, by).await?;
    }
    Ok(DemoPlant {
        runbooks: RUNBOOKS.len(),
        stages: STAGES.len(),
        lines: 2,
        telemetry,
        inventory,
        packs,
        exceptions: EXCEPTIONS.len(),
    })
}

/// Load the demo plant (admins, on an empty plant): a week of telemetry.
#[utoipa::path(
    post,
    path = "/demo",
    responses(
        (status = 201, description = "What was loaded", body = ApiResponse<DemoPlant>),
        (status = 409, description = "`CONFLICT`: the plant already has data", body = ErrorEnvelope),
    )
)]
pub async fn load_demo(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
) -> Result<(StatusCode, ApiResponse<DemoPlant>)> {
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    let loaded = load(&mut tx, 7, &by).await?;
    tx.commit().await?;
    publish(&state, EventKind::OpsDemoLoaded, caller.user.id(), &loaded);
    Ok((StatusCode::CREATED, ApiResponse::ok(loaded)))
}
