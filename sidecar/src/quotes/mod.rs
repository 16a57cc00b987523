//! `/api/v1/quotes`: what the workshop offers a client before the job — quotes numbered
//! `DEV-NNNNN` with their lines, totals computed by the server in integer cents, the quote
//! state machine, expiry past `valid_until`, the PDF, and conversion of an accepted quote into
//! a task.

mod fields;
mod items;
pub mod model;
mod pdf;
mod routes;
mod status;
pub mod store;
pub mod totals;

use utoipa_axum::router::OpenApiRouter;

use crate::routing::routes;
use crate::state::AppState;

pub use model::{Quote, QuoteStatus};

/// Routes of the quotes area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_quotes, routes::create_quote))
        .routes(routes!(
            routes::get_quote,
            routes::update_quote,
            routes::delete_quote
        ))
        .routes(routes!(items::add_item))
        .routes(routes!(items::reorder_items))
        .routes(routes!(items::update_item, items::delete_item))
        .routes(routes!(status::transition_quote))
        .routes(routes!(status::convert_quote))
        .routes(routes!(pdf::quote_pdf))
}
