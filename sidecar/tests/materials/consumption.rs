//! Consumption from an intervention's step: costed at the unit cost, written to the ledger as
//! use and waste, summed in the intervention's summary and report, `material.low_stock` when it
//! crosses the reorder point, and kept to the intervention's crew and open jobs.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{Workshop, call, id, pdf_text, user};
use crate::{consume, intervention, ledger_of, material};

#[tokio::test]
async fn a_step_records_use_and_waste_costed_in_the_ledger_summary_and_report() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let job = intervention(&w).await;
    let step = job["steps"][1]["id"].as_str().unwrap().to_owned();
    let film = material(
        app,
        token,
        json!({ "initial_stock": 20, "reorder_point": 16 }),
    )
    .await;
    let mut events = w.app.state.live.subscribe();

    let recorded = consume(
        app,
        token,
        &job,
        json!({ "material_id": id(&film), "step_id": step, "quantity_used": 3.5, "waste_quantity": 0.5,
                "waste_reason": "Cut too short", "batch_used": "B-2026-11", "expiry_used": "2027-06-30" }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let row = &recorded["consumption"];
    assert_eq!(row["step_number"], 2);
    assert_eq!(row["unit_cost"], 1250);
    assert_eq!(row["total_cost"], 5000, "(3.5 + 0.5) × 12.50 €");
    assert_eq!(row["material_sku"], "PPF-STD-152");
    assert_eq!(recorded["material"]["current_stock"], 16.0);
    assert_eq!(recorded["material"]["is_low_stock"], true);

    // Two ledger rows: the use and the waste, tied to the job and its step.
    let rows = ledger_of(app, token, &id(&film)).await;
    let kinds: Vec<&str> = rows
        .iter()
        .map(|r| r["transaction_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["waste", "stock_out", "stock_in"]);
    assert_eq!(rows[0]["step_id"], json!(step));
    assert_eq!(rows[1]["intervention_id"], job["intervention"]["id"]);
    assert_eq!(rows[1]["reference_number"], row["id"]);

    // Crossing the reorder point (20 → 16, reorder at 16) is announced once.
    let mut kinds = Vec::new();
    while let Ok(event) = events.try_recv() {
        kinds.push(event.kind.as_str());
    }
    assert_eq!(
        kinds.iter().filter(|k| **k == "material.low_stock").count(),
        1,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"material.consumed"), "{kinds:?}");
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "material.stock_changed")
            .count(),
        2,
        "{kinds:?}"
    );

    // A second use below the point does not announce it again.
    consume(
        app,
        token,
        &job,
        json!({ "material_id": id(&film), "quantity_used": 1 }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    while let Ok(event) = events.try_recv() {
        assert_ne!(event.kind.as_str(), "material.low_stock");
    }

    let base = format!(
        "/api/v1/interventions/{}",
        job["intervention"]["id"].as_str().unwrap()
    );
    let summary = call(
        app,
        "GET",
        &format!("{base}/consumption/summary"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(summary["records"], 2);
    assert_eq!(summary["total_cost"], 5000 + 1250);
    assert_eq!(summary["materials"][0]["quantity_used"], 4.5);
    assert_eq!(summary["materials"][0]["waste_quantity"], 0.5);
    let listed = call(
        app,
        "GET",
        &format!("{base}/consumption"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // The report lists the materials and their cost.
    call(app, "POST", &format!("{base}/report"), Some(token), None)
        .await
        .assert_ok(StatusCode::CREATED);
    let pdf = call(app, "GET", &format!("{base}/report.pdf"), Some(token), None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = pdf_text(&pdf.body);
    assert!(
        text.contains("PPF-STD-152 Standard film 152 cm: 3.5 meter + 0.5 wasted (Cut too short)"),
        "{text}"
    );
    assert!(text.contains("62.50 EUR"), "{text}");

    let stats = call(app, "GET", "/api/v1/materials/stats", Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stats["consumption_records"], 2);
    assert_eq!(stats["consumption_cost"], 6250);
    assert_eq!(stats["waste_cost"], 625);
}

#[tokio::test]
async fn consumption_is_refused_past_the_stock_outside_the_crew_and_on_a_closed_job() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let job = intervention(&w).await;
    let film = material(app, token, json!({ "initial_stock": 2 })).await;
    let body = json!({ "material_id": id(&film), "quantity_used": 1.5, "waste_quantity": 1, "waste_reason": "torn" });
    let error = consume(app, token, &job, body)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["requested"], 2.5);
    for (body, field) in [
        (
            json!({ "material_id": id(&film), "quantity_used": 0 }),
            "quantity_used",
        ),
        (
            json!({ "material_id": id(&film), "quantity_used": 1, "waste_quantity": 1 }),
            "waste_reason",
        ),
        (
            json!({ "material_id": id(&film), "quantity_used": 1, "step_id": "00000000-0000-4000-8000-000000000000" }),
            "step_id",
        ),
    ] {
        let error = consume(app, token, &job, body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get(field).is_some(), "{body}: {error}");
    }
    consume(
        app,
        token,
        &job,
        json!({ "material_id": "00000000-0000-4000-8000-000000000000", "quantity_used": 1 }),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let other = user(app, &w.admin, "tech2", "technician").await;
    consume(
        app,
        &other.token,
        &job,
        json!({ "material_id": id(&film), "quantity_used": 1 }),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    consume(
        app,
        &w.viewer.token,
        &job,
        json!({ "material_id": id(&film), "quantity_used": 1 }),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let base = format!(
        "/api/v1/interventions/{}",
        job["intervention"]["id"].as_str().unwrap()
    );
    call(app, "POST", &format!("{base}/cancel"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    consume(
        app,
        token,
        &job,
        json!({ "material_id": id(&film), "quantity_used": 1 }),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    assert_eq!(
        ledger_of(app, token, &id(&film)).await.len(),
        1,
        "nothing but the first stock"
    );
}
