//! The one error type of the API and the error half of the response envelope.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// `Result` with the API's error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Field name → messages, the `details` of a `VALIDATION_ERROR`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Machine-readable error codes; each has one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// 401: no credentials, or credentials that are not valid.
    AuthError,
    /// 403: authenticated but not allowed.
    AuthorizationError,
    /// 400: the request's body, path or query failed validation (`details`: field → messages).
    ValidationError,
    /// 404: no such resource or route.
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 421: the request's `Host` is not a name this server answers to (a web page reaching
    /// a local server through DNS rebinding).
    HostNotAllowed,
    /// 409: the change conflicts with the current state (duplicate key, stale version).
    Conflict,
    /// 409: the task already has an active intervention.
    InterventionAlreadyActive,
    /// 409: the intervention's state does not allow this operation.
    InterventionInvalidState,
    /// 409: the state machine has no such transition.
    InvalidTransition,
    /// 413: the request body is larger than the server accepts.
    PayloadTooLarge,
    /// 415: the request body is not in a supported content type.
    UnsupportedMediaType,
    /// 429: too many attempts; `details.retry_after` says when to try again (seconds).
    RateLimited,
    /// 503: no desktop shell is attached to this sidecar.
    ShellUnavailable,
    /// 503: the database does not answer.
    DatabaseUnavailable,
    /// 503: the request took longer than the server's request timeout.
    Timeout,
    /// 500: the database failed; the cause is logged, not returned.
    DatabaseError,
    /// 500: an unexpected failure; the cause is logged, not returned.
    InternalError,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> StatusCode {
        match self {
            Self::AuthError => StatusCode::UNAUTHORIZED,
            Self::AuthorizationError => StatusCode::FORBIDDEN,
            Self::ValidationError => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::HostNotAllowed => StatusCode::MISDIRECTED_REQUEST,
            Self::Conflict
            | Self::InterventionAlreadyActive
            | Self::InterventionInvalidState
            | Self::InvalidTransition => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::ShellUnavailable | Self::DatabaseUnavailable | Self::Timeout => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::DatabaseError | Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code that best describes a bare status produced outside a handler (a layer, a router).
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::UNAUTHORIZED => Self::AuthError,
            StatusCode::FORBIDDEN => Self::AuthorizationError,
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::CONFLICT => Self::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            StatusCode::TOO_MANY_REQUESTS => Self::RateLimited,
            StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => Self::Timeout,
            s if s.is_client_error() => Self::ValidationError,
            _ => Self::InternalError,
        }
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Missing or invalid credentials.
    #[error("{0}")]
    Auth(Cow<'static, str>),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(Cow<'static, str>),
    /// Input failed validation; the map says which fields and why.
    #[error("{message}")]
    Validation {
        /// Summary for humans.
        message: Cow<'static, str>,
        /// Field → messages.
        details: FieldErrors,
    },
    /// The resource does not exist (or the caller may not know it exists).
    #[error("{0}")]
    NotFound(Cow<'static, str>),
    /// The route exists, the method does not.
    #[error("method not allowed on this route")]
    MethodNotAllowed,
    /// The `Host` header names another server.
    #[error("this server does not answer to the host `{0}`")]
    HostNotAllowed(String),
    /// A conflicting row or state.
    #[error("{message}")]
    Conflict {
        /// Summary for humans.
        message: Cow<'static, str>,
        /// Which field or key conflicts, when known.
        details: Option<serde_json::Value>,
    },
    /// The task already has an active intervention.
    #[error("{0}")]
    InterventionAlreadyActive(Cow<'static, str>),
    /// The intervention is not in a state that allows the operation.
    #[error("{0}")]
    InterventionInvalidState(Cow<'static, str>),
    /// A state machine refused the transition.
    #[error("cannot go from `{from}` to `{to}`; allowed: {}", if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") })]
    InvalidTransition {
        /// Current state.
        from: String,
        /// Requested state.
        to: String,
        /// The states `from` may move to.
        allowed: Vec<String>,
    },
    /// The body is over the limit.
    #[error("the request body is larger than the server accepts")]
    PayloadTooLarge {
        /// The limit in bytes, when known.
        limit: Option<usize>,
    },
    /// The body's content type is not accepted.
    #[error("{0}")]
    UnsupportedMediaType(Cow<'static, str>),
    /// Too many attempts.
    #[error("{message}")]
    RateLimited {
        /// Summary for humans.
        message: Cow<'static, str>,
        /// Seconds until the caller may try again.
        retry_after: u64,
    },
    /// No desktop shell is attached.
    #[error("{0}")]
    ShellUnavailable(Cow<'static, str>),
    /// The database did not answer in time.
    #[error("the database does not answer")]
    DatabaseUnavailable,
    /// The request ran past the server's timeout.
    #[error("the request took longer than {timeout_ms} ms")]
    Timeout {
        /// The timeout in milliseconds.
        timeout_ms: u64,
    },
    /// A database failure; logged, never shown.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Anything else unexpected; logged, never shown.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// A database too busy to take the query in time: the wait for the writer ran out
/// (`db::WRITE_QUEUE_TIMEOUT`), or another process held SQLite's lock past `busy_timeout`
/// (`SQLITE_BUSY`, `SQLITE_LOCKED`). The client may try again: a 503, not a 500.
fn busy(error: &sqlx::Error) -> bool {
    let code = error
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|c| c.parse::<i32>().ok());
    matches!(error, sqlx::Error::PoolTimedOut) || matches!(code.map(|c| c & 0xff), Some(5 | 6))
}

impl Error {
    /// A `VALIDATION_ERROR` about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let details = FieldErrors::from([(field.into(), vec![message.into()])]);
        Self::Validation {
            message: "the request is not valid".into(),
            details,
        }
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Auth(_) => ErrorCode::AuthError,
            Self::Forbidden(_) => ErrorCode::AuthorizationError,
            Self::Validation { .. } => ErrorCode::ValidationError,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::HostNotAllowed(_) => ErrorCode::HostNotAllowed,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::InterventionAlreadyActive(_) => ErrorCode::InterventionAlreadyActive,
            Self::InterventionInvalidState(_) => ErrorCode::InterventionInvalidState,
            Self::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Self::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::ShellUnavailable(_) => ErrorCode::ShellUnavailable,
            Self::DatabaseUnavailable => ErrorCode::DatabaseUnavailable,
            Self::Timeout { .. } => ErrorCode::Timeout,
            Self::Database(e) if busy(e) => ErrorCode::DatabaseUnavailable,
            Self::Database(_) => ErrorCode::DatabaseError,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    /// The message shown to the caller: 5xx never reveal their cause.
    fn public_message(&self) -> String {
        match self {
            Self::Database(e) if busy(e) => "the database is busy; try again".into(),
            Self::Database(_) => "a database error occurred; it has been logged".into(),
            Self::Internal(_) => "an internal error occurred; it has been logged".into(),
            other => other.to_string(),
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::Validation { details, .. } => serde_json::to_value(details).ok(),
            Self::Conflict { details, .. } => details.clone(),
            Self::InvalidTransition { from, to, allowed } => {
                Some(serde_json::json!({ "from": from, "to": to, "allowed": allowed }))
            }
            Self::PayloadTooLarge { limit: Some(limit) } => {
                Some(serde_json::json!({ "limit": limit }))
            }
            Self::RateLimited { retry_after, .. } => {
                Some(serde_json::json!({ "retry_after": retry_after }))
            }
            _ => None,
        }
    }
}

/// The error half of the envelope: `{"success": false, "error": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// Always `false`.
    pub success: bool,
    /// What went wrong.
    pub error: ErrorBody,
}

/// Code, message and optional details of a failed request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable message.
    pub message: String,
    /// Structured details; for `VALIDATION_ERROR` an object of field → messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

impl ErrorEnvelope {
    /// An envelope for the given code and message.
    pub fn new(
        code: ErrorCode,
        message: impl Into<String>,
        details: Option<serde_json::Value>,
    ) -> Self {
        Self {
            success: false,
            error: ErrorBody {
                code,
                message: message.into(),
                details,
            },
        }
    }

    /// The response for this envelope, with the code's status.
    pub fn into_response_with_cause(self, cause: Option<String>) -> Response {
        let status = self.error.code.status();
        let mut response = (status, axum::Json(self)).into_response();
        response.extensions_mut().insert(Enveloped { cause });
        response
    }
}

/// Marks a response whose body is already an error envelope, and carries the
/// cause of a 5xx for the request log (errors are logged in middleware, not here).
#[derive(Debug, Clone)]
pub struct Enveloped {
    /// Internal cause, logged and never sent.
    pub cause: Option<String>,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let cause = self
            .status_code()
            .is_server_error()
            .then(|| self.to_string());
        let mut response = ErrorEnvelope::new(self.code(), self.public_message(), self.details())
            .into_response_with_cause(cause);
        if let Self::RateLimited { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}
