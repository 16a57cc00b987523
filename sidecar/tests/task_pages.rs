//! The task list's kept pages: a page is sent again only while no task has changed, whatever
//! wrote the change, and one caller's page never answers another's.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{ClientBuilder, TaskBuilder, call};
use serde_json::{Value, json};

/// Create a task on 2026-12-03, for `technician` when given; returns it.
async fn create(app: &axum::Router, token: &str, plate: &str, technician: Option<&str>) -> Value {
    let mut task = TaskBuilder::new()
        .plate(plate)
        .model("Model Y")
        .on("2026-12-03");
    if let Some(technician) = technician {
        task = task.technician(technician);
    }
    task.create(app, token).await
}

/// The plates of the default page, and its total.
async fn plates(app: &axum::Router, token: &str) -> (Vec<String>, i64) {
    let page = call(
        app,
        "GET",
        "/api/v1/tasks?sort=task_number",
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let plates = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["vehicle_plate"].as_str().unwrap().to_owned())
        .collect();
    (plates, page["total"].as_i64().unwrap())
}

#[tokio::test]
async fn a_kept_page_never_outlives_a_change_to_a_task() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let first = create(&app, &admin.token, "AA-1", None).await;
    assert_eq!(plates(&app, &admin.token).await, (vec!["AA-1".into()], 1));
    assert_eq!(app.state.task_pages.len(), 1, "the page is kept");
    // SQLite's versions come from its WAL-index, as on the server; PostgreSQL's are read by
    // a query each time (another server may have committed).
    assert_eq!(
        app.state.versions.watches_commits(),
        !common::on_postgres(),
        "versions come from the WAL-index on SQLite only"
    );

    // The same request again is the kept page: same bytes.
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let reply = call(
            &app,
            "GET",
            "/api/v1/tasks?sort=task_number",
            Some(&admin.token),
            None,
        )
        .await;
        bodies.push(reply.body);
    }
    assert_eq!(bodies[0], bodies[1]);

    // Through the API: a create, a change, a delete.
    create(&app, &admin.token, "BB-2", None).await;
    assert_eq!(
        plates(&app, &admin.token).await,
        (vec!["AA-1".into(), "BB-2".into()], 2)
    );
    let id = first["id"].as_str().unwrap();
    call(
        &app,
        "PATCH",
        &format!("/api/v1/tasks/{id}"),
        Some(&admin.token),
        Some(json!({ "vehicle_plate": "AA-9" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        plates(&app, &admin.token).await,
        (vec!["AA-9".into(), "BB-2".into()], 2)
    );
    call(
        &app,
        "DELETE",
        &format!("/api/v1/tasks/{id}"),
        Some(&admin.token),
        None,
    )
    .await;
    assert_eq!(plates(&app, &admin.token).await, (vec!["BB-2".into()], 1));

    // Behind the API's back: plain SQL on the pool, as another tool on the same file would.
    sqlx::query("UPDATE tasks SET vehicle_plate = 'CC-3' WHERE vehicle_plate = 'BB-2'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(plates(&app, &admin.token).await, (vec!["CC-3".into()], 1));

    // A change that is rolled back leaves the page as it was.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("UPDATE tasks SET vehicle_plate = 'ROLLED-BACK'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(plates(&app, &admin.token).await, (vec!["CC-3".into()], 1));
}

#[tokio::test]
async fn a_kept_page_answers_only_callers_who_see_the_same_tasks() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool);
    let admin = common::admin(&app).await;
    let ana = common::user(&app, &admin, "ana", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    create(&app, &admin.token, "ANA-1", Some(&ana.id)).await;
    create(&app, &admin.token, "BOB-1", Some(&bob.id)).await;

    // Each asks for the same URL; the admin's page is kept first.
    assert_eq!(
        plates(&app, &admin.token).await,
        (vec!["ANA-1".into(), "BOB-1".into()], 2)
    );
    assert_eq!(plates(&app, &ana.token).await, (vec!["ANA-1".into()], 1));
    assert_eq!(plates(&app, &bob.token).await, (vec!["BOB-1".into()], 1));
    // And again, now that all three pages are kept.
    assert_eq!(plates(&app, &ana.token).await, (vec!["ANA-1".into()], 1));
    assert_eq!(
        plates(&app, &admin.token).await,
        (vec!["ANA-1".into(), "BOB-1".into()], 2)
    );
}

#[tokio::test]
async fn the_tasks_version_moves_only_with_committed_task_changes() {
    let (pool, _db) = common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let version = async || rpma_sidecar::db::version(&pool, "tasks").await.unwrap();
    let start = version().await;
    let task = create(&app, &admin.token, "VV-1", None).await;
    let created = version().await;
    assert!(created > start, "a create moves the version");

    // Writes elsewhere (a client, a user) leave it.
    ClientBuilder::new("Other")
        .email("other@example.com")
        .create(&app, &admin.token)
        .await;
    assert_eq!(version().await, created);

    let id = task["id"].as_str().unwrap();
    common::transition(&app, &admin.token, id, "scheduled", None)
        .await
        .assert_ok(StatusCode::OK);
    assert!(version().await > created, "a transition moves the version");
}
