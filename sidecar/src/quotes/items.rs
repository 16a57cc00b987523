//! `/quotes/{id}/items`: a draft's lines — add (a material's line takes its name and unit cost
//! unless given), change, remove, reorder. Each change stores the quote's new totals in the
//! same transaction.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Managers};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::{Audience, EventKind};
use crate::quotes::fields::{DEFAULT_TAX_RATE, ItemFields};
use crate::quotes::model::ItemKind;
use crate::quotes::routes::editable;
use crate::quotes::store::{self, QuoteDetail};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// The name and unit cost of a live material, for a line that sells it.
async fn material(conn: &mut AnyConnection, id: Uuid) -> Result<(String, i64)> {
    sqlx::query_as("SELECT name, unit_cost FROM materials WHERE id = $1 AND deleted_at IS NULL")
        .bind(id.hyphenated().to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::invalid("material_id", "no such material"))
}

/// Insert line `item` (checked) at `position` of quote `quote`.
pub async fn insert_item(
    conn: &mut AnyConnection,
    quote: Uuid,
    item: &ItemFields,
    position: i64,
) -> Result<()> {
    let from_material = match item.material_id {
        Some(id) => Some(material(conn, id).await?),
        None => None,
    };
    let label = item
        .label
        .as_deref()
        .and_then(text)
        .or_else(|| from_material.as_ref().map(|(name, _)| name.clone()))
        .ok_or_else(|| Error::invalid("label", "is required"))?;
    let unit_price = item
        .unit_price
        .or(from_material.as_ref().map(|(_, cost)| *cost))
        .unwrap_or(0);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO quote_items (id, quote_id, kind, label, qty, unit_price, tax_rate, material_id, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(Uuid::new_v4().hyphenated().to_string())
    .bind(quote.hyphenated().to_string())
    .bind(item.kind.unwrap_or(ItemKind::Service))
    .bind(label.chars().take(200).collect::<String>())
    .bind(item.qty.unwrap_or(1.0))
    .bind(unit_price)
    .bind(item.tax_rate.unwrap_or(DEFAULT_TAX_RATE))
    .bind(item.material_id.map(|m| m.hyphenated().to_string()))
    .bind(position)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Open a write on draft `id`'s lines: the transaction, after expiring what is due and checking
/// the quote is a draft.
async fn draft(state: &AppState, id: Uuid) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
    let mut tx = write_transaction(&state.writer).await?;
    store::expire_due_in(&mut tx).await?;
    editable(&store::find(&mut tx, id).await?)?;
    Ok(tx)
}

fn updated(state: &AppState, by: Uuid, detail: &QuoteDetail) {
    state.live.publish(
        EventKind::QuoteUpdated,
        Audience::Workshop,
        Some(by),
        &detail.quote,
    );
}

/// Add a line at the end of a draft (supervisor, admin).
#[utoipa::path(
    post,
    path = "/quotes/{id}/items",
    params(("id" = Uuid, Path, description = "Quote id")),
    request_body = crate::quotes::fields::NewItem,
    responses(
        (status = 201, description = "The quote with its lines and new totals", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the quote is not a draft", body = ErrorEnvelope),
    )
)]
pub async fn add_item(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(item): Json<ItemFields>,
) -> Result<(StatusCode, ApiResponse<QuoteDetail>)> {
    item.validate(true)?;
    let mut tx = draft(&state, id).await?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM quote_items WHERE quote_id = $1")
        .bind(id.hyphenated().to_string())
        .fetch_one(&mut *tx)
        .await?;
    if count >= 200 {
        return Err(Error::invalid("items", "a quote has at most 200 lines"));
    }
    insert_item(&mut tx, id, &item, count + 1).await?;
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    updated(&state, caller.user.id(), &detail);
    Ok((StatusCode::CREATED, ApiResponse::ok(detail)))
}

/// Change a line of a draft (supervisor, admin). Absent fields stay.
#[utoipa::path(
    patch,
    path = "/quotes/{id}/items/{item_id}",
    params(("id" = Uuid, Path, description = "Quote id"), ("item_id" = Uuid, Path, description = "Line id")),
    request_body = ItemFields,
    responses(
        (status = 200, description = "The quote with its lines and new totals", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`: no such quote or line", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the quote is not a draft", body = ErrorEnvelope),
    )
)]
pub async fn update_item(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path((id, item_id)): Path<(Uuid, Uuid)>,
    Json(item): Json<ItemFields>,
) -> Result<ApiResponse<QuoteDetail>> {
    item.validate(false)?;
    let mut tx = draft(&state, id).await?;
    let lines = store::items(&mut tx, id).await?;
    let before = lines
        .iter()
        .find(|l| l.id == item_id)
        .ok_or_else(|| Error::NotFound("no such line on this quote".into()))?;
    if let Some(material_id) = item.material_id {
        material(&mut tx, material_id).await?;
    }
    sqlx::query(
        "UPDATE quote_items SET kind = $1, label = $2, qty = $3, unit_price = $4, tax_rate = $5, material_id = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(item.kind.unwrap_or(before.kind))
    .bind(item.label.as_deref().and_then(text).unwrap_or_else(|| before.label.clone()))
    .bind(item.qty.unwrap_or(before.qty))
    .bind(item.unit_price.unwrap_or(before.unit_price))
    .bind(item.tax_rate.unwrap_or(before.tax_rate))
    .bind(item.material_id.or(before.material_id).map(|m| m.hyphenated().to_string()))
    .bind(now_ms())
    .bind(item_id.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    updated(&state, caller.user.id(), &detail);
    Ok(ApiResponse::ok(detail))
}

/// Remove a line of a draft (supervisor, admin); the lines after it move up.
#[utoipa::path(
    delete,
    path = "/quotes/{id}/items/{item_id}",
    params(("id" = Uuid, Path, description = "Quote id"), ("item_id" = Uuid, Path, description = "Line id")),
    responses(
        (status = 200, description = "The quote with its lines and new totals", body = ApiResponse<QuoteDetail>),
        (status = 404, description = "`NOT_FOUND`: no such quote or line", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the quote is not a draft", body = ErrorEnvelope),
    )
)]
pub async fn delete_item(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path((id, item_id)): Path<(Uuid, Uuid)>,
) -> Result<ApiResponse<QuoteDetail>> {
    let mut tx = draft(&state, id).await?;
    let gone = sqlx::query("DELETE FROM quote_items WHERE id = $1 AND quote_id = $2")
        .bind(item_id.hyphenated().to_string())
        .bind(id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() == 0 {
        return Err(Error::NotFound("no such line on this quote".into()));
    }
    let ids: Vec<Uuid> = store::items(&mut tx, id)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    renumber(&mut tx, &ids).await?;
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    updated(&state, caller.user.id(), &detail);
    Ok(ApiResponse::ok(detail))
}

/// The new order of a quote's lines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemOrder {
    /// Every line's id, in the new order.
    #[schema(max_items = 200)]
    pub item_ids: Vec<Uuid>,
}

async fn renumber(conn: &mut AnyConnection, ids: &[Uuid]) -> Result<()> {
    for (n, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE quote_items SET position = $1 WHERE id = $2")
            .bind(n as i64 + 1)
            .bind(id.hyphenated().to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Reorder a draft's lines (supervisor, admin): `item_ids` names each line once.
#[utoipa::path(
    put,
    path = "/quotes/{id}/items/order",
    params(("id" = Uuid, Path, description = "Quote id")),
    request_body = ItemOrder,
    responses(
        (status = 200, description = "The quote with its lines in the new order", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: not each line exactly once", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the quote is not a draft", body = ErrorEnvelope),
    )
)]
pub async fn reorder_items(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(order): Json<ItemOrder>,
) -> Result<ApiResponse<QuoteDetail>> {
    let mut tx = draft(&state, id).await?;
    let mut current: Vec<Uuid> = store::items(&mut tx, id)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    let mut asked = order.item_ids.clone();
    current.sort_unstable();
    asked.sort_unstable();
    if current != asked {
        return Err(Error::invalid(
            "item_ids",
            "must name each line of the quote exactly once",
        ));
    }
    renumber(&mut tx, &order.item_ids).await?;
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    updated(&state, caller.user.id(), &detail);
    Ok(ApiResponse::ok(detail))
}
