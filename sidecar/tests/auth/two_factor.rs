//! Two-factor sign-in: TOTP set-up, codes, backup codes, disabling, and the lockout.

use axum::http::StatusCode;
use serde_json::json;

use super::{me, security_events};
use crate::common::{self, PASSWORD, call, sign_in};

/// Enable 2FA for an account; returns the secret (raw bytes) and the backup codes.
async fn enable_2fa(
    app: &common::TestApp,
    account: &common::Account,
) -> (totp_rs::Totp, Vec<String>) {
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
    let totp = totp_rs::Totp::from_url(url).unwrap();
    assert_eq!(totp.secret().to_base32(), setup["secret"].as_str().unwrap());
    assert_eq!((totp.digits(), totp.step()), (6, 30));

    // The stored secret is encrypted, not the raw bytes.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT two_factor_secret FROM users WHERE id = $1")
        .bind(&account.id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(
        !stored
            .windows(totp.secret().as_bytes().len())
            .any(|w| w == totp.secret().as_bytes())
    );

    // A wrong code does not enable it.
    let wrong = json!({ "code": if totp.generate_current().to_string() == "000000" { "111111" } else { "000000" } });
    let error = call(
        app,
        "POST",
        "/api/v1/auth/2fa/confirm",
        Some(&account.token),
        Some(wrong),
    )
    .await;
    error.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let code = json!({ "code": totp.generate_current().to_string() });
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
fn next_code(totp: &totp_rs::Totp) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30).to_string()
}

async fn challenge(app: &axum::Router, email: &str) -> String {
    let data = sign_in(app, email, PASSWORD)
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

#[tokio::test]
async fn totp_login_with_a_code_computed_here() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn backup_codes_work_once_and_regenerate() {
    let (pool, _db) = crate::common::database().await;
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
    assert_eq!(security_events(&pool, "backup_code_used").await.len(), 1);

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

#[tokio::test]
async fn disabling_2fa_needs_the_password() {
    let (pool, _db) = crate::common::database().await;
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
    let data = sign_in(&app, &admin.email, PASSWORD)
        .await
        .assert_ok(StatusCode::OK);
    assert!(
        data["access_token"].is_string(),
        "plain login again: {data}"
    );
}

#[tokio::test]
async fn a_challenge_takes_three_codes_and_wrong_codes_count_towards_the_lockout() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (totp, _) = enable_2fa(&app, &admin).await;
    let token = challenge(&app, &admin.email).await;
    for _ in 0..3 {
        second_step(&app, &token, "aaaaa-bbbbb")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    // The fourth code on the same challenge is refused, even the right one.
    let refused = second_step(&app, &token, &next_code(&totp)).await;
    let error = refused.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert!(
        error["message"].as_str().unwrap().contains("challenge"),
        "{error}"
    );
    // A new challenge (the password is right) takes two more wrong codes: five failures lock.
    let token = challenge(&app, &admin.email).await;
    for _ in 0..2 {
        second_step(&app, &token, "aaaaa-bbbbb")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
    second_step(&app, &token, &next_code(&totp))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    sign_in(&app, &admin.email, PASSWORD)
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
}

#[tokio::test]
async fn a_challenge_signs_in_once() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let (_, backup_codes) = enable_2fa(&app, &admin).await;
    let token = challenge(&app, &admin.email).await;
    // Two right codes sent at once with one challenge: one session, not two.
    let (first, second) = tokio::join!(
        second_step(&app, &token, &backup_codes[0]),
        second_step(&app, &token, &backup_codes[1]),
    );
    let statuses = [first.status, second.status];
    assert!(
        statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    // And after it, the challenge is spent.
    second_step(&app, &token, &backup_codes[2])
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}
