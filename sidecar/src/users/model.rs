//! What a user is: the API type [`User`] (never with secrets), its database row and columns, the
//! lookup of a live user, and the conflict a duplicate email or username gives.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::AnyExecutor;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Role;
use crate::db::stored::{Millis, OptMillis, StoredId};
use crate::error::{Error, Result};

/// A user as the API shows it (never with secrets).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct User {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Login email, lowercase.
    pub email: String,
    /// Unique handle.
    pub username: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Role.
    pub role: Role,
    /// Phone number.
    pub phone: Option<String>,
    /// Whether the account may sign in (admins can deactivate it).
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_active: bool,
    /// When the account was banned, if it is.
    #[sqlx(try_from = "OptMillis")]
    pub banned_at: Option<DateTime<Utc>>,
    /// Why it was banned.
    pub ban_reason: Option<String>,
    /// Whether sign-in asks for a TOTP code.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub two_factor_enabled: bool,
    /// Last successful sign-in.
    #[sqlx(try_from = "OptMillis")]
    pub last_login_at: Option<DateTime<Utc>>,
    /// Successful sign-ins.
    pub login_count: i64,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

/// The columns of `users` that make a [`User`], for `SELECT {USER_COLUMNS} FROM users u`.
pub const USER_COLUMNS: &str = "u.id, u.email, u.username, u.first_name, u.last_name, u.role, u.phone, \
    u.is_active, u.banned_at, u.ban_reason, u.two_factor_enabled, u.last_login_at, u.login_count, \
    u.created_at, u.updated_at";

impl User {
    /// Whether the account may hold a session.
    pub fn can_sign_in(&self) -> bool {
        self.is_active && self.banned_at.is_none()
    }
}

/// A live (not deleted) user by id.
pub async fn find(db: impl AnyExecutor<'_>, id: Uuid) -> Result<User> {
    let sql =
        format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL");
    sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such user".into()))
}

/// Map a unique-index violation on users to a `CONFLICT` naming the field.
pub fn unique_conflict(error: sqlx::Error) -> Error {
    let message = error
        .as_database_error()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    // SQLite names the column ("UNIQUE constraint failed: users.email"), PostgreSQL the index
    // ("… violates unique constraint \"users_email_live\"").
    let field = if message.contains("users.email") || message.contains("\"users_email") {
        "email"
    } else if message.contains("users.username") || message.contains("\"users_username") {
        "username"
    } else {
        return Error::Database(error);
    };
    Error::Conflict {
        message: format!("a user with this {field} already exists").into(),
        details: Some(serde_json::json!({ field: ["is already taken"] })),
    }
}
