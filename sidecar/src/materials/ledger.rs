//! The stock ledger: every change of a material's stock is one `inventory_transactions` row,
//! written by [`apply`] in the caller's transaction together with the new stock.
//!
//! Stock never goes negative, whatever the concurrency: the move reads the stock and writes the
//! new one in one write transaction (SQLite has one writer at a time), the `UPDATE` only lands
//! when the stock is still what was read (a compare-and-set, for a database with concurrent
//! writers), and `CHECK (current_stock >= 0)` refuses whatever slips past both. The rows are
//! append-only (triggers refuse `UPDATE` and `DELETE`): a mistake is corrected by an adjustment.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::today;
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::error::{Error, Result};
use crate::live::{Audience, EventKind};
use crate::materials::model::{COLUMNS, MAX_QUANTITY, Material, TransactionType, thousandths};
use crate::state::AppState;

/// One ledger row.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct LedgerEntry {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The material.
    #[sqlx(try_from = "StoredId")]
    pub material_id: Uuid,
    /// What the move did.
    pub transaction_type: TransactionType,
    /// Its size (an adjustment's: the counted stock).
    pub quantity: f64,
    /// Stock before.
    pub previous_stock: f64,
    /// Stock after.
    pub new_stock: f64,
    /// A delivery note, an order, a consumption id.
    pub reference_number: Option<String>,
    /// What `reference_number` names (`consumption`, `delivery`, ...).
    pub reference_type: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The intervention it was used in.
    #[sqlx(try_from = "StoredOptId")]
    pub intervention_id: Option<Uuid>,
    /// The step it was used in.
    #[sqlx(try_from = "StoredOptId")]
    pub step_id: Option<Uuid>,
    /// Who.
    #[sqlx(try_from = "StoredId")]
    pub performed_by: Uuid,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub performed_at: DateTime<Utc>,
}

/// The `inventory_transactions` columns of a [`LedgerEntry`].
pub const LEDGER_COLUMNS: &str = "id, material_id, transaction_type, quantity, previous_stock, \
    new_stock, reference_number, reference_type, notes, intervention_id, step_id, performed_by, performed_at";

/// A stock move to make.
#[derive(Debug, Clone)]
pub struct Move {
    /// What it does.
    pub kind: TransactionType,
    /// Its size, checked by [`crate::materials::model::quantity`].
    pub quantity: f64,
    /// Reference.
    pub reference_number: Option<String>,
    /// What the reference names.
    pub reference_type: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The intervention it is used in.
    pub intervention_id: Option<Uuid>,
    /// The step.
    pub step_id: Option<Uuid>,
}

/// A move made: the row, and the material after it.
#[derive(Debug, Clone)]
pub struct Moved {
    /// The ledger row.
    pub entry: LedgerEntry,
    /// The material, with its new stock.
    pub material: Material,
    /// Whether this move took the stock from above the reorder point to at or below it.
    pub crossed_reorder_point: bool,
}

/// The live material `id`, read in `conn` (the writer's transaction, or a reader).
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Material> {
    let sql = format!("SELECT {COLUMNS} FROM materials WHERE id = $1 AND deleted_at IS NULL");
    let material: Material = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound("no such material".into()))?;
    Ok(material.dated(today()))
}

/// `CONFLICT`: the stock cannot cover `asked`.
pub fn not_enough(material: &Material, asked: f64) -> Error {
    Error::Conflict {
        message: format!(
            "not enough stock of {}: {} {} in stock, {} asked",
            material.sku, material.current_stock, material.unit_of_measure, asked
        )
        .into(),
        details: Some(serde_json::json!({
            "material_id": material.id,
            "current_stock": material.current_stock,
            "requested": asked,
        })),
    }
}

/// Make `mv` on material `id` by `by` at `at` (epoch ms), inside the caller's write
/// transaction: the new stock and its ledger row, or an error and nothing written.
pub async fn apply(
    conn: &mut AnyConnection,
    id: Uuid,
    mv: Move,
    by: Uuid,
    at: i64,
) -> Result<Moved> {
    let before = find(conn, id).await?;
    let kind = mv.kind;
    let previous = before.current_stock;
    let new = thousandths(match kind {
        TransactionType::StockIn | TransactionType::Return => previous + mv.quantity,
        TransactionType::StockOut | TransactionType::Waste => previous - mv.quantity,
        TransactionType::Adjustment => mv.quantity,
        TransactionType::Transfer => previous,
    });
    if new < 0.0 {
        return Err(not_enough(&before, mv.quantity));
    }
    if new > MAX_QUANTITY {
        return Err(Error::invalid(
            "quantity",
            format!("the stock would pass {MAX_QUANTITY}"),
        ));
    }
    let changed = sqlx::query(
        "UPDATE materials SET current_stock = $1, updated_at = $2 \
         WHERE id = $3 AND current_stock = $4 AND deleted_at IS NULL",
    )
    .bind(new)
    .bind(at)
    .bind(id.hyphenated().to_string())
    .bind(previous)
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(Error::Conflict {
            message: "the stock changed while this move was made; try again".into(),
            details: None,
        });
    }
    let entry_id = Uuid::new_v4();
    let sql = format!(
        "INSERT INTO inventory_transactions (id, material_id, transaction_type, quantity, previous_stock, \
         new_stock, reference_number, reference_type, notes, intervention_id, step_id, performed_by, performed_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM inventory_transactions WHERE material_id = $14)) \
         RETURNING {LEDGER_COLUMNS}"
    );
    let entry: LedgerEntry = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(entry_id.hyphenated().to_string())
        .bind(id.hyphenated().to_string())
        .bind(kind)
        .bind(mv.quantity)
        .bind(previous)
        .bind(new)
        .bind(mv.reference_number)
        .bind(mv.reference_type)
        .bind(mv.notes)
        .bind(mv.intervention_id.map(|i| i.hyphenated().to_string()))
        .bind(mv.step_id.map(|i| i.hyphenated().to_string()))
        .bind(by.hyphenated().to_string())
        .bind(at)
        .bind(id.hyphenated().to_string())
        .fetch_one(&mut *conn)
        .await?;
    let material = find(conn, id).await?;
    let crossed_reorder_point = previous > before.reorder_point && new <= before.reorder_point;
    Ok(Moved {
        entry,
        material,
        crossed_reorder_point,
    })
}

/// After the commit: `material.stock_changed` for each move and, for one that crossed the
/// reorder point, `material.low_stock` and a desktop notification.
pub fn publish(state: &AppState, by: Uuid, moves: &[Moved]) {
    for moved in moves {
        state.live.publish(
            EventKind::MaterialStockChanged,
            Audience::Staff,
            Some(by),
            &moved.material,
        );
    }
    // One notice per material, from its last move.
    let mut low: Vec<&Material> = Vec::new();
    for moved in moves.iter().filter(|m| m.crossed_reorder_point) {
        low.retain(|m| m.id != moved.material.id);
        low.push(&moved.material);
    }
    for material in low {
        state.live.publish(
            EventKind::MaterialLowStock,
            Audience::Staff,
            Some(by),
            material,
        );
        let title = format!("Low stock: {}", material.name);
        let body = format!(
            "{} {} left of {} (reorder at {}).",
            material.current_stock, material.unit_of_measure, material.sku, material.reorder_point
        );
        crate::desktop::notify(state, Audience::Managers, &title, &body);
    }
}
