//! Length caps: every string a caller can send has a `maxLength` in the document, and the
//! server refuses a longer one with `VALIDATION_ERROR` naming the field, before any work.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{NewAccount, call};
use serde_json::{Value, json};

/// `name@example.org` with `name` long enough to make the email `len` characters.
fn email_of_length(len: usize) -> String {
    let domain = "@example.org";
    format!("{}{domain}", "a".repeat(len - domain.len()))
}

#[track_caller]
fn assert_too_long(reply: &common::Reply, field: &str, max: usize) {
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(
        error["details"][field],
        json!([format!("must be at most {max} characters")]),
        "{error}"
    );
}

#[tokio::test]
async fn an_email_over_254_characters_is_refused_and_nothing_is_written() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let mut account = NewAccount::named("first");
    account.email = email_of_length(255);
    let reply = call(
        &app,
        "POST",
        "/api/v1/auth/bootstrap-admin",
        None,
        Some(account.body()),
    )
    .await;
    assert_too_long(&reply, "email", 254);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "a refused bootstrap writes no account");

    // 254 is within the cap: the same request is accepted.
    account.email = email_of_length(254);
    let reply = call(
        &app,
        "POST",
        "/api/v1/auth/bootstrap-admin",
        None,
        Some(account.body()),
    )
    .await;
    let data = reply.assert_ok(StatusCode::CREATED);
    assert_eq!(data["email"], account.email);
}

#[tokio::test]
async fn a_sign_in_with_an_over_long_email_is_refused_before_any_password_check() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let body = json!({"email": email_of_length(10_000), "password": "Whatever1"});
    let reply = call(&app, "POST", "/api/v1/auth/login", None, Some(body)).await;
    assert_too_long(&reply, "email", 254);
    for table in ["login_attempts", "security_events"] {
        let rows: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(rows, 0, "no sign-in was attempted, so {table} is empty");
    }
}

#[tokio::test]
async fn caps_hold_in_nested_lists_and_query_strings() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let client = json!({"name": "Camille", "tags": ["ok", "x".repeat(51)]});
    let reply = call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(client),
    )
    .await;
    assert_too_long(&reply, "tags[1]", 50);

    let q = "é".repeat(201);
    let reply = call(
        &app,
        "GET",
        &format!("/api/v1/clients?q={q}"),
        Some(&admin.token),
        None,
    )
    .await;
    assert_too_long(&reply, "q", 200);
    // Characters are counted, not bytes: 200 two-byte characters are within the cap.
    let q = "é".repeat(200);
    let reply = call(
        &app,
        "GET",
        &format!("/api/v1/clients?q={q}"),
        Some(&admin.token),
        None,
    )
    .await;
    reply.assert_ok(StatusCode::OK);
}

#[tokio::test]
async fn text_with_a_nul_character_is_refused_and_nothing_is_written() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    // SQLite's length() stops at NUL: this name once passed our check and broke the table's.
    let client = json!({"name": "\u{0}Camille", "tags": ["a\u{0}"]});
    let reply = call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(client),
    )
    .await;
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let nul = json!(["must not contain the NUL character"]);
    assert_eq!(error["details"]["name"], nul, "{error}");
    assert_eq!(error["details"]["tags[0]"], nul, "{error}");
    let clients: i64 = sqlx::query_scalar("SELECT count(*) FROM clients")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(clients, 0);

    let reply = call(
        &app,
        "GET",
        "/api/v1/clients?q=a%00",
        Some(&admin.token),
        None,
    )
    .await;
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(error["details"]["q"], nul, "{error}");
}

/// Where a string schema is exempt: enums and formats whose grammar bounds the length.
fn bounded_without_cap(schema: &Value) -> bool {
    schema.get("enum").is_some()
        || matches!(
            schema.get("format").and_then(Value::as_str),
            Some("uuid" | "date-time")
        )
}

fn is_string(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    }
}

/// Collect the paths of string schemas under `schema` that declare no `maxLength`.
fn uncapped(
    doc: &Value,
    schema: &Value,
    path: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap();
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_owned());
        uncapped(doc, &doc["components"]["schemas"][name], path, seen, out);
        seen.pop();
        return;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            uncapped(doc, branch, path, seen, out);
        }
    }
    if is_string(schema) && schema.get("maxLength").is_none() && !bounded_without_cap(schema) {
        out.push(path.to_owned());
    }
    if let Some(items) = schema.get("items") {
        uncapped(doc, items, &format!("{path}[]"), seen, out);
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        uncapped(doc, property, &format!("{path}.{name}"), seen, out);
    }
}

/// New request types inherit the rule: a string field without a cap fails here, and once it
/// has one the extractors enforce it (the tests above).
#[test]
fn every_string_input_has_a_length_cap() {
    let doc = serde_json::to_value(rpma_sidecar::openapi::document()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let label = format!("{} {path}", method.to_uppercase());
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let name = format!("{label} {}={}", param["in"], param["name"]);
                uncapped(&doc, &param["schema"], &name, &mut Vec::new(), &mut missing);
            }
            let content = &operation["requestBody"]["content"];
            for (media_type, body) in content.as_object().into_iter().flatten() {
                // Other bodies (CSV) are bounded by the request body limit and checked per cell.
                if media_type == "application/json" {
                    let name = format!("{label} body");
                    uncapped(&doc, &body["schema"], &name, &mut Vec::new(), &mut missing);
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "strings without maxLength: {missing:#?}"
    );
}
