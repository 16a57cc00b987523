//! Access tokens: missing, malformed, tampered, unsigned, expired or of the wrong kind; and the
//! key that signs them.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rpma_sidecar::auth::Role;
use rpma_sidecar::auth::token::Claims;
use serde_json::{Value, json};

use super::me;
use crate::common::{self, call};

#[tokio::test]
async fn missing_or_malformed_authorization_is_401() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn tampered_token_is_refused() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn alg_none_token_is_refused() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn expired_token_is_refused() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn challenge_token_is_not_an_access_token() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let challenge = app
        .state
        .auth
        .tokens
        .challenge(admin.id.parse().unwrap(), uuid::Uuid::new_v4(), Role::Admin)
        .unwrap();
    me(&app, &challenge)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[tokio::test]
async fn signing_key_is_private_and_survives_a_restart() {
    let (pool, _db) = crate::common::database().await;
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
