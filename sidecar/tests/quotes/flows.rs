//! A quote's life through the API: created with its lines and the server's totals, edited only
//! as a draft, sent (not empty), answered, expired past its day, exported as a PDF, and
//! converted into its task in one transaction; and who may do what.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{Workshop, call, pdf_text};
use crate::{client, create_with, move_to, quote};

#[tokio::test]
async fn an_accepted_quote_converts_into_its_task_in_one_go() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, sup) = (&w.app.router, w.supervisor.token.as_str());
    let client = client(&w).await;
    let q = quote(&w, &client).await;
    assert_eq!(q["quote_number"], "DEV-00001");
    assert_eq!(q["status"], "draft");
    assert_eq!(q["vehicle_plate"], "AB-123-CD");
    // 3 h × 60.00 + 2.5 × 40.00 = 280.00, 20 % tax (the default rate) = 56.00.
    assert_eq!(
        (
            q["subtotal"].as_i64(),
            q["tax_total"].as_i64(),
            q["total"].as_i64()
        ),
        (Some(28_000), Some(5600), Some(33_600))
    );
    assert_eq!(q["totals"]["lines"], json!([18_000, 10_000]));
    assert_eq!(q["client_name"], "Claire Martin");
    let second = quote(&w, &client).await;
    assert_eq!(second["quote_number"], "DEV-00002");

    // The list shows the same totals, filtered by status.
    let drafts = call(
        app,
        "GET",
        "/api/v1/quotes?status=draft",
        Some(&w.viewer.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(drafts["total"], 2);
    assert_eq!(drafts["items"][1]["total"], 33_600);
    for (query, found) in [
        ("q=claire", 2),
        ("q=DEV-00002", 1),
        ("q=ab-123", 2),
        ("q=nobody", 0),
        ("status=sent", 0),
    ] {
        let page = call(
            app,
            "GET",
            &format!("/api/v1/quotes?{query}"),
            Some(sup),
            None,
        )
        .await
        .assert_ok(StatusCode::OK);
        assert_eq!(page["total"], found, "{query}");
    }

    let id = q["id"].as_str().unwrap();
    for to in ["sent", "accepted"] {
        move_to(app, sup, &q, to).await.assert_ok(StatusCode::OK);
    }
    let mut events = w.app.state.live.subscribe();
    let technician = w.technician.id.clone();
    let converted = call(
        app,
        "POST",
        &format!("/api/v1/quotes/{id}/convert"),
        Some(sup),
        Some(json!({ "scheduled_date": "2026-12-20", "start_time": "09:00", "end_time": "12:00", "technician_id": technician })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let task = &converted["task"];
    assert_eq!(converted["quote"]["status"], "converted");
    assert_eq!(converted["quote"]["task_id"], task["id"]);
    assert_eq!(task["client_id"], json!(client));
    assert_eq!(task["vehicle_plate"], "AB-123-CD");
    assert_eq!(task["vehicle_model"], "308");
    assert_eq!(task["ppf_zones"], json!(["hood", "bumper"]));
    assert_eq!(task["status"], "assigned");
    assert_eq!(task["technician_id"], json!(w.technician.id));
    assert_eq!(task["estimated_duration"], 180, "3 h of labour");
    assert!(
        task["description"]
            .as_str()
            .unwrap()
            .contains("- Fitting (3 h)"),
        "{task}"
    );
    let mut kinds = Vec::new();
    while let Ok(event) = events.try_recv() {
        kinds.push(event.kind.as_str());
    }
    assert!(
        kinds.contains(&"quote.converted") && kinds.contains(&"task.created"),
        "{kinds:?}"
    );

    // The task opens; converting twice is refused.
    let uri = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());
    call(app, "GET", &uri, Some(sup), None)
        .await
        .assert_ok(StatusCode::OK);
    call(
        app,
        "POST",
        &format!("/api/v1/quotes/{id}/convert"),
        Some(sup),
        Some(json!({ "scheduled_date": "2026-12-21" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
}

#[tokio::test]
async fn the_state_machine_holds_at_every_edge() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, sup) = (&w.app.router, w.supervisor.token.as_str());
    let client = client(&w).await;
    // Every status and where it may go; the rest is INVALID_TRANSITION with the allowed list.
    let allowed: &[(&str, &[&str])] = &[
        ("draft", &["sent", "expired"]),
        (
            "sent",
            &["accepted", "rejected", "expired", "changes_requested"],
        ),
        ("accepted", &[]),
        ("rejected", &["draft"]),
        ("changes_requested", &["draft"]),
    ];
    let path_to: &[(&str, &[&str])] = &[
        ("draft", &[]),
        ("sent", &["sent"]),
        ("accepted", &["sent", "accepted"]),
        ("rejected", &["sent", "rejected"]),
        ("changes_requested", &["sent", "changes_requested"]),
    ];
    let all = [
        "draft",
        "sent",
        "accepted",
        "rejected",
        "expired",
        "converted",
        "changes_requested",
    ];
    for ((from, targets), (_, steps)) in allowed.iter().zip(path_to) {
        for to in all {
            let q = quote(&w, &client).await;
            for step in *steps {
                move_to(app, sup, &q, step).await.assert_ok(StatusCode::OK);
            }
            // Expiring by hand is the admin's; converting has its own route.
            let token = if to == "expired" { &w.admin.token } else { sup };
            let reply = move_to(app, token, &q, to).await;
            if targets.contains(&to) {
                assert_eq!(
                    reply.assert_ok(StatusCode::OK)["status"],
                    to,
                    "{from} → {to}"
                );
            } else {
                let error = reply.assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
                assert_eq!(error["details"]["from"], *from, "{from} → {to}: {error}");
            }
        }
    }
    // Expired is final; a supervisor cannot expire by hand.
    let q = quote(&w, &client).await;
    move_to(app, sup, &q, "expired")
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    move_to(app, &w.admin.token, &q, "expired")
        .await
        .assert_ok(StatusCode::OK);
    move_to(app, sup, &q, "draft")
        .await
        .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
}

#[tokio::test]
async fn only_drafts_change_and_an_empty_quote_is_not_sent() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, sup) = (&w.app.router, w.supervisor.token.as_str());
    let client = client(&w).await;
    let empty = create_with(&w, &client, json!({ "items": [] }))
        .await
        .assert_ok(StatusCode::CREATED);
    let error = move_to(app, sup, &empty, "sent")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"].get("items").is_some());

    let q = quote(&w, &client).await;
    let id = q["id"].as_str().unwrap();
    let base = format!("/api/v1/quotes/{id}");
    // Draft: lines are added (a material's line takes its price), changed, reordered, removed.
    let material = call(app, "POST", "/api/v1/materials", Some(sup), Some(json!({
        "sku": "FILM-1", "name": "Gloss film", "material_type": "ppf_film", "unit_of_measure": "meter", "unit_cost": 3550 })))
        .await
        .assert_ok(StatusCode::CREATED);
    let added = call(
        app,
        "POST",
        &format!("{base}/items"),
        Some(sup),
        Some(json!({ "kind": "material", "material_id": material["id"], "qty": 2 })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let line = &added["items"][2];
    assert_eq!(
        (
            line["label"].as_str(),
            line["unit_price"].as_i64(),
            line["position"].as_i64()
        ),
        (Some("Gloss film"), Some(3550), Some(3))
    );
    assert_eq!(added["subtotal"], 28_000 + 7100);
    let ids: Vec<&str> = added["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .rev()
        .collect();
    let reordered = call(
        app,
        "PUT",
        &format!("{base}/items/order"),
        Some(sup),
        Some(json!({ "item_ids": ids })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(reordered["items"][0]["label"], "Gloss film");
    call(
        app,
        "PUT",
        &format!("{base}/items/order"),
        Some(sup),
        Some(json!({ "item_ids": [ids[0]] })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let item = format!("{base}/items/{}", ids[0]);
    let changed = call(app, "PATCH", &item, Some(sup), Some(json!({ "qty": 1 })))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(changed["subtotal"], 28_000 + 3550);
    let discounted = call(
        app,
        "PATCH",
        &base,
        Some(sup),
        Some(json!({ "discount_type": "fixed", "discount_value": 1550 })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            discounted["discount_amount"].as_i64(),
            discounted["total"].as_i64()
        ),
        (Some(1550), Some(30_000 + 6000))
    );
    call(app, "DELETE", &item, Some(sup), None)
        .await
        .assert_ok(StatusCode::OK);

    // Sent: nothing changes any more, not the quote, not its lines.
    move_to(app, sup, &q, "sent")
        .await
        .assert_ok(StatusCode::OK);
    let attempts = [
        (
            "PATCH",
            base.clone(),
            Some(json!({ "notes": "late change" })),
        ),
        (
            "POST",
            format!("{base}/items"),
            Some(json!({ "kind": "service", "label": "Extra", "unit_price": 100 })),
        ),
        (
            "PATCH",
            format!("{base}/items/{}", ids[1]),
            Some(json!({ "qty": 9 })),
        ),
        ("DELETE", format!("{base}/items/{}", ids[1]), None),
        (
            "PUT",
            format!("{base}/items/order"),
            Some(json!({ "item_ids": [ids[2], ids[1]] })),
        ),
    ];
    for (method, uri, body) in attempts {
        let error = call(app, method, &uri, Some(sup), body)
            .await
            .assert_error(StatusCode::CONFLICT, "CONFLICT");
        assert_eq!(error["details"]["status"], "sent", "{method} {uri}");
    }
    let after = call(app, "GET", &base, Some(sup), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        after["total"],
        36_000 - 4260,
        "still the total it was sent with"
    );
    // Changes asked: back to a draft, and editable again.
    move_to(app, sup, &q, "changes_requested")
        .await
        .assert_ok(StatusCode::OK);
    move_to(app, sup, &q, "draft")
        .await
        .assert_ok(StatusCode::OK);
    call(
        app,
        "PATCH",
        &base,
        Some(sup),
        Some(json!({ "notes": "now" })),
    )
    .await
    .assert_ok(StatusCode::OK);
}

#[tokio::test]
async fn a_quote_past_its_day_expires_on_the_next_read() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, sup) = (&w.app.router, w.supervisor.token.as_str());
    let client = client(&w).await;
    // A day in the past is refused; a quote whose last day goes by expires on the next read.
    create_with(&w, &client, json!({ "valid_until": "2020-01-31" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let q = quote(&w, &client).await;
    // Time passes: the quote's last day is behind us.
    sqlx::query("UPDATE quotes SET valid_until = '2020-01-31'")
        .execute(&w.app.state.writer)
        .await
        .unwrap();
    let got = call(
        app,
        "GET",
        &format!("/api/v1/quotes/{}", q["id"].as_str().unwrap()),
        Some(sup),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(got["status"], "expired");
    move_to(app, sup, &q, "sent")
        .await
        .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
    let history: Vec<(String, String)> =
        sqlx::query_as("SELECT old_status, new_status FROM quote_history")
            .fetch_all(&w.app.state.db)
            .await
            .unwrap();
    assert_eq!(history, [("draft".to_owned(), "expired".to_owned())]);
}

#[tokio::test]
async fn the_pdf_holds_the_number_client_lines_and_totals() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let client = client(&w).await;
    let q = create_with(
        &w,
        &client,
        json!({ "discount_type": "percentage", "discount_value": 1000 }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let pdf = call(
        &w.app,
        "GET",
        &format!("/api/v1/quotes/{}/pdf", q["id"].as_str().unwrap()),
        Some(&w.technician.token),
        None,
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.header("content-disposition"),
        Some("attachment; filename=\"DEV-00001.pdf\"")
    );
    let text = pdf_text(&pdf.body);
    // 280.00 − 10 % = 252.00; tax 20 % of that 50.40; total 302.40.
    for expected in [
        "Quote DEV-00001",
        "Claire Martin",
        "AB-123-CD",
        "Fitting",
        "Film",
        "280.00 EUR",
        "-28.00 EUR",
        "50.40 EUR",
        "302.40 EUR",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[tokio::test]
async fn bad_quotes_are_refused_with_their_fields() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let client = client(&w).await;
    for (body, field) in [
        (
            json!({ "client_id": "00000000-0000-4000-8000-000000000000" }),
            "client_id",
        ),
        (json!({ "valid_until": "31/12/2026" }), "valid_until"),
        (
            json!({ "discount_type": "percentage", "discount_value": 10_001 }),
            "discount_value",
        ),
        (json!({ "discount_value": 100 }), "discount_type"),
        (
            json!({ "items": [{ "kind": "labor", "label": "x", "qty": 0 }] }),
            "qty",
        ),
        (
            json!({ "items": [{ "kind": "labor", "label": "x", "tax_rate": 5.555 }] }),
            "tax_rate",
        ),
        (json!({ "items": [{ "kind": "labor" }] }), "label"),
        (
            json!({ "items": [{ "kind": "discount", "label": "too much", "unit_price": 999_999 }] }),
            "unit_price",
        ),
    ] {
        let error = create_with(&w, &client, body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get(field).is_some(), "{body}: {error}");
    }
    let page = call(&w.app, "GET", "/api/v1/quotes", Some(&w.admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(page["total"], 0, "nothing was written");
    // A technician reads quotes but does not write them.
    create_with(&w, &client, json!({}))
        .await
        .assert_ok(StatusCode::CREATED);
    call(
        &w.app,
        "POST",
        "/api/v1/quotes",
        Some(&w.technician.token),
        Some(json!({ "client_id": client })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
}

#[tokio::test]
async fn the_conversion_takes_from_the_request_what_the_quote_lacks() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, sup) = (&w.app.router, w.supervisor.token.as_str());
    let client = client(&w).await;
    let q = create_with(
        &w,
        &client,
        json!({ "vehicle_plate": "", "vehicle_model": "", "ppf_zones": [] }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    for to in ["sent", "accepted"] {
        move_to(app, sup, &q, to).await.assert_ok(StatusCode::OK);
    }
    let uri = format!("/api/v1/quotes/{}/convert", q["id"].as_str().unwrap());
    let error = call(
        app,
        "POST",
        &uri,
        Some(sup),
        Some(json!({ "scheduled_date": "2026-12-20" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    for field in ["vehicle_plate", "vehicle_model", "ppf_zones"] {
        assert!(error["details"].get(field).is_some(), "{field}: {error}");
    }
    let body = json!({ "scheduled_date": "2026-12-20", "vehicle_plate": "ZZ-999-ZZ", "vehicle_model": "Clio", "ppf_zones": ["hood"] });
    let converted = call(app, "POST", &uri, Some(sup), Some(body))
        .await
        .assert_ok(StatusCode::CREATED);
    assert_eq!(converted["task"]["vehicle_plate"], "ZZ-999-ZZ");
    assert_eq!(converted["task"]["status"], "pending");
}
