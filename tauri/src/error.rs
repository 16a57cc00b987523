//! Errors of the shell's commands, sent to the page as strings.

/// A command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Tauri failed.
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
    /// The main window is gone.
    #[error("the main window is not available")]
    NoWindow,
    /// A window or notification request failed (as over the socket).
    #[error(transparent)]
    Control(#[from] crate::socket::ControlError),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Result of a command.
pub type Result<T, E = Error> = std::result::Result<T, E>;
