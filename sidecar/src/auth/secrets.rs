//! The data dir's master secret and the keys derived from it.
//!
//! One random 32-byte file, `secret.key` (mode 0600), created on first start and reused after:
//! restarts keep sessions and 2FA secrets valid. Each use gets its own key, derived with
//! HMAC-SHA256 under a distinct label, so no key serves two purposes.

use std::io::{Read, Write};
use std::path::Path;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const FILE_NAME: &str = "secret.key";
const LEN: usize = 32;

/// Keys for signing tokens, encrypting TOTP secrets, hashing backup codes and sealing refresh
/// tokens for their grace.
#[derive(Clone)]
pub struct Secrets {
    /// HS256 key of access and challenge tokens.
    pub jwt: [u8; 32],
    /// XChaCha20-Poly1305 key of stored TOTP secrets.
    pub totp: [u8; 32],
    /// HMAC key of stored backup codes.
    pub backup_codes: [u8; 32],
    /// XChaCha20-Poly1305 key of the refresh token kept for a replaced one's grace.
    pub refresh_grace: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

impl Secrets {
    /// Read the data dir's master secret, creating it (0600) if missing.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Self> {
        let master = master_secret(&data_dir.join(FILE_NAME))?;
        Ok(Self {
            jwt: derive(&master, b"rpma jwt hs256"),
            totp: derive(&master, b"rpma totp secret encryption"),
            backup_codes: derive(&master, b"rpma backup code hmac"),
            refresh_grace: derive(&master, b"rpma refresh grace sealing"),
        })
    }
}

/// HMAC-SHA256 of `label` under `key`.
pub fn derive(key: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn master_secret(path: &Path) -> std::io::Result<[u8; LEN]> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::db::files::FILE_MODE);
    match options.open(path) {
        Ok(mut file) => {
            let mut secret = [0u8; LEN];
            rand::rng().fill_bytes(&mut secret);
            file.write_all(&secret)?;
            file.sync_all()?;
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_existing(path),
        Err(e) => Err(e),
    }
}

fn read_existing(path: &Path) -> std::io::Result<[u8; LEN]> {
    crate::db::files::keep_private(path, crate::db::files::FILE_MODE)?;
    let mut secret = [0u8; LEN];
    let mut file = std::fs::File::open(path)?;
    file.read_exact(&mut secret).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("{} is not a {LEN}-byte secret: {e}", path.display()),
        )
    })?;
    Ok(secret)
}
