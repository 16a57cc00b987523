//! The plant's inventory: `GET /ops/inventory/categories` (counts, status mix and trend of the
//! five categories), `GET /ops/inventory/items` (filtered pages) and an item's status.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, Plant, PlantWriters};
use crate::clock::{days, now_ms};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::EventKind;
use crate::ops::kpi::{age, trend};
use crate::ops::log::{self, Entry, actor};
use crate::ops::model::{InventoryCategoryId, InventoryStatus, LogCategory, LogSeverity};
use crate::ops::publish;
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// How a category's items stand.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StatusMix {
    /// Usable.
    pub good: i64,
    /// Quarantined.
    pub hold: i64,
    /// Not to be used.
    pub blocked: i64,
}

/// A category card (`InventoryCategory`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryCategory {
    /// `cells`, `modules`, `packs`, `finished`, `deployed`.
    pub id: InventoryCategoryId,
    /// `Cells`.
    pub label: String,
    /// What it holds.
    pub description: String,
    /// Items.
    pub count: i64,
    /// By status.
    pub status_mix: StatusMix,
    /// Items received in the last 7 days against the 7 before: `up`, `down` or `stable`.
    #[schema(value_type = String, example = "up")]
    pub trend: &'static str,
    /// Its colour, `#rrggbb`.
    pub color: &'static str,
}

/// Label, description and colour of each category.
pub const CATEGORIES: [(InventoryCategoryId, &str, &str, &str); 5] = [
    (
        InventoryCategoryId::Cells,
        "Cells",
        "Incoming cells, by batch",
        "#2563eb",
    ),
    (
        InventoryCategoryId::Modules,
        "Modules",
        "Assembled and tested modules",
        "#7c3aed",
    ),
    (
        InventoryCategoryId::Packs,
        "Packs",
        "Packs in assembly and review",
        "#059669",
    ),
    (
        InventoryCategoryId::Finished,
        "Finished Goods",
        "Packed, passport-ready stock",
        "#d97706",
    ),
    (
        InventoryCategoryId::Deployed,
        "Deployed Assets",
        "Packs in the field",
        "#475569",
    ),
];

/// The five categories (plant roles); an empty plant answers five empty cards.
#[utoipa::path(
    get,
    path = "/inventory/categories",
    responses((status = 200, description = "The categories", body = ApiResponse<Vec<InventoryCategory>>))
)]
pub async fn categories(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<InventoryCategory>>> {
    let now = now_ms();
    let mut conn = state.db.acquire().await?;
    let rows: Vec<(InventoryCategoryId, InventoryStatus, i64, i64, i64)> = sqlx::query_as(
        "SELECT category, status, COUNT(*), \
         COALESCE(SUM(CASE WHEN received_at >= $1 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN received_at >= $2 AND received_at < $3 THEN 1 ELSE 0 END), 0) \
         FROM ops_inventory GROUP BY category, status",
    )
    .bind(now - days(7))
    .bind(now - days(14))
    .bind(now - days(7))
    .fetch_all(&mut *conn)
    .await?;
    let cards = CATEGORIES
        .iter()
        .map(|(id, label, description, color)| {
            let mut mix = StatusMix::default();
            let (mut recent, mut before) = (0, 0);
            for (_, status, n, r, b) in rows.iter().filter(|row| row.0 == *id) {
                match status {
                    InventoryStatus::Good => mix.good += n,
                    InventoryStatus::Hold => mix.hold += n,
                    InventoryStatus::Blocked => mix.blocked += n,
                }
                recent += r;
                before += b;
            }
            InventoryCategory {
                id: *id,
                label: (*label).to_owned(),
                description: (*description).to_owned(),
                count: mix.good + mix.hold + mix.blocked,
                status_mix: mix,
                trend: trend(before, recent),
                color,
            }
        })
        .collect();
    Ok(ApiResponse::ok(cards))
}

/// An item (`InventoryItem`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryItem {
    /// `CELL-2026-1001`.
    pub id: String,
    /// Its category.
    pub category: InventoryCategoryId,
    /// `CELL-LFP-21700`.
    pub sku: String,
    /// `Zone A - Rack 2`.
    pub location: String,
    /// Its status.
    pub status: InventoryStatus,
    /// Since it was received (`2d 4h`).
    pub age: String,
    /// Its batch.
    pub batch_ref: Option<String>,
    /// The exception it is held for.
    pub exception_ref: Option<String>,
}

#[derive(FromRow)]
struct ItemRow {
    id: String,
    category: InventoryCategoryId,
    sku: String,
    location: String,
    status: InventoryStatus,
    received_at: i64,
    batch_ref: Option<String>,
    exception_ref: Option<String>,
}

impl ItemRow {
    fn item(self, now: i64) -> InventoryItem {
        InventoryItem {
            age: age(self.received_at, now),
            id: self.id,
            category: self.category,
            sku: self.sku,
            location: self.location,
            status: self.status,
            batch_ref: self.batch_ref,
            exception_ref: self.exception_ref,
        }
    }
}

const ITEM_COLUMNS: &str =
    "id, category, sku, location, status, received_at, batch_ref, exception_ref";

/// Filters and paging of the items.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Only this category.
    pub category: Option<InventoryCategoryId>,
    /// Text in the id, SKU, location or batch.
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<InventoryStatus>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// Items by id, filtered (plant roles).
#[utoipa::path(
    get,
    path = "/inventory/items",
    params(ItemQuery),
    responses(
        (status = 200, description = "A page of items", body = ApiResponse<Page<InventoryItem>>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad filter", body = ErrorEnvelope),
    )
)]
pub async fn items(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Query(query): Query<ItemQuery>,
) -> Result<ApiResponse<Page<InventoryItem>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let filter = |q: &mut Sql| {
        q.push(" FROM ops_inventory WHERE TRUE");
        if let Some(c) = query.category {
            q.push(" AND category = ").push_bind(c.as_str());
        }
        if let Some(s) = query.status {
            q.push(" AND status = ").push_bind(s.as_str());
        }
        if let Some(text) = &query.search {
            list::push_search(q, &["id", "sku", "location", "batch_ref"], text);
        }
    };
    let mut conn = state.db.acquire().await?;
    let page: Page<ItemRow> =
        list::fetch_page(&mut conn, ITEM_COLUMNS, filter, "id", bounds).await?;
    let now = now_ms();
    Ok(ApiResponse::ok(page.map(|r| r.item(now))))
}

/// An item's new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ItemStatusChange {
    /// The status.
    pub status: InventoryStatus,
    /// The exception it is held for (cleared when omitted).
    #[schema(max_length = 20)]
    pub exception_ref: Option<String>,
}

/// Set an item's status (admin, supervisor, operator, plant head).
#[utoipa::path(
    put,
    path = "/inventory/items/{id}",
    params(("id" = String, Path, description = "`CELL-2026-1001`", max_length = 64)),
    request_body = ItemStatusChange,
    responses(
        (status = 200, description = "The item", body = ApiResponse<InventoryItem>),
        (status = 400, description = "`VALIDATION_ERROR`: an unknown exception", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn set_item_status(
    caller: Authorized<PlantWriters>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<ItemStatusChange>,
) -> Result<ApiResponse<InventoryItem>> {
    let exception = body.exception_ref.as_deref().and_then(text);
    let by = actor(&caller.user);
    let mut tx = write_transaction(&state.writer).await?;
    if let Some(e) = &exception {
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ops_exceptions WHERE id = $1")
            .bind(e)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(Error::invalid(
                "exceptionRef",
                format!("no exception `{e}`"),
            ));
        }
    }
    let row: Option<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE ops_inventory SET status = $1, exception_ref = $2, updated_at = $3 WHERE id = $4 \
         RETURNING {ITEM_COLUMNS}"
    )))
    .bind(body.status)
    .bind(exception.as_deref())
    .bind(now_ms())
    .bind(&id)
    .fetch_optional(&mut *tx)
    .await?;
    let item = row
        .ok_or_else(|| Error::NotFound(format!("no inventory item `{id}`").into()))?
        .item(now_ms());
    let severity = match body.status {
        InventoryStatus::Good => LogSeverity::Success,
        _ => LogSeverity::Warning,
    };
    log::append(
        &mut tx,
        Entry {
            category: LogCategory::Workflow,
            severity,
            event: &format!("Inventory status: {}", body.status),
            entity: &id,
            actor: &by,
        },
    )
    .await?;
    tx.commit().await?;
    publish(
        &state,
        EventKind::OpsInventoryChanged,
        caller.user.id(),
        &item,
    );
    Ok(ApiResponse::ok(item))
}
