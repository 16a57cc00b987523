//! The shell's log: its own lines and the sidecar's, to stderr and a file in the app's log dir,
//! with the last lines kept in memory for the error dialog.

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

const KEEP: usize = 200;

/// Create `dir` (and its parents) owner-only (0700), or narrow it to that when other users
/// could read it; returns the mode it had when it was narrowed, for the log. The data dir and
/// the log dir hold the database, keys and logs: no other local user may read them.
pub fn private_dir(dir: &Path) -> std::io::Result<Option<u32>> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            return Ok(Some(mode));
        }
    }
    Ok(None)
}

/// The sidecar's recent log lines, also appended to the shell's log file.
#[derive(Clone, Default)]
pub struct LogTail {
    inner: Arc<Mutex<Tail>>,
}

#[derive(Default)]
struct Tail {
    lines: VecDeque<String>,
    file: Option<std::fs::File>,
}

impl LogTail {
    /// A tail that also appends to `file`.
    pub fn to_file(path: &Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self {
            inner: Arc::new(Mutex::new(Tail {
                lines: VecDeque::new(),
                file: Some(file),
            })),
        })
    }

    /// Record one sidecar line.
    pub fn push(&self, line: String) {
        let mut tail = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(file) = tail.file.as_mut() {
            let _ = writeln!(file, "sidecar | {line}");
        }
        if tail.lines.len() == KEEP {
            tail.lines.pop_front();
        }
        tail.lines.push_back(line);
    }

    /// The last `n` lines, oldest first.
    pub fn last(&self, n: usize) -> Vec<String> {
        let tail = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tail.lines
            .iter()
            .skip(tail.lines.len().saturating_sub(n))
            .cloned()
            .collect()
    }
}

impl std::fmt::Debug for LogTail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogTail(..)")
    }
}
