//! The desktop shell's local socket API: what the sidecar may ask of the window, the tray and
//! the notification area, and where the socket lives.
//!
//! The shell serves it (Axum on a Unix socket, a named pipe on Windows); the sidecar calls it.
//! Every request carries `Authorization: Bearer <token>`, the token the shell gave the sidecar in
//! [`TOKEN_ENV`]. Bodies use the same envelope as the sidecar's REST API.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Environment variable carrying the socket token from the shell to the sidecar.
pub const TOKEN_ENV: &str = "RPMA_SHELL_TOKEN";

/// The secret the shell hands to the sidecar for its socket API. Its `Debug` prints
/// `ShellToken([redacted])` and it has no `Display`, so neither a log line nor a `{:?}` of a
/// struct holding it can show the value; [`ShellToken::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct ShellToken(String);

impl ShellToken {
    /// Wrap a token (the shell makes one per run; the sidecar reads it from [`TOKEN_ENV`]).
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The value itself, for the `Authorization` header and the sidecar's environment only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ShellToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShellToken([redacted])")
    }
}

/// Something to do to the main window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowAction {
    /// Maximize.
    Maximize,
    /// Leave the maximized state.
    Unmaximize,
    /// Maximize, or unmaximize when maximized.
    Toggle,
    /// Minimize (iconify).
    Minimize,
    /// Bring back from minimized, hidden or maximized to a normal shown window.
    Restore,
    /// Show a hidden window.
    Show,
    /// Hide the window (it stays in the tray).
    Hide,
    /// Show, unminimize and raise the window and give it focus.
    Focus,
    /// Center on the current monitor.
    Center,
    /// Enter fullscreen (`value: false` leaves it; no value toggles).
    Fullscreen,
    /// Keep above other windows (`value` required).
    SetAlwaysOnTop,
}

impl WindowAction {
    /// Every action, for tests and docs.
    pub const ALL: [WindowAction; 11] = [
        WindowAction::Maximize,
        WindowAction::Unmaximize,
        WindowAction::Toggle,
        WindowAction::Minimize,
        WindowAction::Restore,
        WindowAction::Show,
        WindowAction::Hide,
        WindowAction::Focus,
        WindowAction::Center,
        WindowAction::Fullscreen,
        WindowAction::SetAlwaysOnTop,
    ];
}

/// `POST /window`: an action and, for `fullscreen` and `set_always_on_top`, its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WindowCommand {
    /// What to do.
    pub action: WindowAction,
    /// On or off, for `fullscreen` (optional) and `set_always_on_top` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<bool>,
}

impl WindowCommand {
    /// Why the command is malformed, if it is.
    pub fn problem(&self) -> Option<&'static str> {
        match (self.action, self.value) {
            (WindowAction::SetAlwaysOnTop, None) => {
                Some("`set_always_on_top` needs `value: true|false`")
            }
            (WindowAction::SetAlwaysOnTop | WindowAction::Fullscreen, _) | (_, None) => None,
            (_, Some(_)) => Some("`value` applies only to `fullscreen` and `set_always_on_top`"),
        }
    }
}

/// Width and height in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Position of the window's outer top-left corner, physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Position {
    /// Horizontal.
    pub x: i32,
    /// Vertical.
    pub y: i32,
}

/// The main window as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct WindowState {
    /// Maximized.
    pub maximized: bool,
    /// Minimized.
    pub minimized: bool,
    /// Shown (not hidden to the tray).
    pub visible: bool,
    /// Has keyboard focus.
    pub focused: bool,
    /// Fullscreen.
    pub fullscreen: bool,
    /// Kept above other windows.
    pub always_on_top: bool,
    /// Inner size.
    pub size: Size,
    /// Outer position.
    pub position: Position,
}

/// `POST /notify`: a desktop notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    /// Title (1–200 characters).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub title: String,
    /// Text (up to 2,000 characters).
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub body: String,
}

impl Notification {
    /// Why the notification is malformed, if it is.
    pub fn problem(&self) -> Option<&'static str> {
        let title = self.title.trim().chars().count();
        if title == 0 || title > 200 {
            Some("`title` must be 1 to 200 characters")
        } else if self.body.chars().count() > 2000 {
            Some("`body` must be at most 2,000 characters")
        } else {
            None
        }
    }
}

/// A desktop request for the users a team server addressed it to. A team server has no shell of
/// its own to call over the socket: it puts this on its event stream (`desktop.request`), and the
/// page of each attached desktop whose user it is addressed to hands it to its own shell (the
/// `desktop_request` command), which acts as on `POST /notify` (and `POST /window` `focus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DesktopRequest {
    /// The notification to show.
    pub notification: Notification,
    /// Also bring the window forward: shown, unminimised, raised and focused.
    #[serde(default)]
    pub bring_forward: bool,
}

/// `POST /tray`: the tray's status line and tooltip.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct TrayUpdate {
    /// Status line shown in the tray menu (up to 100 characters).
    #[serde(default)]
    pub status: Option<String>,
    /// Tooltip of the tray icon (up to 200 characters).
    #[serde(default)]
    pub tooltip: Option<String>,
}

impl TrayUpdate {
    /// Why the update is malformed, if it is.
    pub fn problem(&self) -> Option<&'static str> {
        if self
            .status
            .as_ref()
            .is_some_and(|s| s.chars().count() > 100)
        {
            Some("`status` must be at most 100 characters")
        } else if self
            .tooltip
            .as_ref()
            .is_some_and(|t| t.chars().count() > 200)
        {
            Some("`tooltip` must be at most 200 characters")
        } else if self.status.is_none() && self.tooltip.is_none() {
            Some("give `status`, `tooltip` or both")
        } else {
            None
        }
    }
}

/// `GET /health` of the shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ShellHealth {
    /// `ok`.
    pub status: String,
    /// Shell version.
    pub version: String,
}

/// Success envelope of the socket API: `{"success": true, "data": T}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShellResponse<T> {
    /// Always `true`.
    pub success: bool,
    /// The payload.
    pub data: T,
}

/// Error envelope of the socket API: `{"success": false, "error": {...}}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShellErrorEnvelope {
    /// Always `false`.
    pub success: bool,
    /// What went wrong.
    pub error: ShellError,
}

/// Code and message of a failed socket request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShellError {
    /// `AUTH_ERROR` (401), `VALIDATION_ERROR` (400), `NOT_FOUND` (404), `WINDOW_UNAVAILABLE`
    /// (503), `INTERNAL_ERROR` (500).
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

/// Where the shell listens by default: `$XDG_RUNTIME_DIR/rpma/shell.sock`, else
/// `<temp>/rpma-<uid>/shell.sock`. The folder is private to the user (0700).
#[cfg(unix)]
pub fn default_socket_path() -> PathBuf {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(runtime) => PathBuf::from(runtime).join("rpma"),
        None => std::env::temp_dir().join(format!("rpma-{}", nix::unistd::getuid())),
    };
    dir.join("shell.sock")
}

/// The named pipe the shell listens on: `\\.\pipe\rpma-shell-<user>`.
#[cfg(windows)]
pub fn default_socket_path() -> PathBuf {
    let user = std::env::var("USERNAME").unwrap_or_else(|_| "user".into());
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    PathBuf::from(format!(r"\\.\pipe\rpma-shell-{user}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let token = ShellToken::new("0123456789abcdef");
        let printed = format!("{token:?} {:?} {:#?}", Some(&token), vec![token.clone()]);
        assert!(!printed.contains("0123456789abcdef"), "{printed}");
        assert!(printed.contains("[redacted]"), "{printed}");
        assert_eq!(token.expose(), "0123456789abcdef");
    }

    #[test]
    fn commands_serialise_as_documented() {
        let command: WindowCommand =
            serde_json::from_str(r#"{"action":"set_always_on_top","value":true}"#).unwrap();
        assert_eq!(
            command,
            WindowCommand {
                action: WindowAction::SetAlwaysOnTop,
                value: Some(true)
            }
        );
        assert_eq!(command.problem(), None);
        let missing: WindowCommand =
            serde_json::from_str(r#"{"action":"set_always_on_top"}"#).unwrap();
        assert!(missing.problem().is_some());
        let stray: WindowCommand =
            serde_json::from_str(r#"{"action":"maximize","value":true}"#).unwrap();
        assert!(stray.problem().is_some());
        assert!(serde_json::from_str::<WindowCommand>(r#"{"action":"explode"}"#).is_err());
    }

    #[test]
    fn notifications_and_tray_updates_are_bounded() {
        assert!(
            Notification {
                title: " ".into(),
                body: String::new()
            }
            .problem()
            .is_some()
        );
        assert!(
            Notification {
                title: "Done".into(),
                body: "x".repeat(2001)
            }
            .problem()
            .is_some()
        );
        assert_eq!(
            Notification {
                title: "Done".into(),
                body: "ok".into()
            }
            .problem(),
            None
        );
        assert!(TrayUpdate::default().problem().is_some());
        assert_eq!(
            TrayUpdate {
                status: Some("healthy".into()),
                tooltip: None
            }
            .problem(),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn socket_path_prefers_the_runtime_dir() {
        let path = default_socket_path();
        assert!(path.ends_with("shell.sock"), "{}", path.display());
    }
}
