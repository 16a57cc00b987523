//! The session rows (`sessions`, one per sign-in): opening one with its tokens, extending and
//! revoking them. The session cache that spares each request a lookup is
//! [`SessionCache`](crate::auth::SessionCache).

use serde::Serialize;
use sqlx::AnyExecutor;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::token::{REFRESH_TTL_SECS, new_opaque_token, opaque_token_hash};
use crate::clock::{now_ms, to_datetime};
use crate::error::Result;
use crate::state::AppState;
use crate::users::User;

/// Tokens of a new or refreshed session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionTokens {
    /// JWT for `Authorization: Bearer`, valid for `expires_in` seconds.
    pub access_token: String,
    /// Single-use token for `POST /auth/refresh`, valid for 7 days.
    pub refresh_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The signed-in user.
    pub user: User,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum RevokeReason {
    Logout,
    Revoked,
    RevokedByAdmin,
    OtherSessionsRevoked,
    UserBanned,
    UserDeleted,
    PasswordChanged,
    RefreshReuse,
    RoleChanged,
}

crate::db::stored::text_column!(RevokeReason);

const REFRESH_TTL_MS: i64 = REFRESH_TTL_SECS * 1000;

/// Open a session for a user who has proven who they are, and count the sign-in.
pub async fn start(
    state: &AppState,
    user: &User,
    user_agent: Option<&str>,
) -> Result<SessionTokens> {
    let now = now_ms();
    let session = Uuid::new_v4();
    let refresh_token = new_opaque_token();
    let mut tx = crate::db::write_transaction(&state.writer).await?;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, user_agent, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session.hyphenated().to_string())
    .bind(user.id.hyphenated().to_string())
    .bind(user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
    .bind(now)
    .bind(now)
    .bind(now + REFRESH_TTL_MS)
    .execute(&mut *tx)
    .await?;
    store_refresh_token(&mut *tx, session, &refresh_token, now).await?;
    sqlx::query("UPDATE users SET last_login_at = $1, login_count = login_count + 1 WHERE id = $2")
        .bind(now)
        .bind(user.id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let mut user = user.clone();
    user.last_login_at = Some(to_datetime(now));
    user.login_count += 1;
    issue(state, user, session, refresh_token)
}

/// Access token for a session plus its (already stored) refresh token.
pub fn issue(
    state: &AppState,
    user: User,
    session: Uuid,
    refresh_token: String,
) -> Result<SessionTokens> {
    let (access_token, expires_in) = state.auth.tokens.access(user.id, session, user.role)?;
    Ok(SessionTokens {
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in,
        user,
    })
}

/// Store a refresh token (hashed) for a session.
pub async fn store_refresh_token(
    db: impl AnyExecutor<'_>,
    session: Uuid,
    token: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(opaque_token_hash(token))
        .bind(session.hyphenated().to_string())
        .bind(now)
        .bind(now + REFRESH_TTL_MS)
        .execute(db)
        .await?;
    Ok(())
}

/// Extend a session's life after a refresh.
pub async fn extend(db: impl AnyExecutor<'_>, session: Uuid, now: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = $1, last_seen_at = $2 WHERE id = $3")
        .bind(now + REFRESH_TTL_MS)
        .bind(now)
        .bind(session.hyphenated().to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// End one live session; returns whether it was live.
pub async fn revoke(state: &AppState, session: Uuid, reason: RevokeReason) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(session.hyphenated().to_string())
    .execute(&state.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// End every live session of a user, except `keep`; returns how many ended.
pub async fn revoke_all(
    state: &AppState,
    user: Uuid,
    reason: RevokeReason,
    keep: Option<Uuid>,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoke_reason = $2 \
         WHERE user_id = $3 AND revoked_at IS NULL AND id IS DISTINCT FROM $4",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(user.hyphenated().to_string())
    .bind(keep.map(|k| k.hyphenated().to_string()))
    .execute(&state.writer)
    .await?;
    Ok(done.rows_affected())
}
