//! Health, build facts, the OpenAPI document and the offline API reference.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_reports_server_and_database() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let data = common::get(&app, "/api/v1/health")
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["status"], "ok");
    assert_eq!(data["database"], "ok");
    let kind = if common::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(data["database_kind"], kind, "{data}");
    assert_eq!(data["version"], env!("CARGO_PKG_VERSION"));
    assert!(data["uptime_ms"].is_u64(), "{data}");
}

#[tokio::test]
async fn health_is_503_when_the_database_does_not_answer() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    app.state.db.close().await;
    let reply = common::get(&app, "/api/v1/health").await;
    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE");
}

#[tokio::test]
async fn health_turns_503_soon_after_the_database_goes_away() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    common::get(&app, "/api/v1/health")
        .await
        .assert_ok(StatusCode::OK);
    app.state.db.close().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let reply = common::get(&app, "/api/v1/health").await;
        if reply.status == StatusCode::SERVICE_UNAVAILABLE {
            reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE");
            break;
        }
        reply.assert_ok(StatusCode::OK);
        assert!(
            std::time::Instant::now() < deadline,
            "health still 200 after the pool closed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn system_info_describes_the_build() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let data = common::get(&app, "/api/v1/system/info")
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(data["os"], std::env::consts::OS);
    assert_eq!(data["arch"], std::env::consts::ARCH);
    assert!(
        data["rustc"].as_str().unwrap().starts_with("rustc "),
        "{data}"
    );
    let sha = data["git_sha"].as_str().unwrap();
    assert!(
        sha == "unknown" || (sha.len() == 12 && sha.chars().all(|c| c.is_ascii_hexdigit())),
        "{sha}"
    );
    let built = data["build_time"].as_str().unwrap();
    chrono::DateTime::parse_from_rfc3339(built).unwrap_or_else(|e| panic!("{built}: {e}"));
}

#[tokio::test]
async fn served_document_is_the_committed_one() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let reply = common::get(&app, "/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let served = reply.json();
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(committed_path).unwrap()).unwrap();
    assert!(
        served == committed,
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    );
}

/// The server's routes are built without their document (`openapi::routes_only`); each one is
/// still the path and method its operation declares, no more and no fewer.
#[test]
fn served_routes_are_the_documented_operations() {
    let operations = |doc: utoipa::openapi::OpenApi| -> Vec<(String, String)> {
        let doc = serde_json::to_value(doc).unwrap();
        let mut found = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                found.push((method.to_uppercase(), path.clone()));
            }
        }
        found.sort();
        found
    };
    let documented = operations(rpma_sidecar::openapi::document());
    let served = operations(rpma_sidecar::openapi::routes_only().1);
    assert!(documented.len() > 60, "{documented:?}");
    assert_eq!(served, documented);
    // And the document is whole again after the routes were built without it.
    let doc = serde_json::to_value(rpma_sidecar::openapi::document()).unwrap();
    assert!(doc["paths"]["/api/v1/tasks"]["get"]["summary"].is_string());
}

#[test]
fn document_covers_every_route_with_error_responses() {
    let doc = serde_json::to_value(rpma_sidecar::openapi::document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/system/info",
        "/api/v1/openapi.json",
    ] {
        let get = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))["get"];
        assert!(get["summary"].is_string(), "{path} has a summary");
        assert!(get["responses"]["200"].is_object(), "{path}");
    }
    assert!(paths["/api/v1/health"]["get"]["responses"]["503"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ErrorEnvelope"].is_object());
    let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
    for code in [
        "AUTH_ERROR",
        "VALIDATION_ERROR",
        "INTERVENTION_ALREADY_ACTIVE",
        "SHELL_UNAVAILABLE",
    ] {
        assert!(
            codes.as_array().unwrap().iter().any(|c| c == code),
            "{code} in {codes}"
        );
    }
}

#[tokio::test]
async fn api_reference_page_works_without_network() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let page = common::get(&app, "/api/v1/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains("swagger-ui"), "{html}");

    let init = common::get(&app, "/api/v1/docs/swagger-initializer.js").await;
    assert_eq!(init.status, StatusCode::OK);
    let js = String::from_utf8(init.body).unwrap();
    assert!(js.contains("/api/v1/openapi.json"), "{js}");

    // Every asset the page loads is served by us, not fetched from the web.
    for asset in asset_refs(&html) {
        assert!(!asset.starts_with("http"), "external asset {asset}");
        let reply = common::get(
            &app,
            &format!("/api/v1/docs/{}", asset.trim_start_matches("./")),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{asset}");
        assert!(!reply.body.is_empty(), "{asset}");
    }
}

/// `src="…"` and `href="…"` values of a page.
fn asset_refs(html: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            if let Some(value) = part.split('"').next() {
                refs.push(value.to_owned());
            }
        }
    }
    assert!(refs.len() >= 3, "page has its assets: {refs:?}");
    refs
}

/// The generated client names each operation by its id: two handlers with one name would
/// give one of them the other's response type.
#[test]
fn every_operation_has_its_own_id() {
    let doc = serde_json::to_value(rpma_sidecar::openapi::document()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    let mut repeated = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            let here = format!("{} {path}", method.to_uppercase());
            if let Some(first) = seen.insert(id.clone(), here.clone()) {
                repeated.push(format!("{id}: {first} and {here}"));
            }
        }
    }
    assert!(
        repeated.is_empty(),
        "operationIds used twice: {repeated:#?}"
    );
}
