//! Lockout: 5 failed attempts within 15 minutes lock the email for 15 minutes.
//!
//! Every check of a secret (the sign-in password, a 2FA code at sign-in, the password that
//! confirms disabling 2FA, new backup codes or a password change) is an [`Attempt`]. The
//! attempt is counted, in a write transaction, **before** the secret is checked, and refused
//! when the email already has 5 failures (settled or still being checked) in the window. So a
//! burst of parallel guesses gets at most 5 checks, however the requests interleave; the slow
//! password hash never runs for the rest.
//!
//! Attempts are keyed by the normalised email, known or not, so a locked unknown email answers
//! exactly like a locked account: nothing tells whether an account exists.

use uuid::Uuid;

use crate::clock::{minutes, now_ms};
use crate::db;
use crate::error::{Error, Result};
use crate::middleware::CorrelationId;
use crate::security::{SecurityEvent, SecurityEventKind};

/// Failures that lock an email.
pub const MAX_FAILURES: i64 = 5;
/// Window in which they count.
pub const WINDOW_MS: i64 = minutes(15);
/// How long the lock lasts.
pub const LOCK_MS: i64 = minutes(15);

/// Failures of `$1` counted against the limit: those in the window (`$2` is its start) after
/// the last success and after the end of the last lock. An attempt still being checked is
/// stored as a failure until it succeeds, so it counts too.
const FAILURES: &str = "SELECT count(*) FROM login_attempts WHERE email = $1 AND succeeded = FALSE \
       AND created_at > $2 \
       AND created_at > coalesce((SELECT max(created_at) FROM login_attempts WHERE email = $1 AND succeeded = TRUE), 0) \
       AND created_at > coalesce((SELECT locked_until FROM login_lockouts WHERE email = $1), 0)";

/// One counted check of a secret for an email. Settle it with [`Attempt::succeeded`] or
/// [`Attempt::failed`]; an attempt never settled (an error on the way) stays a failure.
#[derive(Debug)]
#[must_use = "settle the attempt once the secret is checked"]
pub struct Attempt {
    id: i64,
    email: String,
}

/// Count an attempt for `email`, or refuse it with `RATE_LIMITED` (and `retry_after`) when the
/// email is locked or already has [`MAX_FAILURES`] failures in the window. Call it before the
/// secret is checked.
pub async fn attempt(db: &sqlx::AnyPool, email: &str, user: Option<Uuid>) -> Result<Attempt> {
    let now = now_ms();
    let mut tx = db::write_transaction(db).await?;
    let until: Option<i64> = sqlx::query_scalar(
        "SELECT locked_until FROM login_lockouts WHERE email = $1 AND locked_until > $2",
    )
    .bind(email)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(until) = until {
        return Err(locked(until - now));
    }
    let failures: i64 = sqlx::query_scalar(FAILURES)
        .bind(email)
        .bind(now - WINDOW_MS)
        .fetch_one(&mut *tx)
        .await?;
    if failures >= MAX_FAILURES {
        // The limit is reached by attempts still being checked: their failure will set the
        // lock; until then, refuse for as long as a lock would last.
        return Err(locked(LOCK_MS));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO login_attempts (email, user_id, succeeded, created_at) VALUES ($1, $2, FALSE, $3) RETURNING id",
    )
    .bind(email)
    .bind(user.map(|u| u.hyphenated().to_string()))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Attempt {
        id,
        email: email.to_owned(),
    })
}

fn locked(remaining_ms: i64) -> Error {
    let retry_after = u64::try_from((remaining_ms + 999) / 1000)
        .unwrap_or(1)
        .max(1);
    Error::RateLimited {
        message: "too many failed attempts; try again later".into(),
        retry_after,
    }
}

impl Attempt {
    /// The secret was right: the attempt counts as a success, which ends the run of failures.
    pub async fn succeeded(self, db: &sqlx::AnyPool, user: Uuid) -> Result<()> {
        sqlx::query("UPDATE login_attempts SET succeeded = TRUE, user_id = $1 WHERE id = $2")
            .bind(user.hyphenated().to_string())
            .bind(self.id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// The password was right but a 2FA code is still owed: the attempt is withdrawn, so it
    /// neither fails nor ends the run of failures (which would reset the count of wrong codes).
    pub async fn first_factor_passed(self, db: &sqlx::AnyPool) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE id = $1")
            .bind(self.id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// The secret was wrong: record the security event, and lock the email when this is the
    /// fifth failure in the window. The failure itself is still answered as one; the attempts
    /// after it get `RATE_LIMITED`.
    pub async fn failed(
        self,
        db: &sqlx::AnyPool,
        user: Option<Uuid>,
        reason: &str,
        correlation_id: &CorrelationId,
    ) -> Result<()> {
        let now = now_ms();
        let email = self.email.as_str();
        let mut tx = db::write_transaction(db).await?;
        let failures: i64 = sqlx::query_scalar(FAILURES)
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
        let crate::db::stored::Flag(already_locked) = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM login_lockouts WHERE email = $1 AND locked_until > $2)",
        )
        .bind(email)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if failures >= MAX_FAILURES && !already_locked {
            sqlx::query(
                "INSERT INTO login_lockouts (email, locked_at, locked_until) VALUES ($1, $2, $3) \
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
}
