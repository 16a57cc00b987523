//! Starting, watching and stopping the sidecar.
//!
//! One thread per supervisor owns the child process: it spawns it with `--port 0`, reads the
//! `listening` line for the URL, waits for `GET /api/v1/health`, then watches the process and its
//! health. A crash or a dead health check restarts it with exponential backoff; five failures
//! within a minute and it gives up (`failed`). Stopping sends SIGTERM, waits up to 3 s, then
//! SIGKILL, and reaps the child, so nothing is left behind. Nothing here runs on the UI thread,
//! and the status listener must not wait for it either (the shell posts its updates to the UI
//! thread): [`Supervisor::stop_within`] may be called from the UI thread only because the
//! supervisor thread never needs it.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rpma_shell_protocol::{ShellToken, TOKEN_ENV};
use serde::Serialize;

use crate::logs::LogTail;

mod process;
mod run;

pub use process::{agent, healthy};
use run::{run_attached, run_spawned};

/// Timings of supervision; the defaults suit the desktop, tests shorten them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Time between liveness checks.
    pub health_interval: Duration,
    /// Time a health check may take.
    pub health_timeout: Duration,
    /// Failed liveness checks in a row that count as a crash.
    pub unhealthy_after: u32,
    /// Time from spawn to healthy before the start counts as failed.
    pub startup_timeout: Duration,
    /// First restart delay; doubles per failure up to `backoff_max`.
    pub backoff_base: Duration,
    /// Longest restart delay.
    pub backoff_max: Duration,
    /// Failures within `failure_window` that make it give up.
    pub max_failures: usize,
    /// See `max_failures`.
    pub failure_window: Duration,
    /// Time between SIGTERM and SIGKILL when stopping.
    pub stop_grace: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            health_interval: Duration::from_secs(2),
            health_timeout: Duration::from_secs(1),
            unhealthy_after: 3,
            startup_timeout: Duration::from_secs(20),
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_secs(5),
            max_failures: 5,
            failure_window: Duration::from_secs(60),
            stop_grace: Duration::from_secs(3),
        }
    }
}

/// How to start the sidecar.
#[derive(Debug, Clone)]
pub struct SidecarCommand {
    /// The `rpma-sidecar` binary.
    pub program: PathBuf,
    /// Arguments (the supervisor adds `--port 0`).
    pub args: Vec<OsString>,
    /// Extra environment.
    pub env: Vec<(String, String)>,
    /// The shell's socket token, passed as [`TOKEN_ENV`] (never printed: see [`ShellToken`]).
    pub token: Option<ShellToken>,
}

/// The backend as the shell sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BackendStatus {
    /// Starting for the first time.
    Starting,
    /// Answering health checks at `url`.
    Healthy {
        /// Base URL, e.g. `http://127.0.0.1:41234`.
        url: String,
    },
    /// Down; starting again.
    Restarting {
        /// Failures in the current window.
        attempt: usize,
        /// What happened.
        reason: String,
    },
    /// Gave up after repeated failures.
    Failed {
        /// The last failure.
        reason: String,
        /// The sidecar's last log lines.
        last_logs: Vec<String>,
    },
    /// Stopped on request (the shell is exiting).
    Stopped,
}

impl BackendStatus {
    /// Short name (`starting`, `healthy`, …) for the tray.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Healthy { .. } => "healthy",
            Self::Restarting { .. } => "restarting",
            Self::Failed { .. } => "failed",
            Self::Stopped => "stopped",
        }
    }
}

type Listener = Box<dyn Fn(&BackendStatus) + Send + Sync>;

pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) status: Mutex<BackendStatus>,
    pub(crate) on_change: Listener,
    pub(crate) stopping: AtomicBool,
    pub(crate) restart: AtomicBool,
    /// Wakes sleeps early on stop or restart.
    pub(crate) wake: (Mutex<()>, Condvar),
    pub(crate) child_pid: Mutex<Option<u32>>,
    pub(crate) logs: LogTail,
    /// Set (and signalled) when the supervisor thread has returned.
    finished: (Mutex<bool>, Condvar),
}

impl Shared {
    pub(crate) fn set(&self, status: BackendStatus) {
        {
            let mut current = lock(&self.status);
            if *current == status {
                return;
            }
            *current = status.clone();
        }
        tracing::info!(status = status.label(), "backend status");
        (self.on_change)(&status);
    }

    /// Sleep, returning early (false) when a stop or restart is requested.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let (lock_, condvar) = &self.wake;
        let guard = lock(lock_);
        let interrupted = |_: &mut ()| {
            !self.stopping.load(Ordering::SeqCst) && !self.restart.load(Ordering::SeqCst)
        };
        let _ = condvar.wait_timeout_while(guard, duration, interrupted);
        !self.stopping.load(Ordering::SeqCst) && !self.restart.load(Ordering::SeqCst)
    }

    fn wake(&self) {
        let _guard = lock(&self.wake.0);
        self.wake.1.notify_all();
    }

    /// Wait up to `limit` for the supervisor thread to return; whether it did.
    fn wait_finished(&self, limit: Duration) -> bool {
        let (flag, condvar) = &self.finished;
        let guard = lock(flag);
        let (guard, _) = condvar
            .wait_timeout_while(guard, limit, |finished| !*finished)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard
    }
}

/// Marks the supervisor thread finished when it returns, even by a panic.
struct Finished(Arc<Shared>);

impl Drop for Finished {
    fn drop(&mut self) {
        let (flag, condvar) = &self.0.finished;
        *lock(flag) = true;
        condvar.notify_all();
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A supervised sidecar (or an attached one, see [`Supervisor::attach`]).
pub struct Supervisor {
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor")
            .field("status", &self.status())
            .finish()
    }
}

impl Supervisor {
    /// Start supervising a sidecar; `on_change` hears every status change (from the
    /// supervisor's thread).
    pub fn spawn(
        command: SidecarCommand,
        settings: Settings,
        logs: LogTail,
        on_change: impl Fn(&BackendStatus) + Send + Sync + 'static,
    ) -> Arc<Self> {
        Self::start(settings, logs, Box::new(on_change), move |shared| {
            run_spawned(&shared, &command)
        })
    }

    /// Watch a sidecar someone else runs (`RPMA_BACKEND_URL`): health only, never spawns or kills.
    pub fn attach(
        url: String,
        settings: Settings,
        on_change: impl Fn(&BackendStatus) + Send + Sync + 'static,
    ) -> Arc<Self> {
        Self::start(
            settings,
            LogTail::default(),
            Box::new(on_change),
            move |shared| run_attached(&shared, &url),
        )
    }

    fn start(
        settings: Settings,
        logs: LogTail,
        on_change: Listener,
        body: impl FnOnce(Arc<Shared>) + Send + 'static,
    ) -> Arc<Self> {
        let shared = Arc::new(Shared {
            settings,
            status: Mutex::new(BackendStatus::Starting),
            on_change,
            stopping: AtomicBool::new(false),
            restart: AtomicBool::new(false),
            wake: (Mutex::new(()), Condvar::new()),
            child_pid: Mutex::new(None),
            logs,
            finished: (Mutex::new(false), Condvar::new()),
        });
        (shared.on_change)(&BackendStatus::Starting);
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("sidecar-supervisor".into())
            .spawn(move || {
                let _finished = Finished(thread_shared.clone());
                body(thread_shared);
            })
            .map_err(|e| tracing::error!(error = %e, "cannot start the supervisor thread"))
            .ok();
        Arc::new(Self {
            shared,
            thread: Mutex::new(thread),
        })
    }

    /// The current status.
    pub fn status(&self) -> BackendStatus {
        lock(&self.shared.status).clone()
    }

    /// The backend's URL while it is healthy.
    pub fn url(&self) -> Option<String> {
        match self.status() {
            BackendStatus::Healthy { url } => Some(url),
            _ => None,
        }
    }

    /// The running sidecar's process id.
    pub fn pid(&self) -> Option<u32> {
        *lock(&self.shared.child_pid)
    }

    /// Stop the current sidecar and start a fresh one (failures are not counted).
    pub fn restart(&self) {
        self.shared.restart.store(true, Ordering::SeqCst);
        terminate(self.pid());
        self.shared.wake();
    }

    /// Stop supervising: SIGTERM the sidecar, SIGKILL after the grace period, reap it.
    /// Returns when the sidecar is gone, or after the grace period and 2 s more with the sidecar
    /// killed. Safe to call more than once.
    pub fn stop(&self) {
        self.stop_within(self.shared.settings.stop_grace + Duration::from_secs(2));
    }

    /// [`stop`](Self::stop), but never waits longer than `limit`: SIGTERM the sidecar and let the
    /// supervisor thread stop and reap it; if that takes longer, SIGKILL the sidecar and return
    /// (the thread reaps it when it can). Whether it stopped in time.
    pub fn stop_within(&self, limit: Duration) -> bool {
        self.shared.stopping.store(true, Ordering::SeqCst);
        terminate(self.pid());
        self.shared.wake();
        let finished = self.shared.wait_finished(limit);
        if finished {
            if let Some(thread) = lock(&self.thread).take() {
                let _ = thread.join();
            }
        } else {
            tracing::error!(
                ?limit,
                "the supervisor did not stop in time; killing the sidecar"
            );
            self.kill();
        }
        self.shared.set(BackendStatus::Stopped);
        finished
    }

    /// SIGKILL the running sidecar at once (the last resort of a shutdown that overran).
    pub fn kill(&self) {
        #[cfg(unix)]
        if let Some(pid) = self.pid().and_then(|p| i32::try_from(p).ok()) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

pub(crate) fn terminate(pid: Option<u32>) {
    #[cfg(unix)]
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGTERM,
        );
    }
    #[cfg(not(unix))]
    let _ = pid;
}
