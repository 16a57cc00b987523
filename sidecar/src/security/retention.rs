//! Retention: the tables that grow with every sign-in attempt (anyone can make those, with any
//! email) keep a bounded number of rows, so neither disk nor the audit log's queries grow
//! without limit under a guessing attack.
//!
//! | table | kept |
//! |---|---|
//! | `login_attempts` | 30 days, at most 100,000 rows (the lockout needs 15 minutes) |
//! | `login_lockouts` | until a day after the lock ended |
//! | `security_events` | 365 days; `login_failed` 90 days and at most 100,000 rows |
//! | `two_factor_challenges`, `stream_tickets` | an hour after they expired |
//! | `refresh_tokens` | until they expired; a replaced one's sealed replacement for a minute |
//!
//! [`run`] sweeps at start and every hour.

use std::time::Duration;

use crate::clock::{days, now_ms};
use crate::db;

/// How often the sweep runs.
pub const EVERY: Duration = Duration::from_secs(60 * 60);
/// The most rows kept of attempts, and of failed sign-in events.
pub const MAX_ROWS: i64 = 100_000;

/// Rows deleted by one sweep, by table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// `login_attempts`.
    pub attempts: u64,
    /// `security_events`.
    pub events: u64,
    /// Lockouts, challenges, tickets and refresh tokens together.
    pub expired: u64,
}

/// Delete what the rules above no longer keep, as of `now` (epoch ms), in one transaction.
pub async fn sweep(pool: &sqlx::AnyPool, now: i64) -> Result<Swept, sqlx::Error> {
    let mut tx = db::write_transaction(pool).await?;
    let mut swept = Swept::default();
    let hour = 60 * 60 * 1000;
    for (sql, cutoff) in [
        (
            "DELETE FROM login_attempts WHERE created_at < $1",
            now - days(30),
        ),
        (
            "DELETE FROM login_attempts WHERE id <= (SELECT id FROM login_attempts ORDER BY id DESC LIMIT 1 OFFSET $1)",
            MAX_ROWS,
        ),
    ] {
        swept.attempts += sqlx::query(sql)
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    for (sql, cutoff) in [
        (
            "DELETE FROM security_events WHERE created_at < $1",
            now - days(365),
        ),
        (
            "DELETE FROM security_events WHERE kind = 'login_failed' AND created_at < $1",
            now - days(90),
        ),
        (
            "DELETE FROM security_events WHERE kind = 'login_failed' AND created_at <= \
             (SELECT created_at FROM security_events WHERE kind = 'login_failed' \
              ORDER BY created_at DESC LIMIT 1 OFFSET $1)",
            MAX_ROWS,
        ),
    ] {
        swept.events += sqlx::query(sql)
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    for (sql, cutoff) in [
        (
            "DELETE FROM login_lockouts WHERE locked_until < $1",
            now - days(1),
        ),
        (
            "DELETE FROM two_factor_challenges WHERE expires_at < $1",
            now - hour,
        ),
        (
            "DELETE FROM stream_tickets WHERE expires_at < $1",
            now - hour,
        ),
        ("DELETE FROM refresh_tokens WHERE expires_at < $1", now),
        // A replaced token's replacement is kept sealed for its grace only.
        (
            "UPDATE refresh_tokens SET replacement_sealed = NULL \
             WHERE replacement_sealed IS NOT NULL AND used_at < $1",
            now - 60_000,
        ),
    ] {
        swept.expired += sqlx::query(sql)
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(swept)
}

/// Sweep now and every [`EVERY`], for as long as the process runs. A failed sweep is logged and
/// tried again at the next one.
pub async fn run(pool: sqlx::AnyPool) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        match sweep(&pool, now_ms()).await {
            Ok(swept) if swept != Swept::default() => tracing::info!(?swept, "retention sweep"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention sweep failed"),
        }
    }
}
