//! `/api/v1/security/*`: the session rows (own; admins all) and the audit log (admins); and
//! the retention of the tables that grow with sign-in attempts.

mod audit;
pub mod retention;
mod sessions;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

pub use audit::{SecurityEvent, SecurityEventKind};

use crate::state::AppState;

/// Routes of the security area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sessions::list_sessions))
        .routes(routes!(sessions::revoke_session))
        .routes(routes!(sessions::revoke_other_sessions))
        .routes(routes!(audit::list_security_events))
}
