//! Creating accounts: the first admin under a race, sign-up, and field validation.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{self, account_body, call};

#[tokio::test]
async fn bootstrap_makes_exactly_one_admin_under_a_race() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn signup_is_off_until_an_admin_enables_it_and_makes_viewers() {
    let (pool, _db) = crate::common::database().await;
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

#[tokio::test]
async fn account_validation_names_every_bad_field() {
    let (pool, _db) = crate::common::database().await;
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
