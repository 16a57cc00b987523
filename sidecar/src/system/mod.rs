//! `/api/v1/health` and `/api/v1/system/*`: is the server up, and what build is it.

mod health;
mod info;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use health::{DatabaseProbe, Health};
pub use info::SystemInfo;

/// Routes of the system area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::get_health))
        .routes(routes!(info::get_system_info))
}
