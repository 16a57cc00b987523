//! User management: creation rules, lists, profile changes, roles, last-admin protection,
//! deletion and passwords.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{NewAccount, PASSWORD, call};
use serde_json::json;

/// Body of `POST /api/v1/users` for `name` with `role`.
fn new_user(name: &str, role: &str) -> serde_json::Value {
    NewAccount::named(name).role(role).body()
}

#[tokio::test]
async fn supervisors_create_only_technicians_and_viewers() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let boss = common::user(&app, &admin, "boss", "supervisor").await;
    for (role, status) in [
        ("technician", StatusCode::CREATED),
        ("viewer", StatusCode::CREATED),
        ("admin", StatusCode::FORBIDDEN),
        ("supervisor", StatusCode::FORBIDDEN),
        ("operator", StatusCode::FORBIDDEN),
    ] {
        let reply = call(
            &app,
            "POST",
            "/api/v1/users",
            Some(&boss.token),
            Some(new_user(&format!("by-boss-{role}"), role)),
        )
        .await;
        assert_eq!(
            reply.status,
            status,
            "{role}: {}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    let plant = call(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin.token),
        Some(new_user("floor", "plant_head")),
    )
    .await;
    assert_eq!(plant.assert_ok(StatusCode::CREATED)["role"], "plant_head");
    let bad_role = call(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin.token),
        Some(new_user("odd", "janitor")),
    )
    .await;
    bad_role.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
}

#[tokio::test]
async fn list_filters_searches_sorts_and_pages() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    for i in 0..5 {
        call(
            &app,
            "POST",
            "/api/v1/users",
            Some(&admin.token),
            Some(new_user(&format!("tech{i}"), "technician")),
        )
        .await
        .assert_ok(StatusCode::CREATED);
    }
    call(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin.token),
        Some(new_user("watcher", "viewer")),
    )
    .await
    .assert_ok(StatusCode::CREATED);

    let page = call(
        &app,
        "GET",
        "/api/v1/users?role=technician&limit=2&offset=1&sort=username",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(page["total"], 5);
    assert_eq!(
        (page["limit"].as_u64(), page["offset"].as_u64()),
        (Some(2), Some(1))
    );
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tech1", "tech2"]);

    let found = call(
        &app,
        "GET",
        "/api/v1/users?q=WATCH",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["username"], "watcher");
    // `%` and `_` are literal in searches.
    let none = call(&app, "GET", "/api/v1/users?q=%25", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(none["total"], 0);

    let all = call(&app, "GET", "/api/v1/users", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (all["total"].as_i64(), all["limit"].as_u64()),
        (Some(7), Some(50))
    );
    for query in [
        "limit=0",
        "limit=501",
        "sort=password_hash",
        "role=janitor",
        "active=maybe",
    ] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/users?{query}"),
            Some(&admin.token),
            None,
        )
        .await;
        reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
}

#[tokio::test]
async fn users_see_and_edit_their_own_profile_only() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let own = format!("/api/v1/users/{}", tech.id);
    call(&app, "GET", &own, Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    let other = format!("/api/v1/users/{}", admin.id);
    call(&app, "GET", &other, Some(&tech.token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");

    let renamed = call(
        &app,
        "PATCH",
        &own,
        Some(&tech.token),
        Some(json!({ "first_name": "Théo", "phone": "+33 6 12 34 56 78" })),
    )
    .await;
    let data = renamed.assert_ok(StatusCode::OK);
    assert_eq!(
        (data["first_name"].as_str(), data["phone"].as_str()),
        (Some("Théo"), Some("+33 6 12 34 56 78"))
    );
    // The cached session sees the change at once.
    let me = call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(me["first_name"], "Théo");

    call(
        &app,
        "PATCH",
        &own,
        Some(&tech.token),
        Some(json!({ "is_active": false })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    call(
        &app,
        "PATCH",
        &own,
        Some(&tech.token),
        Some(json!({ "role": "admin" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let error = call(
        &app,
        "PATCH",
        &own,
        Some(&tech.token),
        Some(json!({ "email": "nope", "username": "x" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(error["details"].as_object().unwrap().len(), 2, "{error}");
    let taken = call(
        &app,
        "PATCH",
        &own,
        Some(&tech.token),
        Some(json!({ "email": "ADMIN@example.com" })),
    )
    .await;
    assert_eq!(
        taken.assert_error(StatusCode::CONFLICT, "CONFLICT")["details"],
        json!({ "email": ["is already taken"] })
    );
    let unchanged = call(&app, "GET", &own, Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        unchanged["email"], "tech@example.com",
        "a refused change writes nothing"
    );
}

#[tokio::test]
async fn role_change_applies_to_live_sessions() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    call(&app, "GET", "/api/v1/users", Some(&tech.token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let path = format!("/api/v1/users/{}/role", tech.id);
    let promoted = call(
        &app,
        "PUT",
        &path,
        Some(&admin.token),
        Some(json!({ "role": "supervisor" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(promoted["role"], "supervisor");
    call(&app, "GET", "/api/v1/users", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    let details: String =
        sqlx::query_scalar("SELECT details FROM security_events WHERE kind = 'role_changed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&details).unwrap(),
        json!({ "from": "technician", "to": "supervisor" })
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_banned_deactivated_or_deleted() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let me = format!("/api/v1/users/{}", admin.id);
    for (method, path, body) in [
        (
            "PUT",
            format!("{me}/role"),
            Some(json!({ "role": "supervisor" })),
        ),
        ("POST", format!("{me}/ban"), Some(json!({}))),
        ("PATCH", me.clone(), Some(json!({ "is_active": false }))),
    ] {
        let error = call(&app, method, &path, Some(&admin.token), body)
            .await
            .assert_error(StatusCode::CONFLICT, "CONFLICT");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("last active admin"),
            "{method} {path}: {error}"
        );
    }
    call(&app, "DELETE", &me, Some(&admin.token), None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    let still = call(&app, "GET", "/api/v1/auth/me", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (still["role"].as_str(), still["is_active"].as_bool()),
        (Some("admin"), Some(true))
    );

    // With a second admin, the first may step down; then the second is the last one.
    let second = common::user(&app, &admin, "second", "admin").await;
    call(
        &app,
        "PUT",
        &format!("{me}/role"),
        Some(&admin.token),
        Some(json!({ "role": "supervisor" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let theirs = format!("/api/v1/users/{}/role", second.id);
    call(
        &app,
        "PUT",
        &theirs,
        Some(&second.token),
        Some(json!({ "role": "viewer" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
}

#[tokio::test]
async fn deleting_a_user_ends_their_sessions_and_frees_the_email() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    let path = format!("/api/v1/users/{}", tech.id);
    call(&app, "DELETE", &path, Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    call(&app, "GET", &path, Some(&admin.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let login = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({ "email": tech.email, "password": PASSWORD })),
    )
    .await;
    login.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    let deleted_by: Option<String> =
        sqlx::query_scalar("SELECT deleted_by FROM users WHERE id = $1")
            .bind(&tech.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        deleted_by.as_deref(),
        Some(admin.id.as_str()),
        "soft delete keeps the row"
    );
    call(
        &app,
        "POST",
        "/api/v1/users",
        Some(&admin.token),
        Some(new_user("tech", "technician")),
    )
    .await
    .assert_ok(StatusCode::CREATED);
}

#[tokio::test]
async fn own_password_change_keeps_this_session_and_ends_the_others() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let laptop = common::login(&app, &tech.email, PASSWORD).await;

    let wrong = json!({ "current_password": "Wrong1234", "new_password": "Fresh1234x" });
    let error = call(
        &app,
        "PUT",
        "/api/v1/me/password",
        Some(&tech.token),
        Some(wrong),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["current_password"].is_array(), "{error}");
    let weak = json!({ "current_password": PASSWORD, "new_password": "weak" });
    call(
        &app,
        "PUT",
        "/api/v1/me/password",
        Some(&tech.token),
        Some(weak),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let good = json!({ "current_password": PASSWORD, "new_password": "Fresh1234x" });
    call(
        &app,
        "PUT",
        "/api/v1/me/password",
        Some(&tech.token),
        Some(good),
    )
    .await
    .assert_ok(StatusCode::OK);
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(&app, "GET", "/api/v1/auth/me", Some(&laptop.token), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    common::login(&app, &tech.email, "Fresh1234x").await;
    let old = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({ "email": tech.email, "password": PASSWORD })),
    )
    .await;
    old.assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
}

#[tokio::test]
async fn admin_password_reset_ends_every_session_of_the_user() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let path = format!("/api/v1/users/{}/password", tech.id);
    call(
        &app,
        "PUT",
        &path,
        Some(&admin.token),
        Some(json!({ "new_password": "short" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    call(
        &app,
        "PUT",
        &path,
        Some(&admin.token),
        Some(json!({ "new_password": "Reset1234x" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    call(&app, "GET", "/api/v1/auth/me", Some(&tech.token), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    common::login(&app, &tech.email, "Reset1234x").await;
}
