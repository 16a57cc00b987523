//! Creating, reading, changing and deleting a task; what a bad body is told; task numbers.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::json;
use sqlx::AnyPool;

use super::{client, new_task};
use crate::common::{self, call};

#[tokio::test]
async fn create_read_update_delete() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let client_id = client(&app, &admin.token, "Zoé Martin").await;

    let task = new_task("ab-123-cd", "2026-12-01")
        .client(&client_id)
        .vin("wvwzzz1jzxw000001")
        .tags(&["fleet", " fleet ", "vip"])
        .create(&app, &admin.token)
        .await;
    let number = task["task_number"].as_str().unwrap();
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    assert_eq!(number, format!("{today}-001"));
    assert_eq!(task["status"], "draft");
    assert_eq!(task["priority"], "medium");
    assert_eq!(task["title"], "Model 3 ab-123-cd");
    assert_eq!(task["vin"], "WVWZZZ1JZXW000001");
    assert_eq!(task["tags"], json!(["fleet", "vip"]));
    assert_eq!(
        task["customer_name"], "Zoé Martin",
        "copied from the client"
    );
    assert_eq!(task["customer_email"], "zomartin@example.com");
    assert_eq!(task["created_by"], admin.id.as_str());
    let id = task["id"].as_str().unwrap();

    let path = format!("/api/v1/tasks/{id}");
    assert_eq!(
        call(&app, "GET", &path, Some(&admin.token), None)
            .await
            .assert_ok(StatusCode::OK),
        task
    );
    let counters = |pool: AnyPool, id: String| async move {
        sqlx::query_as::<_, (i64, i64, i64, Option<String>)>(
            "SELECT total_tasks, active_tasks, completed_tasks, last_task_date FROM clients WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    assert_eq!(
        counters(pool.clone(), client_id.clone()).await,
        (1, 1, 0, Some("2026-12-01".into()))
    );

    let changed = call(
        &app,
        "PATCH",
        &path,
        Some(&admin.token),
        Some(json!({ "title": "Full front", "priority": "urgent", "description": "", "start_time": "09:00", "end_time": "11:30", "scheduled_date": "2026-12-03" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(changed["title"], "Full front");
    assert_eq!(changed["priority"], "urgent");
    assert_eq!(changed["start_time"], "09:00");
    assert_eq!(changed["scheduled_date"], "2026-12-03");
    assert_eq!(changed["vehicle_plate"], "ab-123-cd", "untouched");
    assert_eq!(
        counters(pool.clone(), client_id.clone()).await.3.as_deref(),
        Some("2026-12-03")
    );

    call(&app, "DELETE", &path, Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(&app, "GET", &path, Some(&admin.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    let deleted_by: Option<String> =
        sqlx::query_scalar("SELECT deleted_by FROM tasks WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(deleted_by.as_deref(), Some(admin.id.as_str()));
    assert_eq!(counters(pool, client_id).await, (0, 0, 0, None));
}

#[tokio::test]
async fn bad_input_names_each_field_and_writes_nothing() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let error = call(
        &app,
        "POST",
        "/api/v1/tasks",
        Some(&admin.token),
        Some(json!({})),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let fields: BTreeSet<&str> = error["details"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from([
            "ppf_zones",
            "scheduled_date",
            "vehicle_model",
            "vehicle_plate"
        ])
    );

    let error = new_task("AA", "2026-02-30")
        .with("vehicle_year", json!("1850"))
        .vin("IOQ")
        .zones(&[])
        .with("customer_email", json!("nope"))
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    for field in [
        "scheduled_date",
        "vehicle_year",
        "vin",
        "ppf_zones",
        "customer_email",
    ] {
        assert!(error["details"][field].is_array(), "{field}: {error}");
    }

    let starts_only = new_task("AA", "2026-12-01").with("start_time", json!("10:00"));
    starts_only
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let error = new_task("AA", "2026-12-01")
        .at("10:00", "09:00")
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["end_time"].is_array(), "{error}");

    let error = new_task("AA", "2026-12-01")
        .status("completed")
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["status"].is_array(), "{error}");

    new_task("AA", "2026-12-01")
        .with("colour", json!("red"))
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let error = new_task("AA", "2026-12-01")
        .client("00000000-0000-4000-8000-000000000000")
        .post(&app, &admin.token)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["client_id"].is_array(), "{error}");

    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM task_history")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(history, 0);
}

#[tokio::test]
async fn numbers_never_collide_under_parallel_creates() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let creates = (0..24).map(|i| {
        let app = app.router.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            new_task(&format!("P{i}"), "2026-12-01")
                .create(&app, &token)
                .await["task_number"]
                .as_str()
                .unwrap()
                .to_owned()
        })
    });
    let mut numbers = Vec::new();
    for create in creates {
        numbers.push(create.await.unwrap());
    }
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    let expected: BTreeSet<String> = (1..=24).map(|n| format!("{today}-{n:03}")).collect();
    assert_eq!(numbers.into_iter().collect::<BTreeSet<_>>(), expected);
}
