//! Every refused start, advance, step move, state move and finalisation: the precise code,
//! and nothing changed.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{Workshop, call};
use crate::{
    SIGNATURE, advance, finalize_body, path, start, start_with, step, task, task_for_technician,
};

#[tokio::test]
async fn starts_are_refused_outside_the_limits_and_when_one_is_active() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood"]).await;
    for (body, field) in [
        (json!({ "temperature_celsius": 9.5 }), "temperature_celsius"),
        (json!({ "temperature_celsius": 36 }), "temperature_celsius"),
        (json!({ "humidity_percentage": 81 }), "humidity_percentage"),
        (
            json!({ "location": { "lat": 91, "lon": 0 } }),
            "location.lat",
        ),
        (json!({ "intervention_type": "vinyl" }), "intervention_type"),
    ] {
        let error = start_with(app, token, &id, body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get(field).is_some(), "{body}: {error}");
    }
    assert_eq!(
        task(app, token, &id).await["status"],
        "assigned",
        "nothing changed"
    );

    let first = start(app, token, &id).await;
    start_with(app, token, &id, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_ALREADY_ACTIVE");
    let all = call(
        app,
        "GET",
        &format!("/api/v1/tasks/{id}/interventions"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(all.as_array().unwrap().len(), 1);
    let active = call(
        app,
        "GET",
        &format!("/api/v1/tasks/{id}/interventions/active"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(active["id"], first["intervention"]["id"]);

    // Once cancelled (the task with it), the task cannot be started again.
    let cancelled = call(app, "POST", &path(&first, "/cancel"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(cancelled["intervention"]["status"], "cancelled");
    assert_eq!(task(app, token, &id).await["status"], "cancelled");
    let active = call(
        app,
        "GET",
        &format!("/api/v1/tasks/{id}/interventions/active"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert!(active.is_null());
    start_with(app, token, &id, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
    assert_eq!(
        call(
            app,
            "GET",
            &format!("/api/v1/tasks/{id}/interventions"),
            Some(token),
            None
        )
        .await
        .assert_ok(StatusCode::OK)
        .as_array()
        .unwrap()
        .len(),
        1,
        "the refused start left no intervention behind"
    );
}

#[tokio::test]
async fn advances_out_of_order_without_photos_or_with_bad_data_are_refused() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood", "bumper", "mirrors"]).await;
    let detail = start_with(
        app,
        token,
        &id,
        json!({ "photo_minimums": { "preparation": 2 } }),
    )
    .await
    .assert_ok(StatusCode::CREATED);

    // Step 2 before step 1.
    let error = advance(app, token, &detail, 2, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    assert!(
        error["message"].as_str().unwrap().contains("step 1"),
        "{error}"
    );
    // Data that is not the step's.
    for (data, field) in [
        (
            json!({ "checklist": { "made_up": true } }),
            "collected_data.checklist",
        ),
        (json!({ "zones": [] }), "collected_data"),
        (
            json!({ "environment": { "temp_celsius": 40 } }),
            "collected_data.environment.temp_celsius",
        ),
    ] {
        let error = advance(
            app,
            token,
            &detail,
            1,
            json!({ "collected_data": data.clone() }),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        let named = error["details"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with(field));
        assert!(named, "{data}: {error}");
    }
    let unchanged = call(app, "GET", &path(&detail, ""), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(unchanged["steps"][0]["step_status"], "in_progress");
    assert!(unchanged["steps"][0]["collected_data"].is_null());

    // A mandatory step cannot be skipped; a step that did not fail cannot be reworked.
    let status = |n| path(&detail, &format!("/steps/{}/status", step(&detail, n)));
    call(
        app,
        "POST",
        &status(1),
        Some(token),
        Some(json!({ "to": "skipped" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    call(
        app,
        "POST",
        &status(1),
        Some(token),
        Some(json!({ "to": "rework" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    // Failed, then reworked, then completed.
    let failed = call(
        app,
        "POST",
        &status(1),
        Some(token),
        Some(json!({ "to": "failed", "reason": "lamp broken" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(failed["steps"][0]["step_status"], "failed");
    assert_eq!(
        failed["steps"][0]["observations"],
        json!(["Failed: lamp broken"])
    );
    advance(app, token, &detail, 1, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    call(
        app,
        "POST",
        &status(1),
        Some(token),
        Some(json!({ "to": "rework" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let detail = advance(app, token, &detail, 1, json!({}))
        .await
        .assert_ok(StatusCode::OK);

    // Preparation needs two photos before it completes.
    let error = advance(app, token, &detail, 2, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    assert!(
        error["message"].as_str().unwrap().contains("2 photos"),
        "{error}"
    );
}

#[tokio::test]
async fn finalising_needs_every_mandatory_step_a_running_job_and_a_real_signature() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = start(app, token, &id).await;
    let finalize = path(&detail, "/finalize");

    let error = call(app, "POST", &finalize, Some(token), Some(finalize_body()))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    assert!(
        error["message"].as_str().unwrap().contains("Inspection"),
        "{error}"
    );

    let mut detail = detail;
    for n in 1..=3 {
        detail = advance(app, token, &detail, n, json!({}))
            .await
            .assert_ok(StatusCode::OK);
    }
    for (body, field) in [
        (
            json!({ "customer_satisfaction": 11 }),
            "customer_satisfaction",
        ),
        (json!({ "quality_score": -1 }), "quality_score"),
        (
            json!({ "customer_signature": { "svg_data": "<html/>", "signatory": "C" } }),
            "customer_signature.svg_data",
        ),
        (
            json!({ "customer_signature": { "svg_data": SIGNATURE, "signatory": "  " } }),
            "customer_signature.signatory",
        ),
    ] {
        let mut request = finalize_body();
        for (key, value) in body.as_object().unwrap() {
            request[key] = value.clone();
        }
        let error = call(app, "POST", &finalize, Some(token), Some(request))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"].get(field).is_some(), "{field}: {error}");
    }
    assert_eq!(
        task(app, token, &id).await["status"],
        "in_progress",
        "nothing changed"
    );

    // A hostile signature is stored without its script.
    let mut request = finalize_body();
    request["customer_signature"]["svg_data"] = json!(SIGNATURE.replace(
        "<path",
        "<script>alert(1)</script><path onclick=\"steal()\""
    ));
    let done = call(app, "POST", &finalize, Some(token), Some(request))
        .await
        .assert_ok(StatusCode::OK);
    let svg = done["intervention"]["customer_signature"].as_str().unwrap();
    assert!(!svg.contains("script") && !svg.contains("onclick"), "{svg}");

    // A finalised intervention moves no more.
    for tail in ["/pause", "/resume", "/cancel"] {
        call(app, "POST", &path(&detail, tail), Some(token), None)
            .await
            .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    }
    call(app, "POST", &finalize, Some(token), Some(finalize_body()))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    // Resuming what is not paused is refused too.
    let other = task_for_technician(&w, &["roof"]).await;
    let running = start(app, token, &other).await;
    call(app, "POST", &path(&running, "/resume"), Some(token), None)
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
}
