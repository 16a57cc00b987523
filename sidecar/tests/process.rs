//! The real `rpma-sidecar` binary: start-up contract, signals, parent death, start-up errors, logs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use rpma_sidecar::shutdown::is_alive;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rpma-sidecar");
const STARTUP_DEADLINE: Duration = Duration::from_secs(20);

/// Lines of a child's stdout, read on a thread so the test can wait with a deadline.
fn lines(stdout: ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Wait for the `listening` line and return the address it announces.
fn listening_addr(lines: &mpsc::Receiver<String>) -> String {
    let line = lines
        .recv_timeout(STARTUP_DEADLINE)
        .expect("listening line on stdout");
    assert!(
        line.starts_with(r#"{"event":"listening","addr":"127.0.0.1:"#),
        "{line}"
    );
    let event: Value = serde_json::from_str(&line).unwrap();
    event["addr"].as_str().unwrap().to_owned()
}

fn sidecar(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["--port", "0", "--data-dir"]).arg(data_dir);
    cmd.env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// `GET path` over a real TCP connection; returns status and JSON body.
fn http_get(addr: &str, path: &str, headers: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("HTTP response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn signal(child: &Child, sig: Signal) {
    kill(Pid::from_raw(i32::try_from(child.id()).unwrap()), sig).unwrap();
}

/// Wait for the child to exit, up to `deadline`; returns its status and how long it took.
fn wait_exit(child: &mut Child, deadline: Duration) -> (ExitStatus, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("process still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn port_zero_health_over_tcp_and_clean_exit_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = sidecar(dir.path()).spawn().unwrap();
    let addr = listening_addr(&lines(child.stdout.take().unwrap()));

    let (status, body) = http_get(&addr, "/api/v1/health", "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["database"], "ok");
    assert!(dir.path().join("rpma.db").is_file());

    signal(&child, Signal::SIGTERM);
    let (exit, took) = wait_exit(&mut child, Duration::from_secs(5));
    assert_eq!(exit.code(), Some(0), "exit after {took:?}");
}

#[test]
fn sigint_also_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = sidecar(dir.path()).spawn().unwrap();
    listening_addr(&lines(child.stdout.take().unwrap()));
    signal(&child, Signal::SIGINT);
    let (exit, _) = wait_exit(&mut child, Duration::from_secs(5));
    assert_eq!(exit.code(), Some(0));
}

#[test]
fn exits_within_two_seconds_when_the_watched_parent_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut parent = Command::new("sleep").arg("600").spawn().unwrap();
    let mut child = sidecar(dir.path())
        .arg("--parent-pid")
        .arg(parent.id().to_string())
        .spawn()
        .unwrap();
    let addr = listening_addr(&lines(child.stdout.take().unwrap()));
    assert_eq!(http_get(&addr, "/api/v1/health", "").0, 200);

    parent.kill().unwrap();
    parent.wait().unwrap();
    let (exit, took) = wait_exit(&mut child, Duration::from_secs(5));
    assert!(took <= Duration::from_secs(2), "took {took:?}");
    assert_eq!(exit.code(), Some(0));
}

#[test]
fn killed_real_parent_leaves_no_orphan() {
    let dir = tempfile::tempdir().unwrap();
    // sh starts the sidecar with its own pid as --parent-pid, prints the sidecar's pid, and waits.
    let script = r#"bin="$1"; shift; "$bin" --parent-pid $$ "$@" & echo "$!"; wait"#;
    let mut parent = Command::new("sh")
        .args(["-c", script, "sh", BIN, "--port", "0", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines(parent.stdout.take().unwrap());
    let pid: u32 = out
        .recv_timeout(STARTUP_DEADLINE)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let addr = listening_addr(&out);
    assert_eq!(http_get(&addr, "/api/v1/health", "").0, 200);

    parent.kill().unwrap(); // SIGKILL: the parent gets no chance to clean up
    parent.wait().unwrap();
    let started = Instant::now();
    while is_alive(pid) {
        assert!(
            started.elapsed() <= Duration::from_secs(2),
            "sidecar {pid} outlived its parent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn corrupt_database_fails_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rpma.db"),
        b"garbage, not a database ".repeat(200),
    )
    .unwrap();
    let output = sidecar(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no listening line");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("corrupt or not an SQLite database"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn json_logs_have_one_line_per_request_with_correlation_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.env("RPMA_PORT", "0")
        .env("RPMA_DATA_DIR", dir.path())
        .env("RPMA_LOG_FORMAT", "json");
    let mut child = cmd
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = listening_addr(&lines(child.stdout.take().unwrap()));
    assert_eq!(
        http_get(&addr, "/api/v1/nope", "X-Correlation-Id: trace-me-1\r\n").0,
        404
    );

    signal(&child, Signal::SIGTERM);
    wait_exit(&mut child, Duration::from_secs(5));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let requests: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .filter(|v| v["span"]["name"] == "request")
        .collect();
    assert_eq!(requests.len(), 1, "{stderr}");
    let line = &requests[0];
    assert_eq!(line["span"]["correlation_id"], "trace-me-1");
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["span"]["path"], "/api/v1/nope");
    assert_eq!(line["fields"]["status"], 404);
    assert!(line["fields"]["latency_ms"].is_number(), "{line}");
}
