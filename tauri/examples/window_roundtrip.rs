//! Benchmark: window action round trip REST → sidecar → socket → shell, with the recording
//! controller standing in for the window. Prints p50 and p99 over 1,000 calls.
//!
//! Usage: window_roundtrip PATH/TO/rpma-sidecar

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rpma_shell::socket::{self, RecordingController};
use rpma_shell_protocol::{ShellToken, TOKEN_ENV};

const CALLS: usize = 1_000;
const TOKEN: &str = "bench-shell-token";

fn main() -> anyhow::Result<()> {
    let sidecar = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: window_roundtrip SIDECAR"))?;
    let dir = tempfile::tempdir()?;
    let socket_path = dir.path().join("rpma").join("shell.sock");

    let runtime = tokio::runtime::Runtime::new()?;
    let controller = Arc::new(RecordingController::default());
    let listener = socket::bind(&socket_path)?;
    let router = socket::router(controller.clone(), &ShellToken::new(TOKEN));
    runtime.spawn(socket::serve(listener, router, std::future::pending()));

    let mut child = Command::new(&sidecar)
        .args(["--port", "0", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--shell-socket")
        .arg(&socket_path)
        .env(TOKEN_ENV, TOKEN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(
        child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?,
    )
    .read_line(&mut line)?;
    let event: serde_json::Value = serde_json::from_str(&line)?;
    let api = format!(
        "http://{}/api/v1",
        event["addr"].as_str().unwrap_or_default()
    );

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let account = serde_json::json!({
        "email": "bench@example.com", "username": "bench", "first_name": "Bench", "last_name": "Mark", "password": "Bench1234"
    });
    agent
        .post(format!("{api}/auth/bootstrap-admin"))
        .send_json(&account)?;
    let login: serde_json::Value = agent
        .post(format!("{api}/auth/login"))
        .send_json(serde_json::json!({ "email": "bench@example.com", "password": "Bench1234" }))?
        .body_mut()
        .read_json()?;
    let bearer = format!(
        "Bearer {}",
        login["data"]["access_token"].as_str().unwrap_or_default()
    );

    let toggle = serde_json::json!({ "action": "toggle" });
    let mut times = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let started = Instant::now();
        let response = agent
            .post(format!("{api}/window"))
            .header("Authorization", &bearer)
            .send_json(&toggle)?;
        anyhow::ensure!(response.status() == 200, "status {}", response.status());
        times.push(started.elapsed());
    }
    let _ = child.kill();
    let _ = child.wait();

    anyhow::ensure!(
        controller.recorded().commands.len() == CALLS,
        "every call reached the shell"
    );
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "p50_ms={:.3} p99_ms={:.3}",
        ms(times[CALLS / 2]),
        ms(times[CALLS * 99 / 100])
    );
    Ok(())
}
