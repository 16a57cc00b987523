//! Blocking reads of the same SQLite file, for the few reads where per-row cost is the whole cost.
//!
//! sqlx runs each connection on its own thread and hands every row across a channel with a copy
//! of each of its values: right for the many small queries, slow for a 100,000-row export or a
//! version check made on every list request. A [`Reader`] keeps a few plain SQLite connections
//! (rusqlite, the same bundled SQLite) that a closure uses on a blocking thread, reading each
//! value in place. They are opened `query_only`: every write still goes through the pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::Result;

/// Blocking reads running at once at most: more would only take turns on the same cores, each
/// with a connection of its own. The rest wait for a turn without holding a thread.
fn max_blocking_reads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

/// A reader waits this long for a lock held by a checkpoint or a recovery (WAL readers do not
/// wait for writers).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Read-only connections to the database file of the pool.
#[derive(Debug)]
pub struct Reader {
    path: PathBuf,
    /// Open connections not in use: one per blocking read, and a few for [`Reader::now`] on
    /// the async threads.
    idle: Mutex<Vec<Connection>>,
    max_idle: usize,
    turns: tokio::sync::Semaphore,
}

impl Reader {
    /// Connections to the database file at `path` (opened on first use).
    pub fn new(path: &Path) -> Arc<Self> {
        let reads = max_blocking_reads();
        Arc::new(Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            max_idle: 2 * reads,
            turns: tokio::sync::Semaphore::new(reads),
        })
    }

    /// Connections to the file the pool uses.
    pub fn for_pool(pool: &sqlx::SqlitePool) -> Arc<Self> {
        Self::new(pool.connect_options().get_filename())
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.pragma_update(None, "query_only", true)?;
        Ok(connection)
    }

    fn take(&self) -> rusqlite::Result<Connection> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        idle.map_or_else(|| self.open(), Ok)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < self.max_idle {
            idle.push(connection);
        }
    }

    /// Run `read` with a connection on the calling thread. For reads of a few microseconds
    /// (one indexed row), where a hop to another thread costs more than the read.
    pub fn now<T>(&self, read: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let connection = self.take()?;
        let out = read(&connection);
        self.give_back(connection);
        out
    }

    /// Run `read` with a connection on a blocking thread, once a turn is free.
    pub async fn run<T, F>(self: &Arc<Self>, read: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|e| anyhow::anyhow!("blocking reads closed: {e}"))?;
        self.stream(read).await
    }

    /// Run `read` on a blocking thread without waiting for a turn, for a read that waits on
    /// its consumer (a streamed download): a slow client must not hold up the other reads.
    pub async fn stream<T, F>(self: &Arc<Self>, read: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let reader = Arc::clone(self);
        tokio::task::spawn_blocking(move || reader.now(read))
            .await
            .map_err(|e| anyhow::anyhow!("blocking read stopped: {e}"))?
    }

    /// The version `data_versions` holds for `table` now (see [`version_in`]).
    pub fn version(&self, table: &str) -> Result<i64> {
        self.now(|connection| version_in(connection, table))
    }
}

/// The version `data_versions` holds for `table` as `connection` sees it (inside a transaction,
/// the version of that snapshot): it moves with every committed change to the table's rows
/// (see the migration that creates it).
pub fn version_in(connection: &Connection, table: &str) -> Result<i64> {
    Ok(connection
        .prepare_cached("SELECT version FROM data_versions WHERE name = ?1")?
        .query_row([table], |row| row.get(0))?)
}
