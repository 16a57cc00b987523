//! The sign-in lockout: five failures lock an email for fifteen minutes.

use axum::http::StatusCode;

use super::security_events;
use crate::common::{self, PASSWORD, sign_in};

#[tokio::test]
async fn five_failures_lock_the_email_for_fifteen_minutes() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    for _ in 0..5 {
        sign_in(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    // Locked: even the right password is refused, with a retry delay.
    let reply = sign_in(&app, &admin.email, PASSWORD).await;
    let error = reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    let retry = error["details"]["retry_after"].as_u64().unwrap();
    assert!((890..=900).contains(&retry), "{retry}");
    assert_eq!(
        reply.header("retry-after"),
        Some(retry.to_string().as_str())
    );
    assert_eq!(security_events(&pool, "account_locked").await.len(), 1);
    assert_eq!(security_events(&pool, "login_failed").await.len(), 5);

    // An unknown email locks the same way: no account enumeration through the lockout.
    for _ in 0..5 {
        sign_in(&app, "ghost@example.com", "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    sign_in(&app, "ghost@example.com", "Wrong1234")
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");

    // Fifteen minutes later (the lock and the failures aged by that much), sign-in works again,
    // and one new failure does not re-lock.
    let fifteen_min = 15 * 60 * 1000 + 1000;
    sqlx::query(
        "UPDATE login_lockouts SET locked_at = locked_at - $1, locked_until = locked_until - $1",
    )
    .bind(fifteen_min)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE login_attempts SET created_at = created_at - $1")
        .bind(fifteen_min)
        .execute(&pool)
        .await
        .unwrap();
    sign_in(&app, &admin.email, "Wrong1234")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    common::login(&app, &admin.email, PASSWORD).await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    for _ in 0..4 {
        sign_in(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    common::login(&app, &admin.email, PASSWORD).await;
    for _ in 0..4 {
        sign_in(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    common::login(&app, &admin.email, PASSWORD).await;
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_get_at_most_five_checks() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let guesses = (0..40).map(|i| {
        let app = &app;
        let email = admin.email.clone();
        async move { sign_in(app, &email, &format!("Wrong{i:04}")).await }
    });
    let replies = futures_util::future::join_all(guesses).await;
    let checked = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNAUTHORIZED)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(checked + refused, 40, "every other guess is RATE_LIMITED");
    // The audit log agrees: one failure per checked guess, and the email is locked.
    assert_eq!(security_events(&pool, "login_failed").await.len(), checked);
    sign_in(&app, &admin.email, PASSWORD)
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
}

#[tokio::test]
async fn password_confirmations_count_like_sign_ins() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let change = |current: &str| serde_json::json!({ "current_password": current, "new_password": "Another1234" });
    for _ in 0..5 {
        common::call(
            &app,
            "PUT",
            "/api/v1/me/password",
            Some(&admin.token),
            Some(change("Wrong1234")),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
    // A stolen token cannot go on guessing: the right password is refused too, and so is a
    // sign-in with it.
    common::call(
        &app,
        "PUT",
        "/api/v1/me/password",
        Some(&admin.token),
        Some(change(PASSWORD)),
    )
    .await
    .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    sign_in(&app, &admin.email, PASSWORD)
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
}
