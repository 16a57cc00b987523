//! Tasks: CRUD, filters and pages, numbers under concurrency, the state machine and its
//! history, delays, notes, assignment and availability, technician limits, stats, CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Account, call};
use serde_json::{Value, json};
use sqlx::SqlitePool;

fn task_body(plate: &str, date: &str) -> Value {
    json!({
        "vehicle_plate": plate, "vehicle_model": "Model 3", "ppf_zones": ["hood", "left_fender"],
        "scheduled_date": date,
    })
}

async fn create(app: &axum::Router, token: &str, body: Value) -> Value {
    call(app, "POST", "/api/v1/tasks", Some(token), Some(body))
        .await
        .assert_ok(StatusCode::CREATED)
}

async fn client(app: &axum::Router, token: &str, name: &str) -> String {
    let data = call(
        app,
        "POST",
        "/api/v1/clients",
        Some(token),
        Some(json!({ "name": name, "email": format!("{}@example.com", name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "")), "phone": "+33 6 00 00 00 00" })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    data["id"].as_str().unwrap().to_owned()
}

async fn list(app: &axum::Router, token: &str, query: &str) -> Value {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks?{query}"),
        Some(token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK)
}

async fn transition(app: &axum::Router, token: &str, id: &str, to: &str) -> common::Reply {
    call(
        app,
        "POST",
        &format!("/api/v1/tasks/{id}/transition"),
        Some(token),
        Some(json!({ "to": to, "reason": format!("to {to}") })),
    )
    .await
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn create_read_update_delete(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let client_id = client(&app, &admin.token, "Zoé Martin").await;

    let mut body = task_body("ab-123-cd", "2026-12-01");
    body["client_id"] = json!(client_id);
    body["vin"] = json!("wvwzzz1jzxw000001");
    body["tags"] = json!(["fleet", " fleet ", "vip"]);
    let task = create(&app, &admin.token, body).await;
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
    let counters = |pool: SqlitePool, id: String| async move {
        sqlx::query_as::<_, (i64, i64, i64, Option<String>)>(
            "SELECT total_tasks, active_tasks, completed_tasks, last_task_date FROM clients WHERE id = ?",
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
        sqlx::query_scalar("SELECT deleted_by FROM tasks WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(deleted_by.as_deref(), Some(admin.id.as_str()));
    assert_eq!(counters(pool, client_id).await, (0, 0, 0, None));
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn bad_input_names_each_field_and_writes_nothing(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let post = |body: Value| {
        call(
            &app,
            "POST",
            "/api/v1/tasks",
            Some(&admin.token),
            Some(body),
        )
    };

    let error = post(json!({}))
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

    let mut body = task_body("AA", "2026-02-30");
    body["vehicle_year"] = json!("1850");
    body["vin"] = json!("IOQ");
    body["ppf_zones"] = json!([]);
    body["customer_email"] = json!("nope");
    let error = post(body)
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

    let mut body = task_body("AA", "2026-12-01");
    body["start_time"] = json!("10:00");
    post(body.clone())
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    body["end_time"] = json!("09:00");
    let error = post(body)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["end_time"].is_array(), "{error}");

    let mut body = task_body("AA", "2026-12-01");
    body["status"] = json!("completed");
    let error = post(body)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["status"].is_array(), "{error}");

    let mut body = task_body("AA", "2026-12-01");
    body["colour"] = json!("red");
    post(body)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let mut body = task_body("AA", "2026-12-01");
    body["client_id"] = json!("00000000-0000-4000-8000-000000000000");
    let error = post(body)
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn filters_search_sort_and_pages(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let acme = client(&app, &admin.token, "Acme Fleet").await;

    // 12 tasks: dates 2026-12-01..12, every third for acme, every fourth urgent, two assigned.
    let mut ids = Vec::new();
    for day in 1..=12 {
        let mut body = task_body(&format!("PL-{day:03}"), &format!("2026-12-{day:02}"));
        if day % 3 == 0 {
            body["client_id"] = json!(acme);
        }
        if day % 4 == 0 {
            body["priority"] = json!("urgent");
        }
        if day <= 2 {
            body["technician_id"] = json!(tech.id);
        }
        if day == 5 {
            body["title"] = json!("Ceramic 100% (matte_black)");
        }
        ids.push(
            create(&app, &admin.token, body).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    transition(&app, &admin.token, &ids[5], "pending")
        .await
        .assert_ok(StatusCode::OK);
    transition(&app, &admin.token, &ids[6], "pending")
        .await
        .assert_ok(StatusCode::OK);
    transition(&app, &admin.token, &ids[7], "scheduled")
        .await
        .assert_ok(StatusCode::OK);

    let total = |page: &Value| page["total"].as_i64().unwrap();
    assert_eq!(total(&list(&app, &admin.token, "").await), 12);
    assert_eq!(total(&list(&app, &admin.token, "status=pending").await), 2);
    assert_eq!(
        total(&list(&app, &admin.token, "status=pending,scheduled").await),
        3
    );
    assert_eq!(total(&list(&app, &admin.token, "priority=urgent").await), 3);
    assert_eq!(
        total(&list(&app, &admin.token, &format!("technician_id={}", tech.id)).await),
        2
    );
    assert_eq!(
        total(&list(&app, &admin.token, &format!("client_id={acme}")).await),
        4
    );
    assert_eq!(
        total(&list(&app, &admin.token, "from=2026-12-03&to=2026-12-06").await),
        4
    );
    assert_eq!(
        total(&list(&app, &admin.token, "q=pl-01").await),
        3,
        "PL-010..012"
    );
    assert_eq!(
        total(&list(&app, &admin.token, "q=100%25").await),
        1,
        "% is literal"
    );
    assert_eq!(
        total(&list(&app, &admin.token, "q=100_").await),
        0,
        "_ is literal"
    );
    assert_eq!(
        total(&list(&app, &admin.token, "q=acme").await),
        4,
        "customer name"
    );
    assert_eq!(
        total(
            &list(
                &app,
                &admin.token,
                &format!("client_id={acme}&priority=urgent&from=2026-12-10")
            )
            .await
        ),
        1
    );

    let page = list(&app, &admin.token, "limit=5&offset=10&sort=scheduled_date").await;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["limit"].as_i64(),
            page["offset"].as_i64()
        ),
        (Some(12), Some(5), Some(10))
    );
    let dates: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["scheduled_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-12-11", "2026-12-12"]);
    // The total is the same whether the page is full, short or past the end.
    for query in [
        "limit=5",
        "limit=12",
        "limit=5&offset=12",
        "limit=5&offset=40",
    ] {
        assert_eq!(total(&list(&app, &admin.token, query).await), 12, "{query}");
    }
    let first = list(&app, &admin.token, "limit=1").await;
    assert_eq!(
        first["items"][0]["scheduled_date"], "2026-12-12",
        "newest date first by default"
    );
    let urgent_first = list(&app, &admin.token, "limit=3&sort=priority").await;
    assert!(
        urgent_first["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["priority"] == "urgent")
    );

    for (query, field) in [
        ("status=bogus", "status"),
        ("priority=huge", "priority"),
        ("from=2026-13-01", "from"),
        ("from=2026-12-05&to=2026-12-01", "to"),
        ("sort=colour", "sort"),
        ("limit=0", "limit"),
        ("technician_id=nope", "technician_id"),
    ] {
        let error = call(
            &app,
            "GET",
            &format!("/api/v1/tasks?{query}"),
            Some(&admin.token),
            None,
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"][field].is_array(), "{query}: {error}");
    }

    // A technician sees only their own, whatever they ask for.
    assert_eq!(total(&list(&app, &tech.token, "").await), 2);
    assert_eq!(
        total(&list(&app, &tech.token, &format!("client_id={acme}")).await),
        0
    );
}

/// Listed tasks are written from their rows without going through `Task`: each must be, byte
/// for byte, the task as `GET /tasks/{id}` returns it.
#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn listed_tasks_are_byte_for_byte_the_tasks_read_one_by_one(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let client_id = client(&app, &admin.token, "Ünïcode Client").await;
    let mut full = task_body("ÄB-12, \"X\"", "2026-12-01");
    full["title"] = json!("Hood \\ \"full\" \u{1} wrap 🚗 </script>");
    full["description"] = json!("line one\nline two\ttab\r\n\u{7f}\u{2028}");
    full["ppf_zones"] = json!(["hood", "say \"hi\"", "back\\slash", "ü"]);
    full["custom_ppf_zones"] = json!(["spoiler"]);
    full["tags"] = json!(["fleet", "é"]);
    full["client_id"] = json!(client_id);
    full["technician_id"] = json!(tech.id);
    full["start_time"] = json!("08:00");
    full["end_time"] = json!("09:15");
    full["vehicle_make"] = json!("Tesla");
    full["vehicle_year"] = json!("2021");
    full["vin"] = json!("5YJ3E1EA7KF000001");
    full["customer_address"] = json!("1 rue de la Paix");
    full["lot_film"] = json!("LOT-7");
    full["notes"] = json!("Ça va — ok");
    full["estimated_duration"] = json!(75);
    let full = create(&app, &admin.token, full).await;
    let id = full["id"].as_str().unwrap();
    for to in ["scheduled", "in_progress", "completed"] {
        transition(&app, &admin.token, id, to)
            .await
            .assert_ok(StatusCode::OK);
    }
    call(
        &app,
        "PATCH",
        &format!("/api/v1/tasks/{id}"),
        Some(&admin.token),
        Some(json!({ "actual_duration": 80, "checklist_completed": true })),
    )
    .await
    .assert_ok(StatusCode::OK);
    create(&app, &admin.token, task_body("PLAIN-1", "2026-12-02")).await;

    let listed = call(&app, "GET", "/api/v1/tasks", Some(&admin.token), None).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed_text = String::from_utf8(listed.body.clone()).unwrap();
    let items = listed.json()["data"]["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    for item in items {
        let id = item["id"].as_str().unwrap();
        let one = call(
            &app,
            "GET",
            &format!("/api/v1/tasks/{id}"),
            Some(&admin.token),
            None,
        )
        .await;
        let text = String::from_utf8(one.body).unwrap();
        let task = text
            .strip_prefix(r#"{"success":true,"data":"#)
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or_else(|| panic!("envelope: {text}"));
        assert!(
            listed_text.contains(task),
            "listed:\n{listed_text}\nread one by one:\n{task}"
        );
    }
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn numbers_never_collide_under_parallel_creates(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let creates = (0..24).map(|i| {
        let app = app.router.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            call(
                &app,
                "POST",
                "/api/v1/tasks",
                Some(&token),
                Some(task_body(&format!("P{i}"), "2026-12-01")),
            )
            .await
            .assert_ok(StatusCode::CREATED)["task_number"]
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

/// The state machine of domain-facts.md, written out independently of the code.
const MACHINE: &[(&str, &[&str])] = &[
    ("draft", &["pending", "scheduled", "cancelled"]),
    (
        "pending",
        &[
            "in_progress",
            "scheduled",
            "on_hold",
            "cancelled",
            "assigned",
        ],
    ),
    (
        "scheduled",
        &["in_progress", "on_hold", "cancelled", "assigned"],
    ),
    ("assigned", &["in_progress", "on_hold", "cancelled"]),
    (
        "in_progress",
        &["completed", "on_hold", "paused", "cancelled"],
    ),
    ("paused", &["in_progress", "cancelled"]),
    (
        "on_hold",
        &["pending", "scheduled", "in_progress", "cancelled"],
    ),
    ("completed", &["archived"]),
    ("failed", &["cancelled"]),
    ("invalid", &["cancelled"]),
    ("overdue", &["in_progress", "cancelled"]),
    ("cancelled", &[]),
    ("archived", &[]),
];

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn every_transition_follows_the_state_machine(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let all: Vec<&str> = MACHINE.iter().map(|(from, _)| *from).collect();
    let mut day = 0;
    for (from, allowed) in MACHINE {
        for to in &all {
            day += 1;
            // A fresh task put straight into `from` (setup only; the API is what is tested).
            let mut body = task_body("MC-1", "2027-01-01");
            body["technician_id"] = json!(tech.id);
            body["start_time"] = json!(format!("{:02}:00", day % 24));
            body["end_time"] = json!(format!("{:02}:30", day % 24));
            body["scheduled_date"] =
                json!(format!("2027-{:02}-{:02}", 1 + day / 28 % 12, 1 + day % 28));
            let task = create(&app, &admin.token, body).await;
            let id = task["id"].as_str().unwrap();
            sqlx::query("UPDATE tasks SET status = ? WHERE id = ?")
                .bind(from)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();

            let reply = transition(&app, &admin.token, id, to).await;
            if allowed.contains(to) {
                let moved = reply.assert_ok(StatusCode::OK);
                assert_eq!(moved["status"], *to, "{from} → {to}");
                let (old, new, reason): (String, String, String) = sqlx::query_as(
                    "SELECT old_status, new_status, reason FROM task_history WHERE task_id = ? AND event = 'status_changed'",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
                assert_eq!(
                    (old.as_str(), new.as_str(), reason),
                    (*from, *to, format!("to {to}"))
                );
            } else {
                let error = reply.assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
                assert_eq!(error["details"]["from"], *from);
                assert_eq!(error["details"]["to"], *to);
                let named: BTreeSet<&str> = error["details"]["allowed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(named, allowed.iter().copied().collect(), "{from}");
                let status: String = sqlx::query_scalar("SELECT status FROM tasks WHERE id = ?")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(status, *from, "unchanged after a refused move");
            }
        }
    }
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn history_records_the_life_of_a_task(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let task = create(&app, &admin.token, task_body("HI-1", "2026-12-01")).await;
    let id = task["id"].as_str().unwrap();
    transition(&app, &admin.token, id, "pending")
        .await
        .assert_ok(StatusCode::OK);
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{id}/assign"),
        Some(&admin.token),
        Some(json!({ "technician_id": tech.id })),
    )
    .await
    .assert_ok(StatusCode::OK);
    transition(&app, &tech.token, id, "in_progress")
        .await
        .assert_ok(StatusCode::OK);
    call(
        &app,
        "POST",
        &format!("/api/v1/tasks/{id}/delay"),
        Some(&admin.token),
        Some(json!({ "scheduled_date": "2026-12-04", "reason": "film backorder" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let done = transition(&app, &tech.token, id, "completed")
        .await
        .assert_ok(StatusCode::OK);
    assert!(
        done["started_at"].is_string() && done["completed_at"].is_string(),
        "{done}"
    );

    let history = call(
        &app,
        "GET",
        &format!("/api/v1/tasks/{id}/history"),
        Some(&tech.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let entries: Vec<(String, Value, Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_owned(),
                e["new_status"].clone(),
                e["new_value"].clone(),
                e["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            ("created".into(), json!("draft"), Value::Null, Value::Null),
            (
                "status_changed".into(),
                json!("pending"),
                Value::Null,
                json!("to pending")
            ),
            ("assigned".into(), Value::Null, json!(tech.id), Value::Null),
            (
                "status_changed".into(),
                json!("in_progress"),
                Value::Null,
                json!("to in_progress")
            ),
            (
                "delayed".into(),
                Value::Null,
                json!("2026-12-04"),
                json!("film backorder")
            ),
            (
                "status_changed".into(),
                json!("completed"),
                Value::Null,
                json!("to completed")
            ),
        ]
    );
    assert_eq!(history[3]["changed_by"], tech.id.as_str());
    assert_eq!(history[3]["changed_by_name"], "Test User");
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn assignment_checks_the_technician_and_the_slot(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let slot = |start: &str, end: &str| {
        let mut body = task_body("AS-1", "2026-12-01");
        body["start_time"] = json!(start);
        body["end_time"] = json!(end);
        body
    };
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
    let morning = create(&app, &admin.token, slot("09:00", "12:00")).await;
    let overlapping = create(&app, &admin.token, slot("11:00", "13:00")).await;
    let afternoon = create(&app, &admin.token, slot("12:00", "14:00")).await;
    let id = |t: &Value| t["id"].as_str().unwrap().to_owned();

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
        sqlx::query_scalar("SELECT technician_id FROM tasks WHERE id = ?")
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

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn technicians_see_and_change_only_their_own_tasks(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let mine = common::user(&app, &admin, "mine", "technician").await;
    let other = common::user(&app, &admin, "other", "technician").await;
    let assigned = |tech: &Account, plate: &str| {
        let mut body = task_body(plate, "2026-12-01");
        body["technician_id"] = json!(tech.id);
        body
    };
    let own = create(&app, &admin.token, assigned(&mine, "OWN-1")).await;
    let theirs = create(&app, &admin.token, assigned(&other, "OTH-1")).await;
    let own_path = format!("/api/v1/tasks/{}", own["id"].as_str().unwrap());
    let their_path = format!("/api/v1/tasks/{}", theirs["id"].as_str().unwrap());

    let page = list(&app, &mine.token, "").await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], own["id"]);
    for path in [
        their_path.clone(),
        format!("{their_path}/history"),
        format!("{their_path}/notes"),
    ] {
        call(&app, "GET", &path, Some(&mine.token), None)
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    call(
        &app,
        "PATCH",
        &their_path,
        Some(&mine.token),
        Some(json!({ "notes": "x" })),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    transition(&app, &mine.token, theirs["id"].as_str().unwrap(), "pending")
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    let changed = call(
        &app,
        "PATCH",
        &own_path,
        Some(&mine.token),
        Some(json!({ "notes": "bubbles on the hood", "lot_film": "LOT-42", "checklist_completed": true, "actual_duration": 95, "status": "pending" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            &changed["notes"],
            &changed["lot_film"],
            &changed["checklist_completed"],
            &changed["actual_duration"],
            &changed["status"]
        ),
        (
            &json!("bubbles on the hood"),
            &json!("LOT-42"),
            &json!(true),
            &json!(95),
            &json!("pending")
        )
    );
    let error = call(
        &app,
        "PATCH",
        &own_path,
        Some(&mine.token),
        Some(json!({ "title": "mine now", "notes": "ok" })),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    assert!(
        error["message"].as_str().unwrap().contains("title"),
        "{error}"
    );
    let title: String = sqlx::query_scalar("SELECT title FROM tasks WHERE id = ?")
        .bind(own["id"].as_str())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Model 3 OWN-1");

    // Their own task's notes and delay are theirs to use.
    call(
        &app,
        "POST",
        &format!("{own_path}/notes"),
        Some(&mine.token),
        Some(json!({ "body": "started prep" })),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    call(
        &app,
        "POST",
        &format!("{own_path}/delay"),
        Some(&mine.token),
        Some(json!({ "scheduled_date": "2026-12-02", "reason": "sick day" })),
    )
    .await
    .assert_ok(StatusCode::OK);
    let stats = call(&app, "GET", "/api/v1/tasks/stats", Some(&mine.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(stats["total"], 1);
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn delays_and_notes(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let task = create(&app, &admin.token, task_body("DL-1", "2026-12-01")).await;
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().unwrap());
    let (delay_path, notes_path) = (format!("{path}/delay"), format!("{path}/notes"));
    let delay = |body: Value| call(&app, "POST", &delay_path, Some(&admin.token), Some(body));

    let error = delay(json!({ "scheduled_date": "2026-12-05", "reason": " " }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["reason"].is_array());
    let error = delay(json!({ "scheduled_date": "05/12/2026", "reason": "rain" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["scheduled_date"].is_array());
    delay(json!({ "scheduled_date": "2026-12-01", "reason": "rain" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let moved = delay(json!({ "scheduled_date": "2026-12-05", "reason": "rain" }))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(moved["scheduled_date"], "2026-12-05");
    transition(
        &app,
        &admin.token,
        task["id"].as_str().unwrap(),
        "cancelled",
    )
    .await
    .assert_ok(StatusCode::OK);
    delay(json!({ "scheduled_date": "2026-12-09", "reason": "rain" }))
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");

    let note = |body: Value| call(&app, "POST", &notes_path, Some(&admin.token), Some(body));
    note(json!({ "body": "   " }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    note(json!({ "body": "x".repeat(2001) }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let first = note(json!({ "body": "Client called, \"urgent\"" }))
        .await
        .assert_ok(StatusCode::CREATED);
    assert_eq!(first["author_name"], "Test User");
    assert_eq!(first["created_by"], admin.id.as_str());
    note(json!({ "body": "Second" }))
        .await
        .assert_ok(StatusCode::CREATED);
    let notes = call(
        &app,
        "GET",
        &format!("{path}/notes"),
        Some(&admin.token),
        None,
    )
    .await
    .assert_ok(StatusCode::OK);
    let bodies: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Client called, \"urgent\"", "Second"]);
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn stats_count_in_sql_over_a_range(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let client_id = client(&app, &admin.token, "Stats Client").await;
    // Days 1-6 of December 2020 (past: open ones are overdue), 2 of them completed.
    let mut ids = Vec::new();
    for day in 1..=6 {
        let mut body = task_body("ST", &format!("2020-12-{day:02}"));
        body["priority"] = json!(if day <= 2 { "high" } else { "low" });
        body["client_id"] = json!(client_id);
        ids.push(
            create(&app, &admin.token, body).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
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
    create(&app, &admin.token, task_body("FUT", "2099-01-01")).await;

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

async fn export(app: &axum::Router, token: &str, query: &str) -> common::Reply {
    call(
        app,
        "GET",
        &format!("/api/v1/tasks/export.csv?{query}"),
        Some(token),
        None,
    )
    .await
}

async fn import(app: &axum::Router, token: &str, query: &str, csv: &str) -> common::Reply {
    let request = Request::post(format!("/api/v1/tasks/import?{query}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/csv")
        .body(Body::from(csv.to_owned()))
        .unwrap();
    common::send(app, request).await
}

/// CSV rows keyed by column, without the columns the server assigns.
fn rows(csv: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .filter(|(h, _)| !["id", "task_number", "created_at", "updated_at"].contains(h))
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn csv_export_then_import_gives_equal_rows(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let client_id = client(&app, &admin.token, "Ünïcode Client").await;
    let mut tricky = task_body("ÄB-12, \"X\"", "2026-12-01");
    tricky["title"] = json!("Hood, \"full\"; wrap 🚗");
    tricky["description"] = json!("line one\nline two, with comma\r\nand \"quotes\"");
    tricky["notes"] = json!("Ça va — ok");
    tricky["tags"] = json!(["ü", "a,b"]);
    tricky["client_id"] = json!(client_id);
    tricky["technician_id"] = json!(tech.id);
    tricky["start_time"] = json!("08:00");
    tricky["end_time"] = json!("09:15");
    tricky["vehicle_year"] = json!("2021");
    tricky["estimated_duration"] = json!(75);
    create(&app, &admin.token, tricky).await;
    let plain = create(&app, &admin.token, task_body("PLAIN-1", "2026-12-02")).await;
    transition(&app, &admin.token, plain["id"].as_str().unwrap(), "pending")
        .await
        .assert_ok(StatusCode::OK);

    let first = export(&app, &admin.token, "sort=scheduled_date").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        first
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"tasks-")
    );
    let text = String::from_utf8(first.body.clone()).expect("UTF-8");
    assert!(
        text.starts_with("task_number,title,description,status,"),
        "{text}"
    );
    let before = rows(&first.body);
    assert_eq!(before.len(), 2);
    assert_eq!(
        before[0]["description"],
        "line one\nline two, with comma\r\nand \"quotes\""
    );

    // Delete the originals (soft), then import the export: the same rows come back.
    sqlx::query("UPDATE tasks SET deleted_at = 1")
        .execute(&pool)
        .await
        .unwrap();
    let report = import(&app, &admin.token, "", &text)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["errors"], json!([]));
    let second = export(&app, &admin.token, "sort=scheduled_date").await;
    assert_eq!(rows(&second.body), before);

    // Filters apply to the export.
    let filtered = export(&app, &admin.token, "status=pending").await;
    assert_eq!(rows(&filtered.body).len(), 1);
    export(&app, &admin.token, "status=nope")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let techs = export(&app, &tech.token, "").await;
    assert_eq!(rows(&techs.body).len(), 1, "a technician exports their own");
}

const HEADER: &str = "title,vehicle_plate,vehicle_model,ppf_zones,scheduled_date,status,priority\n";

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn import_reports_each_bad_row_and_all_or_nothing_writes_nothing(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let csv = format!(
        "{HEADER}Good one,AA-1,Clio,hood;roof,2026-12-01,pending,high\n\
         Bad date,AA-2,Clio,hood,2026-31-01,draft,low\n\
         \"Multi\nline\",AA-3,Clio,hood,2026-12-02,draft,urgent\n\
         Bad status,AA-4,Clio,hood,2026-12-03,flying,low\n\
         No zones,AA-5,Clio,,2026-12-03,draft,low\n"
    );
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM tasks")
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    let report = import(&app, &admin.token, "mode=all_or_nothing", &csv)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(report["mode"], "all_or_nothing");
    assert_eq!(
        (report["rows"].as_i64(), report["created"].as_i64()),
        (Some(5), Some(0))
    );
    let errors: Vec<(i64, i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, 3, "scheduled_date"),
            (4, 6, "status"),
            (5, 7, "ppf_zones")
        ]
    );
    assert_eq!(count().await, 0);
    let counters: i64 = sqlx::query_scalar("SELECT count(*) FROM task_number_counters")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(counters, 0, "not even a number was used");

    let report = import(&app, &admin.token, "", &csv)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            report["created"].as_i64(),
            report["errors"].as_array().map(Vec::len)
        ),
        (Some(2), Some(3))
    );
    assert_eq!(count().await, 2);
    let zones: String =
        sqlx::query_scalar("SELECT ppf_zones FROM tasks WHERE vehicle_plate = 'AA-1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(zones, r#"["hood","roof"]"#);
    let title: String = sqlx::query_scalar("SELECT title FROM tasks WHERE vehicle_plate = 'AA-3'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Multi\nline");

    for (csv, reason) in [
        ("title,colour\nx,red\n", "unknown column"),
        ("title,vehicle_plate\nx,y\n", "missing required columns"),
        (
            "vehicle_plate,vehicle_plate,vehicle_model,ppf_zones,scheduled_date\n",
            "repeated column",
        ),
    ] {
        let error = import(&app, &admin.token, "", csv)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(error["details"]["header"].is_array(), "{reason}: {error}");
    }
    import(&app, &admin.token, "mode=maybe", HEADER)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(count().await, 2);
}

#[sqlx::test(migrator = "rpma_sidecar::MIGRATOR")]
async fn transitions_offer_exactly_the_moves_the_caller_may_make(pool: SqlitePool) {
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let other = common::user(&app, &admin, "other", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let allowed_of = |data: &Value| -> Vec<String> {
        data["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    for (day, (from, allowed)) in MACHINE.iter().enumerate() {
        let mut body = task_body("TR-1", &format!("2027-02-{:02}", day + 1));
        body["technician_id"] = json!(tech.id);
        let task = create(&app, &admin.token, body).await;
        let id = task["id"].as_str().unwrap();
        sqlx::query("UPDATE tasks SET status = ? WHERE id = ?")
            .bind(from)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        let path = format!("/api/v1/tasks/{id}/transitions");
        for token in [&admin.token, &tech.token] {
            let data = call(&app, "GET", &path, Some(token), None)
                .await
                .assert_ok(StatusCode::OK);
            assert_eq!(data["from"], *from);
            let offered: BTreeSet<String> = allowed_of(&data).into_iter().collect();
            let expected: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
            assert_eq!(offered, expected, "{from}");
        }
        let seen = call(&app, "GET", &path, Some(&viewer.token), None)
            .await
            .assert_ok(StatusCode::OK);
        assert!(allowed_of(&seen).is_empty(), "a viewer may not move {from}");
        call(&app, "GET", &path, Some(&other.token), None)
            .await
            .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    }

    // Without a technician, `assigned` is not offered (the move would be refused).
    let task = create(&app, &admin.token, task_body("TR-2", "2027-03-01")).await;
    let id = task["id"].as_str().unwrap();
    let path = format!("/api/v1/tasks/{id}/transitions");
    transition(&app, &admin.token, id, "pending")
        .await
        .assert_ok(StatusCode::OK);
    let data = call(&app, "GET", &path, Some(&admin.token), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(data["from"], "pending");
    assert_eq!(
        allowed_of(&data),
        ["in_progress", "scheduled", "on_hold", "cancelled"]
    );
}
