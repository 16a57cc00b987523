//! Commands the page calls with `invoke` (frontend → shell): native things only.

use serde::Serialize;
use tauri::{AppHandle, Manager, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use rpma_shell_protocol::{DesktopRequest, WindowAction, WindowCommand};

use crate::Desktop;
use crate::connection::{self, Connection, ServerFacts};
use crate::error::{Error, Result};
use crate::socket::WindowController;
use crate::supervisor::BackendStatus;
use crate::window::TauriWindow;

/// Where the app keeps its data (database, keys, uploads).
#[tauri::command]
pub fn get_data_dir(desktop: State<'_, Desktop>) -> String {
    desktop.data_dir.display().to_string()
}

/// Whether this is a development build.
#[tauri::command]
pub fn is_dev_mode() -> bool {
    cfg!(debug_assertions)
}

/// The window after a toggle.
#[derive(Debug, Serialize)]
pub struct Toggled {
    /// Whether it is maximized now.
    pub maximized: bool,
}

/// Maximize the window, or restore it when maximized.
#[tauri::command]
pub fn toggle_window_maximize(window: WebviewWindow) -> Result<Toggled> {
    if window.is_maximized()? {
        window.unmaximize()?;
    } else {
        window.maximize()?;
    }
    Ok(Toggled {
        maximized: window.is_maximized()?,
    })
}

/// The backend's URL (while healthy) and status.
#[derive(Debug, Serialize)]
pub struct BackendInfo {
    /// Base URL of the sidecar, e.g. `http://127.0.0.1:41234`.
    pub url: Option<String>,
    /// Current status, as in the `backend://status` event.
    pub status: BackendStatus,
}

/// Where the sidecar is and how it is doing.
#[tauri::command]
pub fn get_backend_info(desktop: State<'_, Desktop>) -> BackendInfo {
    // One read of one supervisor: a switch in between would pair one backend's URL with
    // another's status.
    let status = desktop.supervisor().status();
    let url = match &status {
        BackendStatus::Healthy { url } => Some(url.clone()),
        _ => None,
    };
    BackendInfo { url, status }
}

/// Facts about the app.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// Product name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Tauri version.
    pub tauri_version: &'static str,
    /// Operating system.
    pub os: &'static str,
    /// CPU architecture.
    pub arch: &'static str,
    /// Data folder.
    pub data_dir: String,
    /// Log folder.
    pub log_dir: String,
}

/// Name, versions, platform and folders of the app.
#[tauri::command]
pub fn get_app_info(app: AppHandle, desktop: State<'_, Desktop>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        tauri_version: tauri::VERSION,
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        data_dir: desktop.data_dir.display().to_string(),
        log_dir: desktop.log_dir.display().to_string(),
    }
}

/// Stop the sidecar and start a fresh one.
#[tauri::command]
pub fn restart_backend(desktop: State<'_, Desktop>) {
    desktop.supervisor().restart();
}

/// Open the log folder in the file manager.
#[tauri::command]
pub fn open_logs_dir(app: AppHandle) -> Result<()> {
    let dir = app.state::<Desktop>().log_dir.clone();
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| Error::Other(e.to_string()))
}

/// The header naming the file `save_file` suggests (percent-encoded UTF-8, since header values
/// are ASCII).
const FILE_NAME_HEADER: &str = "x-file-name";

/// Ask where to save a file in the native save dialog (offering the suggested name's file type)
/// and write the request's raw body there: text exports and binary reports alike, without a
/// JSON round trip of the bytes. The page never names a path itself: only a file the user
/// picked is written. `None` when they cancel.
#[tauri::command]
pub async fn save_file(app: AppHandle, request: tauri::ipc::Request<'_>) -> Result<Option<String>> {
    let tauri::ipc::InvokeBody::Raw(contents) = request.body() else {
        return Err(Error::Other(
            "save_file takes the file's bytes as a raw body".into(),
        ));
    };
    let default_name = request
        .headers()
        .get(FILE_NAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|name| !name.is_empty())
        .ok_or_else(|| Error::Other(format!("save_file needs the {FILE_NAME_HEADER} header")))?;
    // Only a bare name is suggested; the user picks the folder.
    let default_name = std::path::Path::new(&default_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let extension = std::path::Path::new(&default_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("txt")
        .to_owned();
    let (picked, chosen) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter(extension.to_uppercase(), &[extension.as_str()])
        .set_file_name(&default_name)
        .save_file(move |path| {
            // The receiver waits below; it is only gone if the command was dropped.
            let _ = picked.send(path);
        });
    let Some(path) = chosen.await.map_err(|e| Error::Other(e.to_string()))? else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| Error::Other(e.to_string()))?;
    tokio::fs::write(&path, contents)
        .await
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Carry out a desktop request a team server addressed to the signed-in user (the page
/// receives it on the event stream as `desktop.request`): show its notification and, when asked,
/// bring the window forward. Async, so it runs off the UI thread it waits for.
#[tauri::command]
pub async fn desktop_request(app: AppHandle, request: DesktopRequest) -> Result<()> {
    if let Some(problem) = request.notification.problem() {
        return Err(Error::Other(problem.into()));
    }
    let window = TauriWindow::new(app);
    window.notify(&request.notification)?;
    if request.bring_forward {
        let focus = WindowCommand {
            action: WindowAction::Focus,
            value: None,
        };
        window.apply(focus)?;
    }
    Ok(())
}

/// The backend the desktop uses, and whether Settings may change it.
#[derive(Debug, Serialize)]
pub struct ConnectionInfo {
    /// This computer's sidecar, or a team server.
    pub connection: Connection,
    /// Set by `RPMA_BACKEND_URL` when the shell started: not changeable from Settings.
    pub fixed: bool,
}

/// Where the backend is.
#[tauri::command]
pub fn get_connection(desktop: State<'_, Desktop>) -> ConnectionInfo {
    ConnectionInfo {
        connection: desktop.backends.connection(),
        fixed: desktop.backends.overridden,
    }
}

/// How long a team server has to answer before it is refused.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Use `connection` from now on: a team server's URL is checked first (https, or http on this
/// machine; it must answer its health check, with a certificate the system trusts), then it is
/// saved and the shell switches (this computer's sidecar is stopped, or started). A refused
/// connection changes nothing. Answers the team server's facts.
#[tauri::command]
pub async fn set_connection(app: AppHandle, connection: Connection) -> Result<Option<ServerFacts>> {
    let desktop = app.state::<Desktop>();
    if desktop.backends.overridden {
        return Err(Error::Other(
            "RPMA_BACKEND_URL chose the backend when the app started; unset it to choose here"
                .into(),
        ));
    }
    let (connection, facts) = match connection {
        Connection::ThisComputer => (Connection::ThisComputer, None),
        Connection::TeamServer { url } => {
            let url = connection::check_url(&url).map_err(Error::Other)?;
            let probed = url.clone();
            let facts = tauri::async_runtime::spawn_blocking(move || {
                connection::probe(&probed, PROBE_TIMEOUT)
            })
            .await
            .map_err(|e| Error::Other(e.to_string()))?
            .map_err(Error::Other)?;
            (Connection::TeamServer { url }, Some(facts))
        }
    };
    connection::save(&desktop.config_dir, &connection)
        .map_err(|e| Error::Other(format!("cannot save the connection: {e}")))?;
    tracing::info!(?connection, "switching the backend");
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<Desktop>().backends.switch(connection);
    })
    .await
    .map_err(|e| Error::Other(e.to_string()))?;
    Ok(facts)
}
