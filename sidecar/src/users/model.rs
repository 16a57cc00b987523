//! What a user is: the API type [`User`] (never with secrets), its database row and columns, the
//! lookup of a live user, and the conflict a duplicate email or username gives.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqliteExecutor;
use utoipa::ToSchema;
use uuid::Uuid;
use uuid::fmt::Hyphenated;

use crate::auth::Role;
use crate::clock::to_datetime;
use crate::error::{Error, Result};

/// A user as the API shows it (never with secrets).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    /// Id.
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
    pub is_active: bool,
    /// When the account was banned, if it is.
    pub banned_at: Option<DateTime<Utc>>,
    /// Why it was banned.
    pub ban_reason: Option<String>,
    /// Whether sign-in asks for a TOTP code.
    pub two_factor_enabled: bool,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
    /// Successful sign-ins.
    pub login_count: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The columns of `users` that make a [`User`], for `SELECT {USER_COLUMNS} FROM users u`.
pub const USER_COLUMNS: &str = "u.id, u.email, u.username, u.first_name, u.last_name, u.role, u.phone, \
    u.is_active, u.banned_at, u.ban_reason, u.two_factor_enabled, u.last_login_at, u.login_count, \
    u.created_at, u.updated_at";

/// A `users` row.
#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    id: Hyphenated,
    email: String,
    username: String,
    first_name: String,
    last_name: String,
    role: Role,
    phone: Option<String>,
    is_active: bool,
    banned_at: Option<i64>,
    ban_reason: Option<String>,
    two_factor_enabled: bool,
    last_login_at: Option<i64>,
    login_count: i64,
    created_at: i64,
    updated_at: i64,
}

impl UserRow {
    /// The API view of the row.
    pub fn into_user(self) -> User {
        User {
            id: self.id.into_uuid(),
            email: self.email,
            username: self.username,
            first_name: self.first_name,
            last_name: self.last_name,
            role: self.role,
            phone: self.phone,
            is_active: self.is_active,
            banned_at: self.banned_at.map(to_datetime),
            ban_reason: self.ban_reason,
            two_factor_enabled: self.two_factor_enabled,
            last_login_at: self.last_login_at.map(to_datetime),
            login_count: self.login_count,
            created_at: to_datetime(self.created_at),
            updated_at: to_datetime(self.updated_at),
        }
    }
}

impl User {
    /// Whether the account may hold a session.
    pub fn can_sign_in(&self) -> bool {
        self.is_active && self.banned_at.is_none()
    }
}

/// A live (not deleted) user by id.
pub async fn find(db: impl SqliteExecutor<'_>, id: Uuid) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ? AND u.deleted_at IS NULL");
    sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated())
        .fetch_optional(db)
        .await?
        .map(UserRow::into_user)
        .ok_or_else(|| Error::NotFound("no such user".into()))
}

/// Map a unique-index violation on users to a `CONFLICT` naming the field.
pub fn unique_conflict(error: sqlx::Error) -> Error {
    let message = error
        .as_database_error()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    let field = if message.contains("users.email") {
        "email"
    } else if message.contains("users.username") {
        "username"
    } else {
        return Error::Database(error);
    };
    Error::Conflict {
        message: format!("a user with this {field} already exists").into(),
        details: Some(serde_json::json!({ field: ["is already taken"] })),
    }
}
