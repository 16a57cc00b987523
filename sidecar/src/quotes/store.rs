//! The quotes' SQL that several routes share: read a quote with its lines and totals, number a
//! new one, store the totals after a change of lines, record a status move, and expire the
//! quotes past `valid_until`.
//!
//! Expiry happens on read: every quote route first runs [`expire_due`], which costs one indexed
//! `EXISTS` on a reader when nothing is due and writes only the quotes that are (each once,
//! with its history row). So no reader ever sees a quote as `sent` after its last day, and no
//! timer is needed.

use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, Result};
use crate::quotes::model::{COLUMNS, FROM, ITEM_COLUMNS, Quote, QuoteItem, QuoteStatus};
use crate::quotes::totals::{Line, Totals, totals};
use crate::state::AppState;

/// A quote with its lines and the totals the server computes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteDetail {
    /// The quote.
    #[serde(flatten)]
    pub quote: Quote,
    /// Its lines, by position.
    pub items: Vec<QuoteItem>,
    /// Each line's amount, the tax per rate and the totals.
    pub totals: Totals,
}

/// The live quote `id`.
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Quote> {
    let sql = format!("SELECT {COLUMNS}{FROM} WHERE q.id = $1 AND q.deleted_at IS NULL");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound("no such quote".into()))
}

/// A quote's lines, by position.
pub async fn items(conn: &mut AnyConnection, id: Uuid) -> Result<Vec<QuoteItem>> {
    let sql =
        format!("SELECT {ITEM_COLUMNS} FROM quote_items WHERE quote_id = $1 ORDER BY position, id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_all(&mut *conn)
        .await?)
}

/// The totals of a quote's lines.
pub fn totals_of(quote: &Quote, items: &[QuoteItem]) -> Totals {
    let lines: Vec<Line> = items
        .iter()
        .map(|i| Line {
            kind: i.kind,
            qty: i.qty,
            unit_price: i.unit_price,
            tax_rate: i.tax_rate,
        })
        .collect();
    totals(
        &lines,
        quote.discount_type.map(|t| (t, quote.discount_value)),
    )
}

/// The quote `id` with its lines and totals.
pub async fn detail(conn: &mut AnyConnection, id: Uuid) -> Result<QuoteDetail> {
    let quote = find(conn, id).await?;
    let items = items(conn, id).await?;
    let totals = totals_of(&quote, &items);
    Ok(QuoteDetail {
        quote,
        items,
        totals,
    })
}

/// The next `DEV-NNNNN`.
pub async fn allocate_number(conn: &mut AnyConnection) -> Result<String> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO quote_counter (name, last) VALUES ('quote', 1) \
         ON CONFLICT (name) DO UPDATE SET last = quote_counter.last + 1 RETURNING last",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(format!("DEV-{last:05}"))
}

/// Compute and store the totals of quote `id` from its lines, after a change; refuses lines
/// whose discounts take the subtotal below zero.
pub async fn store_totals(conn: &mut AnyConnection, id: Uuid) -> Result<QuoteDetail> {
    let before = detail(conn, id).await?;
    let t = &before.totals;
    if t.subtotal < 0 {
        return Err(Error::invalid(
            "unit_price",
            "the discount lines take off more than the other lines add",
        ));
    }
    sqlx::query(
        "UPDATE quotes SET subtotal = $1, discount_amount = $2, tax_total = $3, total = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(t.subtotal)
    .bind(t.discount_amount)
    .bind(t.tax_total)
    .bind(t.total)
    .bind(now_ms())
    .bind(id.hyphenated().to_string())
    .execute(&mut *conn)
    .await?;
    detail(conn, id).await
}

/// Record a move of quote `id` from `from` to `to` (the row's status is set by the caller).
pub async fn history(
    conn: &mut AnyConnection,
    id: Uuid,
    from: QuoteStatus,
    to: QuoteStatus,
    reason: Option<&str>,
    by: Option<Uuid>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO quote_history (id, quote_id, old_status, new_status, reason, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().hyphenated().to_string())
    .bind(id.hyphenated().to_string())
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(now_ms())
    .bind(by.map(|b| b.hyphenated().to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Today as stored days are written (`YYYY-MM-DD`).
fn today() -> String {
    crate::clock::today().format("%Y-%m-%d").to_string()
}

/// In the caller's write transaction: mark `expired` every draft or sent quote past its last
/// day, with its history row. Returns how many.
pub async fn expire_due_in(conn: &mut AnyConnection) -> Result<u64> {
    let due: Vec<(String, QuoteStatus)> = sqlx::query_as(
        "SELECT id, status FROM quotes WHERE status IN ('draft', 'sent') AND valid_until < $1 AND deleted_at IS NULL",
    )
    .bind(today())
    .fetch_all(&mut *conn)
    .await?;
    let now = now_ms();
    for (id, status) in &due {
        sqlx::query("UPDATE quotes SET status = 'expired', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let id = Uuid::parse_str(id).map_err(anyhow::Error::from)?;
        history(
            conn,
            id,
            *status,
            QuoteStatus::Expired,
            Some("past valid_until"),
            None,
        )
        .await?;
    }
    Ok(due.len() as u64)
}

/// Before a read: expire what is due, if anything is (one indexed query on a reader when
/// nothing is).
pub async fn expire_due(state: &AppState) -> Result<()> {
    let crate::db::stored::Flag(any) = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM quotes WHERE status IN ('draft', 'sent') AND valid_until < $1 AND deleted_at IS NULL)",
    )
    .bind(today())
    .fetch_one(&state.db)
    .await?;
    if any {
        let mut tx = write_transaction(&state.writer).await?;
        expire_due_in(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}
