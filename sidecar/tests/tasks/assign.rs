//! Assigning a technician, availability, and the slot a booked technician cannot be given twice.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{new_task, transition};
use crate::common::{Workshop, call, id};

#[tokio::test]
async fn assignment_checks_the_technician_and_the_slot() {
    let (pool, _db) = crate::common::database().await;
    let Workshop {
        app,
        admin,
        technician: tech,
        viewer,
        ..
    } = Workshop::new(pool.clone()).await;
    let slot = |start: &str, end: &str| new_task("AS-1", "2026-12-01").at(start, end);
    let assign = |id: String, technician: Value| {
        let app = app.router.clone();
        let token = admin.token.clone();
        async move {
            call(
                &app,
                "POST",
                &format!("/api/v1/tasks/{id}/assign"),
                Some(&token),
                Some(json!({ "technician_id": technician })),
            )
            .await
        }
    };
    let morning = slot("09:00", "12:00").create(&app, &admin.token).await;
    let overlapping = slot("11:00", "13:00").create(&app, &admin.token).await;
    let afternoon = slot("12:00", "14:00").create(&app, &admin.token).await;

    let error = assign(id(&morning), json!(viewer.id))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["technician_id"].is_array(), "{error}");
    let assigned = assign(id(&morning), json!(tech.id))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(assigned["technician_id"], tech.id.as_str());
    assert_eq!(assigned["assigned_by"], admin.id.as_str());

    let availability = |query: String| {
        let app = app.router.clone();
        let token = admin.token.clone();
        async move {
            call(
                &app,
                "GET",
                &format!("/api/v1/tasks/availability?{query}"),
                Some(&token),
                None,
            )
            .await
            .assert_ok(StatusCode::OK)
        }
    };
    let busy = availability(format!(
        "technician_id={}&date=2026-12-01&start=11:00&end=13:00",
        tech.id
    ))
    .await;
    assert_eq!(busy["available"], false);
    assert_eq!(busy["conflicts"][0]["id"], morning["id"]);
    assert_eq!(busy["conflicts"][0]["kind"], "task");
    let free = availability(format!(
        "technician_id={}&date=2026-12-01&start=12:00&end=14:00",
        tech.id
    ))
    .await;
    assert_eq!(
        (free["available"].as_bool(), free["technician_ok"].as_bool()),
        (Some(true), Some(true))
    );
    let whole_day = availability(format!("technician_id={}&date=2026-12-01", tech.id)).await;
    assert_eq!(whole_day["available"], false);
    // A technician may ask only about themselves.
    call(
        &app,
        "GET",
        &format!(
            "/api/v1/tasks/availability?technician_id={}&date=2026-12-01",
            admin.id
        ),
        Some(&tech.token),
        None,
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    let own = call(
        &app,
        "GET",
        &format!(
            "/api/v1/tasks/availability?technician_id={}&date=2026-12-02",
            tech.id
        ),
        Some(&tech.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(own["available"], true);
    let not_tech = availability(format!("technician_id={}&date=2026-12-01", viewer.id)).await;
    assert_eq!(
        (
            not_tech["available"].as_bool(),
            not_tech["technician_ok"].as_bool()
        ),
        (Some(false), Some(false))
    );

    let error = assign(id(&overlapping), json!(tech.id))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], morning["id"]);
    let unchanged: Option<String> =
        sqlx::query_scalar("SELECT technician_id FROM tasks WHERE id = $1")
            .bind(id(&overlapping))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unchanged, None);
    assign(id(&afternoon), json!(tech.id))
        .await
        .assert_ok(StatusCode::OK);

    // Moving a booked task onto another of the technician's slots is refused too.
    let error = call(
        &app,
        "PATCH",
        &format!("/api/v1/tasks/{}", id(&afternoon)),
        Some(&admin.token),
        Some(json!({ "start_time": "10:00", "end_time": "12:30" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(error["details"]["conflicts"][0]["id"], morning["id"]);
    // Cancelling frees the slot.
    transition(&app, &admin.token, &id(&morning), "cancelled")
        .await
        .assert_ok(StatusCode::OK);
    assign(id(&overlapping), json!(tech.id))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assign(id(&morning), json!(tech.id))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    // Unassigning frees it as well.
    assign(id(&afternoon), Value::Null)
        .await
        .assert_ok(StatusCode::OK);
    assign(id(&overlapping), json!(tech.id))
        .await
        .assert_ok(StatusCode::OK);
}
