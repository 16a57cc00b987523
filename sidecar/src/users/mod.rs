//! `/api/v1/users` and `/api/v1/me/password`: accounts, roles, bans and passwords.

mod access;
mod account;
mod guard;
mod manage;
mod model;

use crate::routing::routes;
use utoipa_axum::router::OpenApiRouter;

pub use account::{InsertIf, NewAccount, admin_exists, create as create_account};
pub use model::{USER_COLUMNS, User, find};

use crate::state::AppState;

/// Routes of the users area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(manage::list_users, manage::create_user))
        .routes(routes!(
            manage::get_user,
            manage::update_user,
            manage::delete_user
        ))
        .routes(routes!(access::set_role))
        .routes(routes!(access::ban_user))
        .routes(routes!(access::unban_user))
        .routes(routes!(access::reset_password))
        .routes(routes!(access::change_own_password))
}
