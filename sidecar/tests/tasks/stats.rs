//! Task statistics over a date range, and the client counters that follow the tasks.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{client, new_task, transition};
use crate::common::{self, call};

#[tokio::test]
async fn stats_count_in_sql_over_a_range() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let client_id = client(&app, &admin.token, "Stats Client").await;
    // Days 1-6 of December 2020 (past: open ones are overdue), 2 of them completed.
    let mut ids = Vec::new();
    for day in 1..=6 {
        let task = new_task("ST", &format!("2020-12-{day:02}"))
            .priority(if day <= 2 { "high" } else { "low" })
            .client(&client_id)
            .create(&app, &admin.token)
            .await;
        ids.push(common::id(&task));
    }
    for (id, minutes) in [(&ids[0], 60), (&ids[1], 120)] {
        for to in ["pending", "in_progress", "completed"] {
            transition(&app, &admin.token, id, to)
                .await
                .assert_ok(StatusCode::OK);
        }
        call(
            &app,
            "PATCH",
            &format!("/api/v1/tasks/{id}"),
            Some(&admin.token),
            Some(json!({ "actual_duration": minutes })),
        )
        .await
        .assert_ok(StatusCode::OK);
    }
    transition(&app, &admin.token, &ids[2], "cancelled")
        .await
        .assert_ok(StatusCode::OK);
    new_task("FUT", "2099-01-01")
        .create(&app, &admin.token)
        .await;

    let stats = call(
        &app,
        "GET",
        "/api/v1/tasks/stats?from=2020-12-01&to=2020-12-31",
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(stats["total"], 6);
    assert_eq!(stats["completed"], 2);
    assert_eq!(stats["completion_rate"], 33.3);
    assert_eq!(stats["by_status"]["completed"], 2);
    assert_eq!(stats["by_status"]["cancelled"], 1);
    assert_eq!(stats["by_status"]["draft"], 3);
    assert_eq!(stats["by_status"]["archived"], 0);
    assert_eq!(stats["by_status"].as_object().unwrap().len(), 13);
    assert_eq!(stats["average_duration_by_status"]["completed"], 90.0);
    assert_eq!(stats["average_duration_by_status"]["draft"], Value::Null);
    assert_eq!(
        stats["by_priority"],
        json!({ "high": 2, "low": 4, "medium": 0, "urgent": 0 })
    );
    assert_eq!(stats["overdue"], 3, "the three open past tasks");
    let all = call(&app, "GET", "/api/v1/tasks/stats", Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(all["total"], 7);
    call(
        &app,
        "GET",
        "/api/v1/tasks/stats?from=2020-12-31&to=2020-12-01",
        Some(&admin.token),
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    // The client's counters agree with what happened.
    let client = call(
        &app,
        "GET",
        &format!("/api/v1/clients/{client_id}?include=tasks"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            client["total_tasks"].as_i64(),
            client["active_tasks"].as_i64(),
            client["completed_tasks"].as_i64()
        ),
        (Some(6), Some(3), Some(2))
    );
    assert_eq!(client["last_task_date"], "2020-12-06");
    let dates: Vec<&str> = client["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["scheduled_date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2020-12-06",
            "2020-12-05",
            "2020-12-04",
            "2020-12-03",
            "2020-12-02",
            "2020-12-01"
        ]
    );
    let plain = call(
        &app,
        "GET",
        &format!("/api/v1/clients/{client_id}"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    assert!(plain.get("tasks").is_none(), "{plain}");
    call(
        &app,
        "GET",
        &format!("/api/v1/clients/{client_id}?include=quotes"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
}
