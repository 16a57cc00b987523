//! Files only the owner can read: the data dir (0700), and the database, its WAL and shared
//! memory, the signing key and backups (0600).
//!
//! New files are created with these modes (SQLite gives its `-wal` and `-shm` files the mode of
//! the database). Files found wider at start (an older release, a copy, a loose umask) are
//! narrowed, with a warning that says which file and what its mode was.

use std::path::Path;

/// Mode of the data dir and the log dir.
pub const DIR_MODE: u32 = 0o700;
/// Mode of the database, its companions, keys and backups.
pub const FILE_MODE: u32 = 0o600;

/// Narrow `path` (a dir or a file) to `mode` when others could read it; missing is fine.
pub fn keep_private(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let found = match std::fs::metadata(path) {
            Ok(meta) => meta.permissions().mode() & 0o777,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if found & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{found:o}"),
                "other users could read this; narrowing it to {mode:o}"
            );
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Create the database file empty with [`FILE_MODE`] when it does not exist, so SQLite (which
/// would create it with the umask's mode) and its `-wal`/`-shm` files start private.
pub fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The database and its companion files, narrowed to [`FILE_MODE`].
pub fn keep_database_private(path: &Path) -> std::io::Result<()> {
    keep_private(path, FILE_MODE)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        keep_private(Path::new(&companion), FILE_MODE)?;
    }
    Ok(())
}
