//! Signing in with a password, and what a refused sign-in gives away.

use axum::http::StatusCode;

use super::me;
use crate::common::{self, PASSWORD, sign_in};

#[tokio::test]
async fn login_returns_tokens_and_me_returns_the_user() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let data = me(&app, &admin.token).await.assert_ok(StatusCode::OK);
    assert_eq!(data["email"], "admin@example.com");
    assert_eq!(data["role"], "admin");
    assert_eq!(data["login_count"], 1);
    assert!(data.get("password_hash").is_none() && !data.to_string().contains("argon2"));

    // Email is case-insensitive; the response carries expires_in and the token type.
    let reply = sign_in(&app, "  ADMIN@Example.com ", PASSWORD).await;
    let data = reply.assert_ok(StatusCode::OK);
    assert_eq!(data["expires_in"], 7200);
    assert_eq!(data["token_type"], "Bearer");
    assert_eq!(data["user"]["login_count"], 2);
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 2, "a session row per login");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_alike() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    common::admin(&app).await;
    let wrong = sign_in(&app, "admin@example.com", "Wrong1234").await;
    let unknown = sign_in(&app, "nobody@example.com", "Wrong1234").await;
    let a = wrong.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let b = unknown.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert_eq!(a, b, "same message, no hint which part was wrong");
}
