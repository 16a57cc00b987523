//! Sessions: sign-out, bans and refresh-token rotation end them.

use axum::http::StatusCode;
use serde_json::json;

use super::{me, security_events};
use crate::common::{self, PASSWORD, call, sign_in};

#[tokio::test]
async fn logout_revokes_the_session_at_once() {
    let (pool, _db) = crate::common::database().await;
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
        sqlx::query_as("SELECT revoked_at, revoke_reason FROM sessions WHERE user_id = $1 ORDER BY created_at LIMIT 1")
            .bind(&admin.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(revoked.is_some());
    assert_eq!(reason.as_deref(), Some("logout"));
}

#[tokio::test]
async fn banned_user_loses_sessions_and_cannot_sign_in() {
    let (pool, _db) = crate::common::database().await;
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
    let error = sign_in(&app, &tech.email, PASSWORD)
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

#[tokio::test]
async fn refresh_rotates_with_a_grace_and_later_reuse_revokes_the_session() {
    let (pool, _db) = crate::common::database().await;
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

    // A second tab that refreshed with the same token a moment later gets the same new token,
    // and the session lives on.
    let second_tab = call(
        &app,
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(first.clone()),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(second_tab["refresh_token"], new_refresh.as_str());
    me(&app, second_tab["access_token"].as_str().unwrap())
        .await
        .assert_ok(StatusCode::OK);
    assert!(security_events(&pool, "refresh_reuse").await.is_empty());

    // The spent token again after the grace: a thief or a replay. The whole session goes.
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - 31000 WHERE used_at IS NOT NULL")
        .execute(&pool)
        .await
        .unwrap();
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

    let reuse = security_events(&pool, "refresh_reuse").await;
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

/// The session cache is kept by the version of `sessions`, which SQLite moves in the writer's
/// own transaction, and the version is read again after any connection's commit: a revocation
/// or a ban written behind the API's back (plain SQL, another process) ends cached sessions at
/// once, with nothing in the code asked to forget them.
#[tokio::test]
async fn cached_sessions_end_with_changes_written_behind_the_apis_back() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    me(&app, &admin.token).await.assert_ok(StatusCode::OK); // cached
    me(&app, &viewer.token).await.assert_ok(StatusCode::OK); // cached
    // SQLite's versions come from its WAL-index, as on the server; PostgreSQL's are read by
    // a query each time (another server may have committed).
    assert_eq!(
        app.state.versions.watches_commits(),
        !crate::common::on_postgres(),
        "versions come from the WAL-index on SQLite only"
    );

    sqlx::query("UPDATE sessions SET revoked_at = 1, revoke_reason = 'revoked' WHERE user_id = $1")
        .bind(&viewer.id)
        .execute(&pool)
        .await
        .unwrap();
    me(&app, &viewer.token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    me(&app, &admin.token).await.assert_ok(StatusCode::OK);

    // A rolled-back change leaves the cache as it was (the admin's session still works).
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("UPDATE users SET banned_at = 1 WHERE id = $1")
        .bind(&admin.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    me(&app, &admin.token).await.assert_ok(StatusCode::OK);

    sqlx::query("UPDATE users SET banned_at = 1, ban_reason = 'test' WHERE id = $1")
        .bind(&admin.id)
        .execute(&pool)
        .await
        .unwrap();
    me(&app, &admin.token)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}
