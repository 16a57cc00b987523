//! A team server: two `rpma-sidecar` processes on one PostgreSQL database (and one data dir,
//! which holds the signing key and the uploads they share) behave as one server. A task
//! created through one is on the other's list and on its event stream; parallel consumptions
//! split across both never take the stock below zero. Runs on the PostgreSQL pass of
//! `make test`, and only there.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::process::{Sidecar, request};
use common::{TaskBuilder, Workshop, call};
use serde_json::{Value, json};

/// A fresh migrated database on the test server, a workshop signed in over it (in this
/// process), and two sidecar processes on it sharing the workshop's data dir.
async fn team() -> (Workshop, Sidecar, Sidecar) {
    let server = std::env::var(common::DATABASE_VAR)
        .unwrap_or_else(|_| panic!("needs a PostgreSQL server in {}", common::DATABASE_VAR));
    let pool = common::postgres::database(&server).await;
    let url = pool.connect_options().database_url.to_string();
    let w = Workshop::new(pool).await;
    let args = ["--database-url", url.as_str()];
    let one = Sidecar::start_with(w.app.dir.path(), &args);
    let two = Sidecar::start_with(w.app.dir.path(), &args);
    (w, one, two)
}

/// Read `stream`'s Server-Sent Events until one of `kind` whose data has `id`, or fail after
/// 10 s.
fn wait_for_event(stream: TcpStream, kind: &str, id: &str) -> Value {
    wait_for(stream, kind, |event| event["data"]["id"] == id)
}

/// Read `stream`'s Server-Sent Events until one of `kind` that `wanted` accepts, or fail after
/// 10 s.
fn wait_for(stream: TcpStream, kind: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut lines = BufReader::new(stream);
    let mut current = String::new();
    loop {
        assert!(
            Instant::now() < deadline,
            "no such {kind} event within 10 s"
        );
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("event: ") {
            current = name.to_owned();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == kind
        {
            let event: Value = serde_json::from_str(data).unwrap();
            if wanted(&event) {
                return event;
            }
        }
    }
}

/// An open `GET /api/v1/events` of `sidecar` as `token`, its headers read.
fn subscribe(sidecar: &Sidecar, token: &str) -> TcpStream {
    let mut stream = TcpStream::connect(&sidecar.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    write!(
        stream,
        "GET /api/v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Accept: text/event-stream\r\n\r\n",
        sidecar.addr
    )
    .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.contains(" 200 "), "{status}");
    // The rest of the headers and any first event are read by `wait_for_event`.
    stream
}

#[tokio::test]
async fn a_task_created_through_one_sidecar_is_on_the_others_list_and_stream() {
    let (w, one, two) = team().await;
    let stream = subscribe(&two, &w.admin.token);
    let desktop = subscribe(&two, &w.technician.token);
    let body = TaskBuilder::new()
        .plate("TM-001-AA")
        .technician(&w.technician.id)
        .zones(&["hood"])
        .body();
    let (addr, token) = (one.addr.clone(), w.admin.token.clone());
    let (status, created) = tokio::task::spawn_blocking(move || {
        request(&addr, "POST", "/api/v1/tasks", Some(&token), Some(&body)).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(status, 201, "{created}");
    let id = created["data"]["id"].as_str().unwrap().to_owned();

    let (addr, token, wanted) = (two.addr.clone(), w.admin.token.clone(), id.clone());
    let (status, list) = tokio::task::spawn_blocking(move || {
        request(
            &addr,
            "GET",
            "/api/v1/tasks?q=TM-001-AA",
            Some(&token),
            None,
        )
        .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [wanted.as_str()], "{list}");

    let event = tokio::task::spawn_blocking(move || wait_for_event(stream, "task.created", &id))
        .await
        .unwrap();
    assert_eq!(event["data"]["vehicle_plate"], "TM-001-AA", "{event}");
    assert_eq!(event["actor_id"], w.admin.id.as_str(), "{event}");

    // Neither sidecar has a shell: "assigned to you" reaches the technician's desktop as a
    // desktop request on the stream, through the other sidecar too.
    let title = format!(
        "Task {} assigned",
        created["data"]["task_number"].as_str().unwrap()
    );
    let request = tokio::task::spawn_blocking(move || {
        wait_for(desktop, "desktop.request", |e| {
            e["data"]["notification"]["title"] == title.as_str()
        })
    })
    .await
    .unwrap();
    assert_eq!(request["data"]["bring_forward"], false, "{request}");
}

#[tokio::test]
async fn thirty_two_consumptions_across_both_sidecars_never_overdraw() {
    let (w, one, two) = team().await;
    let task = TaskBuilder::new()
        .plate("TM-002-BB")
        .on("2026-12-10")
        .zones(&["hood"])
        .technician(&w.technician.id)
        .status("assigned")
        .create(&w.app, &w.admin.token)
        .await;
    let body = json!({ "task_id": common::id(&task), "intervention_type": "ppf" });
    let job = call(
        &w.app,
        "POST",
        "/api/v1/interventions",
        Some(&w.technician.token),
        Some(body),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let film = json!({
        "sku": "PPF-TEAM-1", "name": "Team film", "material_type": "ppf_film",
        "unit_of_measure": "meter", "unit_cost": 1250, "reorder_point": 5,
        "category_id": "cat_ppf_films", "initial_stock": 10,
    });
    let film = call(
        &w.app,
        "POST",
        "/api/v1/materials",
        Some(&w.technician.token),
        Some(film),
    )
    .await
    .assert_ok(StatusCode::CREATED);
    let path = format!(
        "/api/v1/interventions/{}/consumption",
        job["intervention"]["id"].as_str().unwrap()
    );
    let body = json!({ "material_id": common::id(&film), "quantity_used": 1 });

    let calls: Vec<_> = (0..32)
        .map(|n| {
            let addr = if n % 2 == 0 {
                one.addr.clone()
            } else {
                two.addr.clone()
            };
            let (path, token, body) = (path.clone(), w.technician.token.clone(), body.clone());
            std::thread::spawn(move || {
                request(&addr, "POST", &path, Some(&token), Some(&body))
                    .unwrap()
                    .0
            })
        })
        .collect();
    let statuses: Vec<u16> = calls.into_iter().map(|c| c.join().unwrap()).collect();
    let won = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((won, refused), (10, 22), "{statuses:?}");
    let (stock, moves): (f64, i64) = sqlx::query_as(
        "SELECT m.current_stock, (SELECT count(*) FROM inventory_transactions t \
         WHERE t.material_id = m.id) FROM materials m WHERE m.sku = 'PPF-TEAM-1'",
    )
    .fetch_one(&w.app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (stock, moves),
        (0.0, 11),
        "ten consumptions and the initial stock"
    );
}
