//! When to stop: SIGTERM, SIGINT, or the parent process going away.

use std::time::Duration;

/// How often the parent pid is checked.
const PARENT_POLL: Duration = Duration::from_millis(250);

/// A future that resolves when the process should shut down gracefully.
///
/// Signal handlers are installed here, before the future is polled, so a signal that arrives
/// between start-up and the first poll is not lost (nor kills the process with its default action).
pub fn signal(parent_pid: Option<u32>) -> impl Future<Output = ()> + Send + 'static {
    if let Some(pid) = parent_pid {
        exit_with_parent(pid);
    }
    let stop = StopSignals::install();
    async move {
        let parent_gone = async {
            match parent_pid {
                Some(pid) => watch_parent(pid).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            name = stop.recv() => tracing::info!("{name} received, shutting down"),
            () = parent_gone => tracing::info!(parent_pid, "parent process is gone, shutting down"),
        }
    }
}

/// SIGTERM and SIGINT listeners (Ctrl-C elsewhere).
#[cfg(unix)]
struct StopSignals {
    terminate: Option<tokio::signal::unix::Signal>,
    interrupt: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &str| {
            signal(kind)
                .map_err(|e| tracing::warn!(error = %e, "cannot listen for {name}"))
                .ok()
        };
        Self {
            terminate: listen(SignalKind::terminate(), "SIGTERM"),
            interrupt: listen(SignalKind::interrupt(), "SIGINT"),
        }
    }

    async fn recv(mut self) -> &'static str {
        async fn next(signal: Option<&mut tokio::signal::unix::Signal>) {
            match signal {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            () = next(self.terminate.as_mut()) => "SIGTERM",
            () = next(self.interrupt.as_mut()) => "SIGINT",
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> Self {
        Self
    }

    async fn recv(self) -> &'static str {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        "Ctrl-C"
    }
}

/// Poll until the process is gone.
async fn watch_parent(pid: u32) {
    while is_alive(pid) {
        tokio::time::sleep(PARENT_POLL).await;
    }
}

/// Whether a process exists and is not a zombie (a dead parent nobody reaped yet).
#[cfg(unix)]
pub fn is_alive(pid: u32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    match kill(Pid::from_raw(raw), None) {
        Ok(()) | Err(Errno::EPERM) => !is_zombie(pid),
        Err(_) => false,
    }
}

#[cfg(target_os = "linux")]
fn is_zombie(pid: u32) -> bool {
    // /proc/<pid>/stat is "pid (comm) S ..."; the state follows the last ')'.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with(['Z', 'X']))
        })
        .unwrap_or(false)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_zombie(_pid: u32) -> bool {
    false
}

/// Without a portable liveness check, assume the parent lives (the shell also stops us itself).
#[cfg(not(unix))]
pub fn is_alive(_pid: u32) -> bool {
    true
}

/// On Linux, ask the kernel for SIGTERM when the parent dies, so even a killed parent leaves
/// no orphan. Only when the watched pid is our real parent.
#[cfg(target_os = "linux")]
fn exit_with_parent(pid: u32) {
    use nix::sys::signal::Signal;
    let parent = nix::unistd::getppid().as_raw();
    if u32::try_from(parent).ok() != Some(pid) {
        return;
    }
    if let Err(e) = nix::sys::prctl::set_pdeathsig(Signal::SIGTERM) {
        tracing::warn!(error = %e, "cannot set the parent-death signal; polling the parent instead");
    }
}

#[cfg(not(target_os = "linux"))]
fn exit_with_parent(_pid: u32) {}
