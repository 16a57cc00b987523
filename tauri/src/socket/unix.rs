//! The socket on Unix: a private folder (checked, never trusted blindly), a 0600 socket file,
//! and Axum serving it.

use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rand::RngCore;

use super::BindError;

/// A bound socket; the file (and a folder [`bind_or_private`] made for it) is removed when this
/// is dropped.
#[derive(Debug)]
pub struct SocketListener {
    listener: std::os::unix::net::UnixListener,
    path: PathBuf,
    own_folder: bool,
}

impl SocketListener {
    /// Where the socket is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketListener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(dir) = self.path.parent().filter(|_| self.own_folder) {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Make sure `dir` is a folder only this user can use: create it 0700 when missing; refuse a
/// symbolic link, anything but a folder, and a folder of another user; tighten a wider mode of
/// our own folder to 0700 (before looking inside it).
fn private_folder(dir: &Path) -> Result<(), BindError> {
    let io_error = |source| BindError::Io {
        path: dir.to_owned(),
        source,
    };
    let refuse = |reason: String| BindError::UnsafeFolder {
        dir: dir.to_owned(),
        reason,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_error)?;
    let meta = std::fs::symlink_metadata(dir).map_err(io_error)?;
    if meta.file_type().is_symlink() {
        return Err(refuse("it is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(refuse("it is not a folder".into()));
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me {
        return Err(refuse(format!(
            "it belongs to uid {}, not to this user (uid {me})",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        tracing::warn!(dir = %dir.display(), mode = format!("{mode:o}"), "the socket folder was open to others; making it 0700");
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io_error)?;
    }
    Ok(())
}

/// Bind the socket at `path` in a private folder (see [`private_folder`]), recovering from a
/// stale file.
pub fn bind(path: &Path) -> Result<SocketListener, BindError> {
    if let Some(dir) = path.parent() {
        private_folder(dir)?;
    }
    bind_in_checked_folder(path, false)
}

fn bind_in_checked_folder(path: &Path, own_folder: bool) -> Result<SocketListener, BindError> {
    let io_error = |source| BindError::Io {
        path: path.to_owned(),
        source,
    };
    if std::fs::symlink_metadata(path).is_ok() {
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
        own_folder,
    })
}

/// [`bind`] at `path`; when its folder is refused, say so and serve from a fresh private folder
/// `<temp>/rpma-<uid>-<random>` instead (made here, 0700, so nobody else can own it).
pub fn bind_or_private(path: &Path) -> Result<SocketListener, BindError> {
    match bind(path) {
        Err(refused @ BindError::UnsafeFolder { .. }) => {
            let mut suffix = [0u8; 6];
            rand::rng().fill_bytes(&mut suffix);
            let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
            let dir = std::env::temp_dir()
                .join(format!("rpma-{}-{suffix}", nix::unistd::geteuid().as_raw()));
            tracing::error!(error = %refused, instead = %dir.display(), "not serving the socket there");
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&dir)
                .map_err(|source| BindError::Io {
                    path: dir.clone(),
                    source,
                })?;
            private_folder(&dir)?;
            bind_in_checked_folder(&dir.join("shell.sock"), true)
        }
        other => other,
    }
}

/// Serve `router` on the socket until `shutdown` resolves. Must run inside a Tokio runtime.
pub async fn serve(
    socket: SocketListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::UnixListener::from_std(socket.listener.try_clone()?)?;
    let result = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    drop(socket);
    result
}
