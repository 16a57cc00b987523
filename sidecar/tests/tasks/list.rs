//! The task list: filters, search, sort, pages, and items equal to the tasks read one by one.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{client, list, new_task, transition};
use crate::common::{self, call};

#[tokio::test]
async fn filters_search_sort_and_pages() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let acme = client(&app, &admin.token, "Acme Fleet").await;

    // 12 tasks: dates 2026-12-01..12, every third for acme, every fourth urgent, two assigned.
    let mut ids = Vec::new();
    for day in 1..=12 {
        let mut task = new_task(&format!("PL-{day:03}"), &format!("2026-12-{day:02}"));
        if day % 3 == 0 {
            task = task.client(&acme);
        }
        if day % 4 == 0 {
            task = task.priority("urgent");
        }
        if day <= 2 {
            task = task.technician(&tech.id);
        }
        if day == 5 {
            task = task.title("Ceramic 100% (matte_black)");
        }
        ids.push(common::id(&task.create(&app, &admin.token).await));
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
#[tokio::test]
async fn listed_tasks_are_byte_for_byte_the_tasks_read_one_by_one() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let client_id = client(&app, &admin.token, "Ünïcode Client").await;
    let full = new_task("ÄB-12, \"X\"", "2026-12-01")
        .title("Hood \\ \"full\" \u{1} wrap 🚗 </script>")
        .description("line one\nline two\ttab\r\n\u{7f}\u{2028}")
        .zones(&["hood", "say \"hi\"", "back\\slash", "ü"])
        .with("custom_ppf_zones", json!(["spoiler"]))
        .tags(&["fleet", "é"])
        .client(&client_id)
        .technician(&tech.id)
        .at("08:00", "09:15")
        .with("vehicle_make", json!("Tesla"))
        .with("vehicle_year", json!("2021"))
        .vin("5YJ3E1EA7KF000001")
        .with("customer_address", json!("1 rue de la Paix"))
        .with("lot_film", json!("LOT-7"))
        .notes("Ça va — ok")
        .with("estimated_duration", json!(75))
        .create(&app, &admin.token)
        .await;
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
    new_task("PLAIN-1", "2026-12-02")
        .create(&app, &admin.token)
        .await;

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
