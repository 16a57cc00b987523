//! `/materials/{id}/stock` and `/materials/{id}/transactions`: moving stock (in, out, adjust,
//! transfer, waste, return) through the ledger, and reading a material's ledger.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::materials::ledger::{self, LEDGER_COLUMNS, LedgerEntry, Move};
use crate::materials::model::{Material, TransactionType, quantity};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::Checks;
use crate::validate::text;

/// A stock move.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockMove {
    /// `stock_in`, `stock_out`, `waste` and `return` move `quantity`; `adjustment` sets the stock
    /// to `quantity` (a count); `transfer` moves the stock to `to_location`.
    pub transaction_type: TransactionType,
    /// In the material's unit, at most three decimals (0 only for an adjustment or a transfer).
    #[schema(minimum = 0, maximum = 1000000000)]
    pub quantity: f64,
    /// A delivery note, an order number.
    #[schema(max_length = 100)]
    pub reference_number: Option<String>,
    /// Why (required for an adjustment and for waste).
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// For a transfer: the new storage location.
    #[schema(max_length = 100)]
    pub to_location: Option<String>,
}

/// A move made.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockMoved {
    /// The material after the move.
    pub material: Material,
    /// Its ledger row.
    pub transaction: LedgerEntry,
}

impl StockMove {
    fn check(&self) -> Result<(f64, Option<String>)> {
        let mut checks = Checks::default();
        let kind = self.transaction_type;
        let zero_ok = matches!(
            kind,
            TransactionType::Adjustment | TransactionType::Transfer
        );
        let size = quantity(self.quantity, !zero_ok);
        checks.rule("quantity", size.clone().map(drop));
        let notes = self.notes.as_deref().and_then(text);
        checks.check(
            "notes",
            notes.as_ref().is_none_or(|n| n.chars().count() <= 1000),
            "must be at most 1000 characters",
        );
        checks.check(
            "notes",
            notes.is_some()
                || !matches!(kind, TransactionType::Adjustment | TransactionType::Waste),
            "is required for an adjustment or waste: say why",
        );
        checks.check(
            "reference_number",
            self.reference_number
                .as_ref()
                .is_none_or(|r| r.chars().count() <= 100),
            "must be at most 100 characters",
        );
        let location = self.to_location.as_deref().and_then(text);
        checks.check(
            "to_location",
            location.as_ref().is_none_or(|l| l.chars().count() <= 100),
            "must be at most 100 characters",
        );
        checks.check(
            "to_location",
            location.is_some() == (kind == TransactionType::Transfer),
            "is required for a transfer, and only for one",
        );
        checks.finish()?;
        Ok((size.unwrap_or_default(), location))
    }
}

/// Move a material's stock (staff). A move that would take the stock below zero is refused
/// (`CONFLICT`, with the stock and the quantity asked), and nothing is written.
#[utoipa::path(
    post,
    path = "/materials/{id}/stock",
    params(("id" = Uuid, Path, description = "Material id")),
    request_body = StockMove,
    responses(
        (status = 201, description = "The material after the move, and its ledger row", body = ApiResponse<StockMoved>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: not enough stock", body = ErrorEnvelope),
    )
)]
pub async fn move_stock(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<StockMove>,
) -> Result<(StatusCode, ApiResponse<StockMoved>)> {
    let (size, location) = body.check()?;
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    if let Some(location) = &location {
        ledger::find(&mut tx, id).await?;
        sqlx::query("UPDATE materials SET storage_location = $1 WHERE id = $2")
            .bind(location)
            .bind(id.hyphenated().to_string())
            .execute(&mut *tx)
            .await?;
    }
    let mv = Move {
        kind: body.transaction_type,
        quantity: size,
        reference_number: body.reference_number.as_deref().and_then(text),
        reference_type: location.map(|_| "transfer".to_owned()),
        notes: body.notes.as_deref().and_then(text),
        intervention_id: None,
        step_id: None,
    };
    let moved = ledger::apply(&mut tx, id, mv, by, now).await?;
    tx.commit().await?;
    ledger::publish(&state, by, std::slice::from_ref(&moved));
    Ok((
        StatusCode::CREATED,
        ApiResponse::ok(StockMoved {
            material: moved.material,
            transaction: moved.entry,
        }),
    ))
}

/// Paging of a material's ledger.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only this kind of move.
    pub transaction_type: Option<TransactionType>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// A material's ledger, newest first (staff).
#[utoipa::path(
    get,
    path = "/materials/{id}/transactions",
    params(("id" = Uuid, Path, description = "Material id"), LedgerQuery),
    responses(
        (status = 200, description = "A page of the ledger", body = ApiResponse<Page<LedgerEntry>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn material_transactions(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<LedgerQuery>,
) -> Result<ApiResponse<Page<LedgerEntry>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let mut conn = state.db.acquire().await?;
    // A deleted material's ledger is still readable: the rows are the history.
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM materials WHERE id = $1")
        .bind(id.hyphenated().to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        return Err(Error::NotFound("no such material".into()));
    }
    let filter = |q: &mut crate::db::Sql| {
        q.push(" FROM inventory_transactions WHERE material_id = ")
            .push_bind(id.hyphenated().to_string());
        if let Some(kind) = query.transaction_type {
            q.push(" AND transaction_type = ").push_bind(kind);
        }
    };
    let page = list::fetch_page(&mut conn, LEDGER_COLUMNS, filter, "seq DESC", bounds).await?;
    Ok(ApiResponse::ok(page))
}
