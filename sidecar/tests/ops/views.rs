//! The plant's views answer the contract's shapes too: the dashboards (summary, trends,
//! distributions, each role's cards and attention), the reports and compliance; and an empty
//! plant answers empty states, not errors.

use axum::http::StatusCode;
use serde_json::Value;

use super::Plant;
use super::contract::{
    ATTENTION_TYPE, BPM_ROLES, METRIC_STATUS, READS, each, keys, no_empty_texts, one_of,
};

#[tokio::test]
async fn dashboards_reports_and_compliance_use_the_contract_names() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    let summary = p.read("/dashboard/summary").await;
    keys(
        &summary,
        &["planned", "built", "ok", "yield", "hold", "oee", "window"],
    );
    assert!(
        summary["built"].as_i64().unwrap() > 0
            && summary["ok"].as_i64() <= summary["built"].as_i64()
    );
    let trends = p.read("/dashboard/trends").await;
    for series in ["built", "yield", "oee"] {
        assert_eq!(trends[series].as_array().unwrap().len(), 7);
        keys(&trends[series][0], &["label", "value", "color", "value2"]);
    }
    let mixes = p.read("/dashboard/distributions").await;
    keys(
        &mixes,
        &["stageMix", "custodyMix", "severityMix", "inventoryMix"],
    );
    let custody: Vec<&str> = each(&mixes["custodyMix"])
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        custody,
        ["Manufacturer", "Logistics", "Customer", "Recycler"]
    );
    let red: Vec<&Value> = each(&mixes["stageMix"])
        .iter()
        .filter(|s| s["color"] == "#dc2626")
        .collect();
    assert_eq!(red.len(), 1, "one bottleneck");

    for role in ["operator", "supervisor", "plant-head", "admin", "auditor"] {
        let s = p.read(&format!("/dashboard/{role}/summary")).await;
        keys(
            &s,
            &["role", "title", "cards", "approvals", "strip", "bottleneck"],
        );
        assert_eq!(s["role"], role);
        for c in each(&s["cards"]) {
            keys(c, &["label", "value", "status"]);
            one_of(&c["status"], METRIC_STATUS);
        }
        for a in p
            .read(&format!("/dashboard/{role}/attention"))
            .await
            .as_array()
            .unwrap()
        {
            keys(
                a,
                &["id", "type", "title", "location", "age", "targetRoles"],
            );
            one_of(&a["type"], ATTENTION_TYPE);
            each(&a["targetRoles"])
                .iter()
                .for_each(|l| one_of(l, BPM_ROLES));
        }
    }
    let sup = p.read("/dashboard/supervisor/summary").await;
    for a in each(&sup["approvals"]) {
        keys(a, &["context", "stage", "reason", "age", "owner"]);
    }
    let auditor_view = p.read("/dashboard/auditor/summary").await;
    let strip: Vec<&str> = each(&auditor_view["strip"])
        .iter()
        .map(|m| m["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        strip,
        [
            "Trace Coverage",
            "Custody Visibility",
            "Compliance Flags",
            "Last Evidence Sync"
        ]
    );
    let auditor = p.read("/dashboard/auditor/attention").await;
    assert!(
        each(&auditor).iter().any(|a| a["type"] == "Compliance"),
        "{auditor}"
    );
    assert!(each(&p.read("/dashboard/plant-head/summary").await["bottleneck"]).len() > 10);

    let tiles = p.read("/reports").await;
    let ids: Vec<&str> = each(&tiles)
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["rpt-mfg", "rpt-comp", "rpt-inv", "rpt-wty"]);
    for t in each(&tiles) {
        keys(t, &["id", "title", "description", "owner"]);
        let preview = p
            .read(&format!("/reports/{}/preview", t["id"].as_str().unwrap()))
            .await;
        keys(
            &preview,
            &["id", "title", "generatedAt", "summary", "columns", "rows"],
        );
        let width = preview["columns"].as_array().unwrap().len();
        assert!(
            each(&preview["rows"])
                .iter()
                .all(|r| r.as_array().unwrap().len() == width)
        );
    }
    p.get_as(&p.operator, "/reports/rpt-nope/preview")
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");

    let c = p.read("/compliance").await;
    keys(&c, &["kpis", "risks", "auditTrail", "failedFields"]);
    keys(
        &c["kpis"],
        &[
            "totalManufactured",
            "aadhaarReady",
            "euPassportReady",
            "eprEligible",
            "riskCount",
        ],
    );
    assert_eq!(c["kpis"]["totalManufactured"], 240);
    // 5 of the 240 demo packs lack a cell origin: 235/240 = 97.9 %.
    assert_eq!(c["kpis"]["aadhaarReady"], 97.9);
    keys(&c["risks"][0], &["id", "packId", "issue", "severity"]);
    keys(
        &c["auditTrail"][0],
        &["stage", "event", "timestamp", "actor", "status"],
    );
    assert!(
        each(&c["failedFields"])
            .iter()
            .any(|f| f["field"] == "cellOrigin" && f["count"] == 5)
    );

    for path in READS {
        no_empty_texts(&p.read(path).await, path);
    }
    for id in ["material", "manufacturing", "dispatch", "warranty"] {
        no_empty_texts(&p.runbook(id).await, id);
    }
}

/// Before the demo, every read answers an empty state: no 404, no 500, percentages `null`.
#[tokio::test]
async fn an_empty_plant_answers_empty_states() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::empty(pool).await;
    for path in READS {
        p.read(path).await;
    }
    assert_eq!(
        p.read("/control-tower/runbooks").await,
        serde_json::json!([])
    );
    let s = p.read("/dashboard/summary").await;
    assert_eq!(
        (s["built"].as_i64(), &s["yield"], &s["oee"]),
        (Some(0), &Value::Null, &Value::Null)
    );
    assert_eq!(
        p.read("/compliance").await["kpis"]["aadhaarReady"],
        Value::Null
    );
    assert_eq!(
        p.read("/inventory/categories")
            .await
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(p.read("/logs/verify").await["valid"], true);
    p.get_as(&p.operator, "/runbooks/manufacturing")
        .await
        .assert_error(StatusCode::NOT_FOUND, "NOT_FOUND");
}
