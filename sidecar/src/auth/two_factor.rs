//! `/auth/2fa/*`: turning TOTP two-factor sign-in on (setup, then confirm with a code) and off,
//! backup codes and the caller's 2FA state. The codes themselves are checked in [`totp`]; the
//! sign-in step that asks for them is in [`login`](super::login).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::login::accept_totp;
use crate::auth::{CurrentUser, password, totp};
use crate::clock::now_ms;
use crate::db::stored::Flag;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;

/// What an authenticator app needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// The secret in base32, for manual entry.
    pub secret: String,
    /// `otpauth://totp/RPMA:<email>?...` URI.
    pub otpauth_url: String,
    /// QR code of the URI, as an SVG document.
    pub qr_svg: String,
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TwoFactorCode {
    /// 6-digit TOTP code.
    #[schema(example = "123456")]
    #[schema(max_length = 32)]
    pub code: String,
}

/// The account password, to confirm a sensitive change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordConfirmation {
    /// Current password.
    #[schema(max_length = 128)]
    pub password: String,
}

/// Backup codes, shown once: store them somewhere safe.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupCodes {
    /// Ten single-use codes (`xxxxx-xxxxx`), each accepted instead of a TOTP code.
    pub backup_codes: Vec<String>,
}

/// The caller's 2FA state.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorStatus {
    /// Whether sign-in asks for a code.
    pub enabled: bool,
    /// A setup was started and awaits confirmation.
    pub pending_setup: bool,
    /// Unused backup codes.
    pub backup_codes_remaining: i64,
}

/// Start 2FA setup: a new secret, its `otpauth://` URI and QR code.
///
/// 2FA is enabled only once `POST /auth/2fa/confirm` proves the app produces codes.
#[utoipa::path(
    post,
    path = "/auth/2fa/setup",
    responses(
        (status = 200, description = "Secret, URI and QR code", body = ApiResponse<TwoFactorSetup>),
        (status = 409, description = "`CONFLICT`: 2FA is already enabled", body = ErrorEnvelope),
    )
)]
pub async fn setup(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<ApiResponse<TwoFactorSetup>> {
    if caller.user.two_factor_enabled {
        return Err(Error::Conflict {
            message: "2FA is already enabled; disable it first".into(),
            details: None,
        });
    }
    let secret = totp::new_secret();
    let generator = totp::generator(secret.clone(), &caller.user.email)?;
    let stored = totp::encrypt(&state.auth.secrets.totp, &secret)?;
    sqlx::query("UPDATE users SET two_factor_secret = $1, two_factor_last_step = NULL, updated_at = $2 WHERE id = $3 AND two_factor_enabled = FALSE")
        .bind(stored)
        .bind(now_ms())
        .bind(caller.id().hyphenated().to_string())
        .execute(&state.writer)
        .await?;
    let otpauth_url = totp::otpauth_url(&generator)?;
    Ok(ApiResponse::ok(TwoFactorSetup {
        secret: generator.secret().to_base32(),
        qr_svg: totp::qr_svg(&otpauth_url)?,
        otpauth_url,
    }))
}

/// Confirm setup with a code from the app: enables 2FA and returns 10 backup codes (once).
#[utoipa::path(
    post,
    path = "/auth/2fa/confirm",
    request_body = TwoFactorCode,
    responses(
        (status = 200, description = "2FA is on; the backup codes", body = ApiResponse<BackupCodes>),
        (status = 400, description = "`VALIDATION_ERROR`: wrong code", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: no setup started, or already enabled", body = ErrorEnvelope),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    caller: CurrentUser,
    Json(request): Json<TwoFactorCode>,
) -> Result<ApiResponse<BackupCodes>> {
    if caller.user.two_factor_enabled {
        return Err(Error::Conflict {
            message: "2FA is already enabled".into(),
            details: None,
        });
    }
    let Flag(pending) =
        sqlx::query_scalar("SELECT two_factor_secret IS NOT NULL FROM users WHERE id = $1")
            .bind(caller.id().hyphenated().to_string())
            .fetch_one(&state.db)
            .await?;
    if !pending {
        return Err(Error::Conflict {
            message: "start with POST /auth/2fa/setup".into(),
            details: None,
        });
    }
    let code = request.code.trim();
    if !totp::is_totp_code(code) || !accept_totp(&state, &caller.user, code).await? {
        return Err(Error::invalid(
            "code",
            "is not the current code of the authenticator app",
        ));
    }
    let mut tx = crate::db::write_transaction(&state.writer).await?;
    sqlx::query("UPDATE users SET two_factor_enabled = TRUE, updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(caller.id().hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    let codes = replace_backup_codes(&state, &mut tx, &caller).await?;
    SecurityEvent::new(SecurityEventKind::TwoFactorEnabled, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(codes))
}

async fn replace_backup_codes(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    caller: &CurrentUser,
) -> Result<BackupCodes> {
    sqlx::query("DELETE FROM two_factor_backup_codes WHERE user_id = $1")
        .bind(caller.id().hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    let codes = totp::new_backup_codes();
    let now = now_ms();
    for code in &codes {
        sqlx::query(
            "INSERT INTO two_factor_backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(caller.id().hyphenated().to_string())
        .bind(totp::backup_code_hash(
            &state.auth.secrets.backup_codes,
            code,
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(BackupCodes {
        backup_codes: codes,
    })
}

/// Turn 2FA off (needs the password); removes the secret and the backup codes.
#[utoipa::path(
    post,
    path = "/auth/2fa/disable",
    request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "2FA is off", body = ApiResponse<TwoFactorStatus>),
        (status = 400, description = "`VALIDATION_ERROR`: wrong password", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many wrong passwords", body = ErrorEnvelope),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    caller: CurrentUser,
    Json(request): Json<PasswordConfirmation>,
) -> Result<ApiResponse<TwoFactorStatus>> {
    password::confirm(
        &state.writer,
        &caller.user,
        request.password,
        "password",
        &correlation_id,
    )
    .await?;
    let mut tx = crate::db::write_transaction(&state.writer).await?;
    sqlx::query(
        "UPDATE users SET two_factor_enabled = FALSE, two_factor_secret = NULL, two_factor_last_step = NULL, \
         updated_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(caller.id().hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM two_factor_backup_codes WHERE user_id = $1")
        .bind(caller.id().hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    SecurityEvent::new(SecurityEventKind::TwoFactorDisabled, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(TwoFactorStatus {
        enabled: false,
        pending_setup: false,
        backup_codes_remaining: 0,
    }))
}

/// Replace the backup codes with 10 new ones (needs the password); the old ones stop working.
#[utoipa::path(
    post,
    path = "/auth/2fa/backup-codes",
    request_body = PasswordConfirmation,
    responses(
        (status = 200, description = "The new backup codes", body = ApiResponse<BackupCodes>),
        (status = 400, description = "`VALIDATION_ERROR`: wrong password", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many wrong passwords", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: 2FA is not enabled", body = ErrorEnvelope),
    )
)]
pub async fn regenerate_backup_codes(
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    caller: CurrentUser,
    Json(request): Json<PasswordConfirmation>,
) -> Result<ApiResponse<BackupCodes>> {
    if !caller.user.two_factor_enabled {
        return Err(Error::Conflict {
            message: "2FA is not enabled".into(),
            details: None,
        });
    }
    password::confirm(
        &state.writer,
        &caller.user,
        request.password,
        "password",
        &correlation_id,
    )
    .await?;
    let mut tx = crate::db::write_transaction(&state.writer).await?;
    let codes = replace_backup_codes(&state, &mut tx, &caller).await?;
    SecurityEvent::new(SecurityEventKind::BackupCodesRegenerated, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(codes))
}

/// The caller's 2FA state.
#[utoipa::path(
    get,
    path = "/auth/2fa/status",
    responses((status = 200, description = "2FA state", body = ApiResponse<TwoFactorStatus>))
)]
pub async fn status(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<ApiResponse<TwoFactorStatus>> {
    let (Flag(enabled), Flag(pending), remaining): (Flag, Flag, i64) = sqlx::query_as(
        "SELECT two_factor_enabled, two_factor_enabled = FALSE AND two_factor_secret IS NOT NULL, \
         (SELECT count(*) FROM two_factor_backup_codes WHERE user_id = users.id AND used_at IS NULL) \
         FROM users WHERE id = $1",
    )
    .bind(caller.id().hyphenated().to_string())
    .fetch_one(&state.db)
    .await?;
    Ok(ApiResponse::ok(TwoFactorStatus {
        enabled,
        pending_setup: pending,
        backup_codes_remaining: remaining,
    }))
}
