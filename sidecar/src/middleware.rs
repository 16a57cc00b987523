//! Layers every request passes through: correlation id and request log, the envelope for
//! errors produced outside handlers, the request timeout, panics, CORS and compression.

use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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
pub struct CorrelationId(pub Arc<str>);

/// Accept the caller's correlation id when it is short and plain (it ends up in logs), or make one.
fn correlation_id(request: &Request) -> Arc<str> {
    request
        .headers()
        .get(&CORRELATION_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(Arc::from)
        .unwrap_or_else(|| Arc::from(Uuid::new_v4().to_string()))
}

/// Assign the correlation id, run the request in its span, make sure an error response carries
/// the envelope, log one line with method, path, status and latency, and echo the id.
pub async fn request_context(mut request: Request, next: Next) -> Response {
    let id = correlation_id(&request);
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        correlation_id = %id,
    );
    request.extensions_mut().insert(CorrelationId(id.clone()));
    let started = Instant::now();
    let response = ensure_envelope(next.run(request).instrument(span.clone()).await);

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
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(CORRELATION_ID, value);
    }
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

/// Answer `TIMEOUT` when the handler has not produced a response in time.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let timeout_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
            Error::Timeout { timeout_ms }.into_response()
        }
    }
}

/// The response for a handler that panicked: a generic 500, the panic message goes to the log.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
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
