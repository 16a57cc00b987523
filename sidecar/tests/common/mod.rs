//! Helpers shared by the sidecar's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use rpma_sidecar::{AppState, Config};
use serde_json::Value;
use sqlx::SqlitePool;
use tower::ServiceExt;

/// A config whose data dir is a fresh temporary folder (kept alive by the returned guard).
pub fn config() -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (Config::with_data_dir(dir.path()), dir)
}

/// The app over a test pool, with the default config.
pub fn app(pool: SqlitePool) -> Router {
    let (config, _dir) = config();
    rpma_sidecar::app(AppState::new(pool, config).expect("state"))
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (panics with the body text when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Header value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Assert the error envelope with this status and code; returns `error` for more checks.
    pub fn assert_error(&self, status: StatusCode, code: &str) -> Value {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        let body = self.json();
        assert_eq!(body["success"], false, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        let message = body["error"]["message"]
            .as_str()
            .expect("message is a string");
        assert!(!message.is_empty(), "{body}");
        assert_eq!(
            body.as_object().map(|o| o.len()),
            Some(2),
            "only success and error: {body}"
        );
        body["error"].clone()
    }

    /// Assert a success envelope with this status; returns `data`.
    pub fn assert_ok(&self, status: StatusCode) -> Value {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        let body = self.json();
        assert_eq!(body["success"], true, "{body}");
        body["data"].clone()
    }
}

/// Send one request through the router.
pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("router is infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes().to_vec();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// `GET path`.
pub async fn get(app: &Router, path: &str) -> Reply {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}
