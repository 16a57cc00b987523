//! `GET /api/v1/events`: the Server-Sent Events stream of the live bus, authenticated by header
//! or `?access_token=` (for `EventSource`), each event filtered by what the subscriber may see.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Query;
use crate::state::AppState;

/// A comment line sent this often keeps proxies and clients from timing the stream out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Query of the stream: browsers' `EventSource` cannot send headers, so the access token may
/// come here instead of the `Authorization` header.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Access token, for clients that cannot set `Authorization`.
    #[param(max_length = 4096)]
    pub access_token: Option<String>,
}

/// The subscriber: from the bearer header, or else from `?access_token=`.
pub struct Subscriber(CurrentUser);

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
        // Without a header the query is the credential: a malformed one is no credential.
        let token = query
            .ok()
            .and_then(|Query(query)| query.access_token)
            .ok_or_else(|| {
                Error::Auth(
                    "sign in first: send `Authorization: Bearer` or a valid `?access_token=`"
                        .into(),
                )
            })?;
        CurrentUser::from_access_token(state, &token)
            .await
            .map(Self)
    }
}

/// Live domain events as Server-Sent Events (any signed-in user; each receives only what their
/// role may see: a technician gets only their own tasks' events). The stream ends when the
/// session does (sign-out, ban, revocation) or the server stops.
///
/// Each message is `event: <type>`, `id: <seq>`, `data: <DomainEvent JSON>`. The stream opens
/// with `event: ready`; `event: lagged` (data: how many were missed) means the client fell
/// behind and should refetch. A comment is sent every 15 s to keep the connection alive.
#[utoipa::path(
    get,
    path = "/events",
    params(StreamQuery),
    security(("bearer" = []), ("query_token" = [])),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = crate::live::StreamMessage),
        (status = 401, description = "`AUTH_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn events(
    Subscriber(user): Subscriber,
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = std::result::Result<Event, Infallible>>> {
    let (db, auth, session, id) = (
        state.db.clone(),
        state.auth.clone(),
        user.session_id,
        user.id(),
    );
    let ready =
        futures_util::stream::once(async { Ok(Event::default().event("ready").data("{}")) });
    // Each event is checked against the session as it is now (cached for a few seconds): a
    // signed-out or banned user's stream ends, and a role change applies at once.
    let events = BroadcastStream::new(state.live.subscribe())
        .then(move |message| {
            let (db, auth) = (db.clone(), auth.clone());
            async move {
                let Ok((user, _)) = auth.session_cache.check(&db, session, id).await else {
                    return None;
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
    let stream = ready.chain(events).take_until(state.live.closed());
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
