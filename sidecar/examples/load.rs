//! A mixed read/write load on a running sidecar, with read and write latency told apart
//! (`make bench`, part `load`; wrk's scripts cannot keep two histograms).
//!
//! Usage: `load ADDR TOKEN SECONDS CONNECTIONS WRITE_PERCENT PATHS_FILE`. Each of CONNECTIONS
//! keep-alive HTTP/1.1 connections sends one request after another for SECONDS: with
//! probability WRITE_PERCENT a write (alternately `POST /api/v1/tasks` and `POST
//! /api/v1/clients`, each with unique values and no technician, so none can conflict), else a
//! `GET` of a path drawn from PATHS_FILE (one a line). Every request carries `Bearer TOKEN`.
//! Prints one JSON line: count, p50, p99 and max for reads and for writes, requests/s, and
//! every answer that was not 2xx by status and error code.
//!
//! Only loopback addresses are accepted: this is a load on the local machine's own server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::net::TcpStream;

/// What one connection saw.
#[derive(Default)]
struct Tally {
    reads: Vec<u32>,
    writes: Vec<u32>,
    /// `"STATUS CODE"` of each answer that was not 2xx, with how many.
    failures: BTreeMap<String, u64>,
}

struct Plan {
    addr: SocketAddr,
    bearer: String,
    paths: Vec<String>,
    write_percent: u32,
    until: Instant,
    /// Numbers the unique values of writes across connections.
    serial: AtomicU64,
}

fn write_request(plan: &Plan, n: u64) -> (String, Value) {
    if n.is_multiple_of(2) {
        let day = 1 + n % 28;
        let body = json!({
            "title": format!("Load {n}"),
            "vehicle_plate": format!("LD-{:03}-{}", n % 1000, n / 1000 % 100),
            "vehicle_model": "Model 3",
            "ppf_zones": ["hood", "bumper"],
            "scheduled_date": format!("2027-03-{day:02}"),
        });
        ("/api/v1/tasks".to_owned(), body)
    } else {
        let body = json!({
            "name": format!("Load client {n}"),
            "email": format!("load{n}-{}@example.com", plan.addr.port()),
        });
        ("/api/v1/clients".to_owned(), body)
    }
}

async fn connection(plan: Arc<Plan>, seed: u64) -> Tally {
    let mut tally = Tally::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let stream = TcpStream::connect(plan.addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let io = hyper_util::rt::TokioIo::new(stream);
    let (mut sender, conn) = http1::handshake::<_, Full<Bytes>>(io)
        .await
        .expect("handshake");
    tokio::spawn(conn);
    let host = plan.addr.to_string();
    while Instant::now() < plan.until {
        let write = rng.random_range(0..100) < plan.write_percent;
        let builder = Request::builder()
            .header("host", &host)
            .header("authorization", &plan.bearer);
        let request = if write {
            let n = plan.serial.fetch_add(1, Ordering::Relaxed);
            let (path, body) = write_request(&plan, n);
            builder
                .method("POST")
                .uri(path)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body.to_string())))
        } else {
            let path = &plan.paths[rng.random_range(0..plan.paths.len())];
            builder.method("GET").uri(path).body(Full::default())
        }
        .expect("request");
        let began = Instant::now();
        let response = sender.send_request(request).await.expect("response");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let micros = u32::try_from(began.elapsed().as_micros()).unwrap_or(u32::MAX);
        if write {
            &mut tally.writes
        } else {
            &mut tally.reads
        }
        .push(micros);
        if !status.is_success() {
            let code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "-".to_owned());
            *tally
                .failures
                .entry(format!("{} {code}", status.as_u16()))
                .or_default() += 1;
        }
    }
    tally
}

fn summary(mut micros: Vec<u32>) -> Value {
    micros.sort_unstable();
    let at = |fraction: f64| {
        micros.get(((micros.len().saturating_sub(1)) as f64 * fraction).round() as usize)
    };
    let ms = |v: Option<&u32>| v.map_or(0.0, |&us| f64::from(us) / 1000.0);
    json!({
        "count": micros.len(),
        "p50_ms": ms(at(0.50)),
        "p99_ms": ms(at(0.99)),
        "max_ms": ms(micros.last()),
    })
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, token, seconds, connections, write_percent, paths] = &args[..] else {
        eprintln!("usage: load ADDR TOKEN SECONDS CONNECTIONS WRITE_PERCENT PATHS_FILE");
        std::process::exit(2);
    };
    let addr: SocketAddr = addr.parse().expect("ADDR is host:port");
    assert!(
        addr.ip().is_loopback(),
        "load only a server on this machine"
    );
    let seconds: u64 = seconds.parse().expect("SECONDS");
    let paths: Vec<String> = std::fs::read_to_string(paths)
        .expect("PATHS_FILE")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert!(!paths.is_empty(), "PATHS_FILE lists no path");
    let began = Instant::now();
    let plan = Arc::new(Plan {
        addr,
        bearer: format!("Bearer {token}"),
        paths,
        write_percent: write_percent.parse().expect("WRITE_PERCENT"),
        until: began + Duration::from_secs(seconds),
        serial: AtomicU64::new(0),
    });
    let workers: Vec<_> = (0..connections.parse::<u64>().expect("CONNECTIONS"))
        .map(|i| tokio::spawn(connection(plan.clone(), i)))
        .collect();
    let mut all = Tally::default();
    for worker in workers {
        let tally = worker.await.expect("connection task");
        all.reads.extend(tally.reads);
        all.writes.extend(tally.writes);
        for (key, n) in tally.failures {
            *all.failures.entry(key).or_default() += n;
        }
    }
    let elapsed = began.elapsed().as_secs_f64();
    let total = all.reads.len() + all.writes.len();
    let report = json!({
        "seconds": elapsed,
        "requests_per_s": total as f64 / elapsed,
        "reads": summary(all.reads),
        "writes": summary(all.writes),
        "failures": all.failures,
    });
    println!("{report}");
}
