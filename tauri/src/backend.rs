//! The desktop's backend while the app runs: its own supervised sidecar, or a team server it
//! attaches to and health-checks ([`Connection`]), and the switch from one to the other that
//! Settings asks for. Each backend is watched by its own [`Supervisor`]; after a switch the old
//! one's last words (its `stopped`) are not passed on, so the page and the tray hear only the
//! current backend.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tauri::AppHandle;

use crate::connection::Connection;
use crate::logs::LogTail;
use crate::supervisor::{self, SidecarCommand, Supervisor, lock};

/// The current backend and how to start another.
pub struct Backends {
    app: AppHandle,
    current: Mutex<Current>,
    /// Which supervisor is current: the others' status changes are dropped.
    generation: Arc<AtomicU64>,
    /// How to start this computer's sidecar.
    local: SidecarCommand,
    settings: supervisor::Settings,
    log_dir: PathBuf,
    /// `RPMA_BACKEND_URL` fixed the backend: Settings cannot change it.
    pub overridden: bool,
}

struct Current {
    connection: Connection,
    supervisor: Arc<Supervisor>,
}

impl Backends {
    /// Start the backend `connection` names.
    pub fn start(
        app: &AppHandle,
        connection: Connection,
        overridden: bool,
        local: SidecarCommand,
        settings: supervisor::Settings,
        log_dir: PathBuf,
    ) -> Self {
        let generation = Arc::new(AtomicU64::new(0));
        let supervisor = launch(app, &generation, &connection, &local, &settings, &log_dir);
        Self {
            app: app.clone(),
            current: Mutex::new(Current {
                connection,
                supervisor,
            }),
            generation,
            local,
            settings,
            log_dir,
            overridden,
        }
    }

    /// The current backend's supervisor.
    pub fn supervisor(&self) -> Arc<Supervisor> {
        lock(&self.current).supervisor.clone()
    }

    /// The current connection.
    pub fn connection(&self) -> Connection {
        lock(&self.current).connection.clone()
    }

    /// Stop the current backend (this computer's sidecar is stopped and reaped) and start the
    /// one `connection` names. Blocks for the stop (a few seconds at most): call it off the UI
    /// thread.
    pub fn switch(&self, connection: Connection) {
        let old = {
            let mut current = lock(&self.current);
            // From here the old supervisor's status changes are not passed on.
            self.generation.fetch_add(1, Ordering::SeqCst);
            let supervisor = launch(
                &self.app,
                &self.generation,
                &connection,
                &self.local,
                &self.settings,
                &self.log_dir,
            );
            current.connection = connection;
            std::mem::replace(&mut current.supervisor, supervisor)
        };
        old.stop();
    }
}

/// A supervisor for `connection`, reporting to the page and the tray while it is current.
fn launch(
    app: &AppHandle,
    generation: &Arc<AtomicU64>,
    connection: &Connection,
    local: &SidecarCommand,
    settings: &supervisor::Settings,
    log_dir: &std::path::Path,
) -> Arc<Supervisor> {
    let mine = generation.load(Ordering::SeqCst);
    let notify = {
        let (app, generation, label) = (app.clone(), generation.clone(), connection.label());
        move |status: &supervisor::BackendStatus| {
            if generation.load(Ordering::SeqCst) == mine {
                crate::on_status(&app, label, status);
            }
        }
    };
    match connection {
        Connection::TeamServer { url } => {
            tracing::info!(%url, "attaching to a team server");
            let host = tauri::Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| url.clone());
            crate::tray::update(app, None, Some(&format!("RPMA — team server {host}")));
            Supervisor::attach(url.clone(), settings.clone(), notify)
        }
        Connection::ThisComputer => {
            crate::tray::update(app, None, Some("RPMA"));
            let logs = LogTail::to_file(&log_dir.join("sidecar.log")).unwrap_or_default();
            Supervisor::spawn(local.clone(), settings.clone(), logs, notify)
        }
    }
}
