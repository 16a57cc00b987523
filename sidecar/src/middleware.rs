//! Layers every request passes through, built from tower-http's: the correlation id (request
//! id), the request's span and log line (trace), the timeout, panics, CORS and compression; plus
//! the one rule tower-http has no layer for: every error response carries the envelope.

use std::any::Any;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{MakeSpan, OnResponse};
use tracing::Span;
use uuid::Uuid;

use crate::error::{Enveloped, Error, ErrorCode, ErrorEnvelope};
use crate::state::AppState;

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

/// The request's correlation id (tower-http's request id), for handlers that record it.
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
        // Set by the request-id layer for every request; a fresh id covers a router used
        // without it.
        Ok(parts
            .extensions
            .get::<RequestId>()
            .map(|id| CorrelationId(id.header_value().clone()))
            .unwrap_or_else(new_correlation_id))
    }
}

fn new_correlation_id() -> CorrelationId {
    let mut buf = Uuid::encode_buffer();
    let id = Uuid::new_v4().hyphenated().encode_lower(&mut buf);
    CorrelationId(HeaderValue::from_str(id).unwrap_or(HeaderValue::from_static("unknown")))
}

/// A fresh correlation id (a UUID) for a request that brought no usable one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewCorrelationId;

impl MakeRequestId for NewCorrelationId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        Some(RequestId::new(new_correlation_id().0))
    }
}

/// Drop a caller's correlation id unless it is short and plain (it ends up in logs); the
/// request-id layer then makes one.
pub fn drop_unusable_correlation_id(mut request: Request) -> Request {
    let usable = request.headers().get(&CORRELATION_ID).is_none_or(|v| {
        (1..=128).contains(&v.len())
            && v.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
    });
    if !usable {
        request.headers_mut().remove(&CORRELATION_ID);
    }
    request
}

/// The span of a request: method, path and correlation id.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.uri().path(),
            correlation_id = %id,
        )
    }
}

/// One log line a request, in its span: status and latency, and for a failure its logged cause
/// (never in the body).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestLog;

impl OnResponse<Body> for RequestLog {
    fn on_response(self, response: &Response, latency: Duration, _span: &Span) {
        let status = response.status().as_u16();
        let latency_ms = (latency.as_secs_f64() * 1e6).round() / 1e3;
        let cause = response
            .extensions()
            .get::<Enveloped>()
            .and_then(|e| e.cause.as_deref());
        match cause {
            Some(cause) => tracing::error!(status, latency_ms, cause, "request failed"),
            None if response.status().is_server_error() => {
                tracing::error!(status, latency_ms, "request failed")
            }
            None => tracing::info!(status, latency_ms, "request"),
        }
    }
}

/// A response whose body a layer wrapped (the trace's), as a plain [`Body`] again, as the
/// layers outside it (CORS) expect.
pub fn plain_body<B>(response: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    response.map(Body::new)
}

/// The timeout: tower-http's, answering `408`, which [`envelope`] turns into `TIMEOUT`.
pub fn timeout(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit)
}

/// A panicking handler answers a generic 500; the panic message goes to the log.
pub fn catch_panic() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(panic_response as fn(Box<dyn Any + Send + 'static>) -> Response)
}

/// Give an error response made by a router or a layer (not by `Error`) the envelope, keeping its
/// status and headers (such as `Allow`); the timeout's bare `408` becomes `TIMEOUT` (503).
pub fn envelope<B>(limit: Duration) -> impl Fn(axum::http::Response<B>) -> Response + Clone
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    move |response: axum::http::Response<B>| {
        let response = response.map(Body::new);
        if response.status() == StatusCode::REQUEST_TIMEOUT
            && response.extensions().get::<Enveloped>().is_none()
        {
            let timeout_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
            return Error::Timeout { timeout_ms }.into_response();
        }
        ensure_envelope(response)
    }
}

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
        // The page names a downloaded PDF after its `Content-Disposition` (DEV-00001.pdf).
        .expose_headers([
            CORRELATION_ID,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
        ])
        .max_age(Duration::from_secs(600))
}

/// gzip or brotli, as the client accepts, for bodies over 1 KiB.
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE_BYTES)))
}

/// Refuse a request whose `Host` is not a name this server answers to, with `HOST_NOT_ALLOWED`
/// (421). A web page in the user's browser can point a name it controls at 127.0.0.1 (DNS
/// rebinding) and then call this server as its own origin, past CORS; its requests still carry
/// that name in `Host`. Allowed: `localhost`, `127.0.0.1` and `[::1]`, and the listening
/// address, at the listening port; and each `--allowed-host`. Before the server is bound (the
/// app inside tests) the loopback names at any port. A request without `Host` is not from a
/// browser and passes.
pub async fn allowed_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(host) = request.headers().get(header::HOST) {
        let host = host.to_str().unwrap_or_default().to_ascii_lowercase();
        if !host_allowed(&host, state.listening.get(), &state.config.allowed_hosts) {
            return Error::HostNotAllowed(host.chars().take(100).collect()).into_response();
        }
    }
    next.run(request).await
}

fn host_allowed(host: &str, listening: Option<&SocketAddr>, extra: &[String]) -> bool {
    if extra
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
    {
        return true;
    }
    // `name[:port]`, where an IPv6 name is bracketed.
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    let loopback = ["localhost", "127.0.0.1", "[::1]"].contains(&name);
    match listening {
        None => loopback,
        Some(addr) => {
            let own = match addr.ip() {
                std::net::IpAddr::V4(ip) => ip.to_string(),
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            };
            (loopback || name == own) && port == Some(addr.port())
        }
    }
}

#[cfg(test)]
mod host_tests {
    use super::host_allowed;

    #[test]
    fn only_loopback_names_and_the_listening_address_at_its_port() {
        let addr = "127.0.0.1:1430".parse().ok();
        let at = addr.as_ref();
        for host in ["127.0.0.1:1430", "localhost:1430", "[::1]:1430"] {
            assert!(host_allowed(host, at, &[]), "{host}");
        }
        for host in [
            "evil.example:1430",
            "localhost:80",
            "localhost",
            "127.0.0.1:1431",
            "127.0.0.1.evil.example:1430",
            "localhost.:1430",
            "",
        ] {
            assert!(!host_allowed(host, at, &[]), "{host}");
        }
        assert!(host_allowed(
            "rpma.example:1430",
            at,
            &["rpma.example:1430".into()]
        ));
        assert!(host_allowed("localhost:5", None, &[]));
        assert!(!host_allowed("evil.example:5", None, &[]));
        let lan = "192.168.1.5:1430".parse().ok();
        assert!(host_allowed("192.168.1.5:1430", lan.as_ref(), &[]));
    }
}
