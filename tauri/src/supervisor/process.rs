//! One sidecar process: spawn it, wait until it is healthy, watch it, stop it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Shared, SidecarCommand, lock, terminate};

pub(super) struct Running {
    pub(super) child: Child,
    pub(super) url: String,
}

/// Spawn the sidecar and wait until it is healthy.
pub(super) fn start_once(shared: &Shared, command: &SidecarCommand) -> Result<Running, String> {
    let mut cmd = Command::new(&command.program);
    cmd.args(["--port", "0"])
        .args(&command.args)
        .envs(command.env.iter().cloned());
    if let Some(token) = &command.token {
        cmd.env(super::TOKEN_ENV, token.expose());
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    exit_with_shell(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", command.program.display()))?;
    *lock(&shared.child_pid) = Some(child.id());

    if let Some(stderr) = child.stderr.take() {
        let logs = shared.logs.clone();
        let _ = std::thread::Builder::new()
            .name("sidecar-logs".into())
            .spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    logs.push(line);
                }
            });
    }
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let _ = std::thread::Builder::new()
            .name("sidecar-stdout".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
    }

    let deadline = Instant::now() + shared.settings.startup_timeout;
    let url = loop {
        if let Some(status) = child.try_wait().ok().flatten() {
            *lock(&shared.child_pid) = None;
            return Err(format!("the sidecar exited during start-up ({status})"));
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => {
                if let Some(addr) = listening_addr(&line) {
                    break format!("http://{addr}");
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // Stdout closed: the process is ending. Report how, not just that it went quiet.
                let grace = Instant::now() + Duration::from_secs(1);
                while Instant::now() < grace {
                    if let Some(status) = child.try_wait().ok().flatten() {
                        *lock(&shared.child_pid) = None;
                        return Err(format!("the sidecar exited during start-up ({status})"));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                stop_child(shared, &mut child);
                return Err("the sidecar closed its output without announcing its address".into());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                stop_child(shared, &mut child);
                return Err("the sidecar did not announce its address in time".into());
            }
        }
        if shared.stopping.load(Ordering::SeqCst) {
            stop_child(shared, &mut child);
            return Err("stopping".into());
        }
    };
    while !healthy(&url, shared.settings.health_timeout) {
        if let Some(status) = child.try_wait().ok().flatten() {
            return Err(format!(
                "the sidecar exited before it was healthy ({status})"
            ));
        }
        if Instant::now() > deadline || shared.stopping.load(Ordering::SeqCst) {
            stop_child(shared, &mut child);
            return Err("the sidecar did not become healthy in time".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(Running { child, url })
}

/// Linux: the kernel sends the child SIGTERM when the shell dies, even by SIGKILL, from the
/// moment it is forked. (The sidecar asks the same for itself when it starts, but that is too
/// late for whatever runs before: its own start-up, or a wrapper script.)
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn exit_with_shell(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let shell = nix::unistd::getpid();
    // SAFETY: between fork and exec the closure only makes async-signal-safe system calls
    // (prctl, getppid) and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGTERM)?;
            if nix::unistd::getppid() != shell {
                // The shell died before the line above: do not start an orphan.
                return Err(nix::errno::Errno::ESRCH.into());
            }
            Ok(())
        });
    }
}

/// The address of a `{"event":"listening","addr":...}` line.
fn listening_addr(line: &str) -> Option<String> {
    let event: serde_json::Value = serde_json::from_str(line).ok()?;
    (event["event"] == "listening")
        .then(|| event["addr"].as_str().map(str::to_owned))
        .flatten()
}

/// Watch a healthy sidecar until it exits, stops answering, or we are told to stop or restart.
pub(super) fn watch(shared: &Shared, running: &mut Running) -> String {
    let mut next_check = Instant::now() + shared.settings.health_interval;
    let mut misses = 0;
    loop {
        if let Some(status) = running.child.try_wait().ok().flatten() {
            return format!("the sidecar exited ({status})");
        }
        if shared.stopping.load(Ordering::SeqCst) || shared.restart.load(Ordering::SeqCst) {
            return "stopping".into();
        }
        if Instant::now() >= next_check {
            next_check = Instant::now() + shared.settings.health_interval;
            if healthy(&running.url, shared.settings.health_timeout) {
                misses = 0;
            } else {
                misses += 1;
                if misses >= shared.settings.unhealthy_after {
                    return format!("the sidecar failed {misses} health checks in a row");
                }
            }
        }
        shared.sleep(Duration::from_millis(50));
    }
}

/// SIGTERM, wait up to the grace period, SIGKILL, reap.
pub(super) fn stop_child(shared: &Shared, child: &mut Child) {
    if child.try_wait().ok().flatten().is_none() {
        terminate(Some(child.id()));
        let deadline = Instant::now() + shared.settings.stop_grace;
        while child.try_wait().ok().flatten().is_none() {
            if Instant::now() >= deadline {
                tracing::warn!("the sidecar ignored SIGTERM; killing it");
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = child.wait();
    *lock(&shared.child_pid) = None;
}

/// Whether `GET {url}/api/v1/health` answers 200 within `timeout`.
pub fn healthy(url: &str, timeout: Duration) -> bool {
    agent(timeout)
        .get(format!("{url}/api/v1/health"))
        .call()
        .is_ok_and(|response| response.status() == 200)
}

/// An HTTP client for health checks: `timeout` for the whole exchange, any status returned as
/// is, and `https` certificates checked against the system's trust store (as the webview checks
/// them).
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}
