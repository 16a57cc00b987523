//! Every contract endpoint answers the contract's shapes: the field names of
//! `reference/bpmos-backend-contract.md` and domain facts, their enum values from the contract's
//! lists, `null` and never `""` for a missing field, and empty states on an empty plant.

use serde_json::Value;

use super::Plant;

const RUNBOOK_STATUS: &[&str] = &["Healthy", "Degraded", "Blocked", "Idle", "Running"];
const STAGE_STATUS: &[&str] = &["Pending", "In Progress", "Hold", "Completed"];
const GATE_STATUS: &[&str] = &["Open", "Closed", "Locked"];
const GATE_TYPE: &[&str] = &[
    "Approval",
    "Validation",
    "Interlock",
    "Authorization",
    "Handoff",
];
const SEVERITY: &[&str] = &["Critical", "High", "Medium", "Low"];
const LIFECYCLE: &[&str] = &["Raised", "Triaged", "In Review", "Resolved", "Closed"];
const LINE_MODE: &[&str] = &["Running", "Idle", "Blocked", "Maintenance"];
const STATION_STATE: &[&str] = &["Ready", "Running", "Blocked", "Idle"];
const LINE_HEALTH: &[&str] = &["OK", "Attention", "Critical"];
const INVENTORY_STATUS: &[&str] = &["Good", "Hold", "Blocked"];
pub(super) const METRIC_STATUS: &[&str] = &["OK", "Warning", "Critical", "Info"];
pub(super) const ATTENTION_TYPE: &[&str] = &["Block", "Exception", "Risk", "Compliance"];
const LOG_CATEGORY: &[&str] = &["Workflow", "System", "Compliance", "Security"];
const LOG_SEVERITY: &[&str] = &["Info", "Success", "Warning", "Error"];
pub(super) const BPM_ROLES: &[&str] = &[
    "System Admin",
    "Design / Engineering",
    "Stores / Incoming QC",
    "Production Operator",
    "QA Engineer",
    "Supervisor",
    "Management / Auditor",
    "Commercial / Procurement",
    "Production Planner",
    "Logistics / Dispatch",
    "Service / Support",
    "Sustainability / ESG",
    "Compliance / Regulatory",
];

/// `value` has exactly these keys (present, even when `null`).
#[track_caller]
pub(super) fn keys(value: &Value, expected: &[&str]) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"));
    let mut got: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut want = expected.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{value}");
}

#[track_caller]
pub(super) fn one_of(value: &Value, allowed: &[&str]) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a text: {value}"));
    assert!(allowed.contains(&text), "{text} is not one of {allowed:?}");
}

/// No text anywhere in `value` is `""`.
#[track_caller]
pub(super) fn no_empty_texts(value: &Value, path: &str) {
    match value {
        Value::String(s) => assert!(!s.is_empty(), "{path} is \"\""),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| no_empty_texts(v, &format!("{path}[{i}]"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, v)| no_empty_texts(v, &format!("{path}.{k}"))),
        _ => {}
    }
}

pub(super) fn each(value: &Value) -> &Vec<Value> {
    let items = value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"));
    assert!(!items.is_empty(), "the demo plant has some");
    items
}

pub(super) const READS: &[&str] = &[
    "/dashboard/summary",
    "/dashboard/trends",
    "/dashboard/distributions",
    "/dashboard/operator/summary",
    "/dashboard/supervisor/summary",
    "/dashboard/plant-head/summary",
    "/dashboard/admin/summary",
    "/dashboard/auditor/summary",
    "/dashboard/operator/attention",
    "/dashboard/supervisor/attention",
    "/dashboard/plant-head/attention",
    "/dashboard/admin/attention",
    "/dashboard/auditor/attention",
    "/control-tower/runbooks",
    "/live-status/summary",
    "/live-status/operations",
    "/live-status/lines",
    "/inventory/categories",
    "/inventory/items",
    "/lines",
    "/exceptions",
    "/logs",
    "/logs/verify",
    "/reports",
    "/reports/rpt-mfg/preview",
    "/reports/rpt-comp/preview",
    "/reports/rpt-inv/preview",
    "/reports/rpt-wty/preview",
    "/compliance",
];

#[tokio::test]
async fn runbooks_stages_and_gates_use_the_contract_names() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    let tower = p.read("/control-tower/runbooks").await;
    let ids: Vec<&str> = each(&tower)
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["material", "manufacturing", "dispatch", "warranty"]);
    for r in each(&tower) {
        keys(
            r,
            &[
                "id",
                "title",
                "status",
                "currentStage",
                "blockReason",
                "roles",
                "lastUpdate",
                "range",
                "progress",
            ],
        );
        one_of(&r["status"], RUNBOOK_STATUS);
        each(&r["roles"]).iter().for_each(|l| one_of(l, BPM_ROLES));
    }
    let mfg = &tower[1];
    assert_eq!(mfg["status"], "Blocked");
    assert_eq!(mfg["currentStage"], "S5 Module Assembly");
    assert!(
        mfg["blockReason"]
            .as_str()
            .unwrap()
            .starts_with("Exception EX-"),
        "{mfg}"
    );
    assert_eq!(tower[2]["status"], "Running");
    assert_eq!(tower[2]["blockReason"], Value::Null);

    let ranges = [
        ("material", "S2 → S4", "mat"),
        ("manufacturing", "S4 → S9", "mfg"),
        ("dispatch", "S11 → S14", "dsp"),
        ("warranty", "S15 → S16", "wty"),
    ];
    for (id, range, prefix) in ranges {
        let r = p.runbook(id).await;
        keys(
            &r,
            &[
                "id",
                "title",
                "range",
                "purpose",
                "status",
                "currentStage",
                "blockReason",
                "roles",
                "lastUpdate",
                "progress",
                "stages",
                "custody",
                "warrantyContext",
            ],
        );
        assert_eq!(r["range"], range);
        keys(&r["custody"], &["custodian", "responsibilities", "since"]);
        let mut last_sop = -1;
        for (n, s) in each(&r["stages"]).iter().enumerate() {
            assert_eq!(s["id"], format!("{prefix}-{:02}", n + 1));
            keys(
                s,
                &[
                    "id",
                    "name",
                    "sopRef",
                    "navTarget",
                    "status",
                    "roles",
                    "isTraceHandoff",
                    "traceActivity",
                    "gate",
                    "exception",
                ],
            );
            one_of(&s["status"], STAGE_STATUS);
            let sop: i64 = s["sopRef"].as_str().unwrap()[1..].parse().unwrap();
            assert!((0..=17).contains(&sop) && sop >= last_sop, "SOP order: {s}");
            last_sop = sop;
            keys(
                &s["gate"],
                &["type", "condition", "evidence", "owner", "status", "impact"],
            );
            one_of(&s["gate"]["type"], GATE_TYPE);
            one_of(&s["gate"]["status"], GATE_STATUS);
            if s["isTraceHandoff"] == true {
                keys(&s["traceActivity"], &["header", "description", "demoNote"]);
            }
            if !s["exception"].is_null() {
                keys(&s["exception"], &["id", "type", "severity", "description"]);
                one_of(&s["exception"]["severity"], SEVERITY);
                assert_eq!(s["status"], "Hold");
            }
        }
        let stages = p.read(&format!("/runbooks/{id}/stages")).await;
        assert_eq!(stages, r["stages"]);
        for g in each(&p.read(&format!("/runbooks/{id}/gates")).await) {
            keys(
                g,
                &[
                    "stageId",
                    "stage",
                    "type",
                    "condition",
                    "evidence",
                    "owner",
                    "status",
                    "impact",
                ],
            );
        }
    }
    let warranty = p.runbook("warranty").await;
    keys(
        &warranty["warrantyContext"],
        &["entity", "status", "liabilities"],
    );
    one_of(
        &warranty["warrantyContext"]["status"],
        &[
            "Active",
            "Expired",
            "Claim Raised",
            "Under Review",
            "Closed",
        ],
    );
    assert_eq!(p.runbook("dispatch").await["warrantyContext"], Value::Null);
}

#[tokio::test]
async fn exceptions_lines_inventory_and_logs_use_the_contract_names() {
    let (pool, _db) = crate::common::database().await;
    let p = Plant::new(pool).await;
    for e in each(&p.read("/exceptions").await) {
        keys(
            e,
            &[
                "id",
                "type",
                "runbook",
                "stage",
                "severity",
                "owner",
                "age",
                "description",
                "impact",
                "escalation",
                "status",
                "runbookId",
                "stageId",
                "raisedAt",
                "updatedAt",
            ],
        );
        assert!(e["id"].as_str().unwrap().starts_with("EX-20"), "{e}");
        assert_eq!(e["id"].as_str().unwrap().len(), "EX-2026-001".len());
        one_of(&e["severity"], SEVERITY);
        one_of(&e["status"], LIFECYCLE);
    }
    let first = &p.read("/exceptions?severity=Critical").await[0];
    assert_eq!(first["runbook"], "Manufacturing Execution");
    assert_eq!(first["stage"], "Module Assembly (S5)");
    let detail = p
        .read(&format!("/exceptions/{}", first["id"].as_str().unwrap()))
        .await;
    assert_eq!(detail["allowed"], serde_json::json!(["Triaged"]));
    assert_eq!(detail["escalationPath"][1], "Production Manager (Level 2)");
    assert_eq!(
        p.read("/runbooks/dispatch/exceptions").await,
        serde_json::json!([])
    );

    for line in each(&p.read("/lines").await) {
        keys(
            line,
            &[
                "id",
                "name",
                "type",
                "mode",
                "runbookRef",
                "lastUpdate",
                "health",
                "stations",
            ],
        );
        one_of(&line["mode"], LINE_MODE);
        one_of(&line["health"], LINE_HEALTH);
        for s in each(&line["stations"]) {
            // Domain facts' `blockedReason`, not the contract example's `reason`.
            keys(s, &["id", "name", "state", "blockedReason"]);
            one_of(&s["state"], STATION_STATE);
        }
    }
    let a = p.read("/lines/line-a").await;
    assert_eq!(
        (a["mode"].as_str(), a["health"].as_str()),
        (Some("Blocked"), Some("Critical"))
    );
    assert_eq!(p.read("/lines/line-a/stations").await, a["stations"]);
    let oee = p.read("/lines/line-b/oee").await;
    keys(
        &oee,
        &[
            "lineId",
            "from",
            "to",
            "availability",
            "performance",
            "quality",
            "oee",
            "yield",
            "planned",
            "built",
            "ok",
            "intervals",
        ],
    );
    let intervals = oee["intervals"].as_i64().unwrap();
    assert!(
        (95..=96).contains(&intervals),
        "a day of 15-minute intervals: {intervals}"
    );
    for f in ["availability", "performance", "quality", "oee"] {
        let v = oee[f].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&v), "{f} {v}");
    }
    for l in each(&p.read("/live-status/lines").await) {
        keys(l, &["id", "name", "mode", "stations"]);
        keys(&l["stations"][0], &["id", "status"]);
    }
    let ops = p.read("/live-status/operations").await;
    for r in each(&ops["operations"]) {
        keys(
            r,
            &["id", "name", "stage", "status", "reason", "lastUpdate"],
        );
        one_of(&r["status"], &["Running", "Blocked", "Idle", "Maintenance"]);
    }
    assert_eq!(ops["blocked"], 3);
    for m in each(&p.read("/live-status/summary").await) {
        keys(m, &["label", "value", "status"]);
        one_of(&m["status"], METRIC_STATUS);
    }

    let categories = p.read("/inventory/categories").await;
    let ids: Vec<&str> = each(&categories)
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["cells", "modules", "packs", "finished", "deployed"]);
    for c in each(&categories) {
        keys(
            c,
            &[
                "id",
                "label",
                "description",
                "count",
                "statusMix",
                "trend",
                "color",
            ],
        );
        keys(&c["statusMix"], &["good", "hold", "blocked"]);
        one_of(&c["trend"], &["up", "down", "stable"]);
        let mix = &c["statusMix"];
        assert_eq!(
            c["count"].as_i64(),
            Some(
                mix["good"].as_i64().unwrap()
                    + mix["hold"].as_i64().unwrap()
                    + mix["blocked"].as_i64().unwrap()
            )
        );
    }
    let held = p
        .read("/inventory/items?category=cells&status=Hold&limit=5")
        .await;
    for item in each(&held["items"]) {
        keys(
            item,
            &[
                "id",
                "category",
                "sku",
                "location",
                "status",
                "age",
                "batchRef",
                "exceptionRef",
            ],
        );
        assert_eq!(
            (item["category"].as_str(), item["status"].as_str()),
            (Some("cells"), Some("Hold"))
        );
        one_of(&item["status"], INVENTORY_STATUS);
    }
    let found = p.read("/inventory/items?search=CELL-2026-1001").await;
    assert_eq!(found["total"], 1);

    let logs = p.read("/logs").await;
    let rows = each(&logs["items"]);
    for l in rows {
        keys(
            l,
            &[
                "id",
                "seq",
                "timestamp",
                "category",
                "severity",
                "event",
                "entity",
                "actor",
            ],
        );
        one_of(&l["category"], LOG_CATEGORY);
        one_of(&l["severity"], LOG_SEVERITY);
    }
    assert!(
        rows.windows(2)
            .all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()),
        "newest first"
    );
    let compliance = p.read("/logs?category=Compliance").await;
    assert!(
        each(&compliance["items"])
            .iter()
            .all(|l| l["category"] == "Compliance")
    );
    assert_eq!(p.read("/logs?search=no-such-event").await["total"], 0);
}
