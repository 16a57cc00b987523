//! `GET /materials`: the catalogue's list, with filters (type, category, supplier, low stock,
//! expired, active, text) and sorts.

use axum::extract::State;
use serde::Deserialize;

use crate::db::Sql;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::today;
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Query;
use crate::list::{self, Page};
use crate::materials::model::{COLUMNS, Material, MaterialType};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// Filters and paging of the material list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MaterialListQuery {
    /// Text in SKU, name, brand or model.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only this kind.
    pub material_type: Option<MaterialType>,
    /// Only this category.
    #[param(max_length = 50)]
    pub category_id: Option<String>,
    /// Only this supplier.
    pub supplier_id: Option<Uuid>,
    /// Only materials at or below their reorder point.
    pub low_stock: Option<bool>,
    /// Only materials past their expiry date.
    pub expired: Option<bool>,
    /// Only active (`true`) or inactive (`false`) materials.
    pub active: Option<bool>,
    /// `name` (default), `-name`, `sku`, `current_stock`, `-current_stock`, `-updated_at`, `expiry_date`.
    #[param(schema_with = sorts)]
    pub sort: Option<String>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

const ORDERS: [(&str, &str); 7] = [
    ("name", "name COLLATE NOCASE ASC, id"),
    ("-name", "name COLLATE NOCASE DESC, id"),
    ("sku", "sku ASC, id"),
    ("current_stock", "current_stock ASC, id"),
    ("-current_stock", "current_stock DESC, id"),
    ("-updated_at", "updated_at DESC, id"),
    ("expiry_date", "expiry_date IS NULL, expiry_date ASC, id"),
];

fn sorts() -> utoipa::openapi::Object {
    crate::validate::one_of(ORDERS.map(|(sort, _)| sort))
}

/// List materials (staff: admin, supervisor, technician).
#[utoipa::path(
    get,
    path = "/materials",
    params(MaterialListQuery),
    responses(
        (status = 200, description = "A page of materials", body = ApiResponse<Page<Material>>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad filter or sort", body = ErrorEnvelope),
    )
)]
pub async fn list_materials(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Query(query): Query<MaterialListQuery>,
) -> Result<ApiResponse<Page<Material>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let order = crate::validate::lookup("sort", &ORDERS, query.sort.as_deref().unwrap_or("name"))?;
    let today = today();
    let day = today.format("%Y-%m-%d").to_string();
    let filter = |q: &mut Sql| {
        q.push(" FROM materials WHERE deleted_at IS NULL");
        if let Some(kind) = query.material_type {
            q.push(" AND material_type = ").push_bind(kind);
        }
        if let Some(category) = query.category_id.as_deref().and_then(text) {
            q.push(" AND category_id = ").push_bind(category);
        }
        if let Some(supplier) = query.supplier_id {
            q.push(" AND supplier_id = ")
                .push_bind(supplier.hyphenated().to_string());
        }
        match query.low_stock {
            Some(true) => q.push(" AND current_stock <= reorder_point"),
            Some(false) => q.push(" AND current_stock > reorder_point"),
            None => q,
        };
        match query.expired {
            Some(true) => q.push(" AND expiry_date < ").push_bind(day.clone()),
            Some(false) => q
                .push(" AND (expiry_date IS NULL OR expiry_date >= ")
                .push_bind(day.clone())
                .push(")"),
            None => q,
        };
        if let Some(active) = query.active {
            q.push(" AND is_active = ").push_bind(active);
        }
        if let Some(text) = &query.q {
            list::push_search(q, &["sku", "name", "brand", "model"], text);
        }
    };
    let page: Page<Material> = list::fetch_page(
        &mut *state.db.acquire().await?,
        COLUMNS,
        filter,
        order,
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page.map(|m| m.dated(today))))
}
