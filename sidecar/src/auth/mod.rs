//! `/api/v1/auth/*`: sign-in with optional TOTP, tokens, sessions, bootstrap and sign-up;
//! plus who the caller is (`CurrentUser`) and what they may do (`Authorized<R>`).

mod bootstrap;
mod challenge;
pub mod lockout;
mod login;
pub mod password;
mod principal;
mod refresh;
mod role;
pub mod secrets;
pub mod session;
pub mod token;
pub mod totp;
mod two_factor;

use std::sync::Arc;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

pub use principal::{
    AdminOnly, Authorized, CurrentUser, Managers, Plant, PlantWriters, Roles, SessionCache,
    Workshop, WorkshopStaff,
};
pub use role::Role;
pub use secrets::Secrets;
pub use token::TokenKeys;

use crate::state::AppState;

/// Keys and the session cache.
#[derive(Debug)]
pub struct Auth {
    /// JWT signing and checking.
    pub tokens: TokenKeys,
    /// Derived keys (TOTP encryption, backup code HMAC).
    pub secrets: Secrets,
    /// The session cache: live sessions recently confirmed in the database.
    pub session_cache: SessionCache,
}

impl Auth {
    /// Auth state from the data dir's secrets.
    pub fn new(secrets: Secrets) -> Arc<Self> {
        Arc::new(Self {
            tokens: TokenKeys::new(&secrets.jwt),
            secrets,
            session_cache: SessionCache::default(),
        })
    }
}

/// Routes of the auth area that a caller uses before signing in (each names its own tag).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login::login))
        .routes(routes!(login::login_two_factor))
        .routes(routes!(refresh::refresh))
        .routes(routes!(bootstrap::has_admins))
        .routes(routes!(bootstrap::bootstrap_admin))
        .routes(routes!(bootstrap::signup))
}

/// Routes of the auth area for a signed-in caller: who they are, sign-out, 2FA (the tag and the
/// bearer requirement come from `openapi::signed_in`).
pub fn signed_in_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(refresh::logout))
        .routes(routes!(login::me))
        .routes(routes!(two_factor::setup))
        .routes(routes!(two_factor::confirm))
        .routes(routes!(two_factor::disable))
        .routes(routes!(two_factor::regenerate_backup_codes))
        .routes(routes!(two_factor::status))
}
