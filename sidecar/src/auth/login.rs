//! Signing in: email and password, then a TOTP or backup code when the account has 2FA, with
//! the lockout on failures; and `/auth/me`, who the token belongs to. Refresh and logout are in
//! [`refresh`](super::refresh).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::USER_AGENT;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::session::{self, SessionTokens};
use crate::auth::token::TokenKind;
use crate::auth::{CurrentUser, challenge, lockout, password, totp};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;
use crate::users::{USER_COLUMNS, User};
use crate::validate::normalize_email;

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Email (case does not matter).
    #[schema(example = "admin@example.com")]
    #[schema(max_length = 254)]
    pub email: String,
    /// Password.
    #[schema(example = "Admin1234")]
    #[schema(max_length = 128)]
    pub password: String,
}

/// The password was right and the account has 2FA: send the code with this token.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorChallenge {
    /// Always `true`.
    pub requires_2fa: bool,
    /// Token for `POST /auth/login/2fa`, valid 5 minutes.
    pub challenge_token: String,
}

/// Signed in, or one step left.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginOutcome {
    /// Signed in.
    SignedIn(Box<SessionTokens>),
    /// The TOTP or a backup code is still needed.
    TwoFactorRequired(TwoFactorChallenge),
}

/// The second step of a 2FA sign-in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TwoFactorLogin {
    /// The `challenge_token` from `POST /auth/login`.
    #[schema(max_length = 1024)]
    pub challenge_token: String,
    /// A 6-digit TOTP code or a backup code (`xxxxx-xxxxx`).
    #[schema(max_length = 32)]
    pub code: String,
}

#[derive(sqlx::FromRow)]
struct Credentials {
    #[sqlx(flatten)]
    user: User,
    password_hash: String,
}

fn user_agent(headers: &HeaderMap) -> Option<&str> {
    headers.get(USER_AGENT).and_then(|v| v.to_str().ok())
}

/// Sign in with email and password.
///
/// Returns tokens, or `{requires_2fa, challenge_token}` when the account has 2FA. Wrong email and
/// wrong password give the same answer. Each sign-in is counted before the password is checked;
/// five failures in 15 minutes lock the email for 15 minutes (`RATE_LIMITED`,
/// `details.retry_after` in seconds).
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in, or 2FA code needed", body = ApiResponse<LoginOutcome>),
        (status = 401, description = "`AUTH_ERROR`: wrong email or password, or account disabled", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many failures", body = ErrorEnvelope),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<ApiResponse<LoginOutcome>> {
    let email = normalize_email(&request.email);
    let attempt = lockout::attempt(&state.writer, &email, None).await?;
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1 AND u.deleted_at IS NULL"
    );
    let found = sqlx::query_as::<_, Credentials>(sqlx::AssertSqlSafe(sql))
        .bind(&email)
        .fetch_optional(&state.db)
        .await?;
    let (user, hash) = match found {
        Some(c) => (Some(c.user), Some(c.password_hash)),
        None => (None, None),
    };
    let user_id = user.as_ref().map(|u| u.id);
    let (Some(user), true) = (user, password::verify(request.password, hash).await?) else {
        attempt
            .failed(&state.writer, user_id, "bad_credentials", &correlation_id)
            .await?;
        return Err(Error::Auth("wrong email or password".into()));
    };
    if !user.can_sign_in() {
        attempt
            .failed(
                &state.writer,
                Some(user.id),
                "account_disabled",
                &correlation_id,
            )
            .await?;
        return Err(Error::Auth("this account is disabled".into()));
    }
    if user.two_factor_enabled {
        // Neither a failure nor a success: the code is still owed, and a right password must
        // not clear the failures of wrong codes.
        attempt.first_factor_passed(&state.writer).await?;
        let challenge_token =
            challenge::open(&state.writer, &state.auth.tokens, user.id, user.role).await?;
        return Ok(ApiResponse::ok(LoginOutcome::TwoFactorRequired(
            TwoFactorChallenge {
                requires_2fa: true,
                challenge_token,
            },
        )));
    }
    signed_in(
        &state,
        &user,
        attempt,
        user_agent(&headers),
        &correlation_id,
        "password",
    )
    .await
    .map(|tokens| ApiResponse::ok(LoginOutcome::SignedIn(Box::new(tokens))))
}

async fn signed_in(
    state: &AppState,
    user: &User,
    attempt: lockout::Attempt,
    user_agent: Option<&str>,
    correlation_id: &CorrelationId,
    method: &str,
) -> Result<SessionTokens> {
    attempt.succeeded(&state.writer, user.id).await?;
    let tokens = session::start(state, user, user_agent).await?;
    SecurityEvent::new(SecurityEventKind::LoginSucceeded, correlation_id)
        .user(user.id)
        .actor(user.id)
        .details(serde_json::json!({ "method": method }))
        .record(&state.writer)
        .await?;
    Ok(tokens)
}

/// Finish a 2FA sign-in with a TOTP code or a backup code.
///
/// A TOTP code is accepted once (no replay within its window); a backup code once ever. A
/// challenge token signs in once and takes 3 codes at most. Wrong codes count towards the
/// lockout like wrong passwords.
#[utoipa::path(
    post,
    path = "/auth/login/2fa",
    tag = "auth",
    request_body = TwoFactorLogin,
    responses(
        (status = 200, description = "Signed in", body = ApiResponse<SessionTokens>),
        (status = 401, description = "`AUTH_ERROR`: bad, spent or exhausted challenge token, or a wrong code", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many failures", body = ErrorEnvelope),
    )
)]
pub async fn login_two_factor(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    headers: HeaderMap,
    Json(request): Json<TwoFactorLogin>,
) -> Result<ApiResponse<SessionTokens>> {
    let claims = state
        .auth
        .tokens
        .verify(&request.challenge_token, TokenKind::TwoFactorChallenge)?;
    challenge::take_code(&state.writer, &claims).await?;
    let user = crate::users::find(&state.db, claims.sub)
        .await
        .map_err(|_| Error::Auth("the challenge is no longer valid".into()))?;
    let attempt = lockout::attempt(&state.writer, &user.email, Some(user.id)).await?;
    if !user.can_sign_in() || !user.two_factor_enabled {
        attempt
            .failed(
                &state.writer,
                Some(user.id),
                "challenge_invalid",
                &correlation_id,
            )
            .await?;
        return Err(Error::Auth("the challenge is no longer valid".into()));
    }
    let code = request.code.trim();
    let accepted = if totp::is_totp_code(code) {
        accept_totp(&state, &user, code).await?
    } else {
        accept_backup_code(&state, &user, code, &correlation_id).await?
    };
    if !accepted {
        attempt
            .failed(
                &state.writer,
                Some(user.id),
                "bad_2fa_code",
                &correlation_id,
            )
            .await?;
        return Err(Error::Auth("the code is not valid".into()));
    }
    challenge::spend(&state.writer, &claims).await?;
    let method = if totp::is_totp_code(code) {
        "totp"
    } else {
        "backup_code"
    };
    signed_in(
        &state,
        &user,
        attempt,
        user_agent(&headers),
        &correlation_id,
        method,
    )
    .await
    .map(ApiResponse::ok)
}

/// Check a TOTP code against the user's confirmed secret and spend its time step.
pub(super) async fn accept_totp(state: &AppState, user: &User, code: &str) -> Result<bool> {
    let stored: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT two_factor_secret FROM users WHERE id = $1")
            .bind(user.id.hyphenated().to_string())
            .fetch_one(&state.db)
            .await?;
    let Some(stored) = stored else {
        return Ok(false);
    };
    let secret = totp::decrypt(&state.auth.secrets.totp, &stored)?;
    let generator = totp::generator(secret, &user.email)?;
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let Some(step) = totp::matching_step(&generator, code, now) else {
        return Ok(false);
    };
    // Spend the step: the same code (or an older one) cannot be used again.
    let spent = sqlx::query(
        "UPDATE users SET two_factor_last_step = $1 WHERE id = $2 \
         AND (two_factor_last_step IS NULL OR two_factor_last_step < $3)",
    )
    .bind(step)
    .bind(user.id.hyphenated().to_string())
    .bind(step)
    .execute(&state.writer)
    .await?;
    Ok(spent.rows_affected() == 1)
}

async fn accept_backup_code(
    state: &AppState,
    user: &User,
    code: &str,
    correlation_id: &CorrelationId,
) -> Result<bool> {
    let hash = totp::backup_code_hash(&state.auth.secrets.backup_codes, code);
    let spent = sqlx::query(
        "UPDATE two_factor_backup_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(user.id.hyphenated().to_string())
    .bind(hash)
    .execute(&state.writer)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(false);
    }
    SecurityEvent::new(SecurityEventKind::BackupCodeUsed, correlation_id)
        .user(user.id)
        .actor(user.id)
        .record(&state.writer)
        .await?;
    Ok(true)
}

/// The signed-in user (checks that the token and its session are valid).
#[utoipa::path(
    get,
    path = "/auth/me",
    responses((status = 200, description = "The caller", body = ApiResponse<User>))
)]
pub async fn me(caller: CurrentUser) -> ApiResponse<User> {
    ApiResponse::ok(User::clone(&caller.user))
}
