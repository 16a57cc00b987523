//! Argon2id password hashing, off the async threads.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::error::{Error, Result};

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
    tokio::task::spawn_blocking(move || {
        // A fresh 16-byte salt from the OS for every hash.
        argon2()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?
}

/// Check a password against a stored hash; with `None`, check against a dummy hash and fail.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
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
    .map_err(|e| Error::Internal(e.into()))?
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
