//! TOTP (RFC 6238: SHA1, 6 digits, 30 s, ±1 step, issuer `RPMA`), secret encryption and
//! backup codes.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use totp_rs::{Algorithm, Builder, Totp};

use crate::error::{Error, Result};

/// Issuer shown by authenticator apps.
pub const ISSUER: &str = "RPMA";
/// Seconds per code.
pub const STEP_SECS: u64 = 30;
/// Backup codes handed out at a time.
pub const BACKUP_CODES: usize = 10;

const SECRET_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;
/// Backup code alphabet: base32 without the easily confused 0/1/8/9.
const BACKUP_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A fresh random TOTP secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// The generator for a secret and an account (the user's email).
pub fn generator(secret: Vec<u8>, account: &str) -> Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot build TOTP: {e}")))
}

/// The `otpauth://` URI that authenticator apps scan.
pub fn otpauth_url(totp: &Totp) -> Result<String> {
    totp.to_url()
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot build the otpauth URI: {e}")))
}

/// The time step a 6-digit code belongs to, if it matches the current step or a neighbour
/// (`check` compares in constant time).
pub fn matching_step(totp: &Totp, code: &str, now_secs: u64) -> Option<i64> {
    totp.check(code, now_secs)
        .and_then(|step| i64::try_from(step).ok())
}

/// Whether a code looks like a TOTP (6 digits) rather than a backup code.
pub fn is_totp_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The QR code of an `otpauth://` URI, as SVG.
pub fn qr_svg(uri: &str) -> Result<String> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot make QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build())
}

/// Encrypt a TOTP secret for storage: nonce || ciphertext.
pub fn encrypt(key: &[u8; 32], secret: &[u8]) -> Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), secret)
        .map_err(|_| Error::Internal(anyhow::anyhow!("cannot encrypt TOTP secret")))?;
    Ok([nonce.as_slice(), &sealed].concat())
}

/// Decrypt a stored TOTP secret.
pub fn decrypt(key: &[u8; 32], stored: &[u8]) -> Result<Vec<u8>> {
    let (nonce, sealed) = stored
        .split_at_checked(NONCE_BYTES)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("stored TOTP secret is truncated")))?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), sealed)
        .map_err(|_| {
            Error::Internal(anyhow::anyhow!(
                "stored TOTP secret does not decrypt (was secret.key replaced?)"
            ))
        })
}

/// Ten new backup codes, `xxxxx-xxxxx` (50 bits each).
pub fn new_backup_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..BACKUP_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| char::from(BACKUP_ALPHABET[(rng.next_u32() % 32) as usize]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// How a backup code is stored: HMAC-SHA256 under a data-dir key, of the code without
/// separators or case, so a leaked database alone cannot be brute-forced.
pub fn backup_code_hash(key: &[u8; 32], code: &str) -> Vec<u8> {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(normalised.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_neighbours_only() -> Result<()> {
        let totp = generator(vec![7u8; 32], "a@b.co")?;
        let now = 1_800_000_000;
        let code = totp.generate(now).to_string();
        assert_eq!(
            matching_step(&totp, &code, now),
            Some((now / STEP_SECS) as i64)
        );
        assert!(
            matching_step(&totp, &code, now + STEP_SECS).is_some(),
            "accepted one step later"
        );
        assert!(
            matching_step(&totp, &code, now + 3 * STEP_SECS).is_none(),
            "expired after the skew"
        );
        assert!(matching_step(&totp, "000000", now).is_none() || code == "000000");
        Ok(())
    }

    #[test]
    fn codes_and_otpauth_uri_are_stable() -> Result<()> {
        // Values from an earlier release: a secret already scanned into an authenticator app
        // must keep producing the same codes, and a new set-up the same URI.
        let totp = generator((1u8..=20).collect(), "ann.o'neil+2fa@example.co")?;
        assert_eq!(totp.generate(1_800_000_000).to_string(), "338677");
        assert_eq!(
            matching_step(&totp, "338677", 1_800_000_000),
            Some(1_800_000_000 / STEP_SECS as i64)
        );
        assert_eq!(
            otpauth_url(&totp)?,
            "otpauth://totp/RPMA:ann.o%27neil%2B2fa%40example.co\
             ?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU&issuer=RPMA"
        );
        Ok(())
    }

    #[test]
    fn secrets_round_trip_and_do_not_decrypt_under_another_key() -> Result<()> {
        let stored = encrypt(&[1; 32], b"top secret")?;
        assert_eq!(decrypt(&[1; 32], &stored)?, b"top secret");
        assert!(decrypt(&[2; 32], &stored).is_err());
        Ok(())
    }

    #[test]
    fn backup_codes_are_distinct_and_hash_ignoring_format() {
        let codes = new_backup_codes();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        assert_eq!(
            backup_code_hash(&[3; 32], "abcde-fghij"),
            backup_code_hash(&[3; 32], " ABCDEFGHIJ")
        );
        assert!(!is_totp_code(&codes[0]));
        assert!(is_totp_code("123456"));
    }
}
