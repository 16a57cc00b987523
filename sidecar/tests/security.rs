//! Sessions (own, or all for admins) and the security event log.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{PASSWORD, call};
use serde_json::json;

#[tokio::test]
async fn sessions_are_listed_per_user_and_all_for_admins() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let phone = common::login(&app, &tech.email, PASSWORD).await;

    let own = call(
        &app,
        "GET",
        "/api/v1/security/sessions",
        Some(&tech.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(own["total"], 2);
    let current: Vec<bool> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["current"].as_bool().unwrap())
        .collect();
    assert_eq!(current.iter().filter(|c| **c).count(), 1);
    assert!(
        own["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["user_id"] == tech.id.as_str())
    );

    let all = call(
        &app,
        "GET",
        "/api/v1/security/sessions?all=true",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(all["total"], 3);
    let theirs = call(
        &app,
        "GET",
        &format!("/api/v1/security/sessions?user_id={}", tech.id),
        Some(&admin.token),
        None,
    )
    .await;
    assert_eq!(theirs.assert_ok(StatusCode::OK)["total"], 2);
    let peek = format!("/api/v1/security/sessions?user_id={}", admin.id);
    call(&app, "GET", &peek, Some(&tech.token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let _ = phone;
}

#[tokio::test]
async fn revoking_a_session_ends_it_and_others_are_not_yours_to_revoke() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let phone = common::login(&app, &tech.email, PASSWORD).await;
    let sessions = call(
        &app,
        "GET",
        "/api/v1/security/sessions",
        Some(&tech.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let phone_session = sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another user's session is simply not found.
    let admin_sessions = call(
        &app,
        "GET",
        "/api/v1/security/sessions",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let admin_session = admin_sessions["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &app,
        "DELETE",
        &format!("/api/v1/security/sessions/{admin_session}"),
        Some(&tech.token),
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    call(&app, "GET", "/api/v1/auth/me", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);

    let revoked = call(
        &app,
        "DELETE",
        &format!("/api/v1/security/sessions/{phone_session}"),
        Some(&tech.token),
        None,
    )
    .await;
    assert_eq!(revoked.assert_ok(StatusCode::OK)["revoked"], 1);
    call(&app, "GET", "/api/v1/auth/me", Some(&phone.token), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);

    // Admins may end anyone's session.
    let tech_sessions = call(
        &app,
        "GET",
        &format!("/api/v1/security/sessions?user_id={}", tech.id),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let last = tech_sessions["items"][0]["id"].as_str().unwrap();
    call(
        &app,
        "DELETE",
        &format!("/api/v1/security/sessions/{last}"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[tokio::test]
async fn revoke_others_keeps_only_the_calling_session() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let second = common::login(&app, &admin.email, PASSWORD).await;
    let third = common::login(&app, &admin.email, PASSWORD).await;
    let reply = call(
        &app,
        "POST",
        "/api/v1/security/sessions/revoke-others",
        Some(&third.token),
        None,
    )
    .await;
    assert_eq!(reply.assert_ok(StatusCode::OK)["revoked"], 2);
    for token in [&admin.token, &second.token] {
        call(&app, "GET", "/api/v1/auth/me", Some(token), None)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    call(&app, "GET", "/api/v1/auth/me", Some(&third.token), None)
        .await
        .assert_ok(StatusCode::OK);
}

#[tokio::test]
async fn events_record_who_what_and_the_correlation_id() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let request = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-correlation-id", "failed-login-7")
        .body(Body::from(
            json!({ "email": "admin@example.com", "password": "Wrong1234" }).to_string(),
        ))
        .unwrap();
    common::send(&app, request)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    let failed = call(
        &app,
        "GET",
        "/api/v1/security/events?kind=login_failed",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(failed["total"], 1);
    let event = &failed["items"][0];
    assert_eq!(event["email"], "admin@example.com");
    assert_eq!(event["user_id"], admin.id.as_str());
    assert_eq!(event["correlation_id"], "failed-login-7");
    assert_eq!(event["details"]["reason"], "bad_credentials");

    let all = call(
        &app,
        "GET",
        "/api/v1/security/events?limit=2",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(
        all["total"].as_i64().unwrap() >= 3,
        "bootstrap, login, failed login: {all}"
    );
    assert_eq!(all["items"][0]["kind"], "login_failed", "newest first");

    let future = call(
        &app,
        "GET",
        "/api/v1/security/events?from=2999-01-01T00:00:00Z",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(future["total"], 0);
    call(
        &app,
        "GET",
        "/api/v1/security/events?kind=nonsense",
        Some(&admin.token),
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
}

#[tokio::test]
async fn the_sweep_keeps_what_the_retention_rules_keep() {
    let (pool, _db) = common::database().await;
    use rpma_sidecar::clock::{days, now_ms};
    use rpma_sidecar::security::retention::sweep;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    // Real rows first: a failed sign-in, and the admin's own events.
    common::sign_in(&app, "ghost@example.com", "Wrong1234")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let count = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {table}"
            )))
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (attempts, events) = (
        count("login_attempts").await,
        count("security_events").await,
    );
    // Then old rows, as an attack long ago would have left them.
    let now = now_ms();
    for age in [days(31), days(100)] {
        sqlx::query("INSERT INTO login_attempts (email, succeeded, created_at) VALUES ('old@example.com', FALSE, $1)")
            .bind(now - age)
            .execute(&pool)
            .await
            .unwrap();
    }
    for (kind, age) in [
        ("login_failed", days(91)),
        ("logout", days(91)),
        ("logout", days(366)),
    ] {
        sqlx::query("INSERT INTO security_events (id, kind, created_at) VALUES ($1, $2, $3)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(kind)
            .bind(now - age)
            .execute(&pool)
            .await
            .unwrap();
    }
    let swept = sweep(&pool, now).await.unwrap();
    assert_eq!((swept.attempts, swept.events), (2, 2), "{swept:?}");
    assert_eq!(
        count("login_attempts").await,
        attempts,
        "recent attempts stay"
    );
    assert_eq!(
        count("security_events").await,
        events + 1,
        "a 91-day-old logout stays"
    );
    // The admin still signs in: nothing live was swept.
    common::login(&app, &admin.email, PASSWORD).await;

    // A day's guessing with random emails: the newest 100,000 attempts stay.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100010) \
         INSERT INTO login_attempts (email, succeeded, created_at) \
         SELECT 'guess' || i || '@example.com', FALSE, $1 + i FROM n",
    )
    .bind(now - days(1))
    .execute(&pool)
    .await
    .unwrap();
    sweep(&pool, now_ms()).await.unwrap();
    assert_eq!(count("login_attempts").await, 100_000);
    let newest: String =
        sqlx::query_scalar("SELECT email FROM login_attempts ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(newest, "guess100010@example.com");
}
