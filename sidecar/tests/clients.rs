//! Clients: create, read, update, soft delete, search, filters, pages and stats.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::call;
use serde_json::{Value, json};

async fn create(app: &axum::Router, token: &str, body: Value) -> Value {
    call(app, "POST", "/api/v1/clients", Some(token), Some(body))
        .await
        .assert_ok(StatusCode::CREATED)
}

#[tokio::test]
async fn create_read_update_delete() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;

    let body = json!({
        "name": "  Zoë Légère ", "email": "Zoe@Example.FR", "phone": "+33 6 12 34 56 78",
        "address_city": "Lyon", "tags": ["vip", " fleet "], "notes": "Prefers mornings, \"urgent\" jobs; commas, too"
    });
    let client = create(&app, &tech.token, body).await;
    assert_eq!(client["name"], "Zoë Légère");
    assert_eq!(client["email"], "zoe@example.fr");
    assert_eq!(client["customer_type"], "individual");
    assert_eq!(client["address_country"], "France");
    assert_eq!(client["tags"], json!(["vip", "fleet"]));
    assert_eq!(
        (
            client["total_tasks"].as_i64(),
            client["active_tasks"].as_i64()
        ),
        (Some(0), Some(0))
    );
    let id = client["id"].as_str().unwrap();
    let created_by: String = sqlx::query_scalar("SELECT created_by FROM clients WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(created_by, tech.id);

    let path = format!("/api/v1/clients/{id}");
    assert_eq!(
        call(&app, "GET", &path, Some(&tech.token), None)
            .await
            .assert_ok(StatusCode::OK),
        client
    );

    let changed = call(
        &app,
        "PATCH",
        &path,
        Some(&tech.token),
        Some(json!({ "phone": "", "address_city": "Paris" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(changed["phone"], Value::Null, "empty string clears");
    assert_eq!(changed["address_city"], "Paris");
    assert_eq!(changed["email"], "zoe@example.fr", "absent fields stay");

    call(&app, "DELETE", &path, Some(&tech.token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    call(&app, "DELETE", &path, Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(&app, "GET", &path, Some(&admin.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let list = call(&app, "GET", "/api/v1/clients", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(list["total"], 0, "deleted clients leave the list");
    let deleted_by: String = sqlx::query_scalar("SELECT deleted_by FROM clients WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(deleted_by, admin.id, "soft delete keeps the row");
}

#[tokio::test]
async fn validation_names_fields_and_writes_nothing() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let bad = json!({ "name": " ", "email": "nope", "phone": "12", "tags": [" "] });
    let error = call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(bad),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let fields: Vec<&String> = error["details"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["email", "name", "phone", "tags"]);
    // Over-long text is refused at the door (the length caps), each item by its place.
    let too_long = json!({ "name": "Ok", "tags": ["x".repeat(51)], "notes": "n".repeat(2001) });
    let error = call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(too_long),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let fields: Vec<&String> = error["details"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["notes", "tags[0]"]);

    let company_missing = json!({ "name": "Fleet Manager", "customer_type": "business" });
    let error = call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(company_missing),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["company_name"].is_array());
    let unknown = json!({ "name": "Ok", "colour": "red" });
    call(
        &app,
        "POST",
        "/api/v1/clients",
        Some(&admin.token),
        Some(unknown),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM clients")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);

    // Turning a person into a company needs the company too, judged against the stored row.
    let person = create(&app, &admin.token, json!({ "name": "Jo" })).await;
    let path = format!("/api/v1/clients/{}", person["id"].as_str().unwrap());
    call(
        &app,
        "PATCH",
        &path,
        Some(&admin.token),
        Some(json!({ "customer_type": "business" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let company = call(
        &app,
        "PATCH",
        &path,
        Some(&admin.token),
        Some(json!({ "customer_type": "business", "company_name": "Jo SARL" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(company["customer_type"], "business");
    call(
        &app,
        "PATCH",
        &path,
        Some(&admin.token),
        Some(json!({ "company_name": "" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
}

#[tokio::test]
async fn search_filters_sort_and_pages() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    create(
        &app,
        &admin.token,
        json!({ "name": "Alice Dupont", "email": "alice@garage.fr" }),
    )
    .await;
    create(
        &app,
        &admin.token,
        json!({ "name": "Bruno", "phone": "04 78 00 11 22" }),
    )
    .await;
    create(
        &app,
        &admin.token,
        json!({ "name": "Chloé", "customer_type": "business", "company_name": "Carrosserie 100%" }),
    )
    .await;
    create(&app, &admin.token, json!({ "name": "David" })).await;

    let get = |query: &'static str| {
        let app = app.router.clone();
        let token = admin.token.clone();
        async move {
            call(
                &app,
                "GET",
                &format!("/api/v1/clients?{query}"),
                Some(&token),
                None,
            )
            .await
            .assert_ok(StatusCode::OK)
        }
    };
    let names = |page: &Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&get("q=GARAGE").await), ["Alice Dupont"], "email");
    assert_eq!(names(&get("q=78%2000").await), ["Bruno"], "phone");
    assert_eq!(names(&get("q=carrosserie").await), ["Chloé"], "company");
    assert_eq!(get("q=100%25").await["total"], 1, "% is literal");
    assert_eq!(names(&get("customer_type=business").await), ["Chloé"]);

    let page = get("sort=name&limit=2&offset=1").await;
    assert_eq!(names(&page), ["Bruno", "Chloé"]);
    assert_eq!(
        (
            page["total"].as_i64(),
            page["limit"].as_u64(),
            page["offset"].as_u64()
        ),
        (Some(4), Some(2), Some(1))
    );
    assert_eq!(names(&get("sort=-name&limit=1").await), ["David"]);
    for bad in ["sort=email", "limit=0", "customer_type=robot"] {
        call(
            &app,
            "GET",
            &format!("/api/v1/clients?{bad}"),
            Some(&admin.token),
            None,
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }

    let stats = call(
        &app,
        "GET",
        "/api/v1/clients/stats",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        stats,
        json!({ "total": 4, "individual": 3, "business": 1, "with_active_tasks": 0, "new_last_30_days": 4 })
    );
}

#[tokio::test]
async fn viewers_read_and_plant_roles_see_nothing() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let viewer = common::user(&app, &admin, "watch", "viewer").await;
    let auditor = common::user(&app, &admin, "audit", "auditor").await;
    let client = create(&app, &admin.token, json!({ "name": "Eve" })).await;
    let path = format!("/api/v1/clients/{}", client["id"].as_str().unwrap());
    call(&app, "GET", &path, Some(&viewer.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(
        &app,
        "PATCH",
        &path,
        Some(&viewer.token),
        Some(json!({ "name": "Mallory" })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    call(&app, "GET", &path, Some(&auditor.token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
}
