//! `/security/sessions`: list live sign-in sessions and end them (your own; admins anyone's).
//! Starting and refreshing sessions is the auth area's ([`crate::auth::session`]).

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::session::{self, RevokeReason};
use crate::auth::{CurrentUser, Role};
use crate::clock::now_ms;
use crate::db::stored::{Millis, StoredId};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Path, Query};
use crate::list::{self, Page};
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;

/// A sign-in session.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Session {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Whose session.
    #[sqlx(try_from = "StoredId")]
    pub user_id: Uuid,
    /// Email of that user.
    pub email: String,
    /// Browser or client that opened it.
    pub user_agent: Option<String>,
    /// Opened.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last authenticated request (updated at most every few seconds).
    #[sqlx(try_from = "Millis")]
    pub last_seen_at: DateTime<Utc>,
    /// Ends unless refreshed.
    #[sqlx(try_from = "Millis")]
    pub expires_at: DateTime<Utc>,
    /// Whether this is the session of the request.
    #[sqlx(skip)]
    pub current: bool,
}

/// Which sessions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// Admins: every user's sessions (default: your own).
    pub all: Option<bool>,
    /// Admins: this user's sessions.
    pub user_id: Option<Uuid>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// Live sessions: your own; admins may ask for everyone's or one user's.
#[utoipa::path(
    get,
    path = "/security/sessions",
    params(SessionQuery),
    responses((status = 200, description = "A page of live sessions, newest first", body = ApiResponse<Page<Session>>))
)]
pub async fn list_sessions(
    caller: CurrentUser,
    State(state): State<AppState>,
    Query(query): Query<SessionQuery>,
) -> Result<ApiResponse<Page<Session>>> {
    let (limit, offset) = list::bounds(query.limit, query.offset)?;
    let wants_others = query.all == Some(true) || query.user_id.is_some_and(|id| id != caller.id());
    if wants_others && caller.role() != Role::Admin {
        return Err(Error::Forbidden(
            "only admins may see other users' sessions".into(),
        ));
    }
    let owner = match (query.all, query.user_id) {
        (_, Some(id)) => Some(id),
        (Some(true), None) => None,
        _ => Some(caller.id()),
    };
    let filter = |q: &mut Sql| {
        q.push(" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.revoked_at IS NULL AND s.expires_at > ")
            .push_bind(now_ms());
        if let Some(owner) = owner {
            q.push(" AND s.user_id = ")
                .push_bind(owner.hyphenated().to_string());
        }
    };
    let columns =
        "s.id, s.user_id, u.email, s.user_agent, s.created_at, s.last_seen_at, s.expires_at";
    let page: Page<Session> = list::fetch_page(
        &mut *state.db.acquire().await?,
        columns,
        filter,
        "s.created_at DESC, s.id",
        (limit, offset),
    )
    .await?;
    Ok(ApiResponse::ok(page.map(|session| Session {
        current: session.id == caller.session_id,
        ..session
    })))
}

/// How many sessions ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// Sessions ended by this request.
    pub revoked: u64,
}

/// End a session: one of your own, or (admins) anyone's.
#[utoipa::path(
    delete,
    path = "/security/sessions/{id}",
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session ended", body = ApiResponse<Revoked>),
        (status = 404, description = "`NOT_FOUND`: no such live session (of yours)", body = ErrorEnvelope),
    )
)]
pub async fn revoke_session(
    caller: CurrentUser,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Revoked>> {
    let owner: Option<StoredId> =
        sqlx::query_scalar("SELECT user_id FROM sessions WHERE id = $1 AND revoked_at IS NULL")
            .bind(id.hyphenated().to_string())
            .fetch_optional(&state.db)
            .await?;
    // Someone else's session is "not found" to non-admins: its existence is not theirs to know.
    let owner = owner
        .map(StoredId::into_uuid)
        .transpose()?
        .filter(|owner| *owner == caller.id() || caller.role() == Role::Admin)
        .ok_or_else(|| Error::NotFound("no such session".into()))?;
    let reason = if owner == caller.id() {
        RevokeReason::Revoked
    } else {
        RevokeReason::RevokedByAdmin
    };
    let revoked = u64::from(session::revoke(&state, id, reason).await?);
    SecurityEvent::new(SecurityEventKind::SessionRevoked, &correlation_id)
        .user(owner)
        .actor(caller.id())
        .details(serde_json::json!({ "session_id": id }))
        .record(&state.writer)
        .await?;
    Ok(ApiResponse::ok(Revoked { revoked }))
}

/// End all your sessions except the one making this request.
#[utoipa::path(
    post,
    path = "/security/sessions/revoke-others",
    responses((status = 200, description = "How many sessions ended", body = ApiResponse<Revoked>))
)]
pub async fn revoke_other_sessions(
    caller: CurrentUser,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
) -> Result<ApiResponse<Revoked>> {
    let revoked = session::revoke_all(
        &state,
        caller.id(),
        RevokeReason::OtherSessionsRevoked,
        Some(caller.session_id),
    )
    .await?;
    SecurityEvent::new(SecurityEventKind::SessionRevoked, &correlation_id)
        .user(caller.id())
        .actor(caller.id())
        .details(serde_json::json!({ "others": revoked }))
        .record(&state.writer)
        .await?;
    Ok(ApiResponse::ok(Revoked { revoked }))
}
