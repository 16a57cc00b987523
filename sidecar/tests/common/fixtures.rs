//! Accounts and the seeded workshop: an admin, then one signed-in account per workshop role.

use axum::Router;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use sqlx::AnyPool;

use super::TestApp;
use super::http::{Reply, call};

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

/// Body of a new account (`POST /auth/bootstrap-admin`, `/auth/signup`, `/users`).
#[derive(Debug, Clone, Serialize)]
pub struct NewAccount {
    pub email: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl NewAccount {
    /// `<name>@example.com`, username `name`, named "Test User", with [`PASSWORD`].
    pub fn named(name: &str) -> Self {
        Self {
            email: format!("{name}@example.com"),
            username: name.to_owned(),
            first_name: "Test".to_owned(),
            last_name: "User".to_owned(),
            password: PASSWORD.to_owned(),
            role: None,
        }
    }

    /// The same account with a role (for `POST /users`).
    pub fn role(mut self, role: &str) -> Self {
        self.role = Some(role.to_owned());
        self
    }

    /// The body as JSON, for tests that then spoil a field.
    pub fn body(&self) -> Value {
        serde_json::to_value(self).expect("an account serialises")
    }
}

/// Body of a new account, as JSON.
pub fn account_body(name: &str) -> Value {
    NewAccount::named(name).body()
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

/// `POST /api/v1/auth/login`, whatever the answer.
pub async fn sign_in(app: &Router, email: &str, password: &str) -> Reply {
    let body = serde_json::to_value(Credentials { email, password }).expect("serialises");
    call(app, "POST", "/api/v1/auth/login", None, Some(body)).await
}

/// Sign in; panics unless it succeeds without 2FA.
pub async fn login(app: &Router, email: &str, password: &str) -> Account {
    let data = sign_in(app, email, password)
        .await
        .assert_ok(StatusCode::OK);
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
    let body = NewAccount::named(name).role(role).body();
    call(app, "POST", "/api/v1/users", Some(&admin.token), Some(body))
        .await
        .assert_ok(StatusCode::CREATED);
    login(app, &format!("{name}@example.com"), PASSWORD).await
}

/// The app with one signed-in account per workshop role: `admin` (the bootstrap admin), then
/// `sup` (supervisor), `tech` (technician) and `viewer`, created in that order.
pub struct Workshop {
    pub app: TestApp,
    pub admin: Account,
    pub supervisor: Account,
    pub technician: Account,
    pub viewer: Account,
}

impl Workshop {
    /// A fresh workshop over a test pool.
    pub async fn new(pool: AnyPool) -> Self {
        let app = super::app(pool);
        let admin = admin(&app).await;
        let supervisor = user(&app, &admin, "sup", "supervisor").await;
        let technician = user(&app, &admin, "tech", "technician").await;
        let viewer = user(&app, &admin, "viewer", "viewer").await;
        Self {
            app,
            admin,
            supervisor,
            technician,
            viewer,
        }
    }
}
