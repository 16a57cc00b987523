//! Every write, what it changes and its log row: an exception held and released through its
//! lifecycle, gate decisions and stage advance in order, station state, telemetry ingest and
//! the OEE computed from it, inventory status, the demo only once; and who may write.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Plant, stage};

fn raise(stage: &str, severity: &str) -> Value {
    json!({
        "type": "Custody Mismatch",
        "runbookId": "dispatch",
        "stageId": stage,
        "severity": severity,
        "owner": "Security Officer",
        "description": "Driver ID mismatch against Gate Pass GP-2026-8819.",
        "impact": "Truck held at gate.",
        "escalation": "Logistics Manager (Level 2)",
    })
}

#[tokio::test]
async fn an_exception_holds_its_stage_until_it_is_resolved() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    assert_eq!(p.runbook("dispatch").await["status"], "Running");
    let before = p.log_count().await;

    // Not the current stage: pending stages cannot be held.
    p.post(&p.head, "/exceptions", Some(raise("dsp-03", "High")))
        .await
        .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
    let mut blank = raise("dsp-02", "High");
    blank["description"] = json!("   ");
    let error = p
        .post(&p.head, "/exceptions", Some(blank))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(error["details"]["description"].is_array(), "{error}");
    let mut long = raise("dsp-02", "High");
    long["description"] = json!("x".repeat(1001));
    let error = p
        .post(&p.head, "/exceptions", Some(long))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(
        error["details"]["description"],
        json!(["must be at most 1000 characters"]),
        "{error}"
    );
    assert_eq!(p.log_count().await, before, "a refused raise logs nothing");

    let raised = p
        .post(&p.head, "/exceptions", Some(raise("dsp-02", "High")))
        .await
        .assert_ok(StatusCode::CREATED);
    let id = raised["id"].as_str().unwrap().to_owned();
    assert_eq!(raised["status"], "Raised");
    let r = p.runbook("dispatch").await;
    assert_eq!(
        (r["status"].as_str(), stage(&r, "dsp-02")["status"].as_str()),
        (Some("Blocked"), Some("Hold"))
    );
    assert_eq!(stage(&r, "dsp-02")["exception"]["id"], id.as_str());
    assert_eq!(
        r["blockReason"],
        format!("Exception {id}: Custody Mismatch")
    );
    let row = p.last_log().await;
    assert_eq!(
        (
            row["entity"].as_str(),
            row["category"].as_str(),
            row["severity"].as_str()
        ),
        (Some(id.as_str()), Some("Workflow"), Some("Error"))
    );
    assert!(
        row["actor"].as_str().unwrap().contains("plant_head"),
        "{row}"
    );

    // A held stage does not advance.
    p.post(
        &p.operator,
        "/runbooks/dispatch/stages/dsp-02/advance",
        None,
    )
    .await
    .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
    // The lifecycle goes in order; resolving needs the resolution.
    let path = format!("/exceptions/{id}/transition");
    let refused = p
        .post(
            &p.operator,
            &path,
            Some(json!({ "to": "Resolved", "note": "fixed" })),
        )
        .await
        .assert_error(StatusCode::CONFLICT, "INVALID_TRANSITION");
    assert_eq!(refused["details"]["allowed"], json!(["Triaged"]));
    let triaged = p
        .post(&p.operator, &path, Some(json!({ "to": "Triaged" })))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(triaged["allowed"], json!(["In Review", "Resolved"]));
    assert_eq!(p.last_log().await["event"], "Exception triaged");
    p.post(&p.operator, &path, Some(json!({ "to": "In Review" })))
        .await
        .assert_ok(StatusCode::OK);
    p.post(&p.operator, &path, Some(json!({ "to": "Resolved" })))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert_eq!(p.runbook("dispatch").await["status"], "Blocked");
    let resolved = p
        .post(
            &p.head,
            &path,
            Some(json!({ "to": "Resolved", "note": "Driver re-verified at gate" })),
        )
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(resolved["resolution"], "Driver re-verified at gate");
    let history: Vec<&str> = resolved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["Raised", "Triaged", "In Review", "Resolved"]);
    let r = p.runbook("dispatch").await;
    assert_eq!(
        (r["status"].as_str(), stage(&r, "dsp-02")["status"].as_str()),
        (Some("Running"), Some("In Progress"))
    );
    assert_eq!(r["blockReason"], Value::Null);
    p.post(&p.head, &path, Some(json!({ "to": "Closed" })))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        p.log_count().await,
        before + 5,
        "raise, triage, review, resolve, close"
    );
}

#[tokio::test]
async fn a_stage_with_two_exceptions_waits_for_both() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    // mfg-02 holds two demo exceptions; resolving one keeps it on hold.
    let open = p.read("/runbooks/manufacturing/exceptions").await;
    let ids: Vec<String> = open
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stageId"] == "mfg-02")
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    for (n, id) in ids.iter().enumerate() {
        let path = format!("/exceptions/{id}/transition");
        p.post(&p.w.supervisor, &path, Some(json!({ "to": "Triaged" })))
            .await
            .assert_ok(StatusCode::OK);
        p.post(
            &p.w.supervisor,
            &path,
            Some(json!({ "to": "Resolved", "note": "ok" })),
        )
        .await
        .assert_ok(StatusCode::OK);
        let status = stage(&p.runbook("manufacturing").await, "mfg-02")["status"].clone();
        assert_eq!(status, if n == 0 { "Hold" } else { "In Progress" });
    }
}

#[tokio::test]
async fn stages_advance_in_order_through_open_gates() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    let gate = |stage: &str| format!("/runbooks/dispatch/stages/{stage}/gate");
    let advance = |stage: &str| format!("/runbooks/dispatch/stages/{stage}/advance");
    // The gate is closed: a decision is pending.
    let e = p
        .post(&p.operator, &advance("dsp-02"), None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(e["details"]["gate"], "Closed");
    // Out of order.
    let e = p
        .post(&p.operator, &advance("dsp-03"), None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
    assert_eq!(e["details"]["currentStage"], "dsp-02");
    p.post(
        &p.operator,
        &gate("dsp-03"),
        Some(json!({ "status": "Open" })),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "CONFLICT");
    // Locking needs evidence; `Closed` is no decision.
    p.post(
        &p.operator,
        &gate("dsp-02"),
        Some(json!({ "status": "Locked" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    p.post(
        &p.operator,
        &gate("dsp-02"),
        Some(json!({ "status": "Closed" })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let before = p.log_count().await;
    let locked = p
        .post(
            &p.operator,
            &gate("dsp-02"),
            Some(json!({ "status": "Locked", "evidence": "Packing list short by two packs" })),
        )
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(locked["status"], "Blocked");
    assert_eq!(
        locked["blockReason"],
        "Gate Approval: Packing list verified"
    );
    assert_eq!(
        stage(&locked, "dsp-02")["gate"]["evidence"],
        "Packing list short by two packs"
    );
    assert_eq!(
        p.last_log().await["event"],
        "Gate locked: Approval Packing list verified"
    );
    p.post(&p.operator, &advance("dsp-02"), None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");

    let opened = p
        .post(
            &p.w.supervisor,
            &gate("dsp-02"),
            Some(json!({ "status": "Open" })),
        )
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(opened["status"], "Running");
    let moved = p
        .post(&p.operator, &advance("dsp-02"), None)
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (
            stage(&moved, "dsp-02")["status"].as_str(),
            stage(&moved, "dsp-03")["status"].as_str()
        ),
        (Some("Completed"), Some("In Progress"))
    );
    assert_eq!(stage(&moved, "dsp-03")["gate"]["status"], "Closed");
    assert_eq!(moved["currentStage"], "S13 Dispatch Authorization");
    assert_eq!(moved["progress"], 50);
    assert_eq!(
        p.last_log().await["event"],
        "Stage completed: Packaging & Aggregation (S12)"
    );
    assert_eq!(p.log_count().await, before + 3);

    // Through to the end: the runbook is Healthy with no current stage.
    for s in ["dsp-03", "dsp-04"] {
        p.post(&p.operator, &gate(s), Some(json!({ "status": "Open" })))
            .await
            .assert_ok(StatusCode::OK);
        p.post(&p.operator, &advance(s), None)
            .await
            .assert_ok(StatusCode::OK);
    }
    let done = p.runbook("dispatch").await;
    assert_eq!(
        (
            done["status"].as_str(),
            &done["currentStage"],
            done["progress"].as_i64()
        ),
        (Some("Healthy"), &Value::Null, Some(100))
    );
    p.post(&p.operator, &advance("dsp-04"), None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
}

#[tokio::test]
async fn stations_telemetry_and_inventory_change_and_log() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    let station = "/lines/line-b/stations/st-08";
    p.put(&p.operator, station, json!({ "state": "Blocked" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    p.put(
        &p.operator,
        station,
        json!({ "state": "Idle", "blockedReason": "x" }),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let line = p
        .put(
            &p.operator,
            station,
            json!({ "state": "Blocked", "blockedReason": "Fixture jammed" }),
        )
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (line["mode"].as_str(), line["health"].as_str()),
        (Some("Blocked"), Some("Critical"))
    );
    assert_eq!(p.last_log().await["entity"], "line-b/st-08");
    assert_eq!(
        p.last_log().await["event"],
        "Station Blocked: Fixture jammed"
    );
    let line = p
        .put(&p.operator, station, json!({ "state": "Running" }))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(line["stations"][3]["blockedReason"], Value::Null);

    // A window far before the demo's telemetry: exactly what is sent is what is scored.
    let interval = |start: &str, end: &str, run: i64, total: i64, good: i64| {
        json!({
            "start": start, "end": end, "plannedMs": 3_600_000, "runMs": run,
            "idealCycleMs": 60_000, "totalCount": total, "goodCount": good,
        })
    };
    let batch = json!({ "intervals": [
        interval("2020-01-01T08:00:00Z", "2020-01-01T09:00:00Z", 3_000_000, 48, 46),
        interval("2020-01-01T09:00:00Z", "2020-01-01T10:00:00Z", 3_600_000, 50, 47),
    ]});
    let bad = json!({ "intervals": [
        interval("2020-01-01T10:00:00Z", "2020-01-01T11:00:00Z", 3_000_000, 10, 10),
        interval("2020-01-01T11:00:00Z", "2020-01-01T12:00:00Z", 4_000_000, 10, 10),
    ]});
    let before = p.log_count().await;
    let e = p
        .post(&p.operator, "/lines/line-a/telemetry", Some(bad))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    assert!(e["details"]["intervals[1].runMs"].is_array(), "{e}");
    p.post(
        &p.operator,
        "/lines/line-a/telemetry",
        Some(json!({ "intervals": [] })),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let window = "from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z";
    assert_eq!(
        p.read(&format!("/lines/line-a/oee?{window}")).await["intervals"],
        0,
        "nothing of the refused batch"
    );
    assert_eq!(p.log_count().await, before);
    let done = p
        .post(&p.operator, "/lines/line-a/telemetry", Some(batch))
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(done["accepted"], 2);
    assert_eq!(
        p.last_log().await["event"],
        "Telemetry ingested: 2 intervals"
    );
    // Planned 120 min, run 50 + 60 = 110 min: availability 110/120 = 91.7 %. 98 units at the
    // ideal 1 min each need 98 min of the 110 run: performance 89.1 %. 93 good of 98: quality
    // 94.9 %. OEE 91.7 × 89.1 × 94.9 / 10,000 = 77.5 %. Planned units: 120 min / 1 min = 120.
    let oee = p.read(&format!("/lines/line-a/oee?{window}")).await;
    assert_eq!(
        (
            oee["availability"].as_f64(),
            oee["performance"].as_f64(),
            oee["quality"].as_f64(),
            oee["oee"].as_f64()
        ),
        (Some(91.7), Some(89.1), Some(94.9), Some(77.5))
    );
    assert_eq!(
        (
            oee["built"].as_i64(),
            oee["ok"].as_i64(),
            oee["planned"].as_i64()
        ),
        (Some(98), Some(93), Some(120))
    );
    p.get_as(
        &p.operator,
        "/lines/line-a/oee?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z",
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

    let item = "/inventory/items/CELL-2026-1001";
    p.put(
        &p.operator,
        item,
        json!({ "status": "Hold", "exceptionRef": "EX-1999-001" }),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
    let ex = p.read("/exceptions?severity=High").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let held = p
        .put(
            &p.operator,
            item,
            json!({ "status": "Hold", "exceptionRef": ex }),
        )
        .await
        .assert_ok(StatusCode::OK);
    assert_eq!(
        (held["status"].as_str(), held["exceptionRef"].as_str()),
        (Some("Hold"), Some(ex.as_str()))
    );
    assert_eq!(p.last_log().await["event"], "Inventory status: Hold");
    p.put(
        &p.operator,
        "/inventory/items/NOPE",
        json!({ "status": "Good" }),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    p.post(&p.w.admin, "/demo", None)
        .await
        .assert_error(StatusCode::CONFLICT, "CONFLICT");
}

#[tokio::test]
async fn auditors_never_write_and_workshop_staff_never_read() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    let before = p.log_count().await;
    let writes: [(&str, &str, Value); 6] = [
        ("POST", "/exceptions", raise("dsp-02", "Low")),
        (
            "POST",
            "/runbooks/dispatch/stages/dsp-02/gate",
            json!({ "status": "Open" }),
        ),
        (
            "POST",
            "/runbooks/dispatch/stages/dsp-02/advance",
            json!({}),
        ),
        (
            "PUT",
            "/lines/line-a/stations/st-01",
            json!({ "state": "Idle" }),
        ),
        (
            "PUT",
            "/inventory/items/CELL-2026-1001",
            json!({ "status": "Blocked" }),
        ),
        (
            "POST",
            "/exceptions/EX-2026-001/transition",
            json!({ "to": "Triaged" }),
        ),
    ];
    for (method, path, body) in &writes {
        let reply = common_call(&p, &p.auditor, method, path, body.clone()).await;
        reply.assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
    }
    assert_eq!(p.log_count().await, before, "nothing was written");
    for who in [&p.w.technician, &p.w.viewer] {
        for path in [
            "/dashboard/summary",
            "/control-tower/runbooks",
            "/exceptions",
            "/logs",
        ] {
            p.get_as(who, path)
                .await
                .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
        }
    }
    p.post(&p.operator, "/demo", None)
        .await
        .assert_error(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR");
}

async fn common_call(
    p: &Plant,
    who: &super::common::Account,
    method: &str,
    path: &str,
    body: Value,
) -> super::common::Reply {
    super::common::call(
        &p.w.app,
        method,
        &format!("/api/v1/ops{path}"),
        Some(&who.token),
        Some(body),
    )
    .await
}
