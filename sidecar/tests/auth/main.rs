//! Sign-in, tokens, sessions, lockout, 2FA, bootstrap and sign-up.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod lockout;
mod login;
mod sessions;
mod tokens;
mod two_factor;

use axum::Router;
use common::{Reply, call};
use sqlx::AnyPool;

/// `GET /api/v1/auth/me` with this token, whatever the answer.
async fn me(app: &Router, token: &str) -> Reply {
    call(app, "GET", "/api/v1/auth/me", Some(token), None).await
}

/// `(user_id, details)` of each security event of this kind, oldest first.
async fn security_events(pool: &AnyPool, kind: &str) -> Vec<(Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT user_id, details FROM security_events WHERE kind = $1 ORDER BY created_at",
    )
    .bind(kind)
    .fetch_all(pool)
    .await
    .unwrap()
}
