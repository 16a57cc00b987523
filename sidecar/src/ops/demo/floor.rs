//! The demo plant's floor: days of 15-minute telemetry for both lines, the inventory and the
//! pack records (a few with passport gaps), drawn from a seeded generator.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::Rng;
use crate::clock::{days, minutes};
use crate::error::Result;
use crate::ops::telemetry::{self, Interval};

/// `days` of 15-minute intervals for both lines, ending at the last quarter hour.
pub(super) async fn telemetry(
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
                telemetry::ingest_in(conn, line, &batch).await?;
                stored += batch.len();
                batch.clear();
            }
        }
        telemetry::ingest_in(conn, line, &batch).await?;
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

pub(super) async fn inventory(conn: &mut AnyConnection, now: i64, rng: &mut Rng) -> Result<usize> {
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

pub(super) async fn packs(conn: &mut AnyConnection, now: i64, rng: &mut Rng) -> Result<usize> {
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
