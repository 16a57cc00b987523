//! Creating accounts: shared by bootstrap, sign-up and admin creation.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Role, password};
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::users::model::{User, unique_conflict};
use crate::validate::{self, Checks, normalize_email};

/// A new account's identity and password.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewAccount {
    /// Email used to sign in.
    #[schema(example = "admin@example.com")]
    #[schema(
        max_length = 254,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub email: String,
    /// Unique handle (3–50 letters, digits, `_`, `-`).
    #[schema(example = "admin")]
    #[schema(min_length = 3, max_length = 50, pattern = r"^[A-Za-z0-9_-]{3,50}$")]
    pub username: String,
    /// Given name.
    #[schema(example = "Ada")]
    #[schema(
        min_length = 2,
        max_length = 100,
        pattern = r"^[\p{L}' -]*[\p{L}'-][\p{L}' -]*[\p{L}'-][\p{L}' -]*$"
    )]
    pub first_name: String,
    /// Family name.
    #[schema(example = "Lovelace")]
    #[schema(
        min_length = 2,
        max_length = 100,
        pattern = r"^[\p{L}' -]*[\p{L}'-][\p{L}' -]*[\p{L}'-][\p{L}' -]*$"
    )]
    pub last_name: String,
    /// 8–128 characters with upper, lower and a digit.
    #[schema(example = "Admin1234")]
    #[schema(
        min_length = 8,
        max_length = 128,
        pattern = r"^(?=[\s\S]*\p{Lu})(?=[\s\S]*\p{Ll})(?=[\s\S]*[0-9])"
    )]
    pub password: String,
    /// Phone number.
    #[serde(default)]
    #[schema(min_length = 7, max_length = 20, pattern = r"^[0-9+\-() ]{7,20}$")]
    pub phone: Option<String>,
}

impl NewAccount {
    /// Check every field, reporting all problems at once.
    pub fn validate(&self) -> Result<()> {
        let mut checks = Checks::default();
        checks
            .rule("email", validate::email(&normalize_email(&self.email)))
            .rule("username", validate::username(&self.username))
            .rule("first_name", validate::name(&self.first_name))
            .rule("last_name", validate::name(&self.last_name))
            .rule("password", validate::password(&self.password));
        if let Some(phone) = &self.phone {
            checks.rule("phone", validate::phone(phone));
        }
        checks.finish()
    }
}

/// When an insert may happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertIf {
    /// Always.
    Always,
    /// Only while no live admin exists: checked in the same statement as the insert, so two
    /// concurrent bootstraps make exactly one admin.
    NoAdminExists,
}

/// Validate, hash the password and insert the account with a role.
pub async fn create(
    db: &sqlx::AnyPool,
    account: NewAccount,
    role: Role,
    condition: InsertIf,
) -> Result<User> {
    account.validate()?;
    if matches!(condition, InsertIf::NoAdminExists) && admin_exists(db).await? {
        // Refused before the hash: a stream of bootstrap calls costs a query each, not 19 MiB.
        return Err(admin_already_exists());
    }
    let hash = password::hash(account.password.clone()).await?;
    let id = Uuid::new_v4();
    let now = now_ms();
    let guard = match condition {
        InsertIf::Always => "",
        InsertIf::NoAdminExists => {
            " WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND deleted_at IS NULL)"
        }
    };
    let sql = format!(
        "INSERT INTO users (id, email, username, first_name, last_name, role, phone, password_hash, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10{guard}"
    );
    let inserted = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .bind(normalize_email(&account.email))
        .bind(account.username.trim())
        .bind(account.first_name.trim())
        .bind(account.last_name.trim())
        .bind(role)
        .bind(account.phone.as_deref().map(str::trim))
        .bind(hash)
        .bind(now)
        .bind(now)
        .execute(db)
        .await
        .map_err(unique_conflict)?;
    if inserted.rows_affected() == 0 {
        return Err(admin_already_exists());
    }
    crate::users::find(db, id).await
}

fn admin_already_exists() -> Error {
    Error::Conflict {
        message: "an admin already exists; sign in instead".into(),
        details: None,
    }
}

/// Whether a live admin account exists.
pub async fn admin_exists(db: &sqlx::AnyPool) -> Result<bool> {
    let crate::db::stored::Flag(exists) = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND deleted_at IS NULL)",
    )
    .fetch_one(db)
    .await?;
    Ok(exists)
}
