//! Who may touch an intervention: a technician only those of their own tasks, viewers none;
//! and two advances of one step at once, of which exactly one wins.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{TaskBuilder, Workshop, call, user};
use crate::{advance, path, start, step, task_for_technician};

#[tokio::test]
async fn a_technician_cannot_touch_another_technicians_intervention() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let app = &w.app.router;
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = start(app, &w.technician.token, &id).await;
    let other = user(app, &w.admin, "tech2", "technician").await;

    // Not found for the other technician, whatever they try; forbidden for the viewer.
    let step_path = |tail: &str| path(&detail, &format!("/steps/{}{tail}", step(&detail, 1)));
    let attempts = [
        ("GET", path(&detail, ""), None),
        ("GET", path(&detail, "/progress"), None),
        ("GET", step_path(""), None),
        ("PUT", step_path(""), Some(json!({ "notes": "mine now" }))),
        ("POST", step_path("/advance"), Some(json!({}))),
        ("POST", path(&detail, "/pause"), None),
        ("POST", path(&detail, "/cancel"), None),
        ("GET", format!("/api/v1/tasks/{id}/interventions"), None),
    ];
    for (method, uri, body) in &attempts {
        call(app, method, uri, Some(&other.token), body.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
        call(app, method, uri, Some(&w.viewer.token), body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    }
    // The other technician cannot start one on a task that is not theirs either.
    call(
        app,
        "POST",
        "/api/v1/interventions",
        Some(&other.token),
        Some(json!({ "task_id": id })),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    // Their list is empty; a supervisor's holds it.
    let theirs = call(
        app,
        "GET",
        "/api/v1/interventions",
        Some(&other.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(theirs["total"], 0);
    let all = call(
        app,
        "GET",
        "/api/v1/interventions?active=true",
        Some(&w.supervisor.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(all["total"], 1);
    // Nothing the other technician sent changed the step.
    let after = call(
        app,
        "GET",
        &path(&detail, ""),
        Some(&w.technician.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(after["steps"][0]["step_status"], "in_progress");
    assert!(after["steps"][0]["notes"].is_null());
}

#[tokio::test]
async fn two_parallel_advances_of_one_step_exactly_one_wins() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let app = &w.app.router;
    let id = task_for_technician(&w, &["hood"]).await;
    let detail = start(app, &w.technician.token, &id).await;
    let (a, b) = tokio::join!(
        advance(app, &w.technician.token, &detail, 1, json!({})),
        advance(app, &w.supervisor.token, &detail, 1, json!({})),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let loser = if a.status == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    loser.assert_error(StatusCode::CONFLICT, "INTERVENTION_INVALID_STATE");
    let after = call(
        app,
        "GET",
        &path(&detail, ""),
        Some(&w.technician.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(after["steps"][0]["step_status"], "completed");
    assert_eq!(after["steps"][1]["step_status"], "in_progress");
    assert_eq!(after["steps"][2]["step_status"], "pending");
}

#[tokio::test]
async fn lists_filter_by_technician_status_and_start_date() {
    let (pool, _db) = crate::common::database().await;
    let w = Workshop::new(pool).await;
    let app = &w.app.router;
    let sup = w.supervisor.token.as_str();
    let first = task_for_technician(&w, &["hood"]).await;
    let unassigned = TaskBuilder::new()
        .plate("ZZ-999-ZZ")
        .on("2026-12-11")
        .zones(&["roof"])
        .status("pending")
        .create(app, &w.admin.token)
        .await;
    let one = start(app, &w.technician.token, &first).await;
    start(app, sup, &crate::common::id(&unassigned)).await;
    call(app, "POST", &path(&one, "/pause"), Some(sup), None)
        .await
        .assert_ok(StatusCode::OK);

    let list = |query: String| async move {
        call(
            app,
            "GET",
            &format!("/api/v1/interventions{query}"),
            Some(sup),
            None,
        )
        .await
        .assert_ok(StatusCode::OK)["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(list(String::new()).await, 2);
    assert_eq!(list(format!("?technician_id={}", w.technician.id)).await, 1);
    assert_eq!(list("?status=paused".into()).await, 1);
    assert_eq!(list("?status=in_progress".into()).await, 1);
    let today = chrono::Utc::now().date_naive();
    assert_eq!(list(format!("?from={today}&to={today}")).await, 2);
    assert_eq!(list("?to=2000-01-01".into()).await, 0);
    call(
        app,
        "GET",
        "/api/v1/interventions?from=yesterday",
        Some(sup),
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let latest = call(
        app,
        "GET",
        &format!("/api/v1/tasks/{first}/interventions/latest"),
        Some(sup),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(latest["id"], one["intervention"]["id"]);
}
