//! The shell's local socket API: Axum on a Unix socket (a named pipe on Windows), for the
//! sidecar only.
//!
//! The socket lives in a folder only the user can enter (0700) and is itself 0600; every request
//! must carry the token the shell handed to the sidecar. A leftover socket file from a crashed
//! shell is removed only after connecting to it fails; a live one (another instance) is left
//! alone and reported.

mod api;
mod controller;

use std::io;
use std::path::{Path, PathBuf};

pub use api::{document, router};
pub use controller::{ControlError, Recorded, RecordingController, WindowController};

/// Why the socket could not be bound.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Another process answers on the socket: not ours to take over.
    #[error("another process is serving {0}; not taking it over")]
    InUse(PathBuf),
    /// The folder or socket could not be prepared.
    #[error("cannot prepare socket {path}: {source}")]
    Io {
        /// The socket path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// A bound socket; the file is removed when this is dropped.
#[cfg(unix)]
#[derive(Debug)]
pub struct SocketListener {
    listener: std::os::unix::net::UnixListener,
    path: PathBuf,
}

#[cfg(unix)]
impl Drop for SocketListener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Bind the socket at `path` with private permissions, recovering from a stale file.
#[cfg(unix)]
pub fn bind(path: &Path) -> Result<SocketListener, BindError> {
    use std::os::unix::fs::PermissionsExt;
    let io_error = |source| BindError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io_error)?;
    }
    if path.exists() {
        match std::os::unix::net::UnixStream::connect(path) {
            Ok(_) => return Err(BindError::InUse(path.to_owned())),
            Err(_) => {
                tracing::info!(path = %path.display(), "removing a stale socket file");
                std::fs::remove_file(path).map_err(io_error)?;
            }
        }
    }
    let listener = std::os::unix::net::UnixListener::bind(path).map_err(io_error)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io_error)?;
    listener.set_nonblocking(true).map_err(io_error)?;
    Ok(SocketListener {
        listener,
        path: path.to_owned(),
    })
}

/// Serve `router` on the socket until `shutdown` resolves. Must run inside a Tokio runtime.
#[cfg(unix)]
pub async fn serve(
    socket: SocketListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = tokio::net::UnixListener::from_std(socket.listener.try_clone()?)?;
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    drop(socket);
    result
}

/// Windows: the named pipe the shell will serve on (instances are created by [`serve`]).
#[cfg(windows)]
#[derive(Debug)]
pub struct SocketListener {
    path: PathBuf,
}

/// Windows: claim the pipe name. The first instance is created by [`serve`] with
/// `first_pipe_instance`, so a pipe another process already serves is never taken over.
#[cfg(windows)]
pub fn bind(path: &Path) -> Result<SocketListener, BindError> {
    Ok(SocketListener {
        path: path.to_owned(),
    })
}

/// Windows: serve `router` over the named pipe, one instance per connection, until `shutdown`.
#[cfg(windows)]
pub async fn serve(
    socket: SocketListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    use tokio::net::windows::named_pipe::ServerOptions;
    let mut server = ServerOptions::new()
        .first_pipe_instance(true)
        .create(&socket.path)
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "{}: {e} (is another instance serving it?)",
                    socket.path.display()
                ),
            )
        })?;
    let service = hyper_util::service::TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            connected = server.connect() => {
                connected?;
                let client = std::mem::replace(&mut server, ServerOptions::new().create(&socket.path)?);
                let service = service.clone();
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(client);
                    if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await {
                        tracing::debug!(error = %e, "pipe connection ended");
                    }
                });
            }
        }
    }
}
