//! `/api/v1/security/*`: sessions (own; admins all) and the security event log (admins).

mod events;
mod sessions;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use events::{SecurityEvent, SecurityEventKind};

use crate::state::AppState;

/// Routes of the security area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sessions::list_sessions))
        .routes(routes!(sessions::revoke_session))
        .routes(routes!(sessions::revoke_other_sessions))
        .routes(routes!(events::list_events))
}
