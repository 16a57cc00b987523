//! Layers every request passes through: correlation id and request log, the envelope for
//! errors produced outside handlers, the request timeout, panics, CORS and compression.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;
use uuid::Uuid;

use crate::error::{Enveloped, Error, ErrorCode, ErrorEnvelope};

/// Header carrying the id that ties a request to its log lines and audit rows.
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

/// Origins of the dev server and of the Tauri webview on each platform.
pub const DEFAULT_CORS_ORIGINS: [&str; 5] = [
    "http://localhost:1420",
    "http://127.0.0.1:1420",
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// Bodies smaller than this are sent uncompressed: compressing them costs more than it saves.
const COMPRESS_ABOVE_BYTES: u16 = 1024;

/// The request's correlation id, in the request extensions for handlers that record it.
#[derive(Debug, Clone)]
pub struct CorrelationId(pub HeaderValue);

impl CorrelationId {
    /// The id as text (always ASCII).
    pub fn as_str(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CorrelationId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        // Set by `request_context` for every request; a fresh id covers a router used without it.
        Ok(parts
            .extensions
            .get::<CorrelationId>()
            .cloned()
            .unwrap_or_else(new_correlation_id))
    }
}

fn new_correlation_id() -> CorrelationId {
    let mut buf = Uuid::encode_buffer();
    let id = Uuid::new_v4().hyphenated().encode_lower(&mut buf);
    CorrelationId(HeaderValue::from_str(id).unwrap_or(HeaderValue::from_static("unknown")))
}

/// Accept the caller's correlation id when it is short and plain (it ends up in logs), or make one.
fn correlation_id(request: &Request) -> CorrelationId {
    let given = request.headers().get(&CORRELATION_ID).filter(|v| {
        (1..=128).contains(&v.len())
            && v.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
    });
    given
        .cloned()
        .map(CorrelationId)
        .unwrap_or_else(new_correlation_id)
}

/// What every request goes through, in one layer (each layer costs a clone and a boxed future
/// per request): correlation id, span, timeout, panic capture, the envelope on errors produced
/// outside handlers, one log line with method, path, status and latency, and the echoed id.
pub async fn request_context(
    State(timeout): State<Duration>,
    mut request: Request,
    next: Next,
) -> Response {
    let id = correlation_id(&request);
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        correlation_id = %id.as_str(),
    );
    request.extensions_mut().insert(id.clone());
    let started = Instant::now();
    let handled = AssertUnwindSafe(next.run(request)).catch_unwind();
    let response = match tokio::time::timeout(timeout, handled)
        .instrument(span.clone())
        .await
    {
        Ok(Ok(response)) => ensure_envelope(response),
        Ok(Err(panic)) => panic_response(panic),
        Err(_) => {
            let timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
            Error::Timeout { timeout_ms }.into_response()
        }
    };

    let status = response.status().as_u16();
    let latency_ms = (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let cause = response
        .extensions()
        .get::<Enveloped>()
        .and_then(|e| e.cause.as_deref());
    span.in_scope(|| match cause {
        Some(cause) => tracing::error!(status, latency_ms, cause, "request failed"),
        None if response.status().is_server_error() => {
            tracing::error!(status, latency_ms, "request failed")
        }
        None => tracing::info!(status, latency_ms, "request"),
    });

    let mut response = response;
    response.headers_mut().insert(CORRELATION_ID, id.0);
    response
}

/// Give an error response made by a router or a layer (not by `Error`) the envelope, keeping its
/// status and headers (such as `Allow`).
fn ensure_envelope(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<Enveloped>().is_some()
    {
        return response;
    }
    let (mut parts, _body) = response.into_parts();
    let message = status
        .canonical_reason()
        .unwrap_or("request failed")
        .to_lowercase();
    let mut enveloped = ErrorEnvelope::new(ErrorCode::for_status(status), message, None)
        .into_response_with_cause(None);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.extend(enveloped.headers_mut().drain());
    *enveloped.status_mut() = status;
    let (fresh, body) = enveloped.into_parts();
    parts.extensions.extend(fresh.extensions);
    Response::from_parts(parts, body)
}

/// The response for a handler that panicked: a generic 500, the panic message goes to the log.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_owned());
    Error::Internal(anyhow::anyhow!("handler panicked: {message}")).into_response()
}

/// `404 NOT_FOUND` for a path no route matches.
pub async fn no_route(method: Method, uri: axum::http::Uri) -> Error {
    Error::NotFound(format!("no route for {method} {}", uri.path()).into())
}

/// `405 METHOD_NOT_ALLOWED` for a known path with an unsupported method.
pub async fn wrong_method() -> Error {
    Error::MethodNotAllowed
}

/// CORS for the dev server, the Tauri webview and any `--cors-origin`.
pub fn cors(extra_origins: &[String]) -> CorsLayer {
    let origins = DEFAULT_CORS_ORIGINS
        .iter()
        .copied()
        .chain(extra_origins.iter().map(String::as_str))
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect::<Vec<_>>();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            CORRELATION_ID,
        ])
        .expose_headers([CORRELATION_ID, header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// gzip or brotli, as the client accepts, for bodies over 1 KiB.
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE_BYTES)))
}
