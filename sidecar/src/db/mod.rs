//! Opening the database, SQLite (a file, the default) or PostgreSQL (a team server), both through
//! sqlx's `Any` driver: pragmas, the reader and writer pools, migrations, and clear start-up
//! errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::AnyPool;
use sqlx::sqlite::SqliteConnectOptions;

use crate::config::Config;

pub mod files;
pub mod moving;
mod pools;
mod sql;
pub mod stored;
mod versions;

pub use pools::{Pools, WRITE_QUEUE_TIMEOUT};
pub use sql::{Separated, Sql};
pub use versions::{VersionCache, Versions, version};

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

/// The two databases RPMA runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A file on this computer (`sqlite://…`, or a path): one desk.
    Sqlite,
    /// A server (`postgres://…` or `postgresql://…`): a team server.
    Postgres,
}

impl Kind {
    /// The database a URL names: PostgreSQL by its scheme, SQLite otherwise.
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The database a pool is connected to.
    pub fn of(pool: &AnyPool) -> Self {
        Self::of_url(pool.connect_options().database_url.as_str())
    }

    /// A statement that reads the database's header, so that a file that is no database
    /// fails on it.
    fn probe(self) -> &'static str {
        match self {
            Self::Sqlite => "SELECT count(*) FROM sqlite_master",
            Self::Postgres => "SELECT 1",
        }
    }

    /// The migrations of this database (kept side by side, checked to give the same schema).
    pub fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Self::Sqlite => &crate::MIGRATOR,
            Self::Postgres => &crate::POSTGRES_MIGRATOR,
        }
    }
}

/// Open the pools with RPMA's pragmas and apply pending migrations (through the writer).
pub async fn connect(config: &Config) -> Result<Pools, StartupError> {
    sqlx::any::install_default_drivers();
    let url = config.database_url();
    // Keys and uploads live in the data dir even when the database is elsewhere.
    ensure_writable(&config.data_dir)?;
    let kind = Kind::of_url(&url);
    let invalid = |source| StartupError::InvalidDatabaseUrl {
        url: url.clone(),
        source,
    };
    let pools = match kind {
        Kind::Sqlite => {
            if url.contains(":memory:") || url.contains("mode=memory") {
                return Err(StartupError::InMemory { url });
            }
            let options = SqliteConnectOptions::from_str(&url)
                .map_err(invalid)?
                .create_if_missing(true);
            let file = options.get_filename().to_owned();
            files::create_private(&file)
                .and_then(|()| files::keep_database_private(&file))
                .map_err(|source| StartupError::DataDirNotWritable {
                    path: file.clone(),
                    source,
                })?;
            Pools::sqlite(&options).map_err(invalid)?
        }
        Kind::Postgres => Pools::postgres(url.parse().map_err(invalid)?),
    };
    // The first connection opens (or creates) the file: a bad file fails here, before any
    // reader opens it. On its own, not through the pool, which would retry the failing pragmas
    // until its timeout and then say only that it timed out.
    let first = async {
        let options = pools.write.connect_options();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect_with(&options).await?;
        sqlx::Executor::execute(&mut conn, sqlx::raw_sql(kind.probe())).await?;
        sqlx::Connection::close(conn).await
    };
    first.await.map_err(|source| {
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
    let (migrated, _reader) = tokio::join!(kind.migrator().run(&pools.write), pools.read.acquire());
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
    if kind == Kind::Sqlite {
        optimize(&pools.write).await;
    }
    Ok(pools)
}

/// Give the query planner statistics (`sqlite_stat1`) for tables that have none or whose size
/// changed a lot since: without them it guesses row counts and can pick a broad index over a
/// selective one. A failure only costs speed, so it is logged, not fatal.
async fn optimize(pool: &AnyPool) {
    let sql = format!("PRAGMA analysis_limit = {ANALYSIS_LIMIT}; PRAGMA optimize = 0x10002");
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await {
        tracing::warn!(error = %e, "PRAGMA optimize failed");
    }
}

/// A transaction on the writer (`Pools::write`, the only pool to pass) that takes the write lock
/// at once: a change that reads before it writes (a check, a counter) sees no other writer
/// slip in between, not even another process's. On SQLite that is `BEGIN IMMEDIATE`, and
/// waiting for the lock goes through `busy_timeout` instead of failing with `SQLITE_BUSY` on
/// upgrade; never ask the writer for another connection while this one is open: there is one,
/// so that waits for itself. On PostgreSQL it is a transaction-scoped advisory lock, the same
/// one for every sidecar on the database, so two sidecars behind one server write one after
/// the other as one would (stock checked then taken by one of them at a time).
pub async fn write_transaction(
    db: &AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Kind::of(db) {
        Kind::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Kind::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// The key of RPMA's write lock on PostgreSQL (any number no other application on the
/// database uses: "RPMA" in ASCII).
const WRITE_LOCK: i64 = 0x5250_4D41;
