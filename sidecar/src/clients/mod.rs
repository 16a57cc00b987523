//! `/api/v1/clients`: the workshop's customers, with search, stats and soft delete.

mod model;
mod routes;
mod stats;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

pub use model::{Client, ClientFields, CustomerType};
pub use routes::find;

use crate::state::AppState;

/// Routes of the clients area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_clients, routes::create_client))
        .routes(routes!(stats::client_stats))
        .routes(routes!(
            routes::get_client,
            routes::update_client,
            routes::delete_client
        ))
}
