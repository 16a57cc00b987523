//! Helpers shared by the sidecar's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use rpma_sidecar::{AppState, Config};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use tower::ServiceExt;

/// A config whose data dir is a fresh temporary folder (kept alive by the returned guard).
pub fn config() -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (Config::with_data_dir(dir.path()), dir)
}

/// The app over a test pool with its state and data dir.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = Router;
    fn deref(&self) -> &Router {
        &self.router
    }
}

/// The app over a test pool, with the default config.
pub fn app(pool: SqlitePool) -> TestApp {
    let (config, dir) = config();
    let state = AppState::new(pool, config).expect("state");
    TestApp {
        router: rpma_sidecar::app(state.clone()),
        state,
        dir,
    }
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
    #[track_caller]
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
    #[track_caller]
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

/// A request with an optional bearer token and JSON body.
pub async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => builder.body(Body::empty()),
    };
    send(app, request.unwrap()).await
}

/// Password used for every test account.
pub const PASSWORD: &str = "Passw0rd!x";

/// A signed-in test account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

/// Body of a new account.
pub fn account_body(name: &str) -> Value {
    json!({
        "email": format!("{name}@example.com"),
        "username": name,
        "first_name": "Test",
        "last_name": "User",
        "password": PASSWORD,
    })
}

/// Sign in; panics unless it succeeds without 2FA.
pub async fn login(app: &Router, email: &str, password: &str) -> Account {
    let reply = call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({ "email": email, "password": password })),
    )
    .await;
    let data = reply.assert_ok(StatusCode::OK);
    Account {
        id: data["user"]["id"].as_str().unwrap().to_owned(),
        email: email.to_owned(),
        token: data["access_token"].as_str().unwrap().to_owned(),
        refresh_token: data["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// Create the first admin and sign in.
pub async fn admin(app: &Router) -> Account {
    let reply = call(
        app,
        "POST",
        "/api/v1/auth/bootstrap-admin",
        None,
        Some(account_body("admin")),
    )
    .await;
    reply.assert_ok(StatusCode::CREATED);
    login(app, "admin@example.com", PASSWORD).await
}

/// Create a user with a role (as `admin`) and sign in as them.
pub async fn user(app: &Router, admin: &Account, name: &str, role: &str) -> Account {
    let mut body = account_body(name);
    body["role"] = json!(role);
    call(app, "POST", "/api/v1/users", Some(&admin.token), Some(body))
        .await
        .assert_ok(StatusCode::CREATED);
    login(app, &format!("{name}@example.com"), PASSWORD).await
}
