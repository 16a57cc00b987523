//! Listing events: overlapping a range, filters, pages, and who sees which events.

use axum::http::StatusCode;
use serde_json::json;

use super::{EVENTS, at, fields, list, new_event, new_task, titles};
use crate::common::{self, call, id};

#[tokio::test]
async fn ranges_overlap_and_filters_count_totals() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let tech = common::user(&app, &admin, "tech", "technician").await;
    let task = new_task("RG-1").create(&app, &admin.token).await;
    let t = &admin.token;

    new_event("early", &at("08:00"), &at("09:00"))
        .create(&app, t)
        .await;
    new_event("morning", &at("09:00"), &at("11:00"))
        .event_type("meeting")
        .create(&app, t)
        .await;
    new_event("overlap", &at("10:30"), &at("12:00"))
        .technician(&tech.id)
        .create(&app, t)
        .await;
    new_event("drop-off", &at("13:00"), &at("14:00"))
        .task(&id(&task))
        .create(&app, t)
        .await;
    new_event("next day", "2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z")
        .status("tentative")
        .create(&app, t)
        .await;

    let all = list(&app, t, "").await;
    assert_eq!(
        titles(&all),
        ["early", "morning", "overlap", "drop-off", "next day"],
        "by start time"
    );
    assert_eq!(
        (&all["total"], &all["limit"], &all["offset"]),
        (&json!(5), &json!(50), &json!(0))
    );

    // Overlap: ends after `from` and starts before `to`; touching an edge is not overlapping.
    let cases = [
        (
            "from=2026-12-01T09:00:00Z&to=2026-12-01T11:00:00Z",
            vec!["morning", "overlap"],
        ),
        (
            "from=2026-12-01T10:00:00Z&to=2026-12-01T10:30:00Z",
            vec!["morning"],
        ),
        (
            "from=2026-12-01T10:59:00Z&to=2026-12-01T10:59:30Z",
            vec!["morning", "overlap"],
        ),
        ("from=2026-12-01T12:00:00Z", vec!["drop-off", "next day"]),
        ("to=2026-12-01T09:00:00Z", vec!["early"]),
        ("from=2026-12-01T14:00:00Z&to=2026-12-02T09:00:00Z", vec![]),
        (
            "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z",
            vec!["early", "morning", "overlap", "drop-off"],
        ),
        (&format!("technician_id={}", tech.id), vec!["overlap"]),
        (
            &format!("from=2026-12-01T12:00:00Z&technician_id={}", tech.id),
            vec![],
        ),
        (&format!("task_id={}", id(&task)), vec!["drop-off"]),
        ("event_type=meeting", vec!["morning"]),
        ("status=tentative", vec!["next day"]),
    ];
    for (query, expected) in cases {
        let page = list(&app, t, query).await;
        assert_eq!(titles(&page), expected, "{query}");
        assert_eq!(page["total"], expected.len(), "{query}");
    }

    let page = list(&app, t, "limit=2&offset=1").await;
    assert_eq!(titles(&page), ["morning", "overlap"]);
    assert_eq!(
        (&page["total"], &page["limit"], &page["offset"]),
        (&json!(5), &json!(2), &json!(1)),
        "the total counts every match, not the page"
    );
    let page = list(
        &app,
        t,
        "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&limit=1&offset=3",
    )
    .await;
    assert_eq!(
        (titles(&page), &page["total"]),
        (vec!["drop-off"], &json!(4))
    );

    for (query, field) in [
        ("from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z", "to"),
        ("from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z", "to"),
        ("limit=0", "limit"),
    ] {
        let error = call(&app, "GET", &format!("{EVENTS}?{query}"), Some(t), None)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(fields(&error), [field], "{query}: {error}");
    }
    for query in ["from=yesterday", "event_type=party", "technician_id=nope"] {
        call(&app, "GET", &format!("{EVENTS}?{query}"), Some(t), None)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    }
}

#[tokio::test]
async fn technicians_see_unassigned_events_and_their_own() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let viewer = common::user(&app, &admin, "viewer", "viewer").await;
    let operator = common::user(&app, &admin, "operator", "operator").await;

    let shop = new_event("shop meeting", &at("08:00"), &at("09:00"))
        .create(&app, &admin.token)
        .await;
    let own = new_event("alice job", &at("09:00"), &at("10:00"))
        .technician(&alice.id)
        .create(&app, &admin.token)
        .await;
    let theirs = new_event("bob job", &at("09:00"), &at("10:00"))
        .technician(&bob.id)
        .create(&app, &admin.token)
        .await;

    let page = list(&app, &alice.token, "").await;
    assert_eq!(titles(&page), ["shop meeting", "alice job"]);
    assert_eq!(page["total"], 2);
    let page = list(&app, &alice.token, &format!("technician_id={}", bob.id)).await;
    assert_eq!(page["total"], 0, "a filter cannot widen the scope");
    for reader in [&admin, &viewer] {
        let page = list(&app, &reader.token, "").await;
        assert_eq!(page["total"], 3);
    }
    let page = list(&app, &bob.token, "").await;
    assert_eq!(titles(&page), ["shop meeting", "bob job"]);

    for visible in [&shop, &own] {
        let read = call(
            &app,
            "GET",
            &format!("{EVENTS}/{}", id(visible)),
            Some(&alice.token),
            None,
        )
        .await
        .assert_ok(StatusCode::OK);
        assert_eq!(&read, visible);
    }
    call(
        &app,
        "GET",
        &format!("{EVENTS}/{}", id(&theirs)),
        Some(&alice.token),
        None,
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    for path in [EVENTS.to_owned(), format!("{EVENTS}/{}", id(&shop))] {
        call(&app, "GET", &path, Some(&operator.token), None)
            .await
            .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
        call(&app, "GET", &path, None, None)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    }
}

#[tokio::test]
async fn technicians_see_events_of_their_own_tasks_only() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let t = &admin.token;
    let alices_task = new_task("OWN-1")
        .technician(&alice.id)
        .create(&app, t)
        .await;
    let bobs_task = new_task("OTHER-1")
        .technician(&bob.id)
        .create(&app, t)
        .await;
    // Events about a task that book no technician: they concern the task's technician only.
    let own = new_event("alice's pick-up", &at("15:00"), &at("15:30"))
        .task(&id(&alices_task))
        .create(&app, t)
        .await;
    let other = new_event("bob's pick-up", &at("16:00"), &at("16:30"))
        .task(&id(&bobs_task))
        .create(&app, t)
        .await;
    new_event("shop meeting", &at("17:00"), &at("18:00"))
        .create(&app, t)
        .await;

    let page = list(&app, &alice.token, "").await;
    let seen = titles(&page);
    assert!(seen.contains(&"alice's pick-up"), "{seen:?}");
    assert!(seen.contains(&"shop meeting"), "{seen:?}");
    assert!(!seen.contains(&"bob's pick-up"), "{seen:?}");
    let path = |event: &serde_json::Value| format!("{EVENTS}/{}", id(event));
    call(&app, "GET", &path(&own), Some(&alice.token), None)
        .await
        .assert_ok(StatusCode::OK);
    call(&app, "GET", &path(&other), Some(&alice.token), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
    call(&app, "GET", &path(&other), Some(&bob.token), None)
        .await
        .assert_ok(StatusCode::OK);
}
