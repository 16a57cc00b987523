//! `POST /auth/refresh` and `POST /auth/logout`: keeping a session going (refresh-token
//! rotation with reuse detection) and ending it.

use crate::db::stored::StoredId;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::session::{self, RevokeReason, SessionTokens};
use crate::auth::token::opaque_token_hash;
use crate::auth::{CurrentUser, totp};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;
use crate::users::{USER_COLUMNS, User};

/// A refresh token to exchange.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh.
    #[schema(max_length = 1024)]
    pub refresh_token: String,
}

/// The session that ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedOut {
    /// Id of the revoked session.
    pub session_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct RefreshRow {
    session_id: StoredId,
    used_at: Option<i64>,
    expires_at: i64,
    replacement_sealed: Option<Vec<u8>>,
}

/// How long a replaced refresh token still gives its replacement: two tabs (or a retried
/// request) refreshing the same session at once both get the same new token, instead of the
/// second one looking like a stolen token and ending the session.
pub const GRACE_MS: i64 = 30_000;

/// Exchange a refresh token for new tokens.
///
/// The presented token is spent. Presenting it again within 30 seconds gives the same new
/// refresh token (two tabs refreshing at once); later, it means the token was stolen or
/// replayed: the whole session is revoked and a `refresh_reuse` security event is recorded.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New access and refresh tokens", body = ApiResponse<SessionTokens>),
        (status = 401, description = "`AUTH_ERROR`: unknown, expired or reused token", body = ErrorEnvelope),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(request): Json<RefreshRequest>,
) -> Result<ApiResponse<SessionTokens>> {
    let invalid = || Error::Auth("the refresh token is not valid; sign in again".into());
    let now = now_ms();
    let hash = opaque_token_hash(request.refresh_token.trim());
    let mut tx = crate::db::write_transaction(&state.writer).await?;
    // Spend it first (a write, so this transaction holds the database's write lock from here).
    let spent = sqlx::query(
        "UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(now)
    .bind(&hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query_as::<_, RefreshRow>(
        "SELECT session_id, used_at, expires_at, replacement_sealed FROM refresh_tokens WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid)?;
    let session = row.session_id.clone().into_uuid()?;
    if spent.rows_affected() == 0 {
        tx.rollback().await?;
        if let Some(tokens) = within_grace(&state, &row, now).await? {
            return Ok(ApiResponse::ok(tokens));
        }
        if row.used_at.is_some() && row.expires_at > now {
            session::revoke(&state, session, RevokeReason::RefreshReuse).await?;
            let owner: Option<StoredId> =
                sqlx::query_scalar("SELECT user_id FROM sessions WHERE id = $1")
                    .bind(session.hyphenated().to_string())
                    .fetch_optional(&state.db)
                    .await?;
            let mut event = SecurityEvent::new(SecurityEventKind::RefreshReuse, &correlation_id)
                .details(serde_json::json!({ "session_id": session }));
            if let Some(owner) = owner {
                event = event.user(owner.into_uuid()?);
            }
            event.record(&state.writer).await?;
        }
        return Err(invalid());
    }
    let user = live_user(&mut *tx, session, now)
        .await?
        .ok_or_else(invalid)?;
    let refresh_token = crate::auth::token::new_opaque_token();
    session::store_refresh_token(&mut *tx, session, &refresh_token, now).await?;
    sqlx::query("UPDATE refresh_tokens SET replacement_sealed = $1 WHERE token_hash = $2")
        .bind(totp::encrypt(
            &state.auth.secrets.refresh_grace,
            refresh_token.as_bytes(),
        )?)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    session::extend(&mut *tx, session, now).await?;
    tx.commit().await?;
    session::issue(&state, user, session, refresh_token).map(ApiResponse::ok)
}

/// The replacement of a token spent less than [`GRACE_MS`] ago, with a new access token, while
/// its session is live.
async fn within_grace(
    state: &AppState,
    row: &RefreshRow,
    now: i64,
) -> Result<Option<SessionTokens>> {
    let (Some(used_at), Some(sealed)) = (row.used_at, &row.replacement_sealed) else {
        return Ok(None);
    };
    if now - used_at > GRACE_MS {
        return Ok(None);
    }
    let session = row.session_id.clone().into_uuid()?;
    let Some(user) = live_user(&state.db, session, now).await? else {
        return Ok(None);
    };
    let replacement = totp::decrypt(&state.auth.secrets.refresh_grace, sealed)?;
    let replacement = String::from_utf8(replacement)
        .map_err(|e| Error::Internal(anyhow::anyhow!("sealed refresh token: {e}")))?;
    session::issue(state, user, session, replacement).map(Some)
}

/// The user of a live session, when they may still sign in.
async fn live_user(
    db: impl sqlx::AnyExecutor<'_>,
    session: Uuid,
    now: i64,
) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.deleted_at IS NULL"
    );
    Ok(sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
        .bind(session.hyphenated().to_string())
        .bind(now)
        .fetch_optional(db)
        .await?
        .filter(User::can_sign_in))
}

/// Sign out: end the current session; its access and refresh tokens stop working at once.
#[utoipa::path(
    post,
    path = "/auth/logout",
    responses((status = 200, description = "The session ended", body = ApiResponse<LoggedOut>))
)]
pub async fn logout(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    caller: CurrentUser,
) -> Result<ApiResponse<LoggedOut>> {
    session::revoke(&state, caller.session_id, RevokeReason::Logout).await?;
    SecurityEvent::new(SecurityEventKind::Logout, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .record(&state.writer)
        .await?;
    Ok(ApiResponse::ok(LoggedOut {
        session_id: caller.session_id,
    }))
}
