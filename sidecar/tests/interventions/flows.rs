//! Whole interventions, start to finalise: the workflow chosen, the steps in order, the data
//! each step records, progress, and the task following to `completed`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::{Workshop, call};
use crate::{advance, finalize_body, path, start, start_with, step, task, task_for_technician};

fn step_names(detail: &Value) -> Vec<String> {
    detail["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step_type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_standard_ppf_job_runs_from_inspection_to_the_completed_task() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood", "left_fender", "right_fender", "bumper"]).await;
    let mut events = w.app.state.live.subscribe();

    let detail = start(app, token, &id).await;
    let i = &detail["intervention"];
    assert_eq!(i["workflow"], "standard_ppf");
    assert_eq!(i["status"], "in_progress");
    assert_eq!(i["vehicle_plate"], "AB-123-CD");
    assert_eq!(i["technician_id"], json!(w.technician.id));
    assert_eq!(i["technician_name"], "Test User");
    assert_eq!(
        step_names(&detail),
        ["inspection", "preparation", "installation", "finalization"]
    );
    assert_eq!(detail["steps"][0]["step_status"], "in_progress");
    assert_eq!(detail["steps"][0]["max_photos_allowed"], 10);
    assert_eq!(
        detail["steps"][2]["quality_checkpoints"][0],
        "Film applied without bubbles"
    );
    assert_eq!(detail["warnings"], json!([]));
    let started = task(app, token, &id).await;
    assert_eq!(started["status"], "in_progress");
    assert_eq!(started["workflow_id"], i["id"]);
    assert_eq!(started["current_workflow_step_id"], json!(step(&detail, 1)));
    assert!(started["started_at"].is_string());

    let inspection = json!({ "collected_data": {
        "checklist": { "clean_dry": true, "temp_ok": true, "defects_logged": true },
        "defects": [{ "zone": "hood", "description": "stone chip" }],
        "environment": { "temp_celsius": 21.0, "humidity_percent": 50.0 }
    }});
    let detail = advance(app, token, &detail, 1, inspection)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(detail["steps"][0]["step_status"], "completed");
    assert_eq!(
        detail["steps"][0]["collected_data"]["defects"][0]["description"],
        "stone chip"
    );
    assert_eq!(detail["steps"][1]["step_status"], "in_progress");
    assert_eq!(detail["intervention"]["completion_percentage"], 25);
    assert_eq!(detail["intervention"]["current_step"], 2);

    let preparation = json!({ "collected_data": {
        "surfaceChecklist": { "wash": true, "clay_bar": true, "degrease": true },
        "cutChecklist": { "hood": true, "bumper": true },
        "materialsChecklist": { "XPEL Ultimate": true }
    }});
    let detail = advance(app, token, &detail, 2, preparation)
        .await
        .assert_ok(StatusCode::OK);
    let installation = json!({ "collected_data": {
        "zones": [{ "id": "hood", "name": "Capot", "status": "completed", "quality_score": 9,
                    "checklist": { "surface_ready": true, "pose_ok": true, "edges_sealed": true } }],
        "activeZoneId": "hood"
    }});
    let detail = advance(app, token, &detail, 3, installation)
        .await
        .assert_ok(StatusCode::OK);
    let finalization = json!({ "collected_data": {
        "checklist": { "edges_sealed": true, "no_bubbles": true, "client_briefed": true },
        "customer_satisfaction": 9, "quality_score": 95
    }});
    let detail = advance(app, token, &detail, 4, finalization)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(detail["intervention"]["completion_percentage"], 100);

    let done = call(
        app,
        "POST",
        &path(&detail, "/finalize"),
        Some(token),
        Some(finalize_body()),
    )
    .await
    .assert_ok(StatusCode::OK);
    let i = &done["intervention"];
    assert_eq!(i["status"], "completed");
    assert_eq!(i["customer_satisfaction"], 9);
    assert_eq!(i["quality_score"], 95);
    assert_eq!(i["signatory"], "Claire Martin");
    assert_eq!(
        i["final_observations"],
        json!(["Edges sealed", "Customer happy"])
    );
    assert!(i["customer_signature"].as_str().unwrap().contains("<path"));
    let finished = task(app, token, &id).await;
    assert_eq!(finished["status"], "completed");
    assert_eq!(finished["completed_steps"], 4);
    assert!(finished["completed_at"].is_string());

    // The task's history holds each move, and the stream said what happened, in order.
    let history = call(
        app,
        "GET",
        &format!("/api/v1/tasks/{id}/history"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let moves: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["new_status"].as_str())
        .collect();
    assert!(moves.ends_with(&["in_progress", "completed"]), "{moves:?}");
    let mut kinds = Vec::new();
    while let Ok(event) = events.try_recv() {
        kinds.push(event.kind.as_str());
    }
    let interventions: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| k.starts_with("intervention."))
        .collect();
    assert_eq!(
        interventions,
        [
            "intervention.started",
            "intervention.step_advanced",
            "intervention.step_advanced",
            "intervention.step_advanced",
            "intervention.step_advanced",
            "intervention.finalized"
        ]
    );
    assert!(kinds.contains(&"task.status_changed"), "{kinds:?}");
}

#[tokio::test]
async fn two_zones_or_fewer_run_the_express_workflow() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood", "bumper"]).await;
    let detail = start(app, token, &id).await;
    assert_eq!(detail["intervention"]["workflow"], "express_ppf");
    assert_eq!(
        step_names(&detail),
        ["inspection", "installation", "finalization"]
    );
    let mut detail = detail;
    for n in 1..=3 {
        detail = advance(app, token, &detail, n, json!({}))
            .await
            .assert_ok(StatusCode::OK);
    }
    let done = call(
        app,
        "POST",
        &path(&detail, "/finalize"),
        Some(token),
        Some(finalize_body()),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(done["intervention"]["status"], "completed");
    assert_eq!(task(app, token, &id).await["status"], "completed");
}

#[tokio::test]
async fn a_ceramic_job_may_skip_curing_and_is_paused_and_resumed_with_its_task() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood", "roof", "doors"]).await;
    let detail = start_with(
        app,
        token,
        &id,
        json!({ "intervention_type": "ceramic", "temperature_celsius": 28.0 }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(detail["intervention"]["workflow"], "ceramic");
    assert_eq!(
        step_names(&detail),
        ["preparation", "application", "curing", "finalization"]
    );
    // 28 °C is allowed, but outside the advised range.
    assert_eq!(
        detail["warnings"].as_array().unwrap().len(),
        1,
        "{}",
        detail["warnings"]
    );

    let paused = call(app, "POST", &path(&detail, "/pause"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(paused["intervention"]["status"], "paused");
    assert_eq!(paused["steps"][0]["step_status"], "paused");
    assert_eq!(task(app, token, &id).await["status"], "paused");
    advance(app, token, &detail, 1, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    let resumed = call(app, "POST", &path(&detail, "/resume"), Some(token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(resumed["steps"][0]["step_status"], "in_progress");
    assert_eq!(task(app, token, &id).await["status"], "in_progress");

    let detail = advance(app, token, &detail, 1, json!({}))
        .await
        .assert_ok(StatusCode::OK);
    let coating = json!({ "collected_data": { "layers": 2, "checklist": { "Coating applied evenly": true } } });
    let detail = advance(app, token, &detail, 2, coating)
        .await
        .assert_ok(StatusCode::OK);
    let skip = path(&detail, &format!("/steps/{}/status", step(&detail, 3)));
    let detail = call(
        app,
        "POST",
        &skip,
        Some(token),
        Some(json!({ "to": "skipped", "reason": "cures at the customer's" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(detail["steps"][2]["step_status"], "skipped");
    assert_eq!(detail["steps"][3]["step_status"], "in_progress");
    // Curing is not mandatory: three mandatory steps, two done.
    assert_eq!(detail["intervention"]["completion_percentage"], 66);
    let detail = advance(app, token, &detail, 4, json!({}))
        .await
        .assert_ok(StatusCode::OK);
    let done = call(
        app,
        "POST",
        &path(&detail, "/finalize"),
        Some(token),
        Some(finalize_body()),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(done["intervention"]["status"], "completed");
}

#[tokio::test]
async fn a_step_needing_approval_waits_for_a_supervisor_and_a_rejection_sends_it_back() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let (app, token) = (&w.app.router, w.technician.token.as_str());
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = start_with(
        app,
        token,
        &id,
        json!({ "supervisor_approval": ["inspection"] }),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    assert_eq!(detail["steps"][0]["requires_supervisor_approval"], true);
    let error = advance(app, token, &detail, 1, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    assert!(
        error["message"].as_str().unwrap().contains("approval"),
        "{error}"
    );

    let step_path = |tail: &str| path(&detail, &format!("/steps/{}/{tail}", step(&detail, 1)));
    // A technician cannot approve; a supervisor can reject with a reason, then approve.
    call(app, "POST", &step_path("approve"), Some(token), None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let sup = w.supervisor.token.as_str();
    call(
        app,
        "POST",
        &step_path("reject"),
        Some(sup),
        Some(json!({ "rejection_reason": " " })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let rejected = call(
        app,
        "POST",
        &step_path("reject"),
        Some(sup),
        Some(json!({ "rejection_reason": "photos of the chip missing" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(rejected["steps"][0]["step_status"], "rework");
    assert_eq!(
        rejected["steps"][0]["rejection_reason"],
        "photos of the chip missing"
    );
    let approved = call(app, "POST", &step_path("approve"), Some(sup), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(approved["steps"][0]["approved_by"], json!(w.supervisor.id));
    let advanced = advance(app, token, &detail, 1, json!({}))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(advanced["steps"][0]["step_status"], "completed");
}
