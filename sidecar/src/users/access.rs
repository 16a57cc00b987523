//! What an account may do and how it signs in: change a user's role, ban and unban, reset a
//! password (admin) and change your own; a ban or a new password ends the user's sessions.
//! Listing, creating, editing and deleting accounts is in [`manage`](super::manage).

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::session::{self, RevokeReason};
use crate::auth::{AdminOnly, Authorized, CurrentUser, Role, password};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;
use crate::users::find;
use crate::users::guard::guarded_update;
use crate::users::model::User;
use crate::validate::{self, Checks};

/// A new role.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleChange {
    /// The role to give.
    pub role: Role,
}

/// Why a user is banned.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Ban {
    /// Reason, kept with the ban.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// A password set by an admin.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordReset {
    /// The new password.
    #[schema(
        min_length = 8,
        max_length = 128,
        pattern = r"^(?=[\s\S]*\p{Lu})(?=[\s\S]*\p{Ll})(?=[\s\S]*[0-9])"
    )]
    pub new_password: String,
}

/// The caller's password change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The current password.
    #[schema(max_length = 128)]
    pub current_password: String,
    /// The new password.
    #[schema(
        min_length = 8,
        max_length = 128,
        pattern = r"^(?=[\s\S]*\p{Lu})(?=[\s\S]*\p{Ll})(?=[\s\S]*[0-9])"
    )]
    pub new_password: String,
}

/// Change a user's role (admin). The last active admin cannot be demoted.
#[utoipa::path(
    put,
    path = "/users/{id}/role",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = RoleChange,
    responses(
        (status = 200, description = "The user with the new role", body = ApiResponse<User>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: last active admin", body = ErrorEnvelope),
    )
)]
pub async fn set_role(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
    Json(change): Json<RoleChange>,
) -> Result<ApiResponse<User>> {
    let before = find(&state.db, id).await?;
    guarded_update(
        &state,
        id,
        true,
        |q| {
            q.push(", role = ").push_bind(change.role);
        },
        "demoted",
    )
    .await?;
    SecurityEvent::new(SecurityEventKind::RoleChanged, &correlation_id)
        .user(id)
        .actor(caller.user.id())
        .details(serde_json::json!({ "from": before.role, "to": change.role }))
        .record(&state.writer)
        .await?;
    find(&state.db, id).await.map(ApiResponse::ok)
}

/// Ban a user (admin): they cannot sign in and their sessions end at once.
#[utoipa::path(
    post,
    path = "/users/{id}/ban",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = Ban,
    responses(
        (status = 200, description = "The banned user", body = ApiResponse<User>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: last active admin", body = ErrorEnvelope),
    )
)]
pub async fn ban_user(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
    Json(ban): Json<Ban>,
) -> Result<ApiResponse<User>> {
    let reason = ban
        .reason
        .map(|r| r.trim().chars().take(500).collect::<String>());
    guarded_update(
        &state,
        id,
        true,
        |q| {
            q.push(", banned_at = ")
                .push_bind(now_ms())
                .push(", ban_reason = ")
                .push_bind(reason.clone());
        },
        "banned",
    )
    .await?;
    let ended = session::revoke_all(&state, id, RevokeReason::UserBanned, None).await?;
    SecurityEvent::new(SecurityEventKind::UserBanned, &correlation_id)
        .user(id)
        .actor(caller.user.id())
        .details(serde_json::json!({ "reason": reason, "sessions_ended": ended }))
        .record(&state.writer)
        .await?;
    find(&state.db, id).await.map(ApiResponse::ok)
}

/// Lift a ban (admin).
#[utoipa::path(
    post,
    path = "/users/{id}/unban",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = ApiResponse<User>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn unban_user(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<User>> {
    let done = sqlx::query(
        "UPDATE users SET banned_at = NULL, ban_reason = NULL, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL",
    )
    .bind(now_ms())
    .bind(id.hyphenated().to_string())
    .execute(&state.writer)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("no such user".into()));
    }
    SecurityEvent::new(SecurityEventKind::UserUnbanned, &correlation_id)
        .user(id)
        .actor(caller.user.id())
        .record(&state.writer)
        .await?;
    find(&state.db, id).await.map(ApiResponse::ok)
}

async fn set_password(state: &AppState, id: Uuid, new_password: String) -> Result<()> {
    let hash = password::hash(new_password).await?;
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(hash)
    .bind(now_ms())
    .bind(id.hyphenated().to_string())
    .execute(&state.writer)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("no such user".into()));
    }
    Ok(())
}

/// Set a user's password (admin); all their sessions end.
#[utoipa::path(
    put,
    path = "/users/{id}/password",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = PasswordReset,
    responses(
        (status = 200, description = "The user", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR`: weak password", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn reset_password(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
    Json(reset): Json<PasswordReset>,
) -> Result<ApiResponse<User>> {
    Checks::default()
        .rule("new_password", validate::password(&reset.new_password))
        .finish()?;
    set_password(&state, id, reset.new_password).await?;
    session::revoke_all(&state, id, RevokeReason::PasswordChanged, None).await?;
    SecurityEvent::new(SecurityEventKind::PasswordReset, &correlation_id)
        .user(id)
        .actor(caller.user.id())
        .record(&state.writer)
        .await?;
    find(&state.db, id).await.map(ApiResponse::ok)
}

/// Change your own password (needs the current one); your other sessions end.
#[utoipa::path(
    put,
    path = "/me/password",
    request_body = PasswordChange,
    responses(
        (status = 200, description = "You, after the change", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR`: wrong current password or weak new one", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many wrong passwords", body = ErrorEnvelope),
    )
)]
pub async fn change_own_password(
    caller: CurrentUser,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(change): Json<PasswordChange>,
) -> Result<ApiResponse<User>> {
    let mut checks = Checks::default();
    checks.rule("new_password", validate::password(&change.new_password));
    checks.check(
        "new_password",
        change.new_password != change.current_password,
        "must differ from the current password",
    );
    checks.finish()?;
    password::confirm(
        &state.writer,
        &caller.user,
        change.current_password,
        "current_password",
        &correlation_id,
    )
    .await?;
    set_password(&state, caller.id(), change.new_password).await?;
    session::revoke_all(
        &state,
        caller.id(),
        RevokeReason::PasswordChanged,
        Some(caller.session_id),
    )
    .await?;
    SecurityEvent::new(SecurityEventKind::PasswordChanged, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .record(&state.writer)
        .await?;
    find(&state.db, caller.id()).await.map(ApiResponse::ok)
}
