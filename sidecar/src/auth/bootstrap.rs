//! Getting the first accounts: whether an admin exists yet, creating the first admin on a fresh
//! install, and self sign-up as a viewer when an admin has enabled it.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Role;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::settings;
use crate::state::AppState;
use crate::users::{InsertIf, NewAccount, User, create_account};

/// Whether the first-run bootstrap is still needed.
#[derive(Debug, Serialize, ToSchema)]
pub struct HasAdmins {
    /// `false` on a fresh install: call `POST /auth/bootstrap-admin`.
    pub has_admins: bool,
}

/// Whether any admin account exists (the frontend shows first-run set-up when not).
#[utoipa::path(
    get,
    path = "/auth/has-admins",
    tag = "auth",
    responses((status = 200, description = "Whether an admin exists", body = ApiResponse<HasAdmins>))
)]
pub async fn has_admins(State(state): State<AppState>) -> Result<ApiResponse<HasAdmins>> {
    let has_admins = crate::users::admin_exists(&state.db).await?;
    Ok(ApiResponse::ok(HasAdmins { has_admins }))
}

/// Create the first admin. Only while no admin exists; concurrent calls make exactly one.
#[utoipa::path(
    post,
    path = "/auth/bootstrap-admin",
    tag = "auth",
    request_body = NewAccount,
    responses(
        (status = 201, description = "The admin account", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: an admin already exists", body = ErrorEnvelope),
    )
)]
pub async fn bootstrap_admin(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(account): Json<NewAccount>,
) -> Result<(StatusCode, ApiResponse<User>)> {
    let user = create_account(&state.writer, account, Role::Admin, InsertIf::NoAdminExists).await?;
    SecurityEvent::new(SecurityEventKind::AdminBootstrapped, &correlation_id)
        .user(user.id)
        .record(&state.writer)
        .await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(user)))
}

/// Create a `viewer` account, when an admin has enabled sign-up (`PATCH /settings`).
#[utoipa::path(
    post,
    path = "/auth/signup",
    tag = "auth",
    request_body = NewAccount,
    responses(
        (status = 201, description = "The new viewer account", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 403, description = "`AUTHORIZATION_ERROR`: sign-up is disabled", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: email or username taken", body = ErrorEnvelope),
    )
)]
pub async fn signup(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(account): Json<NewAccount>,
) -> Result<(StatusCode, ApiResponse<User>)> {
    if !settings::load(&state.db).await?.signup_enabled {
        return Err(Error::Forbidden(
            "sign-up is disabled; ask an admin for an account".into(),
        ));
    }
    let user = create_account(&state.writer, account, Role::Viewer, InsertIf::Always).await?;
    SecurityEvent::new(SecurityEventKind::UserSignedUp, &correlation_id)
        .user(user.id)
        .record(&state.writer)
        .await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(user)))
}
