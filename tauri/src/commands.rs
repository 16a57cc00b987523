//! Commands the page calls with `invoke` (frontend → shell): native things only.

use serde::Serialize;
use tauri::{AppHandle, Manager, State, WebviewWindow};
use tauri_plugin_opener::OpenerExt;

use crate::Desktop;
use crate::error::{Error, Result};
use crate::supervisor::BackendStatus;

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
    BackendInfo {
        url: desktop.supervisor.url(),
        status: desktop.supervisor.status(),
    }
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
    desktop.supervisor.restart();
}

/// Open the log folder in the file manager.
#[tauri::command]
pub fn open_logs_dir(app: AppHandle) -> Result<()> {
    let dir = app.state::<Desktop>().log_dir.clone();
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| Error::Other(e.to_string()))
}
