//! Every failure the server can produce answers with the envelope, a precise code and the
//! right status; correlation ids, CORS and compression apply to every response.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use common::{Reply, send};
use rpma_sidecar::extract::{Json, Path, Query};
use rpma_sidecar::{ApiResponse, AppState};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::AnyPool;

// The extractors read each type's length caps from its schema.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct Pet {
    name: String,
    age: u8,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct Tag {
    label: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct Page {
    limit: Option<u32>,
}

/// Probe routes using the public extractors, mounted behind the app's real middleware.
fn probe_app(pool: AnyPool, tweak: impl FnOnce(&mut rpma_sidecar::Config)) -> Router {
    let (mut config, _dir) = common::config();
    tweak(&mut config);
    let probes = Router::new()
        .route(
            "/probe/pets",
            post(|Json(pet): Json<Pet>| async move {
                let labels: Vec<String> = pet.tags.into_iter().map(|t| t.label).collect();
                ApiResponse::ok(json!({ "name": pet.name, "age": pet.age, "tags": labels }))
            }),
        )
        .route(
            "/probe/pets/{id}",
            get(|Path(id): Path<uuid::Uuid>| async move { ApiResponse::ok(id) }),
        )
        .route(
            "/probe/page",
            get(|Query(page): Query<Page>| async move { ApiResponse::ok(page.limit) }),
        )
        .route(
            "/probe/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                ApiResponse::ok("late")
            }),
        )
        .route(
            "/probe/panic",
            get(|| async {
                if true {
                    panic!("secret internal detail");
                }
                ApiResponse::ok("unreachable")
            }),
        );
    let state = AppState::new(pool, config).expect("state");
    rpma_sidecar::with_layers(rpma_sidecar::routes().merge(probes), state)
}

fn post_json(path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::post(path);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).unwrap()
}

#[tokio::test]
async fn unknown_route_is_not_found_envelope() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let reply = common::get(&app, "/api/v1/nope").await;
    let error = reply.assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    assert_eq!(error["message"], "no route for GET /api/v1/nope");
    assert_eq!(reply.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn wrong_method_is_405_with_allow_header() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let reply = send(
        &app,
        Request::delete("/api/v1/health")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    let allow = reply.header("allow").expect("Allow header");
    assert!(allow.contains("GET"), "{allow}");
}

#[tokio::test]
async fn valid_json_body_is_accepted() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    let body = r#"{"name":"Rex","age":3,"tags":[{"label":"good"}]}"#;
    let reply = send(
        &app,
        post_json("/probe/pets", Some("application/json; charset=utf-8"), body),
    )
    .await;
    assert_eq!(
        reply.assert_ok(StatusCode::OK),
        json!({ "name": "Rex", "age": 3, "tags": ["good"] })
    );
}

#[tokio::test]
async fn malformed_json_is_400_on_body() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    for body in [
        r#"{"name": "Rex", "age": "#,
        "not json",
        r#"{"name":"Rex","age":3} trailing"#,
    ] {
        let reply = send(
            &app,
            post_json("/probe/pets", Some("application/json"), body),
        )
        .await;
        let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"]["body"][0].is_string(), "{body}: {error}");
    }
}

#[tokio::test]
async fn json_field_errors_name_the_field() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    let cases = [
        (r#"{"age": 3}"#, "name"),
        (r#"{"name": "Rex", "age": "three"}"#, "age"),
        (r#"{"name": "Rex", "age": 300}"#, "age"),
        (
            r#"{"name": "Rex", "age": 3, "tags": [{"label": 1}]}"#,
            "tags[0].label",
        ),
        (
            r#"{"name": "Rex", "age": 3, "tags": [{}]}"#,
            "tags[0].label",
        ),
    ];
    for (body, field) in cases {
        let reply = send(
            &app,
            post_json("/probe/pets", Some("application/json"), body),
        )
        .await;
        let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        let details = error["details"].as_object().expect("details object");
        assert_eq!(
            details.keys().collect::<Vec<_>>(),
            vec![field],
            "{body}: {error}"
        );
        assert!(details[field][0].is_string(), "{error}");
    }
}

#[tokio::test]
async fn wrong_or_missing_content_type_is_415() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let reply = send(
            &app,
            post_json("/probe/pets", content_type, r#"{"name":"Rex","age":3}"#),
        )
        .await;
        reply.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    }
}

#[tokio::test]
async fn body_over_the_limit_is_413_with_the_limit() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |c| c.max_body_bytes = 64);
    let name = "x".repeat(100);
    let body = format!(r#"{{"name":"{name}","age":3}}"#);
    let reply = send(
        &app,
        post_json("/probe/pets", Some("application/json"), body),
    )
    .await;
    let error = reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
    assert_eq!(error["details"]["limit"], 64);

    // A body without Content-Length (streamed) is cut off at the limit too.
    let chunks = vec![Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 100]))];
    let stream = Body::from_stream(futures_util::stream::iter(chunks));
    let reply = send(
        &app,
        post_json("/probe/pets", Some("application/json"), stream),
    )
    .await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn bad_path_param_is_400_naming_it() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    let id = uuid::Uuid::new_v4();
    assert_eq!(
        common::get(&app, &format!("/probe/pets/{id}"))
            .await
            .assert_ok(StatusCode::OK),
        json!(id)
    );

    let reply = common::get(&app, "/probe/pets/not-a-uuid").await;
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let message = error["details"]["id"][0].as_str().expect("details.id");
    assert!(
        message.contains("not-a-uuid") && message.contains("UUID"),
        "{message}"
    );
}

#[tokio::test]
async fn bad_query_param_is_400_naming_it() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    assert_eq!(
        common::get(&app, "/probe/page?limit=20")
            .await
            .assert_ok(StatusCode::OK),
        json!(20)
    );
    assert_eq!(
        common::get(&app, "/probe/page")
            .await
            .assert_ok(StatusCode::OK),
        Value::Null
    );

    for query in ["limit=abc", "limit=-1", "limit=99999999999"] {
        let reply = common::get(&app, &format!("/probe/page?{query}")).await;
        let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"]["limit"][0].is_string(), "{query}: {error}");
    }
}

#[tokio::test]
async fn slow_request_times_out_with_envelope() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |c| c.request_timeout_ms = 50);
    let reply = common::get(&app, "/probe/slow").await;
    let error = reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT");
    assert!(
        error["message"].as_str().unwrap().contains("50 ms"),
        "{error}"
    );
}

#[tokio::test]
async fn panic_is_generic_500_and_server_keeps_serving() {
    let (pool, _db) = common::database().await;
    let app = probe_app(pool, |_| {});
    let reply = common::get(&app, "/probe/panic").await;
    let error = reply.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR");
    assert!(
        !reply.json().to_string().contains("secret"),
        "panic message leaked: {error}"
    );
    assert!(reply.header("x-correlation-id").is_some());
    common::get(&app, "/api/v1/health")
        .await
        .assert_ok(StatusCode::OK);
}

fn with_correlation(path: &str, id: &str) -> Request<Body> {
    Request::get(path)
        .header("x-correlation-id", id)
        .body(Body::empty())
        .unwrap()
}

fn assert_uuid(reply: &Reply) -> String {
    let id = reply
        .header("x-correlation-id")
        .expect("correlation id")
        .to_owned();
    uuid::Uuid::parse_str(&id).unwrap_or_else(|e| panic!("{id} is not a UUID: {e}"));
    id
}

#[tokio::test]
async fn correlation_id_is_echoed_on_success_and_error() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    for path in ["/api/v1/health", "/api/v1/nope"] {
        let reply = send(&app, with_correlation(path, "req-42.a:b_c")).await;
        assert_eq!(
            reply.header("x-correlation-id"),
            Some("req-42.a:b_c"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn correlation_id_is_generated_when_missing_or_unsafe() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let first = assert_uuid(&common::get(&app, "/api/v1/health").await);
    let second = assert_uuid(&common::get(&app, "/api/v1/health").await);
    assert_ne!(first, second, "a fresh id per request");

    let too_long = "a".repeat(129);
    for unsafe_id in ["has space", "semi;colon", too_long.as_str()] {
        let reply = send(&app, with_correlation("/api/v1/health", unsafe_id)).await;
        assert_ne!(reply.header("x-correlation-id"), Some(unsafe_id));
        assert_uuid(&reply);
    }
}

#[tokio::test]
async fn cors_allows_dev_tauri_and_configured_origins_only() {
    let (pool, _db) = common::database().await;
    let (mut config, _dir) = common::config();
    config.cors_origins = vec!["https://ops.example.com".into()];
    let app = rpma_sidecar::app(AppState::new(pool, config).expect("state"));
    let origin_of = |origin: &str| {
        Request::get("/api/v1/health")
            .header(header::ORIGIN, origin)
            .body(Body::empty())
            .unwrap()
    };
    for origin in [
        "http://localhost:1420",
        "http://127.0.0.1:1420",
        "tauri://localhost",
        "http://tauri.localhost",
        "https://tauri.localhost",
        "https://ops.example.com",
    ] {
        let reply = send(&app, origin_of(origin)).await;
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some(origin),
            "{origin}"
        );
    }
    let reply = send(&app, origin_of("https://evil.example.com")).await;
    assert_eq!(reply.header("access-control-allow-origin"), None);

    let preflight = Request::options("/api/v1/health")
        .header(header::ORIGIN, "tauri://localhost")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type,x-correlation-id",
        )
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, preflight).await;
    assert!(reply.status.is_success(), "{:?}", reply.status);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("tauri://localhost")
    );
    let allowed = reply
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("x-correlation-id"),
        "{allowed}"
    );
}

#[tokio::test]
async fn large_bodies_are_compressed_small_ones_are_not() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let accepting = |path: &str, encoding: &str| {
        Request::get(path)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap()
    };
    for encoding in ["gzip", "br"] {
        let reply = send(&app, accepting("/api/v1/openapi.json", encoding)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header("content-encoding"), Some(encoding));
    }
    let small = send(&app, accepting("/api/v1/health", "gzip, br")).await;
    assert!(small.body.len() < 1024);
    assert_eq!(small.header("content-encoding"), None);
}
