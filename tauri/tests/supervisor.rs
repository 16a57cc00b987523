//! Supervision of the real `rpma-sidecar` binary: start on a free port, recover from `kill -9`,
//! give up after repeated crashes, restart on request, and leave no process behind.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rpma_shell::logs::LogTail;
use rpma_shell::supervisor::{BackendStatus, Settings, SidecarCommand, Supervisor, healthy};
use rpma_shell_protocol::ShellToken;

/// The workspace's sidecar binary, next to this test's `deps` folder.
fn sidecar_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("rpma-sidecar");
    assert!(
        bin.is_file(),
        "{} is missing: `cargo build -p rpma-sidecar` first (make test does)",
        bin.display()
    );
    bin
}

fn fast() -> Settings {
    Settings {
        health_interval: Duration::from_millis(200),
        health_timeout: Duration::from_millis(500),
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(200),
        ..Settings::default()
    }
}

struct Harness {
    supervisor: Arc<Supervisor>,
    seen: Arc<Mutex<Vec<BackendStatus>>>,
    _dir: tempfile::TempDir,
}

fn supervise(dir: tempfile::TempDir, settings: Settings) -> Harness {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let command = SidecarCommand {
        program: sidecar_bin(),
        args: vec![
            "--data-dir".into(),
            dir.path().into(),
            "--parent-pid".into(),
            std::process::id().to_string().into(),
        ],
        env: vec![],
        token: None,
    };
    let supervisor = Supervisor::spawn(command, settings, LogTail::default(), move |status| {
        record.lock().unwrap().push(status.clone());
    });
    Harness {
        supervisor,
        seen,
        _dir: dir,
    }
}

fn wait_for(what: &str, deadline: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < deadline,
            "{what}: not within {deadline:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    started.elapsed()
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X']))
    })
}

#[test]
fn starts_on_a_free_port_and_stops_without_leaving_a_process() {
    let h = supervise(tempfile::tempdir().unwrap(), fast());
    wait_for("healthy", Duration::from_secs(20), || {
        h.supervisor.url().is_some()
    });
    let url = h.supervisor.url().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":1430"),
        "{url}"
    );
    assert!(healthy(&url, Duration::from_secs(1)));
    let pid = h.supervisor.pid().unwrap();

    h.supervisor.stop();
    assert!(!alive(pid), "sidecar {pid} still running after stop");
    assert!(!healthy(&url, Duration::from_millis(300)));
    assert_eq!(h.supervisor.status(), BackendStatus::Stopped);
    let seen = h.seen.lock().unwrap().clone();
    assert_eq!(seen.first(), Some(&BackendStatus::Starting));
    assert!(
        matches!(seen.get(1), Some(BackendStatus::Healthy { .. })),
        "{seen:?}"
    );
}

#[test]
fn kill_9_of_the_sidecar_is_healthy_again_within_two_seconds() {
    let h = supervise(tempfile::tempdir().unwrap(), fast());
    wait_for("healthy", Duration::from_secs(20), || {
        h.supervisor.url().is_some()
    });
    let first = h.supervisor.pid().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(first as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let took = wait_for("healthy again", Duration::from_secs(2), || {
        h.supervisor.pid().is_some_and(|pid| pid != first)
            && h.supervisor
                .url()
                .is_some_and(|u| healthy(&u, Duration::from_millis(200)))
    });
    eprintln!("recovered in {took:?}");
    assert!(
        h.seen
            .lock()
            .unwrap()
            .iter()
            .any(|s| matches!(s, BackendStatus::Restarting { .. }))
    );
    h.supervisor.stop();
}

#[test]
fn repeated_crashes_end_in_failed_with_the_last_log_lines() {
    // A corrupt database makes the real sidecar exit at every start.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rpma.db"),
        b"not a database at all ".repeat(100),
    )
    .unwrap();
    let h = supervise(dir, fast());
    wait_for("failed", Duration::from_secs(20), || {
        matches!(h.supervisor.status(), BackendStatus::Failed { .. })
    });
    let BackendStatus::Failed { reason, last_logs } = h.supervisor.status() else {
        unreachable!()
    };
    assert!(reason.contains("exited"), "{reason}");
    assert!(
        last_logs.iter().any(|l| l.contains("corrupt")),
        "{last_logs:?}"
    );
    let restarts = h
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| matches!(s, BackendStatus::Restarting { .. }))
        .count();
    assert_eq!(
        restarts, 4,
        "five failures: four restarts, then it gives up"
    );
    assert_eq!(h.supervisor.pid(), None);
}

#[test]
fn restart_on_request_brings_a_fresh_sidecar() {
    let h = supervise(tempfile::tempdir().unwrap(), fast());
    wait_for("healthy", Duration::from_secs(20), || {
        h.supervisor.url().is_some()
    });
    let first = h.supervisor.pid().unwrap();
    h.supervisor.restart();
    wait_for("fresh sidecar", Duration::from_secs(10), || {
        h.supervisor.pid().is_some_and(|pid| pid != first) && h.supervisor.url().is_some()
    });
    assert!(!alive(first));
    h.supervisor.stop();
}

#[test]
fn attach_mode_watches_but_never_kills() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(sidecar_bin())
        .args(["--port", "0", "--data-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = serde_json::from_str::<serde_json::Value>(&line).unwrap()["addr"]
        .as_str()
        .unwrap()
        .to_owned();
    let supervisor = Supervisor::attach(format!("http://{addr}"), fast(), |_| {});
    wait_for("attached", Duration::from_secs(5), || {
        supervisor.url().is_some()
    });
    supervisor.stop();
    assert!(
        child.try_wait().unwrap().is_none(),
        "an attached sidecar is not ours to stop"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The UI thread's deadlock, reduced: the status listener waits for a lock the stopping thread
/// holds (as a tray update waits for the UI thread that is busy stopping). `stop_within` still
/// returns at its limit, and once the listener is free nothing is left running.
#[test]
fn stop_within_returns_at_its_limit_while_the_listener_is_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let gate = Arc::new(Mutex::new(()));
    let held = gate.lock().unwrap();
    let stuck = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let command = SidecarCommand {
        program: sidecar_bin(),
        args: vec!["--data-dir".into(), dir.path().into()],
        env: vec![],
        token: None,
    };
    let (listener_gate, listener_stuck) = (gate.clone(), stuck.clone());
    let supervisor = Supervisor::spawn(command, fast(), LogTail::default(), move |status| {
        if matches!(status, BackendStatus::Healthy { .. }) {
            listener_stuck.store(true, std::sync::atomic::Ordering::SeqCst);
            drop(listener_gate.lock().unwrap());
        }
    });
    wait_for("a stuck listener", Duration::from_secs(20), || {
        stuck.load(std::sync::atomic::Ordering::SeqCst)
    });
    let pid = supervisor.pid().unwrap();

    let started = Instant::now();
    assert!(!supervisor.stop_within(Duration::from_millis(500)));
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "stop_within took {took:?}"
    );
    assert_eq!(supervisor.status(), BackendStatus::Stopped);

    drop(held);
    let reaped = || !std::path::Path::new(&format!("/proc/{pid}")).exists();
    wait_for("the sidecar reaped", Duration::from_secs(5), reaped);
}

#[test]
fn the_sidecar_command_never_prints_the_token() {
    let command = SidecarCommand {
        program: "rpma-sidecar".into(),
        args: vec![],
        env: vec![],
        token: Some(ShellToken::new("5ecret-70ken-0123456789abcdef")),
    };
    let printed = format!("{command:?}");
    assert!(!printed.contains("5ecret"), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
}
