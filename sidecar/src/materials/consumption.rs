//! What an intervention used: [`record`] writes a `material_consumption` row and its ledger
//! moves (`stock_out` for the quantity used, `waste` for the waste) in the caller's
//! transaction, costed at the material's unit cost; [`of_intervention`] and [`summary`] read
//! them back for the intervention's screens and report. The routes are the interventions'
//! (`/interventions/{id}/consumption`), which know who may act on an intervention.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::error::Result;
use crate::materials::ledger::{self, Move, Moved, not_enough};
use crate::materials::model::{TransactionType, Unit, quantity, thousandths};
use crate::validate::Checks;
use crate::validate::text;

/// A consumption to record (`RecordConsumptionRequest`: the `material_consumption` fields
/// without the costs, which the server takes from the material).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordConsumption {
    /// The material.
    pub material_id: Uuid,
    /// The step it was used in.
    pub step_id: Option<Uuid>,
    /// Used, in the material's unit (at most three decimals).
    #[schema(minimum = 0, maximum = 1000000000)]
    pub quantity_used: f64,
    /// Wasted on top of that.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub waste_quantity: Option<f64>,
    /// Why (required with waste).
    #[schema(max_length = 500)]
    pub waste_reason: Option<String>,
    /// The batch taken from.
    #[schema(max_length = 100)]
    pub batch_used: Option<String>,
    /// That batch's expiry (`YYYY-MM-DD`).
    #[schema(max_length = 10)]
    pub expiry_used: Option<NaiveDate>,
    /// Notes on the material's quality.
    #[schema(max_length = 1000)]
    pub quality_notes: Option<String>,
}

/// A recorded consumption, with the material's SKU, name and unit.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Consumption {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The intervention.
    #[sqlx(try_from = "StoredId")]
    pub intervention_id: Uuid,
    /// The material.
    #[sqlx(try_from = "StoredId")]
    pub material_id: Uuid,
    /// Its SKU.
    pub material_sku: String,
    /// Its name.
    pub material_name: String,
    /// Its unit.
    pub unit_of_measure: Unit,
    /// The step.
    #[sqlx(try_from = "StoredOptId")]
    pub step_id: Option<Uuid>,
    /// The step's number.
    pub step_number: Option<i64>,
    /// Used.
    pub quantity_used: f64,
    /// Cents per unit when recorded.
    pub unit_cost: i64,
    /// (used + waste) × unit cost, in cents.
    pub total_cost: i64,
    /// Wasted.
    pub waste_quantity: f64,
    /// Why.
    pub waste_reason: Option<String>,
    /// Batch.
    pub batch_used: Option<String>,
    /// Batch expiry.
    #[sqlx(try_from = "crate::db::stored::StoredOptDate")]
    pub expiry_used: Option<NaiveDate>,
    /// Quality notes.
    pub quality_notes: Option<String>,
    /// Who.
    #[sqlx(try_from = "StoredId")]
    pub recorded_by: Uuid,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub recorded_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT c.id, c.intervention_id, c.material_id, m.sku AS material_sku, \
    m.name AS material_name, m.unit_of_measure, c.step_id, c.step_number, c.quantity_used, c.unit_cost, \
    c.total_cost, c.waste_quantity, c.waste_reason, c.batch_used, c.expiry_used, c.quality_notes, \
    c.recorded_by, c.recorded_at FROM material_consumption c JOIN materials m ON m.id = c.material_id";

impl RecordConsumption {
    /// The checked quantities `(used, waste)`.
    pub fn check(&self) -> Result<(f64, f64)> {
        let mut checks = Checks::default();
        let used = quantity(self.quantity_used, false);
        checks.rule("quantity_used", used.clone().map(drop));
        let waste = quantity(self.waste_quantity.unwrap_or(0.0), false);
        checks.rule("waste_quantity", waste.clone().map(drop));
        let (used, waste) = (used.unwrap_or(0.0), waste.unwrap_or(0.0));
        checks.check(
            "quantity_used",
            used + waste > 0.0,
            "something must be used or wasted",
        );
        let reason = self.waste_reason.as_deref().and_then(text);
        checks.check(
            "waste_reason",
            waste == 0.0 || reason.is_some(),
            "is required with waste",
        );
        for (field, value, max) in [
            ("waste_reason", &self.waste_reason, 500),
            ("batch_used", &self.batch_used, 100),
            ("quality_notes", &self.quality_notes, 1000),
        ] {
            checks.check(
                field,
                value.as_ref().is_none_or(|v| v.chars().count() <= max),
                &format!("must be at most {max} characters"),
            );
        }
        checks.finish()?;
        Ok((used, waste))
    }
}

/// Record `input` for intervention `intervention` (its step, when given, is `step` with its
/// number) by `by` at `at`, in the caller's write transaction: the row and its ledger moves, or
/// `CONFLICT` when the stock cannot cover used + waste, and nothing written.
pub async fn record(
    conn: &mut AnyConnection,
    intervention: Uuid,
    step: Option<(Uuid, i64)>,
    input: &RecordConsumption,
    by: Uuid,
    at: i64,
) -> Result<(Consumption, Vec<Moved>)> {
    let (used, waste) = input.check()?;
    let material = ledger::find(conn, input.material_id).await?;
    if thousandths(used + waste) > material.current_stock {
        return Err(not_enough(&material, thousandths(used + waste)));
    }
    let id = Uuid::new_v4();
    let total_cost = ((used + waste) * material.unit_cost as f64).round() as i64;
    sqlx::query(
        "INSERT INTO material_consumption (id, intervention_id, material_id, step_id, step_number, quantity_used, \
         unit_cost, total_cost, waste_quantity, waste_reason, batch_used, expiry_used, quality_notes, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(id.hyphenated().to_string())
    .bind(intervention.hyphenated().to_string())
    .bind(material.id.hyphenated().to_string())
    .bind(step.map(|(s, _)| s.hyphenated().to_string()))
    .bind(step.map(|(_, n)| n))
    .bind(used)
    .bind(material.unit_cost)
    .bind(total_cost)
    .bind(waste)
    .bind(input.waste_reason.as_deref().and_then(text))
    .bind(input.batch_used.as_deref().and_then(text))
    .bind(input.expiry_used.map(|day| day.to_string()))
    .bind(input.quality_notes.as_deref().and_then(text))
    .bind(by.hyphenated().to_string())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let mut moves = Vec::with_capacity(2);
    for (kind, size) in [
        (TransactionType::StockOut, used),
        (TransactionType::Waste, waste),
    ] {
        if size > 0.0 {
            let mv = Move {
                kind,
                quantity: size,
                reference_number: Some(id.hyphenated().to_string()),
                reference_type: Some("consumption".into()),
                notes: input
                    .waste_reason
                    .as_deref()
                    .and_then(text)
                    .filter(|_| kind == TransactionType::Waste),
                intervention_id: Some(intervention),
                step_id: step.map(|(s, _)| s),
            };
            moves.push(ledger::apply(conn, material.id, mv, by, at).await?);
        }
    }
    let sql = format!("{SELECT} WHERE c.id = $1");
    let row = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok((row, moves))
}

/// An intervention's consumption, oldest first.
pub async fn of_intervention(conn: &mut AnyConnection, id: Uuid) -> Result<Vec<Consumption>> {
    let sql = format!("{SELECT} WHERE c.intervention_id = $1 ORDER BY c.recorded_at, c.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_all(&mut *conn)
        .await?)
}

/// One material's total in an intervention.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MaterialUse {
    /// The material.
    pub material_id: Uuid,
    /// Its SKU.
    pub material_sku: String,
    /// Its name.
    pub material_name: String,
    /// Its unit.
    pub unit_of_measure: Unit,
    /// Used in all.
    pub quantity_used: f64,
    /// Wasted in all.
    pub waste_quantity: f64,
    /// Cost in cents.
    pub total_cost: i64,
}

/// What an intervention used, by material, and its cost.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsumptionSummary {
    /// Consumption rows.
    pub records: usize,
    /// By material, in the order first used.
    pub materials: Vec<MaterialUse>,
    /// Cost of everything used and wasted, in cents.
    pub total_cost: i64,
}

/// Sum `rows` (one intervention's) by material.
pub fn summary(rows: &[Consumption]) -> ConsumptionSummary {
    let mut materials: Vec<MaterialUse> = Vec::new();
    for row in rows {
        match materials
            .iter_mut()
            .find(|m| m.material_id == row.material_id)
        {
            Some(total) => {
                total.quantity_used = thousandths(total.quantity_used + row.quantity_used);
                total.waste_quantity = thousandths(total.waste_quantity + row.waste_quantity);
                total.total_cost += row.total_cost;
            }
            None => materials.push(MaterialUse {
                material_id: row.material_id,
                material_sku: row.material_sku.clone(),
                material_name: row.material_name.clone(),
                unit_of_measure: row.unit_of_measure,
                quantity_used: row.quantity_used,
                waste_quantity: row.waste_quantity,
                total_cost: row.total_cost,
            }),
        }
    }
    ConsumptionSummary {
        records: rows.len(),
        total_cost: materials.iter().map(|m| m.total_cost).sum(),
        materials,
    }
}
