//! The demo plant's structure: runbooks, stages, gates and the two lines, with their custody.

use serde_json::json;
use sqlx::AnyConnection;

use super::data::{RUNBOOKS, STAGES};
use super::date;
use crate::clock::{days, minutes};
use crate::error::Result;

pub(super) async fn structure(conn: &mut AnyConnection, now: i64) -> Result<()> {
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
