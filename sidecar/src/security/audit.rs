//! The audit log (stored security events): who signed in, failed, was locked out, changed
//! roles, and so on. Not to be confused with the live bus ([`crate::live`]), which is not stored.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use sqlx::AnyExecutor;

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::clock::now_ms;
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::error::Result;
use crate::extract::Query;
use crate::list::{self, Page};
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::state::AppState;

/// Kinds of security events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum SecurityEventKind {
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    RefreshReuse,
    Logout,
    SessionRevoked,
    TwoFactorEnabled,
    TwoFactorDisabled,
    BackupCodesRegenerated,
    BackupCodeUsed,
    UserCreated,
    UserUpdated,
    RoleChanged,
    UserBanned,
    UserUnbanned,
    UserDeleted,
    PasswordChanged,
    PasswordReset,
    AdminBootstrapped,
    UserSignedUp,
    SettingsChanged,
}

crate::db::stored::text_column!(SecurityEventKind);

/// An event about to be recorded.
#[derive(Debug)]
pub struct SecurityEvent {
    kind: SecurityEventKind,
    user_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    email: Option<String>,
    details: Option<serde_json::Value>,
    correlation_id: Option<String>,
}

impl SecurityEvent {
    /// An event of this kind, in the context of a request.
    pub fn new(kind: SecurityEventKind, correlation_id: &CorrelationId) -> Self {
        Self {
            kind,
            user_id: None,
            actor_id: None,
            email: None,
            details: None,
            correlation_id: Some(correlation_id.as_str().to_owned()),
        }
    }

    /// Whom it is about.
    pub fn user(mut self, id: Uuid) -> Self {
        self.user_id = Some(id);
        self
    }

    /// Who caused it.
    pub fn actor(mut self, id: Uuid) -> Self {
        self.actor_id = Some(id);
        self
    }

    /// The email involved (for attempts on unknown accounts).
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// Structured details.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Append it to the log.
    pub async fn record(self, db: impl AnyExecutor<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO security_events (id, kind, user_id, actor_id, email, details, correlation_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::new_v4().hyphenated().to_string())
        .bind(self.kind)
        .bind(self.user_id.map(|id| id.hyphenated().to_string()))
        .bind(self.actor_id.map(|id| id.hyphenated().to_string()))
        .bind(self.email)
        .bind(self.details.map(|d| d.to_string()))
        .bind(self.correlation_id)
        .bind(now_ms())
        .execute(db)
        .await?;
        Ok(())
    }
}

/// A recorded security event.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct SecurityEventRecord {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// What happened.
    pub kind: SecurityEventKind,
    /// Whom it is about.
    #[sqlx(try_from = "StoredOptId")]
    pub user_id: Option<Uuid>,
    /// Who caused it (absent: not signed in).
    #[sqlx(try_from = "StoredOptId")]
    pub actor_id: Option<Uuid>,
    /// Email involved (sign-in attempts).
    pub email: Option<String>,
    /// Structured details.
    #[schema(value_type = Option<Object>)]
    #[sqlx(try_from = "crate::db::stored::JsonText<Option<serde_json::Value>>")]
    pub details: Option<serde_json::Value>,
    /// Correlation id of the request that caused it.
    pub correlation_id: Option<String>,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Filters and paging of the event log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only this kind.
    pub kind: Option<SecurityEventKind>,
    /// Only events about this user.
    pub user_id: Option<Uuid>,
    /// Only this email.
    #[param(max_length = 254)]
    pub email: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Before this time (RFC 3339).
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// The security event log, newest first (admin).
#[utoipa::path(
    get,
    path = "/security/events",
    params(EventQuery),
    responses((status = 200, description = "A page of events", body = ApiResponse<Page<SecurityEventRecord>>))
)]
pub async fn list_security_events(
    _admin: Authorized<AdminOnly>,
    State(state): State<AppState>,
    Query(query): Query<EventQuery>,
) -> Result<ApiResponse<Page<SecurityEventRecord>>> {
    let (limit, offset) = list::bounds(query.limit, query.offset)?;
    let filter = |q: &mut Sql| {
        q.push(" FROM security_events WHERE TRUE");
        if let Some(kind) = query.kind {
            q.push(" AND kind = ").push_bind(kind);
        }
        if let Some(user) = query.user_id {
            q.push(" AND user_id = ")
                .push_bind(user.hyphenated().to_string());
        }
        if let Some(email) = &query.email {
            q.push(" AND email = ")
                .push_bind(crate::validate::normalize_email(email));
        }
        if let Some(from) = query.from {
            q.push(" AND created_at >= ")
                .push_bind(from.timestamp_millis());
        }
        if let Some(to) = query.to {
            q.push(" AND created_at < ")
                .push_bind(to.timestamp_millis());
        }
    };
    let columns = "id, kind, user_id, actor_id, email, details, correlation_id, created_at";
    let page: Page<SecurityEventRecord> = list::fetch_page(
        &mut *state.db.acquire().await?,
        columns,
        filter,
        "created_at DESC, rowid DESC",
        (limit, offset),
    )
    .await?;
    Ok(ApiResponse::ok(page))
}
