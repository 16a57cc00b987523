//! The catalogue: create with a first ledger row, SKU unique among live materials, by SKU,
//! change, soft delete, the list's filters and the stats; categories and suppliers.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{Workshop, call, id};
use crate::{create_with, ledger_of, material, move_stock};

#[tokio::test]
async fn a_material_is_created_with_its_first_stock_in_the_ledger() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let film = material(app, token, json!({ "initial_stock": 30.5 })).await;
    assert_eq!(film["current_stock"], 30.5);
    assert_eq!(film["unit_cost"], 1250);
    assert_eq!(film["currency"], "EUR");
    assert_eq!(film["is_low_stock"], false);
    assert_eq!(film["is_active"], true);
    let rows = ledger_of(app, token, &id(&film)).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["transaction_type"], "stock_in");
    assert_eq!(rows[0]["previous_stock"], 0.0);
    assert_eq!(rows[0]["new_stock"], 30.5);
    assert_eq!(rows[0]["performed_by"], json!(w.technician.id));

    // By SKU, and the SKU is taken while the material lives.
    let by_sku = call(
        app,
        "GET",
        "/api/v1/materials/by-sku/PPF-STD-152",
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(by_sku["id"], film["id"]);
    let taken = create_with(app, token, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(taken["details"]["field"], "sku");

    // Deleting is for managers; the SKU is free again, the ledger stays readable.
    let uri = format!("/api/v1/materials/{}", id(&film));
    call(app, "DELETE", &uri, Some(token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    call(app, "DELETE", &uri, Some(&w.supervisor.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(app, "GET", &uri, Some(token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    assert_eq!(ledger_of(app, token, &id(&film)).await.len(), 1);
    material(app, token, json!({})).await;
}

#[tokio::test]
async fn bad_fields_are_refused_with_their_names_and_nothing_is_written() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.admin.token.as_str());
    let reply = create_with(
        app,
        token,
        json!({ "sku": " ", "material_type": "glue", "initial_stock": -1 }),
    )
    .await;
    // An unknown enum value fails at the JSON layer, naming the field.
    let error = reply.assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"].get("material_type").is_some(), "{error}");
    let error = create_with(
        app,
        token,
        json!({ "sku": " ", "initial_stock": 1.0005, "currency": "eur", "expiry_date": "31/12/2026", "category_id": "cat_nope" }),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    for field in ["sku", "initial_stock", "currency", "expiry_date"] {
        assert!(error["details"].get(field).is_some(), "{field}: {error}");
    }
    let error = create_with(app, token, json!({ "category_id": "cat_nope" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"].get("category_id").is_some(), "{error}");
    let page = call(app, "GET", "/api/v1/materials", Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn the_list_filters_by_type_category_supplier_low_stock_expiry_and_text() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.supervisor.token.as_str());
    let supplier = call(
        app,
        "POST",
        "/api/v1/materials/suppliers",
        Some(token),
        Some(json!({ "name": "XPEL France", "email": "Pro@Xpel.fr" })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(supplier["email"], "pro@xpel.fr");
    let film = material(
        app,
        token,
        json!({ "initial_stock": 50, "supplier_id": id(&supplier) }),
    )
    .await;
    let glue = material(
        app,
        token,
        json!({ "sku": "ADH-1", "name": "Edge glue", "material_type": "adhesive", "unit_of_measure": "liter",
                "category_id": "cat_adhesives", "initial_stock": 1, "reorder_point": 2, "expiry_date": "2020-01-31" }),
    )
    .await;
    assert_eq!(glue["is_low_stock"], true);
    assert_eq!(glue["is_expired"], true);
    let ids = |query: &'static str| async move {
        let page = call(
            app,
            "GET",
            &format!("/api/v1/materials?{query}"),
            Some(token),
            None,
        )
        .await
        .assert_ok(StatusCode::OK);
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["sku"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("").await, ["ADH-1", "PPF-STD-152"]);
    assert_eq!(ids("material_type=adhesive").await, ["ADH-1"]);
    assert_eq!(ids("category_id=cat_ppf_films").await, ["PPF-STD-152"]);
    assert_eq!(ids("low_stock=true").await, ["ADH-1"]);
    assert_eq!(ids("low_stock=false").await, ["PPF-STD-152"]);
    assert_eq!(ids("expired=true").await, ["ADH-1"]);
    assert_eq!(ids("q=glue").await, ["ADH-1"]);
    assert_eq!(ids("sort=-current_stock").await, ["PPF-STD-152", "ADH-1"]);
    let by_supplier = format!("/api/v1/materials?supplier_id={}", id(&supplier));
    let page = call(app, "GET", &by_supplier, Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(page["items"][0]["id"], film["id"]);
    assert_eq!(page["total"], 1);
    call(
        app,
        "GET",
        "/api/v1/materials?sort=price",
        Some(token),
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    // The stats: 50 m × 12.50 + 1 l × 12.50, one low, one expired.
    let stats = call(app, "GET", "/api/v1/materials/stats", Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stats["total_materials"], 2);
    assert_eq!(stats["stock_value"], 51 * 1250);
    assert_eq!(stats["low_stock"], 1);
    assert_eq!(stats["expired"], 1);
    assert_eq!(stats["consumption_records"], 0);

    // A change keeps what it does not name; the stock is not a field.
    let uri = format!("/api/v1/materials/{}", id(&glue));
    let changed = call(
        app,
        "PATCH",
        &uri,
        Some(&w.technician.token),
        Some(json!({ "reorder_point": 0.5, "expiry_date": "" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(changed["is_low_stock"], false);
    assert_eq!(changed["is_expired"], false);
    assert_eq!(changed["name"], "Edge glue");
    call(
        app,
        "PATCH",
        &uri,
        Some(token),
        Some(json!({ "current_stock": 99 })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(
        move_stock(
            app,
            token,
            &id(&glue),
            json!({ "transaction_type": "stock_in", "quantity": 1 })
        )
        .await
        .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn categories_form_a_tree_under_the_five_seeded_roots() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.supervisor.token.as_str());
    let all = call(
        app,
        "GET",
        "/api/v1/materials/categories",
        Some(&w.technician.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let mut codes: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["ADH", "CLN", "CON", "PPF", "TLS"]);

    let matte = call(
        app,
        "POST",
        "/api/v1/materials/categories",
        Some(token),
        Some(json!({ "name": "Matte films", "code": "PPF-M", "parent_id": "cat_ppf_films", "color": "#112233" })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(matte["level"], 2);
    let satin = call(
        app,
        "POST",
        "/api/v1/materials/categories",
        Some(token),
        Some(json!({ "name": "Satin", "code": "PPF-MS", "parent_id": matte["id"] })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(satin["level"], 3);
    // No loops, no duplicate codes, colours as #rrggbb; technicians do not edit the tree.
    let uri = format!(
        "/api/v1/materials/categories/{}",
        matte["id"].as_str().unwrap()
    );
    let error = call(
        app,
        "PATCH",
        &uri,
        Some(token),
        Some(json!({ "parent_id": satin["id"] })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"].get("parent_id").is_some());
    call(
        app,
        "POST",
        "/api/v1/materials/categories",
        Some(token),
        Some(json!({ "name": "Again", "code": "PPF" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    call(
        app,
        "PATCH",
        &uri,
        Some(token),
        Some(json!({ "color": "red" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    call(
        app,
        "PATCH",
        &uri,
        Some(&w.technician.token),
        Some(json!({ "name": "Mine" })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let renamed = call(
        app,
        "PATCH",
        &uri,
        Some(token),
        Some(json!({ "name": "Matte" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (renamed["name"].as_str(), renamed["level"].as_i64()),
        (Some("Matte"), Some(2))
    );
    assert_eq!(renamed["color"], "#112233");
}
