//! Argon2id password hashing, off the async threads and under a concurrency cap.
//!
//! Each hash holds 19 MiB for its duration. Without a cap, 64 parallel sign-ins would run 64
//! hashes at once on the blocking pool (over 1 GiB); with it, at most [`MAX_CONCURRENT`] run and
//! the others wait their turn in order, so memory stays bounded whatever the load.

use std::sync::LazyLock;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// Hashes that may run at once: one per core, at most 4 (76 MiB).
pub static MAX_CONCURRENT: LazyLock<usize> = LazyLock::new(|| {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .clamp(1, 4)
});

static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(*MAX_CONCURRENT));

/// Run `work` on the blocking pool once a hashing permit is free (the semaphore is fair).
async fn capped<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let _permit = PERMITS
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(e.into()))?
}

/// OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A well-formed hash with the same parameters that no known password matches: verifying
/// against it takes as long as a real check, so an unknown email cannot be told apart by timing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRmb3JkdW1teQ$2R3Yl4r9qZ2EPDbKMwWfoJ7xdP56LmdS+3pX4xyzY9I";

/// Hash a password into a PHC string.
pub async fn hash(password: String) -> Result<String> {
    capped(move || {
        // A fresh 16-byte salt from the OS for every hash.
        argon2()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
}

/// Check a password against a stored hash; with `None`, check against a dummy hash and fail.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    capped(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&phc).map_err(|e| {
            Error::Internal(anyhow::anyhow!("stored password hash is invalid: {e}"))
        })?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known)
    })
    .await
}

/// Check a signed-in user's password again, to confirm a sensitive change: a counted
/// [`Attempt`](super::lockout::Attempt) like a sign-in, so a stolen access token cannot be used
/// to guess the password either. A wrong password is a `VALIDATION_ERROR` on `field` (the
/// session is fine, the confirmation is not); too many are `RATE_LIMITED`.
pub async fn confirm(
    db: &sqlx::AnyPool,
    user: &crate::users::User,
    given: String,
    field: &str,
    correlation_id: &crate::middleware::CorrelationId,
) -> Result<()> {
    let attempt = super::lockout::attempt(db, &user.email, Some(user.id)).await?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.id.hyphenated().to_string())
        .fetch_one(db)
        .await?;
    if verify(given, Some(hash)).await? {
        attempt.succeeded(db, user.id).await
    } else {
        attempt
            .failed(
                db,
                Some(user.id),
                "bad_password_confirmation",
                correlation_id,
            )
            .await?;
        Err(Error::invalid(field, "is not the account's password"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hash as stored by an earlier release (argon2 0.5): upgrades of the hashing crate must
    /// keep verifying the hashes already in users' databases.
    const STORED: &str = "$argon2id$v=19$m=19456,t=2,p=1$C7Y5C6ZzptP6o4MVWD/Kgg$Zi8AORTwUeOq3x9AXjJxWUWnGZZVRzrz55MoTMeGRhU";

    #[tokio::test]
    async fn stored_hashes_still_verify() -> Result<()> {
        let stored = Some(STORED.to_owned());
        assert!(verify("correct horse battery staple".into(), stored.clone()).await?);
        assert!(!verify("correct horse battery stapler".into(), stored).await?);
        Ok(())
    }

    #[tokio::test]
    async fn new_hashes_are_argon2id_phc_strings_that_verify() -> Result<()> {
        let phc = hash("hunter42".into()).await?;
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("hunter42".into(), Some(phc.clone())).await?);
        assert!(!verify("hunter43".into(), Some(phc)).await?);
        assert!(!verify("hunter42".into(), None).await?);
        Ok(())
    }
}
