//! Sign-in, tokens, sessions, lockout, 2FA, bootstrap and sign-up.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{PASSWORD, account_body, call};
use rpma_sidecar::auth::Role;
use rpma_sidecar::auth::token::Claims;
use serde_json::{Value, json};
use sqlx::SqlitePool;

async fn me(app: &axum::Router, token: &str) -> common::Reply {
    call(app, "GET", "/api/v1/auth/me", Some(token), None).await
}

async fn login_reply(app: &axum::Router, email: &str, password: &str) -> common::Reply {
    call(
        app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({ "email": email, "password": password })),
    )
    .await
}

async fn events(pool: &SqlitePool, kind: &str) -> Vec<(Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT user_id, details FROM security_events WHERE kind = ? ORDER BY created_at",
    )
    .bind(kind)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn login_returns_tokens_and_me_returns_the_user(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let data = me(&app, &admin.token).await.assert_ok(StatusCode::OK);
    assert_eq!(data["email"], "admin@example.com");
    assert_eq!(data["role"], "admin");
    assert_eq!(data["login_count"], 1);
    assert!(data.get("password_hash").is_none() && !data.to_string().contains("argon2"));

    // Email is case-insensitive; the response carries expires_in and the token type.
    let reply = login_reply(&app, "  ADMIN@Example.com ", PASSWORD).await;
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn wrong_password_and_unknown_email_answer_alike(pool: SqlitePool) {
    let app = common::app(pool);
    common::admin(&app).await;
    let wrong = login_reply(&app, "admin@example.com", "Wrong1234").await;
    let unknown = login_reply(&app, "nobody@example.com", "Wrong1234").await;
    let a = wrong.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let b = unknown.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert_eq!(a, b, "same message, no hint which part was wrong");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn missing_or_malformed_authorization_is_401(pool: SqlitePool) {
    let app = common::app(pool);
    call(&app, "GET", "/api/v1/auth/me", None, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    for header in ["Basic abc", "Bearer", "Bearer not.a.jwt", "Token x"] {
        let request = axum::http::Request::get("/api/v1/auth/me")
            .header("authorization", header)
            .body(axum::body::Body::empty())
            .unwrap();
        common::send(&app, request)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
}

fn split(token: &str) -> (String, String, String) {
    let mut parts = token.split('.').map(str::to_owned);
    (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    )
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn tampered_token_is_refused(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (header, payload, signature) = split(&admin.token);

    // Change the role claim, keep the signature.
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&payload).unwrap()).unwrap();
    claims["role"] = json!("viewer");
    let forged = format!(
        "{header}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    me(&app, &forged)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    // Flip one character of the signature.
    let mut sig = signature.into_bytes();
    sig[5] = if sig[5] == b'A' { b'B' } else { b'A' };
    let forged = format!("{header}.{payload}.{}", String::from_utf8(sig).unwrap());
    me(&app, &forged)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    // A token signed with another key.
    let other = rpma_sidecar::auth::TokenKeys::new(&[9u8; 32]);
    let claims: Claims = serde_json::from_value(claims).unwrap();
    me(&app, &other.sign(&claims).unwrap())
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn alg_none_token_is_refused(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (_, payload, _) = split(&admin.token);
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    for token in [format!("{none}.{payload}."), format!("{none}.{payload}")] {
        me(&app, &token)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn expired_token_is_refused(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (_, payload, _) = split(&admin.token);
    let mut claims: Claims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims.iat -= 3 * 3600;
    claims.exp = claims.iat + 7200;
    let expired = app.state.auth.tokens.sign(&claims).unwrap();
    let error = me(&app, &expired)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert!(
        error["message"].as_str().unwrap().contains("expired"),
        "{error}"
    );
    me(&app, &admin.token).await.assert_ok(StatusCode::OK);
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn challenge_token_is_not_an_access_token(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let challenge = app
        .state
        .auth
        .tokens
        .challenge(admin.id.parse().unwrap(), Role::Admin)
        .unwrap();
    me(&app, &challenge)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn logout_revokes_the_session_at_once(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let other = common::login(&app, &admin.email, PASSWORD).await;
    me(&app, &admin.token).await.assert_ok(StatusCode::OK); // warm the session cache

    call(
        &app,
        "POST",
        "/api/v1/auth/logout",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    me(&app, &admin.token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let refresh = json!({ "refresh_token": admin.refresh_token });
    call(&app, "POST", "/api/v1/auth/refresh", None, Some(refresh))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    me(&app, &other.token).await.assert_ok(StatusCode::OK);

    let (revoked, reason): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT revoked_at, revoke_reason FROM sessions WHERE user_id = ? ORDER BY created_at LIMIT 1")
            .bind(&admin.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(revoked.is_some());
    assert_eq!(reason.as_deref(), Some("logout"));
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn banned_user_loses_sessions_and_cannot_sign_in(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    me(&app, &tech.token).await.assert_ok(StatusCode::OK);

    let path = format!("/api/v1/users/{}/ban", tech.id);
    let banned = call(
        &app,
        "POST",
        &path,
        Some(&admin.token),
        Some(json!({ "reason": "left" })),
    )
    .await;
    assert!(banned.assert_ok(StatusCode::OK)["banned_at"].is_string());
    me(&app, &tech.token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let refresh = json!({ "refresh_token": tech.refresh_token });
    call(&app, "POST", "/api/v1/auth/refresh", None, Some(refresh))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let error = login_reply(&app, &tech.email, PASSWORD)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert!(
        error["message"].as_str().unwrap().contains("disabled"),
        "{error}"
    );

    call(
        &app,
        "POST",
        &format!("/api/v1/users/{}/unban", tech.id),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    common::login(&app, &tech.email, PASSWORD).await;
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn refresh_rotates_and_reuse_revokes_the_session(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let first = json!({ "refresh_token": admin.refresh_token });

    let rotated = call(
        &app,
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(first.clone()),
    )
    .await
    .assert_ok(StatusCode::OK);
    let new_access = rotated["access_token"].as_str().unwrap().to_owned();
    let new_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(new_refresh, admin.refresh_token);
    assert_eq!(rotated["user"]["id"], admin.id.as_str());
    me(&app, &new_access).await.assert_ok(StatusCode::OK);

    // The spent token again: a thief or a replay. The whole session goes.
    call(&app, "POST", "/api/v1/auth/refresh", None, Some(first))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    me(&app, &new_access)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let next = json!({ "refresh_token": new_refresh });
    call(&app, "POST", "/api/v1/auth/refresh", None, Some(next))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");

    let reuse = events(&pool, "refresh_reuse").await;
    assert_eq!(reuse.len(), 1);
    assert_eq!(reuse[0].0.as_deref(), Some(admin.id.as_str()));
    let reason: String = sqlx::query_scalar("SELECT revoke_reason FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reason, "refresh_reuse");

    let unknown = json!({ "refresh_token": "not-a-token" });
    call(&app, "POST", "/api/v1/auth/refresh", None, Some(unknown))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn five_failures_lock_the_email_for_fifteen_minutes(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    for _ in 0..5 {
        login_reply(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    // Locked: even the right password is refused, with a retry delay.
    let reply = login_reply(&app, &admin.email, PASSWORD).await;
    let error = reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    let retry = error["details"]["retry_after"].as_u64().unwrap();
    assert!((890..=900).contains(&retry), "{retry}");
    assert_eq!(
        reply.header("retry-after"),
        Some(retry.to_string().as_str())
    );
    assert_eq!(events(&pool, "account_locked").await.len(), 1);
    assert_eq!(events(&pool, "login_failed").await.len(), 5);

    // An unknown email locks the same way: no account enumeration through the lockout.
    for _ in 0..5 {
        login_reply(&app, "ghost@example.com", "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    login_reply(&app, "ghost@example.com", "Wrong1234")
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");

    // Fifteen minutes later (the lock and the failures aged by that much), sign-in works again,
    // and one new failure does not re-lock.
    let fifteen_min = 15 * 60 * 1000 + 1000;
    sqlx::query(
        "UPDATE login_lockouts SET locked_at = locked_at - ?1, locked_until = locked_until - ?1",
    )
    .bind(fifteen_min)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE login_attempts SET created_at = created_at - ?")
        .bind(fifteen_min)
        .execute(&pool)
        .await
        .unwrap();
    login_reply(&app, &admin.email, "Wrong1234")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    common::login(&app, &admin.email, PASSWORD).await;
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn a_success_resets_the_failure_count(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    for _ in 0..4 {
        login_reply(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    common::login(&app, &admin.email, PASSWORD).await;
    for _ in 0..4 {
        login_reply(&app, &admin.email, "Wrong1234")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    common::login(&app, &admin.email, PASSWORD).await;
}

/// Enable 2FA for an account; returns the secret (raw bytes) and the backup codes.
async fn enable_2fa(
    app: &common::TestApp,
    account: &common::Account,
) -> (totp_rs::TOTP, Vec<String>) {
    let setup = call(
        app,
        "POST",
        "/api/v1/auth/2fa/setup",
        Some(&account.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let url = setup["otpauth_url"].as_str().unwrap();
    assert!(
        url.starts_with("otpauth://totp/RPMA:") && url.contains("issuer=RPMA"),
        "{url}"
    );
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    let totp = totp_rs::TOTP::from_url(url).unwrap();
    assert_eq!(totp.get_secret_base32(), setup["secret"].as_str().unwrap());
    assert_eq!((totp.digits, totp.step), (6, 30));

    // The stored secret is encrypted, not the raw bytes.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT two_factor_secret FROM users WHERE id = ?")
        .bind(&account.id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(
        !stored
            .windows(totp.secret.len())
            .any(|w| w == totp.secret.as_slice())
    );

    // A wrong code does not enable it.
    let wrong = json!({ "code": if totp.generate_current().unwrap() == "000000" { "111111" } else { "000000" } });
    let error = call(
        app,
        "POST",
        "/api/v1/auth/2fa/confirm",
        Some(&account.token),
        Some(wrong),
    )
    .await;
    error.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let code = json!({ "code": totp.generate_current().unwrap() });
    let codes = call(
        app,
        "POST",
        "/api/v1/auth/2fa/confirm",
        Some(&account.token),
        Some(code),
    )
    .await
    .assert_ok(StatusCode::OK);
    let codes: Vec<String> = serde_json::from_value(codes["backup_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    (totp, codes)
}

/// The TOTP code of the next time step (the current one was spent by confirmation).
fn next_code(totp: &totp_rs::TOTP) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30)
}

async fn challenge(app: &axum::Router, email: &str) -> String {
    let data = login_reply(app, email, PASSWORD)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["requires_2fa"], true, "{data}");
    assert!(data.get("access_token").is_none());
    data["challenge_token"].as_str().unwrap().to_owned()
}

async fn second_step(app: &axum::Router, challenge: &str, code: &str) -> common::Reply {
    let body = json!({ "challenge_token": challenge, "code": code });
    call(app, "POST", "/api/v1/auth/login/2fa", None, Some(body)).await
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn totp_login_with_a_code_computed_here(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let (totp, _) = enable_2fa(&app, &admin).await;
    let status = call(
        &app,
        "GET",
        "/api/v1/auth/2fa/status",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        status,
        json!({ "enabled": true, "pending_setup": false, "backup_codes_remaining": 10 })
    );

    let token = challenge(&app, &admin.email).await;
    let code = next_code(&totp);
    let data = second_step(&app, &token, &code)
        .await
        .assert_ok(StatusCode::OK);
    me(&app, data["access_token"].as_str().unwrap())
        .await
        .assert_ok(StatusCode::OK);

    // The same code cannot be replayed, even with a fresh challenge.
    let token = challenge(&app, &admin.email).await;
    second_step(&app, &token, &code)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    // A challenge token is not an access token.
    me(&app, &token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn backup_codes_work_once_and_regenerate(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let (_, codes) = enable_2fa(&app, &admin).await;

    let token = challenge(&app, &admin.email).await;
    second_step(&app, &token, &codes[3].to_uppercase())
        .await
        .assert_ok(StatusCode::OK);
    let token = challenge(&app, &admin.email).await;
    second_step(&app, &token, &codes[3])
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert_eq!(events(&pool, "backup_code_used").await.len(), 1);

    let wrong = json!({ "password": "Wrong1234" });
    call(
        &app,
        "POST",
        "/api/v1/auth/2fa/backup-codes",
        Some(&admin.token),
        Some(wrong),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let right = json!({ "password": PASSWORD });
    let fresh = call(
        &app,
        "POST",
        "/api/v1/auth/2fa/backup-codes",
        Some(&admin.token),
        Some(right),
    )
    .await
    .assert_ok(StatusCode::OK);
    let fresh: Vec<String> = serde_json::from_value(fresh["backup_codes"].clone()).unwrap();
    let token = challenge(&app, &admin.email).await;
    second_step(&app, &token, &codes[4])
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let token = challenge(&app, &admin.email).await;
    second_step(&app, &token, &fresh[0])
        .await
        .assert_ok(StatusCode::OK);
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn disabling_2fa_needs_the_password(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    enable_2fa(&app, &admin).await;
    let wrong = json!({ "password": "Wrong1234" });
    call(
        &app,
        "POST",
        "/api/v1/auth/2fa/disable",
        Some(&admin.token),
        Some(wrong),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let right = json!({ "password": PASSWORD });
    call(
        &app,
        "POST",
        "/api/v1/auth/2fa/disable",
        Some(&admin.token),
        Some(right),
    )
    .await
    .assert_ok(StatusCode::OK);
    let data = login_reply(&app, &admin.email, PASSWORD)
        .await
        .assert_ok(StatusCode::OK);
    assert!(
        data["access_token"].is_string(),
        "plain login again: {data}"
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn wrong_2fa_codes_count_towards_the_lockout(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (totp, _) = enable_2fa(&app, &admin).await;
    let token = challenge(&app, &admin.email).await;
    for _ in 0..5 {
        second_step(&app, &token, "aaaaa-bbbbb")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    second_step(&app, &token, &next_code(&totp))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn bootstrap_makes_exactly_one_admin_under_a_race(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let has = common::get(&app, "/api/v1/auth/has-admins")
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(has["has_admins"], false);

    let calls = (0..4).map(|i| {
        let app = app.router.clone();
        tokio::spawn(async move {
            call(
                &app,
                "POST",
                "/api/v1/auth/bootstrap-admin",
                None,
                Some(account_body(&format!("boss{i}"))),
            )
            .await
        })
    });
    let replies: Vec<common::Reply> = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(
        created,
        1,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        reply.assert_error(StatusCode::CONFLICT, "CONFLICT");
    }
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(admins, 1);
    assert_eq!(
        common::get(&app, "/api/v1/auth/has-admins")
            .await
            .assert_ok(StatusCode::OK)["has_admins"],
        true
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn signup_is_off_until_an_admin_enables_it_and_makes_viewers(pool: SqlitePool) {
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let body = account_body("newbie");
    call(
        &app,
        "POST",
        "/api/v1/auth/signup",
        None,
        Some(body.clone()),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");

    let enable = json!({ "signup_enabled": true });
    let settings = call(
        &app,
        "PATCH",
        "/api/v1/settings",
        Some(&admin.token),
        Some(enable),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(settings["signup_enabled"], true);
    let user = call(
        &app,
        "POST",
        "/api/v1/auth/signup",
        None,
        Some(body.clone()),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(user["role"], "viewer");
    let mut same_email = account_body("other");
    same_email["email"] = body["email"].clone();
    let again = call(&app, "POST", "/api/v1/auth/signup", None, Some(same_email)).await;
    let error = again.assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"], json!({ "email": ["is already taken"] }));
    let mut same_username = account_body("newbie");
    same_username["email"] = json!("different@example.com");
    let again = call(
        &app,
        "POST",
        "/api/v1/auth/signup",
        None,
        Some(same_username),
    )
    .await;
    assert_eq!(
        again.assert_error(StatusCode::CONFLICT, "CONFLICT")["details"],
        json!({ "username": ["is already taken"] })
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn account_validation_names_every_bad_field(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let body = json!({ "email": "no-at-sign", "username": "a b", "first_name": "X", "last_name": "R2D2", "password": "short", "phone": "12" });
    let reply = call(
        &app,
        "POST",
        "/api/v1/auth/bootstrap-admin",
        None,
        Some(body),
    )
    .await;
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let fields: Vec<&String> = error["details"].as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        [
            "email",
            "first_name",
            "last_name",
            "password",
            "phone",
            "username"
        ]
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "nothing written");

    let weak = json!({ "email": "a@example.com", "username": "abc", "first_name": "Ab", "last_name": "Cd", "password": "alllowercase1" });
    let error = call(
        &app,
        "POST",
        "/api/v1/auth/bootstrap-admin",
        None,
        Some(weak),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(
        error["details"]["password"][0],
        "must contain an uppercase letter"
    );
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn signing_key_is_private_and_survives_a_restart(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let key = app.dir.path().join("secret.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let before = std::fs::read(&key).unwrap();

    // A new process state over the same data dir accepts the old token.
    let config = rpma_sidecar::Config::with_data_dir(app.dir.path());
    let restarted = rpma_sidecar::app(rpma_sidecar::AppState::new(pool, config).unwrap());
    me(&restarted, &admin.token).await.assert_ok(StatusCode::OK);
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "the key is reused, not replaced"
    );

    // Another data dir (another key) does not.
    let stranger = common::app(app.state.db.clone());
    me(&stranger, &admin.token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}
