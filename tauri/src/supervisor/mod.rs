//! Starting, watching and stopping the sidecar.
//!
//! One thread per supervisor owns the child process: it spawns it with `--port 0`, reads the
//! `listening` line for the URL, waits for `GET /api/v1/health`, then watches the process and its
//! health. A crash or a dead health check restarts it with exponential backoff; five failures
//! within a minute and it gives up (`failed`). Stopping sends SIGTERM, waits up to 3 s, then
//! SIGKILL, and reaps the child, so nothing is left behind. Nothing here runs on the UI thread.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::logs::LogTail;

mod process;

pub use process::healthy;
use process::{start_once, stop_child, watch};

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
    /// Extra environment (the shell token).
    pub env: Vec<(String, String)>,
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
}

impl Shared {
    fn set(&self, status: BackendStatus) {
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
        });
        (shared.on_change)(&BackendStatus::Starting);
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("sidecar-supervisor".into())
            .spawn(move || body(thread_shared))
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
    /// Returns when the sidecar is gone. Safe to call more than once.
    pub fn stop(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        terminate(self.pid());
        self.shared.wake();
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
        self.shared.set(BackendStatus::Stopped);
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

fn run_spawned(shared: &Shared, command: &SidecarCommand) {
    let mut failures: VecDeque<Instant> = VecDeque::new();
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        shared.restart.store(false, Ordering::SeqCst);
        let reason = match start_once(shared, command) {
            Ok(mut running) => {
                shared.set(BackendStatus::Healthy {
                    url: running.url.clone(),
                });
                let reason = watch(shared, &mut running);
                stop_child(shared, &mut running.child);
                reason
            }
            Err(reason) => reason,
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        if shared.restart.load(Ordering::SeqCst) {
            tracing::info!("restarting the sidecar on request");
            shared.set(BackendStatus::Restarting {
                attempt: 0,
                reason: "restart requested".into(),
            });
            continue;
        }
        tracing::warn!(%reason, "sidecar failed");
        let now = Instant::now();
        failures.push_back(now);
        while failures
            .front()
            .is_some_and(|t| now.duration_since(*t) > shared.settings.failure_window)
        {
            failures.pop_front();
        }
        if failures.len() >= shared.settings.max_failures {
            shared.set(BackendStatus::Failed {
                reason,
                last_logs: shared.logs.last(20),
            });
            return;
        }
        shared.set(BackendStatus::Restarting {
            attempt: failures.len(),
            reason,
        });
        let exponent = u32::try_from(failures.len().saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(16);
        let delay = shared
            .settings
            .backoff_base
            .saturating_mul(2u32.saturating_pow(exponent));
        shared.sleep(delay.min(shared.settings.backoff_max));
    }
}

fn run_attached(shared: &Shared, url: &str) {
    let url = url.trim_end_matches('/').to_owned();
    while !shared.stopping.load(Ordering::SeqCst) {
        if healthy(&url, shared.settings.health_timeout) {
            shared.set(BackendStatus::Healthy { url: url.clone() });
        } else {
            shared.set(BackendStatus::Restarting {
                attempt: 0,
                reason: format!("{url} does not answer"),
            });
        }
        shared.sleep(shared.settings.health_interval);
        shared.restart.store(false, Ordering::SeqCst);
    }
}
