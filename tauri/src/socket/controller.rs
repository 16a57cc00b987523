//! What the socket API controls: the real Tauri window, or a recording stand-in for tests and
//! benchmarks.

use std::sync::Mutex;

use rpma_shell_protocol::{
    Notification, Position, Size, TrayUpdate, WindowAction, WindowCommand, WindowState,
};

/// Why a control request could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// The window is gone (closing, not created yet).
    #[error("the main window is not available")]
    NoWindow,
    /// The UI thread did not carry out the request in time (busy, or quitting).
    #[error("the window did not answer within {0:?}")]
    Busy(std::time::Duration),
    /// The windowing system refused.
    #[error("{0}")]
    Failed(String),
}

/// The desktop surface the sidecar may drive.
pub trait WindowController: Send + Sync + 'static {
    /// The main window's state.
    fn state(&self) -> Result<WindowState, ControlError>;
    /// Carry out a (validated) command.
    fn apply(&self, command: WindowCommand) -> Result<(), ControlError>;
    /// Show a desktop notification.
    fn notify(&self, notification: &Notification) -> Result<(), ControlError>;
    /// Update the tray's status line and tooltip.
    fn set_tray(&self, update: &TrayUpdate) -> Result<(), ControlError>;
}

/// A window that exists only in memory: applies commands to its state the way a window manager
/// would, and records every call. Used by tests and by `make bench`.
#[derive(Debug)]
pub struct RecordingController {
    inner: Mutex<Recorded>,
}

/// What a [`RecordingController`] has seen.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// The simulated window.
    pub state: WindowState,
    /// Commands in order.
    pub commands: Vec<WindowCommand>,
    /// Notifications in order.
    pub notifications: Vec<Notification>,
    /// Tray updates in order.
    pub tray: Vec<TrayUpdate>,
}

impl Default for RecordingController {
    fn default() -> Self {
        let state = WindowState {
            visible: true,
            focused: true,
            size: Size {
                width: 1100,
                height: 720,
            },
            position: Position { x: 100, y: 80 },
            ..WindowState::default()
        };
        Self {
            inner: Mutex::new(Recorded {
                state,
                ..Recorded::default()
            }),
        }
    }
}

impl RecordingController {
    /// A copy of what was recorded.
    pub fn recorded(&self) -> Recorded {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl WindowController for RecordingController {
    fn state(&self) -> Result<WindowState, ControlError> {
        Ok(self.lock().state)
    }

    fn apply(&self, command: WindowCommand) -> Result<(), ControlError> {
        let mut recorded = self.lock();
        recorded.commands.push(command);
        let s = &mut recorded.state;
        match command.action {
            WindowAction::Maximize => s.maximized = true,
            WindowAction::Unmaximize => s.maximized = false,
            WindowAction::Toggle => s.maximized = !s.maximized,
            WindowAction::Minimize => s.minimized = true,
            WindowAction::Restore => {
                s.minimized = false;
                s.maximized = false;
                s.visible = true;
            }
            WindowAction::Show => s.visible = true,
            WindowAction::Hide => {
                s.visible = false;
                s.focused = false;
            }
            WindowAction::Focus => {
                s.visible = true;
                s.minimized = false;
                s.focused = true;
            }
            WindowAction::Center => s.position = Position { x: 0, y: 0 },
            WindowAction::Fullscreen => s.fullscreen = command.value.unwrap_or(!s.fullscreen),
            WindowAction::SetAlwaysOnTop => s.always_on_top = command.value.unwrap_or(false),
        }
        Ok(())
    }

    fn notify(&self, notification: &Notification) -> Result<(), ControlError> {
        self.lock().notifications.push(notification.clone());
        Ok(())
    }

    fn set_tray(&self, update: &TrayUpdate) -> Result<(), ControlError> {
        self.lock().tray.push(update.clone());
        Ok(())
    }
}
