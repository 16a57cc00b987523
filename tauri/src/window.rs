//! The real [`WindowController`]: the Tauri main window, the tray and desktop notifications.
//!
//! Requests come from the socket server's threads. Window calls run on the UI thread in one hop
//! and are waited for [`UI_DEADLINE`] at most; tray changes are posted without waiting. So a UI
//! thread that is busy (or quitting) never leaves a request hanging, and never waits for one.

use std::time::Duration;

use rpma_shell_protocol::{
    Notification, Position, Size, TrayUpdate, WindowAction, WindowCommand, WindowState,
};
use tauri::{AppHandle, Manager, WebviewWindow};
use tauri_plugin_notification::NotificationExt;

use crate::socket::{ControlError, WindowController};

/// Label of the main window in `tauri.conf.json`.
pub const MAIN: &str = "main";

/// Drives the app's main window.
#[derive(Debug, Clone)]
pub struct TauriWindow {
    app: AppHandle,
}

impl TauriWindow {
    /// A controller for this app.
    pub fn new(app: AppHandle) -> Self {
        Self { app }
    }

    /// Run `f` with the main window on the UI thread.
    fn with_window<T: Send + 'static>(
        &self,
        f: impl FnOnce(&WebviewWindow) -> Result<T, ControlError> + Send + 'static,
    ) -> Result<T, ControlError> {
        let app = self.app.clone();
        on_ui_thread(&self.app, move || {
            let window = app.get_webview_window(MAIN).ok_or(ControlError::NoWindow)?;
            f(&window)
        })?
    }
}

/// Longest wait for the UI thread to carry out a window request.
pub const UI_DEADLINE: Duration = Duration::from_secs(1);

/// Run `f` on the UI thread and wait for its result, [`UI_DEADLINE`] at most. Never call it
/// while holding something the UI thread may wait for.
pub fn on_ui_thread<T: Send + 'static>(
    app: &AppHandle,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ControlError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    app.run_on_main_thread(move || {
        let _ = tx.send(f());
    })
    .map_err(|_| ControlError::NoWindow)?;
    rx.recv_timeout(UI_DEADLINE)
        .map_err(|_| ControlError::Busy(UI_DEADLINE))
}

fn failed(e: tauri::Error) -> ControlError {
    ControlError::Failed(e.to_string())
}

/// Read the state of a window.
pub fn state_of(window: &WebviewWindow) -> Result<WindowState, ControlError> {
    let size = window.inner_size().map_err(failed)?;
    let position = window.outer_position().map_err(failed)?;
    Ok(WindowState {
        maximized: window.is_maximized().map_err(failed)?,
        minimized: window.is_minimized().map_err(failed)?,
        visible: window.is_visible().map_err(failed)?,
        focused: window.is_focused().map_err(failed)?,
        fullscreen: window.is_fullscreen().map_err(failed)?,
        always_on_top: window.is_always_on_top().map_err(failed)?,
        size: Size {
            width: size.width,
            height: size.height,
        },
        position: Position {
            x: position.x,
            y: position.y,
        },
    })
}

/// Carry out a window command.
pub fn apply_to(window: &WebviewWindow, command: WindowCommand) -> Result<(), ControlError> {
    match command.action {
        WindowAction::Maximize => window.maximize(),
        WindowAction::Unmaximize => window.unmaximize(),
        WindowAction::Toggle => {
            if window.is_maximized().map_err(failed)? {
                window.unmaximize()
            } else {
                window.maximize()
            }
        }
        WindowAction::Minimize => window.minimize(),
        WindowAction::Restore => window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.unmaximize()),
        WindowAction::Show => window.show(),
        WindowAction::Hide => window.hide(),
        WindowAction::Focus => window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.set_focus()),
        WindowAction::Center => window.center(),
        WindowAction::Fullscreen => {
            let on = match command.value {
                Some(on) => on,
                None => !window.is_fullscreen().map_err(failed)?,
            };
            window.set_fullscreen(on)
        }
        WindowAction::SetAlwaysOnTop => window.set_always_on_top(command.value.unwrap_or(false)),
    }
    .map_err(failed)
}

impl WindowController for TauriWindow {
    fn state(&self) -> Result<WindowState, ControlError> {
        self.with_window(state_of)
    }

    fn apply(&self, command: WindowCommand) -> Result<(), ControlError> {
        self.with_window(move |window| apply_to(window, command))
    }

    fn notify(&self, notification: &Notification) -> Result<(), ControlError> {
        self.app
            .notification()
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show()
            .map_err(|e| ControlError::Failed(format!("cannot show the notification: {e}")))
    }

    fn set_tray(&self, update: &TrayUpdate) -> Result<(), ControlError> {
        let status = update.status.as_ref().map(|s| format!("Backend: {s}"));
        crate::tray::update(&self.app, status.as_deref(), update.tooltip.as_deref());
        Ok(())
    }
}
