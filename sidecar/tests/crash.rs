//! Crash safety of the real process: a `kill -9` while clients write loses no write that was
//! acknowledged, and the database it leaves is sound.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::process::{Sidecar, request};
use serde_json::{Value, json};

/// Clients writing at once: half create tasks, half create clients.
const WRITERS: usize = 8;
/// How long they write before the kill.
const WRITING: Duration = Duration::from_millis(1500);

/// An acknowledged write: the path to read it back, and the value it was written with.
struct Acked {
    path: String,
    field: &'static str,
    value: String,
}

/// Write until the server stops answering; every 2xx becomes an [`Acked`]. Any other answer
/// while the server runs fails the test: a busy database must never reach a client.
fn write_until_gone(addr: &str, token: &str, writer: usize, serial: &AtomicUsize) -> Vec<Acked> {
    let mut acked = Vec::new();
    loop {
        let n = serial.fetch_add(1, Ordering::Relaxed);
        let (collection, field, value, body) = if writer.is_multiple_of(2) {
            let title = format!("Crash task {n}");
            let body = json!({
                "title": title, "vehicle_plate": "AB-123-CD", "vehicle_model": "Model 3",
                "ppf_zones": ["hood"], "scheduled_date": "2026-12-01",
            });
            ("tasks", "title", title, body)
        } else {
            let name = format!("Crash client {n}");
            ("clients", "name", name.clone(), json!({ "name": name }))
        };
        let path = format!("/api/v1/{collection}");
        match request(addr, "POST", &path, Some(token), Some(&body)) {
            Ok((201, reply)) => acked.push(Acked {
                path: format!("{path}/{}", reply["data"]["id"].as_str().expect("id")),
                field,
                value,
            }),
            Ok((status, reply)) => panic!("POST {path} answered {status}: {reply}"),
            Err(_) => return acked,
        }
    }
}

#[test]
fn kill_9_under_concurrent_writes_keeps_every_acknowledged_write_and_a_sound_database() {
    let dir = tempfile::tempdir().unwrap();
    let sidecar = Sidecar::start(dir.path());
    let token = Arc::new(sidecar.admin_token());
    let serial = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (addr, token, serial) = (sidecar.addr.clone(), token.clone(), serial.clone());
            std::thread::spawn(move || write_until_gone(&addr, &token, writer, &serial))
        })
        .collect();
    std::thread::sleep(WRITING);
    sidecar.kill();
    let acked: Vec<Acked> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer thread"))
        .collect();
    let tasks = acked.iter().filter(|a| a.field == "title").count();
    assert!(
        tasks >= 10 && acked.len() - tasks >= 10,
        "too few writes before the kill to say anything: {tasks} tasks, {} clients",
        acked.len() - tasks
    );
    let sent = serial.load(Ordering::Relaxed);

    let sidecar = Sidecar::start(dir.path());
    let token = sidecar.admin_token();
    for write in &acked {
        let (status, body) = request(&sidecar.addr, "GET", &write.path, Some(&token), None)
            .expect("the restarted sidecar answers");
        assert_eq!(status, 200, "acknowledged {} is gone: {body}", write.path);
        assert_eq!(body["data"][write.field], Value::from(write.value.as_str()));
    }

    // The file as SQLite sees it after recovery, next to the running sidecar (WAL: readers do
    // not block it), and the one invariant a torn write would break: no task number twice.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (integrity, numbers, distinct, total): (String, i64, i64, i64) = runtime.block_on(async {
        let url = format!("sqlite://{}?mode=ro", dir.path().join("rpma.db").display());
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let integrity = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        let (numbers, distinct, total) = sqlx::query_as(
            "SELECT count(task_number), count(DISTINCT task_number), \
                    (SELECT count(*) FROM tasks) + (SELECT count(*) FROM clients) FROM tasks",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        (integrity, numbers, distinct, total)
    });
    assert_eq!(integrity, "ok");
    assert_eq!(numbers, distinct, "a task number was given twice");
    // Writes in flight at the kill may or may not have landed; none was made up.
    let total = usize::try_from(total).unwrap();
    assert!(
        (acked.len()..=sent).contains(&total),
        "{total} rows after {} acknowledged of {sent} sent",
        acked.len()
    );
    assert!(sidecar.stop().success());
}
