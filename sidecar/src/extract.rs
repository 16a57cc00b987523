//! Extractors whose rejections are the API's own errors, with field-level details.
//!
//! Use these instead of axum's `Json`, `Path` and `Query` so that a bad body, path or
//! query answers with the envelope and says which field is wrong. `Json` and `Query` also
//! refuse any string longer than the `maxLength` its type declares in the document ([`caps`]).

pub mod caps;

use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, FieldErrors};
use caps::Cap;

/// A JSON request body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    S: Send + Sync,
    T: DeserializeOwned + utoipa::ToSchema + 'static,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::UnsupportedMediaType(
                "expected a JSON body with `Content-Type: application/json`".into(),
            ));
        }
        let limit = req.extensions().get::<BodyLimit>().copied();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| body_error(e, limit))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let mut value = serde_json::Value::deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|e| Error::invalid("body", format!("malformed JSON: {e}")))?;
        let mut too_long = FieldErrors::new();
        Cap::of_body::<T>().check(&value, "", &mut too_long);
        Cap::nul_free(&value, "", &mut too_long);
        if !too_long.is_empty() {
            return Err(Error::Validation {
                message: "the request body is not valid".into(),
                details: too_long,
            });
        }
        whole_numbers_as_integers(&mut value);
        let value = serde_path_to_error::deserialize(value)
            .map_err(|e| deserialize_error("body", e.path().to_string(), e.into_inner()))?;
        Ok(Self(value))
    }
}

/// JSON Schema counts `3.0` as an integer, and the document promises integer fields accept
/// what JSON Schema does: a whole number written with a fraction becomes the integer it is.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 2f64.powi(53)
            {
                // Exact: every whole number below 2^53 is an f64 and an i64.
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The request body limit in effect, put in the request extensions by the app so that
/// extractors can state it in a `PAYLOAD_TOO_LARGE` error.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

fn body_error(rejection: BytesRejection, limit: Option<BodyLimit>) -> Error {
    match rejection {
        BytesRejection::FailedToBufferBody(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Error::PayloadTooLarge {
                limit: limit.map(|BodyLimit(n)| n),
            }
        }
        other => Error::invalid("body", other.body_text()),
    }
}

/// Decode `value`, a part of a request that is typed only once its context is known (a step's
/// `collected_data`, by the step's type), with the same field-level errors as [`Json`]; `root`
/// names the part (`collected_data`), and fields within are named below it.
pub fn from_value<T: DeserializeOwned>(root: &str, value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            root.to_owned()
        } else {
            format!("{root}.{path}")
        };
        deserialize_error(root, path, e.into_inner())
    })
}

/// Turn a serde error into a `VALIDATION_ERROR` keyed by the failing field.
///
/// `missing field` errors name the field in the message, not in the path, so the key is
/// rebuilt from both; syntax errors are keyed by `root` (the whole body or query).
fn deserialize_error<E: std::fmt::Display>(root: &str, path: String, error: E) -> Error {
    let message = error.to_string();
    let parent = if path == "." { String::new() } else { path };
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        Some(missing) if parent.is_empty() => missing.to_owned(),
        Some(missing) => format!("{parent}.{missing}"),
        None if parent.is_empty() => root.to_owned(),
        None => parent,
    };
    Error::Validation {
        message: format!("the request {root} is not valid").into(),
        details: FieldErrors::from([(field, vec![message])]),
    }
}

/// Query-string parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    S: Send + Sync,
    T: DeserializeOwned + utoipa::IntoParams + 'static,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let caps = Cap::of_query::<T>();
        let mut too_long = FieldErrors::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = serde_json::Value::from(value.as_ref());
            if let Some(cap) = caps.field(&name) {
                cap.check(&value, &name, &mut too_long);
            }
            Cap::nul_free(&value, &name, &mut too_long);
        }
        if !too_long.is_empty() {
            return Err(Error::Validation {
                message: "the request query is not valid".into(),
                details: too_long,
            });
        }
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Self)
            .map_err(|e| deserialize_error("query", e.path().to_string(), e.into_inner()))
    }
}

/// Path parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(path_error)
    }
}

fn path_error(rejection: PathRejection) -> Error {
    use axum::extract::path::ErrorKind;
    let PathRejection::FailedToDeserializePathParams(e) = rejection else {
        // Missing params mean the route and the extractor disagree: a bug, not a client error.
        return Error::Internal(anyhow::anyhow!(
            "path extraction failed: {}",
            rejection.body_text()
        ));
    };
    let (field, message) = match e.kind() {
        ErrorKind::ParseErrorAtKey {
            key,
            value,
            expected_type,
        } => (
            key.clone(),
            format!("`{value}` is not a valid {}", short_type(expected_type)),
        ),
        ErrorKind::ParseErrorAtIndex {
            index,
            value,
            expected_type,
        } => (
            index.to_string(),
            format!("`{value}` is not a valid {}", short_type(expected_type)),
        ),
        ErrorKind::ParseError {
            value,
            expected_type,
        } => (
            "path".to_owned(),
            format!("`{value}` is not a valid {}", short_type(expected_type)),
        ),
        ErrorKind::InvalidUtf8InPathParam { key } => (key.clone(), "is not valid UTF-8".to_owned()),
        ErrorKind::DeserializeError {
            key,
            value,
            message,
        } => (key.clone(), format!("`{value}`: {message}")),
        other => ("path".to_owned(), other.to_string()),
    };
    Error::Validation {
        message: "the request path is not valid".into(),
        details: FieldErrors::from([(field, vec![message])]),
    }
}

/// `uuid::Uuid` → `Uuid`: callers need the type's name, not its module path.
fn short_type(type_name: &str) -> &str {
    type_name.rsplit("::").next().unwrap_or(type_name)
}
