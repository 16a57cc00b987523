//! RPMA's desktop shell: the window, the tray, native dialogs and notifications. It starts and
//! supervises the sidecar (the business server) and serves a local socket so the sidecar can
//! drive the window. No business logic and no database here.

pub mod backend;
pub mod commands;
pub mod connection;
pub mod error;
pub mod logs;
pub mod quit;
pub mod socket;
pub mod supervisor;
pub(crate) mod tray;
pub mod window;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use rpma_shell_protocol::{ShellToken, default_socket_path};
use tauri::{AppHandle, Emitter, Manager, RunEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::backend::Backends;
use crate::connection::Connection;
use crate::supervisor::{BackendStatus, SidecarCommand, Supervisor};

/// Event the page listens to for backend status changes.
pub const STATUS_EVENT: &str = "backend://status";

/// What the shell holds while it runs.
pub struct Desktop {
    /// The backend: this computer's sidecar or a team server.
    pub backends: Backends,
    /// The app's data folder (passed to the sidecar).
    pub data_dir: PathBuf,
    /// The app's config folder (where [`connection::FILE`] is kept).
    pub config_dir: PathBuf,
    /// The app's log folder.
    pub log_dir: PathBuf,
    socket_stop: tokio::sync::watch::Sender<bool>,
    /// Hears from the socket server once it has stopped and removed its socket.
    socket_done: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl Desktop {
    /// The current backend's supervisor.
    pub fn supervisor(&self) -> Arc<Supervisor> {
        self.backends.supervisor()
    }
}

/// Run the desktop app until it quits.
pub fn run() {
    let app = tauri::Builder::default()
        // First: a second launch hands over to the running instance and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window(window::MAIN) {
                let _ = window
                    .show()
                    .and_then(|()| window.unminimize())
                    .and_then(|()| window.set_focus());
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::get_data_dir,
            commands::is_dev_mode,
            commands::toggle_window_maximize,
            commands::get_backend_info,
            commands::get_app_info,
            commands::restart_backend,
            commands::open_logs_dir,
            commands::save_file,
            commands::desktop_request,
            commands::get_connection,
            commands::set_connection,
        ])
        .setup(|app| {
            start(app.handle()).map_err(|e| {
                eprintln!("rpma-shell: {e:#}");
                e.into()
            })
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("rpma-shell: cannot start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| match event {
        // The last window closed (the other ways out arm the deadline themselves).
        RunEvent::ExitRequested { .. } => quit::arm(app),
        RunEvent::Exit => quit::shut_down(app),
        _ => {}
    });
}

fn env_ms(name: &str, default: Duration) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(default, Duration::from_millis)
}

/// The sidecar binary: `RPMA_SIDECAR_BIN`, else `rpma-sidecar` next to the shell (the bundle's
/// `externalBin`, and the workspace's target folder in development).
fn sidecar_program() -> PathBuf {
    if let Some(path) = std::env::var_os("RPMA_SIDECAR_BIN") {
        return PathBuf::from(path);
    }
    let name = format!("rpma-sidecar{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .unwrap_or_else(|| PathBuf::from(name))
}

fn start(app: &AppHandle) -> anyhow::Result<()> {
    let data_dir = app.path().app_data_dir()?;
    let log_dir = app.path().app_log_dir()?;
    let narrowed = [
        (&data_dir, logs::private_dir(&data_dir)?),
        (&log_dir, logs::private_dir(&log_dir)?),
    ];
    let log_guard = init_logging(&log_dir);
    tracing::info!(data_dir = %data_dir.display(), log_dir = %log_dir.display(), "starting");
    for (dir, mode) in narrowed {
        if let Some(mode) = mode {
            tracing::warn!(dir = %dir.display(), mode = format!("{mode:o}"), "other users could read this; narrowed it to 700");
        }
    }

    let mut token_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut token_bytes);
    let token = ShellToken::new(
        token_bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    );

    // The socket API, for the sidecar to drive the window.
    let socket_path =
        std::env::var_os("RPMA_SHELL_SOCKET").map_or_else(default_socket_path, PathBuf::from);
    let (socket_stop, mut stop_rx) = tokio::sync::watch::channel(false);
    let (socket_done_tx, socket_done) = std::sync::mpsc::channel();
    let socket_served = match socket::bind_or_private(&socket_path) {
        Ok(listener) => {
            let socket_path = listener.path().to_owned();
            let controller = Arc::new(window::TauriWindow::new(app.clone()));
            let router = socket::router(controller, &token);
            tauri::async_runtime::spawn(async move {
                let stopped = async move {
                    let _ = stop_rx.wait_for(|stop| *stop).await;
                };
                if let Err(e) = socket::serve(listener, router, stopped).await {
                    tracing::error!(error = %e, "socket server failed");
                }
                let _ = socket_done_tx.send(());
            });
            tracing::info!(path = %socket_path.display(), "socket API listening");
            Some(socket_path)
        }
        Err(e) => {
            tracing::error!(error = %e, "no socket API: the backend cannot drive the window");
            None
        }
    };

    if let Err(e) = tray::create(app) {
        tracing::warn!(error = %e, "no tray icon");
    }

    let settings = supervisor::Settings {
        health_interval: env_ms("RPMA_HEALTH_INTERVAL_MS", Duration::from_secs(2)),
        health_timeout: env_ms("RPMA_HEALTH_TIMEOUT_MS", Duration::from_secs(1)),
        ..supervisor::Settings::default()
    };
    let config_dir = app.path().app_config_dir()?;
    let (connection, overridden) = match std::env::var("RPMA_BACKEND_URL") {
        Ok(url) if !url.is_empty() => (Connection::TeamServer { url }, true),
        _ => (connection::load(&config_dir), false),
    };
    let mut args: Vec<std::ffi::OsString> = vec!["--data-dir".into(), data_dir.clone().into()];
    if let Some(socket_path) = socket_served {
        args.extend(["--shell-socket".into(), socket_path.into()]);
    }
    args.extend(["--parent-pid".into(), std::process::id().to_string().into()]);
    let local = SidecarCommand {
        program: sidecar_program(),
        args,
        env: vec![],
        token: Some(token),
    };
    let backends = Backends::start(
        app,
        connection,
        overridden,
        local,
        settings,
        log_dir.clone(),
    );
    app.manage(Desktop {
        backends,
        data_dir,
        config_dir,
        log_dir,
        socket_stop,
        socket_done: std::sync::Mutex::new(Some(socket_done)),
        _log_guard: log_guard,
    });
    watch_signals(app.clone());
    Ok(())
}

/// Tell the page and the tray (whose status line names the backend by `label`: `Backend`, or
/// `Team server`); after giving up, say so in a native dialog. Called from the supervisor's
/// thread, which must never wait for the UI thread (see [`quit`]): the work is posted to the UI
/// thread, and dropped if the app is already gone.
pub(crate) fn on_status(app: &AppHandle, label: &'static str, status: &BackendStatus) {
    if let BackendStatus::Healthy { url } = status {
        tracing::info!(%url, "backend healthy");
    }
    let (handle, status) = (app.clone(), status.clone());
    if app
        .run_on_main_thread(move || show_status(&handle, label, &status))
        .is_err()
    {
        tracing::debug!("the event loop is gone; status not shown");
    }
}

fn show_status(app: &AppHandle, label: &str, status: &BackendStatus) {
    let _ = app.emit(STATUS_EVENT, status);
    tray::update(app, Some(&format!("{label}: {}", status.label())), None);
    if let BackendStatus::Failed { reason, last_logs } = status {
        let text = format!(
            "The RPMA backend stopped and could not be restarted.\n\n{reason}\n\nLast log lines:\n{}",
            last_logs.join("\n")
        );
        app.dialog()
            .message(text)
            .title("RPMA backend failed")
            .kind(MessageDialogKind::Error)
            .show(|_| {});
    }
}

/// SIGTERM or SIGINT to the shell quit the app the normal way (so the sidecar is stopped).
fn watch_signals(app: AppHandle) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            tracing::warn!("cannot listen for SIGTERM/SIGINT");
            return;
        };
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM received"),
            _ = int.recv() => tracing::info!("SIGINT received"),
        }
        quit::request(&app);
    });
    #[cfg(not(unix))]
    let _ = app;
}

/// Log to stderr and to `shell.log` in the log folder.
fn init_logging(log_dir: &std::path::Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let appender = tracing_appender::rolling::never(log_dir, "shell.log");
    let (file, guard) = tracing_appender::non_blocking(appender);
    let result = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(file),
        )
        .try_init();
    result.ok().map(|()| guard)
}
