//! `/api/v1/materials`: the workshop's stock — the catalogue (materials, categories,
//! suppliers), the append-only ledger every stock change goes through, and the consumption
//! an intervention records (its routes are the interventions', `consumption` the shared part).

mod catalogue;
mod categories;
pub mod consumption;
mod fields;
pub mod ledger;
pub mod model;
mod search;
mod stats;
mod stock;
mod suppliers;

use utoipa_axum::router::OpenApiRouter;

use crate::routing::routes;
use crate::state::AppState;

pub use model::{Material, MaterialType, TransactionType, Unit};

/// Routes of the materials area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search::list_materials, catalogue::create_material))
        .routes(routes!(stats::material_stats))
        .routes(routes!(
            categories::list_categories,
            categories::create_category
        ))
        .routes(routes!(categories::update_category))
        .routes(routes!(
            suppliers::list_suppliers,
            suppliers::create_supplier
        ))
        .routes(routes!(suppliers::update_supplier))
        .routes(routes!(catalogue::get_material_by_sku))
        .routes(routes!(
            catalogue::get_material,
            catalogue::update_material,
            catalogue::delete_material
        ))
        .routes(routes!(stock::move_stock))
        .routes(routes!(stock::material_transactions))
}
