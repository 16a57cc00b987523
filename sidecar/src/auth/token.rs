//! Token formats: access tokens (JWT HS256, 2 h), 2FA challenge tokens (JWT, 5 min) and opaque
//! tokens: refresh tokens and event-stream tickets (only their hashes are stored). The routes
//! that use them are in `login`, `refresh` and `live`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Role;
use crate::error::{Error, Result};

/// Lifetime of an access token.
pub const ACCESS_TTL_SECS: i64 = 2 * 60 * 60;
/// Lifetime of a refresh token (and of an idle session).
pub const REFRESH_TTL_SECS: i64 = 7 * 24 * 60 * 60;
/// Time to enter the 2FA code after the password.
pub const CHALLENGE_TTL_SECS: i64 = 5 * 60;

/// What a token is for; a token of one kind is refused where another is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Authenticates API requests.
    Access,
    /// Stands for a correct password while the 2FA code is pending.
    TwoFactorChallenge,
}

/// Claims of RPMA's JWTs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Session id (for challenge tokens, the challenge's id).
    pub sid: Uuid,
    /// Role when the token was issued (authorisation reads the live role).
    pub role: Role,
    /// Token kind.
    pub typ: TokenKind,
    /// Issued at, seconds.
    pub iat: i64,
    /// Expires at, seconds.
    pub exp: i64,
}

/// Signs and checks JWTs with the data dir's HS256 key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    /// Keys from a 32-byte secret.
    pub fn new(secret: &[u8; 32]) -> Self {
        // Only HS256: a token claiming `none` or another algorithm is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        // `from_secret` refuses only an empty key, and a `[u8; 32]` never is.
        Self {
            encoding: EncodingKey::from_secret(secret).unwrap_or_else(|_| unreachable!()),
            decoding: DecodingKey::from_secret(secret).unwrap_or_else(|_| unreachable!()),
            validation,
        }
    }

    /// Sign claims.
    pub fn sign(&self, claims: &Claims) -> Result<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot sign token: {e}")))
    }

    /// An access token for a session; returns the token and its lifetime in seconds.
    pub fn access(&self, user: Uuid, session: Uuid, role: Role) -> Result<(String, i64)> {
        let token = self.sign(&claims(
            user,
            session,
            role,
            TokenKind::Access,
            ACCESS_TTL_SECS,
        ))?;
        Ok((token, ACCESS_TTL_SECS))
    }

    /// A challenge token for a user who gave the right password and owes a 2FA code; `sid` is
    /// the challenge's row (see [`challenge`](super::challenge)).
    pub fn challenge(&self, user: Uuid, challenge: Uuid, role: Role) -> Result<String> {
        self.sign(&claims(
            user,
            challenge,
            role,
            TokenKind::TwoFactorChallenge,
            CHALLENGE_TTL_SECS,
        ))
    }

    /// Check signature, algorithm, expiry and kind.
    pub fn verify(&self, token: &str, kind: TokenKind) -> Result<Claims> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    Error::Auth("the token has expired".into())
                }
                _ => Error::Auth("the token is not valid".into()),
            })?;
        if data.claims.typ != kind {
            return Err(Error::Auth("the token is not valid here".into()));
        }
        Ok(data.claims)
    }
}

fn claims(user: Uuid, session: Uuid, role: Role, typ: TokenKind, ttl: i64) -> Claims {
    let iat = chrono::Utc::now().timestamp();
    Claims {
        sub: user,
        sid: session,
        role,
        typ,
        iat,
        exp: iat + ttl,
    }
}

/// A new opaque token (256 random bits, base64url): refresh tokens and stream tickets.
pub fn new_opaque_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How an opaque token is stored: SHA-256 (it has full entropy, so a fast hash is enough).
pub fn opaque_token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}
