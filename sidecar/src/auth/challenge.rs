//! 2FA challenges: the step between a right password and the code. The challenge token (a
//! JWT, 5 minutes) names a row of `two_factor_challenges` in its `sid` claim; the row makes the
//! token single-use and allows [`MAX_CODES`] codes at most.

use uuid::Uuid;

use crate::auth::Role;
use crate::auth::token::{CHALLENGE_TTL_SECS, Claims, TokenKeys};
use crate::clock::now_ms;
use crate::error::{Error, Result};

/// Codes one challenge token may be used with.
pub const MAX_CODES: i64 = 3;

fn no_longer_valid() -> Error {
    Error::Auth("the challenge is no longer valid; sign in again".into())
}

/// Open a challenge for a user who gave the right password; returns its token.
pub async fn open(
    db: &sqlx::AnyPool,
    tokens: &TokenKeys,
    user: Uuid,
    role: Role,
) -> Result<String> {
    let id = Uuid::new_v4();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO two_factor_challenges (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.hyphenated().to_string())
    .bind(user.hyphenated().to_string())
    .bind(now)
    .bind(now + CHALLENGE_TTL_SECS * 1000)
    .execute(db)
    .await?;
    tokens.challenge(user, id, role)
}

/// Use one of the challenge's codes: `AUTH_ERROR` when it is spent, expired, or out of codes.
/// Call it before the code is checked.
pub async fn take_code(db: &sqlx::AnyPool, claims: &Claims) -> Result<()> {
    let taken = sqlx::query(
        "UPDATE two_factor_challenges SET codes_tried = codes_tried + 1 \
         WHERE id = $1 AND user_id = $2 AND used_at IS NULL AND codes_tried < $3 AND expires_at > $4",
    )
    .bind(claims.sid.hyphenated().to_string())
    .bind(claims.sub.hyphenated().to_string())
    .bind(MAX_CODES)
    .bind(now_ms())
    .execute(db)
    .await?;
    if taken.rows_affected() == 1 {
        Ok(())
    } else {
        Err(no_longer_valid())
    }
}

/// Spend the challenge after a right code; of two right codes sent at once, one signs in.
pub async fn spend(db: &sqlx::AnyPool, claims: &Claims) -> Result<()> {
    let spent = sqlx::query(
        "UPDATE two_factor_challenges SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(claims.sid.hyphenated().to_string())
    .execute(db)
    .await?;
    if spent.rows_affected() == 1 {
        Ok(())
    } else {
        Err(no_longer_valid())
    }
}
