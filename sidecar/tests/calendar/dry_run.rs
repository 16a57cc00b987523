//! The conflict dry run: which bookings are in the way, without writing anything.

use axum::http::StatusCode;
use serde_json::json;

use super::{at, bookings, count, fields, new_event, new_task};
use crate::common::{self, ConflictCheck, id, schedule};

#[tokio::test]
async fn the_conflict_dry_run_lists_bookings_in_the_way() {
    let (pool, _db) = crate::common::database().await;
    let app = common::app(pool.clone());
    let admin = common::admin(&app).await;
    let alice = common::user(&app, &admin, "alice", "technician").await;
    let bob = common::user(&app, &admin, "bob", "technician").await;
    let operator = common::user(&app, &admin, "operator", "operator").await;
    let t = &admin.token;
    let morning = new_task("DR-1")
        .technician(&alice.id)
        .at("09:00", "12:00")
        .create(&app, t)
        .await;
    let later = new_task("DR-2").create(&app, t).await;
    let scheduled = schedule(
        &app,
        t,
        &id(&later),
        (&at("13:00"), &at("14:00")),
        &alice.id,
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let own_event = &scheduled["event"];
    let meeting = new_event("Team meeting", &at("12:00"), &at("12:30"))
        .technician(&alice.id)
        .create(&app, t)
        .await;
    let events_before = count(&pool, "SELECT count(*) FROM calendar_events").await;

    let check = || ConflictCheck::new(&alice.id, &at("11:00"), &at("13:30"));
    let busy = check()
        .post(&app, &alice.token)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(busy["available"], false);
    // The scheduled task is one booking: its own `task` event is not listed apart from it.
    let mut expected = vec![
        ("event".to_owned(), id(&meeting)),
        ("task".to_owned(), id(&morning)),
        ("task".to_owned(), id(&later)),
    ];
    expected.sort();
    assert_eq!(bookings(&busy["conflicts"]), expected);
    assert!(
        !bookings(&busy["conflicts"]).contains(&("event".to_owned(), id(own_event))),
        "{busy}"
    );
    assert_eq!(busy["conflicts"][0]["id"], morning["id"], "by start time");
    assert_eq!(
        (&busy["conflicts"][0]["start"], &busy["conflicts"][0]["end"]),
        (&json!(at("09:00")), &json!(at("12:00")))
    );

    let without_task = check()
        .exclude_task(&id(&later))
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    let mut expected = vec![
        ("event".to_owned(), id(&meeting)),
        ("task".to_owned(), id(&morning)),
    ];
    expected.sort();
    assert_eq!(
        bookings(&without_task["conflicts"]),
        expected,
        "the task is left out"
    );
    let without_event = check()
        .exclude_event(&id(&meeting))
        .post(&app, t)
        .await
        .assert_ok(StatusCode::OK);
    let mut expected = vec![
        ("task".to_owned(), id(&morning)),
        ("task".to_owned(), id(&later)),
    ];
    expected.sort();
    assert_eq!(bookings(&without_event["conflicts"]), expected);

    for body in [
        ConflictCheck::new(&alice.id, &at("14:00"), &at("15:00")),
        check().technician(&bob.id),
    ] {
        let free = body.post(&app, t).await.assert_ok(StatusCode::OK);
        assert_eq!(
            (&free["available"], &free["conflicts"]),
            (&json!(true), &json!([])),
            "{}",
            body.body()
        );
    }
    // A technician may look only at their own bookings.
    check()
        .technician(&bob.id)
        .post(&app, &alice.token)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");

    let error = ConflictCheck::new(&alice.id, &at("11:00"), &at("11:00"))
        .post(&app, t)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(fields(&error), ["end"]);
    check()
        .post(&app, &operator.token)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM calendar_events").await,
        events_before,
        "a dry run writes nothing"
    );
}
