//! Lockout: 5 failed sign-ins within 15 minutes lock the email for 15 minutes.
//!
//! Attempts are keyed by the normalised email, known or not, so a locked unknown email answers
//! exactly like a locked account: nothing tells whether an account exists.

use uuid::Uuid;

use crate::clock::{minutes, now_ms};
use crate::error::{Error, Result};
use crate::middleware::CorrelationId;
use crate::security::{SecurityEvent, SecurityEventKind};

/// Failures that lock an email.
pub const MAX_FAILURES: i64 = 5;
/// Window in which they count.
pub const WINDOW_MS: i64 = minutes(15);
/// How long the lock lasts.
pub const LOCK_MS: i64 = minutes(15);

/// `RATE_LIMITED` with `retry_after` when the email is locked.
pub async fn ensure_unlocked(db: &sqlx::SqlitePool, email: &str) -> Result<()> {
    let now = now_ms();
    let until: Option<i64> = sqlx::query_scalar(
        "SELECT locked_until FROM login_lockouts WHERE email = ? AND locked_until > ?",
    )
    .bind(email)
    .bind(now)
    .fetch_optional(db)
    .await?;
    match until {
        Some(until) => Err(locked(until - now)),
        None => Ok(()),
    }
}

fn locked(remaining_ms: i64) -> Error {
    let retry_after = u64::try_from((remaining_ms + 999) / 1000)
        .unwrap_or(1)
        .max(1);
    Error::RateLimited {
        message: "too many failed sign-ins; try again later".into(),
        retry_after,
    }
}

/// Record a success: it also ends the run of failures.
pub async fn succeeded(db: &sqlx::SqlitePool, email: &str, user: Uuid) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_attempts (email, user_id, succeeded, created_at) VALUES (?, ?, 1, ?)",
    )
    .bind(email)
    .bind(user.hyphenated())
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

/// Record a failure and its security event; lock the email when it is the fifth in the window
/// (counting from the last success or the end of the last lock). The failure itself is still
/// answered as one; the attempts after it get `RATE_LIMITED`.
pub async fn failed(
    db: &sqlx::SqlitePool,
    email: &str,
    user: Option<Uuid>,
    reason: &str,
    correlation_id: &CorrelationId,
) -> Result<()> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO login_attempts (email, user_id, succeeded, created_at) VALUES (?, ?, 0, ?)",
    )
    .bind(email)
    .bind(user.map(|u| u.hyphenated()))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM login_attempts WHERE email = ?1 AND succeeded = 0 AND created_at > max(?2, \
           coalesce((SELECT max(created_at) FROM login_attempts WHERE email = ?1 AND succeeded = 1), 0), \
           coalesce((SELECT locked_until FROM login_lockouts WHERE email = ?1), 0))",
    )
    .bind(email)
    .bind(now - WINDOW_MS)
    .fetch_one(&mut *tx)
    .await?;
    let mut event = SecurityEvent::new(SecurityEventKind::LoginFailed, correlation_id)
        .email(email)
        .details(serde_json::json!({ "reason": reason, "failures": failures }));
    if let Some(user) = user {
        event = event.user(user);
    }
    event.record(&mut *tx).await?;
    let lock = failures >= MAX_FAILURES;
    if lock {
        sqlx::query(
            "INSERT INTO login_lockouts (email, locked_at, locked_until) VALUES (?, ?, ?) \
             ON CONFLICT (email) DO UPDATE SET locked_at = excluded.locked_at, locked_until = excluded.locked_until",
        )
        .bind(email)
        .bind(now)
        .bind(now + LOCK_MS)
        .execute(&mut *tx)
        .await?;
        let mut event = SecurityEvent::new(SecurityEventKind::AccountLocked, correlation_id)
            .email(email)
            .details(serde_json::json!({ "failures": failures, "locked_for_ms": LOCK_MS }));
        if let Some(user) = user {
            event = event.user(user);
        }
        event.record(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
