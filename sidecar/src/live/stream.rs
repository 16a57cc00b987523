//! `GET /api/v1/events`: the Server-Sent Events stream of the live bus, each event filtered by
//! what the subscriber may see; and `POST /api/v1/events/ticket`, the single-use ticket a
//! browser's `EventSource` (which cannot send headers) opens it with.
//!
//! An access token never goes in a URL (URLs end up in logs and history): a page asks for a
//! ticket with its bearer token, then opens `?ticket=` within [`TICKET_TTL_MS`]. The ticket
//! works once. The stream ends when the session ends (checked at every event and every
//! [`KEEP_ALIVE`]) or when the access token that asked for it expires.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::auth::token::{new_opaque_token, opaque_token_hash};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Query;
use crate::response::ApiResponse;
use crate::state::AppState;

/// A comment line sent this often keeps proxies and clients from timing the stream out; the
/// session is checked as often.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a ticket waits to be used.
pub const TICKET_TTL_MS: i64 = 30_000;

/// Query of the stream.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// A ticket from `POST /events/ticket`, for clients that cannot set `Authorization`.
    #[param(max_length = 256)]
    pub ticket: Option<String>,
}

/// A single-use ticket that opens the event stream.
#[derive(Debug, Serialize, ToSchema)]
pub struct StreamTicket {
    /// Pass as `GET /events?ticket=`; works once.
    pub ticket: String,
    /// Seconds left to use it.
    pub expires_in: i64,
}

/// A ticket for `GET /events?ticket=` (any signed-in user): valid once, for 30 seconds. The
/// stream it opens ends when this session ends or the access token used here expires.
#[utoipa::path(
    post,
    path = "/events/ticket",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket", body = ApiResponse<StreamTicket>),
        (status = 401, description = "`AUTH_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn ticket(
    caller: CurrentUser,
    State(state): State<AppState>,
) -> Result<ApiResponse<StreamTicket>> {
    let ticket = new_opaque_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO stream_tickets (ticket_hash, user_id, session_id, created_at, expires_at, stream_until) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(opaque_token_hash(&ticket))
    .bind(caller.id().hyphenated().to_string())
    .bind(caller.session_id.hyphenated().to_string())
    .bind(now)
    .bind(now + TICKET_TTL_MS)
    .bind(caller.token_expires_at.saturating_mul(1000))
    .execute(&state.writer)
    .await?;
    Ok(ApiResponse::ok(StreamTicket {
        ticket,
        expires_in: TICKET_TTL_MS / 1000,
    }))
}

/// The subscriber: from the bearer header, or else from `?ticket=`. Its stream ends when its
/// `token_expires_at` comes (for a ticket, that of the token that asked for it).
pub struct Subscriber(CurrentUser);

fn no_ticket() -> Error {
    Error::Auth("the ticket is not valid; ask POST /events/ticket for a new one".into())
}

impl FromRequestParts<AppState> for Subscriber {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        // Parsed either way, so its length cap holds with a header too.
        let query = Query::<StreamQuery>::from_request_parts(parts, state).await;
        if parts.headers.contains_key(AUTHORIZATION) {
            query?;
            return CurrentUser::from_request_parts(parts, state)
                .await
                .map(Self);
        }
        // Without a header the ticket is the credential: a malformed one is no credential.
        let ticket = query
            .ok()
            .and_then(|Query(query)| query.ticket)
            .ok_or_else(|| {
                Error::Auth("sign in first: send `Authorization: Bearer` or `?ticket=`".into())
            })?;
        let now = now_ms();
        // Spent by the read that finds it: a second use finds nothing.
        let found: Option<(
            crate::db::stored::StoredId,
            crate::db::stored::StoredId,
            i64,
        )> = sqlx::query_as(
            "UPDATE stream_tickets SET used_at = $1 \
             WHERE ticket_hash = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING user_id, session_id, stream_until",
        )
        .bind(now)
        .bind(opaque_token_hash(&ticket))
        .bind(now)
        .fetch_optional(&state.writer)
        .await?;
        let (user, session, until) = found.ok_or_else(no_ticket)?;
        let (user, session) = (user.into_uuid()?, session.into_uuid()?);
        let (user, versions) = state
            .auth
            .session_cache
            .check(state, &state.db, session, user)
            .await?;
        let subscriber = CurrentUser {
            user,
            session_id: session,
            versions,
            token_expires_at: until / 1000,
        };
        Ok(Self(subscriber))
    }
}

/// Live domain events as Server-Sent Events (any signed-in user; each receives only what their
/// role may see: a technician gets only their own tasks' events). Opened with
/// `Authorization: Bearer` or a `?ticket=` from `POST /events/ticket`. The stream ends when the
/// session does (sign-out, ban, revocation), the access token expires, or the server stops.
///
/// Each message is `event: <type>`, `id: <seq>`, `data: <DomainEvent JSON>`. The stream opens
/// with `event: ready`; `event: lagged` (data: how many were missed) means the client fell
/// behind and should refetch. A comment is sent every 15 s to keep the connection alive.
#[utoipa::path(
    get,
    path = "/events",
    params(StreamQuery),
    security(("bearer" = []), ("stream_ticket" = [])),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = crate::live::StreamMessage),
        (status = 401, description = "`AUTH_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn events(
    Subscriber(user): Subscriber,
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = std::result::Result<Event, Infallible>>> {
    let (session, id) = (user.session_id, user.id());
    let ready =
        futures_util::stream::once(async { Ok(Event::default().event("ready").data("{}")) });
    // Each event is checked against the session as it is now (cached for a few seconds): a
    // signed-out or banned user's stream ends, and a role change applies at once.
    // A tick between events checks the session too, so a quiet stream ends with its session.
    let ticks = IntervalStream::new(tokio::time::interval(KEEP_ALIVE)).map(|_| None);
    let messages = BroadcastStream::new(state.live.subscribe()).map(Some);
    let shared = state.clone();
    let events = futures_util::stream::select(messages, ticks)
        .then(move |message| {
            let state = shared.clone();
            async move {
                let checked = state
                    .auth
                    .session_cache
                    .check(&state, &state.db, session, id);
                let Ok((user, _)) = checked.await else {
                    return None;
                };
                let Some(message) = message else {
                    return Some(None); // a tick: the session is live, nothing to send
                };
                Some(match message {
                    Ok(event) if event.audience.admits(user.role, id) => Event::default()
                        .event(event.kind.as_str())
                        .id(event.seq.to_string())
                        .json_data(&*event)
                        .ok(),
                    Ok(_) => None,
                    Err(BroadcastStreamRecvError::Lagged(missed)) => {
                        Some(Event::default().event("lagged").data(missed.to_string()))
                    }
                })
            }
        })
        .take_while(|live| std::future::ready(live.is_some()))
        .filter_map(|event| std::future::ready(event.flatten().map(Ok)));
    let expired = tokio::time::sleep(Duration::from_millis(
        u64::try_from(user.token_expires_at.saturating_mul(1000) - now_ms()).unwrap_or(0),
    ));
    let stream = ready
        .chain(events)
        .take_until(state.live.closed())
        .take_until(expired);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
