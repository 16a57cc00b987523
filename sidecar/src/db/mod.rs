//! Opening the SQLite database: pragmas, the reader and writer pools, migrations, and clear
//! start-up errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteSynchronous};

use crate::config::Config;

pub mod files;
mod pools;
pub mod stored;
mod versions;

pub use pools::{Pools, WRITE_QUEUE_TIMEOUT};
pub use versions::{VersionCache, Versions, version};

/// How long a connection waits for another process's lock (the seed's) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Rows `ANALYZE` samples per index when start-up refreshes the planner's statistics: enough to
/// tell a selective index from a broad one, and a few milliseconds on 100,000 tasks.
const ANALYSIS_LIMIT: u32 = 400;

/// Why the server could not start; each says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The data directory cannot be created or written.
    #[error("data directory {path} is not writable: {source}")]
    DataDirNotWritable {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The database URL does not parse.
    #[error("invalid database URL {url}: {source}")]
    InvalidDatabaseUrl {
        /// The URL given.
        url: String,
        /// Why it is invalid.
        source: sqlx::Error,
    },
    /// The URL names an in-memory database: each pool connection would get its own.
    #[error("database {url} is in memory; RPMA needs a database file (a path or sqlite://path)")]
    InMemory {
        /// The URL given.
        url: String,
    },
    /// The file exists but is not a readable SQLite database.
    #[error(
        "database {url} is corrupt or not an SQLite database ({source}); restore a backup or move the file away"
    )]
    CorruptDatabase {
        /// The database URL.
        url: String,
        /// SQLite's message.
        source: sqlx::Error,
    },
    /// The database could not be opened.
    #[error("cannot open database {url}: {source}")]
    Open {
        /// The database URL.
        url: String,
        /// SQLite's message.
        source: sqlx::Error,
    },
    /// The data dir's secret cannot be read or created.
    #[error("cannot read or create the secret {path}: {source}")]
    Secret {
        /// The secret file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A migration failed; the database is left as it was before that migration.
    #[error("cannot migrate database {url}: {source}")]
    Migrate {
        /// The database URL.
        url: String,
        /// What failed.
        source: sqlx::migrate::MigrateError,
    },
}

/// Make sure the data dir exists and that files can be created in it.
fn ensure_writable(dir: &Path) -> Result<(), StartupError> {
    let fail = |source| StartupError::DataDirNotWritable {
        path: dir.to_owned(),
        source,
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, files::DIR_MODE);
    builder.create(dir).map_err(fail)?;
    files::keep_private(dir, files::DIR_MODE).map_err(fail)?;
    let probe = dir.join(".rpma-write-check");
    std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"ok"))
        .map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)
}

/// SQLite's "not a database" (26) and "corrupt" (11) primary result codes.
fn is_corruption(error: &sqlx::Error) -> bool {
    let code = error
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|c| c.parse::<i32>().ok());
    matches!(code.map(|c| c & 0xff), Some(11 | 26))
}

/// Open the pools with RPMA's pragmas and apply pending migrations (through the writer).
pub async fn connect(config: &Config) -> Result<Pools, StartupError> {
    let url = config.database_url();
    // Keys and uploads live in the data dir even when the database is elsewhere.
    ensure_writable(&config.data_dir)?;
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(StartupError::InMemory { url });
    }
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(|source| StartupError::InvalidDatabaseUrl {
            url: url.clone(),
            source,
        })?
        .create_if_missing(true)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let file = options.get_filename().to_owned();
    files::create_private(&file)
        .and_then(|()| files::keep_database_private(&file))
        .map_err(|source| StartupError::DataDirNotWritable {
            path: file.clone(),
            source,
        })?;
    let pools = Pools::open(&options);
    // The first connection opens (or creates) the file: a bad file fails here, before any
    // reader opens it.
    pools.write.acquire().await.map_err(|source| {
        if is_corruption(&source) {
            StartupError::CorruptDatabase {
                url: url.clone(),
                source,
            }
        } else {
            StartupError::Open {
                url: url.clone(),
                source,
            }
        }
    })?;
    // One reader opens while the migrations run, so the first request (the shell's first
    // health check) finds a connection ready instead of opening one: at 2d494c2, with one pool
    // whose connection start-up had opened, start-up to healthy took 52-58 ms here; with the
    // reader opened by that first request, 73-87 ms (medians of 12-15 cold starts, interleaved).
    // A reader that fails to open is no start-up error: it is opened again when needed.
    let (migrated, _reader) = tokio::join!(crate::MIGRATOR.run(&pools.write), pools.read.acquire());
    migrated.map_err(|source| match source {
        sqlx::migrate::MigrateError::Execute(e) if is_corruption(&e) => {
            StartupError::CorruptDatabase {
                url: url.clone(),
                source: e,
            }
        }
        source => StartupError::Migrate {
            url: url.clone(),
            source,
        },
    })?;
    optimize(&pools.write).await;
    Ok(pools)
}

/// Give the query planner statistics (`sqlite_stat1`) for tables that have none or whose size
/// changed a lot since: without them it guesses row counts and can pick a broad index over a
/// selective one. A failure only costs speed, so it is logged, not fatal.
async fn optimize(pool: &SqlitePool) {
    let sql = format!("PRAGMA analysis_limit = {ANALYSIS_LIMIT}; PRAGMA optimize = 0x10002");
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await {
        tracing::warn!(error = %e, "PRAGMA optimize failed");
    }
}

/// A transaction on the writer (`Pools::write`, the only pool to pass) that takes the write lock
/// at once (`BEGIN IMMEDIATE`): a change that reads before it writes (a check, a counter) sees
/// no other writer slip in between, not even another process's, and waiting for that lock goes
/// through `busy_timeout` instead of failing with `SQLITE_BUSY` on upgrade. Never ask the writer
/// for another connection while this one is open: there is one, so that waits for itself.
pub async fn write_transaction(
    db: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}
