//! The shell's local socket API: Axum on a Unix socket (a named pipe on Windows), for the
//! sidecar only.
//!
//! The socket lives in a folder only the user can enter (0700) and is itself 0600; every request
//! must carry the token the shell handed to the sidecar. The folder is never trusted blindly: a
//! symbolic link, something else than a folder, or a folder of another user is refused, and the
//! shell serves from a fresh private folder instead ([`bind_or_private`]). A leftover socket file
//! from a crashed shell is removed only after connecting to it fails; a live one (another
//! instance) is left alone and reported. On Windows the named pipe is created at bind, as the
//! first instance of its name, with a DACL that lets only the current user in.

mod api;
mod controller;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

use std::io;
use std::path::PathBuf;

pub use api::{document, router};
pub use controller::{ControlError, Recorded, RecordingController, WindowController};
#[cfg(unix)]
pub use unix::{SocketListener, bind, bind_or_private, serve};
#[cfg(windows)]
pub use windows::{SocketListener, bind, bind_or_private, serve};

/// Why the socket could not be bound.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Another process answers on the socket: not ours to take over.
    #[error("another process is serving {0}; not taking it over")]
    InUse(PathBuf),
    /// The socket's folder could let another user in.
    #[error("refusing the socket folder {dir}: {reason}")]
    UnsafeFolder {
        /// The folder.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The folder or socket could not be prepared.
    #[error("cannot prepare socket {path}: {source}")]
    Io {
        /// The socket path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}
