//! The two pools every query goes through: read-only readers, and the one writer that every
//! change waits for in a fair queue.
//!
//! SQLite lets one writer in at a time. Writers that race for its lock from several connections
//! wait inside SQLite's busy handler, which sleeps in growing steps (up to 100 ms a nap) and
//! serves nobody in order: under load a write waited for naps instead of for the writes before
//! it. One connection for every write, handed out by sqlx in the order it was asked for,
//! replaces that race with a queue. Readers never wait for it (WAL: a reader sees the last
//! commit while a write goes on) and are opened read-only, so a write sent to them by mistake
//! fails at once in the tests ("attempt to write a readonly database") instead of racing.

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};

use super::Kind;

/// Read connections: one a core, at least 2 and at most 8. Each is a thread that SQLite keeps
/// busy; more of them than cores only take turns on the CPU, and the writer's turn with them,
/// so every write then holds the writer longer (measured below: 8 readers on 2 cores made the
/// write p99 several times worse than 2).
fn readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    u32::try_from(cores).unwrap_or(u32::MAX).clamp(2, 8)
}

/// How often the checkpointer folds the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// How long a change waits for its turn at the writer before it fails: the same bound as a
/// writer of another process (the seed) waiting for SQLite's lock (`busy_timeout`).
pub const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

/// The pools of one database.
#[derive(Debug, Clone)]
pub struct Pools {
    /// Read-only connections for every query that changes nothing.
    pub read: AnyPool,
    /// Read-only connections for reads that a client's pace sets (streamed downloads), as many
    /// as downloads may run at once (`spreadsheet::OVERALL`): a stalled download holds one of
    /// these, never a reader that lists and sign-ins need.
    pub stream: AnyPool,
    /// The one connection every write goes through (`db::write_transaction`, and every
    /// statement that inserts, updates or deletes).
    ///
    /// Measured with `BENCH_ONLY=load make bench` (64 connections, 60 s, 10 % writes, 100,000
    /// tasks, on 2 cores shared with other work, so a range of runs): before, one pool of 8
    /// for everything, writes racing in `BEGIN IMMEDIATE`: write p50 134-145 ms, p99 260-313
    /// ms, max 394-1,128 ms, 536-576 requests/s. After (this writer, readers as many as cores,
    /// a non-`GET` request's session checked on the writer, checkpoints off the writer): write
    /// p50 23-25 ms, p99 95-130 ms, max 143-226 ms, 666-688 requests/s; reads p50 ~100 ms
    /// both (64 connections on 2 cores). Again on the code of 3be5ef4 (with the sign-in limits
    /// and the retention sweep), one run each: before write p50 134 ms, p99 243 ms, max 400 ms,
    /// 585 requests/s; after 20 ms, 86 ms, 117 ms, 729 requests/s. 0 errors and 0 busy answers
    /// in all runs. Steps on the
    /// way (15 s runs): this writer with 8 readers alone made writes worse (p99 600-700 ms:
    /// the writer's turns stretched by 8 reader threads on 2 cores); 2 readers, 127 ms; the
    /// session check on the writer, 108 ms.
    pub write: AnyPool,
    /// The connection that folds the WAL into the database file, off the writer's path (see
    /// [`Pools::sqlite`]); it closes with the writer. None on PostgreSQL.
    checkpointer: Option<AnyPool>,
}

/// The pragmas of every SQLite connection: the writer's waits for another process's lock (the
/// seed's) through `busy_timeout`; foreign keys are checked.
const SQLITE_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                              PRAGMA synchronous = NORMAL";

/// The writer's, besides [`SQLITE_PRAGMAS`]: it keeps the file in WAL mode and never
/// checkpoints inside a commit (see [`Pools::sqlite`]).
const WRITER_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0";

/// A pool over SQLite `options` whose connections run `pragmas`, in order, when they open (the
/// `Any` driver opens SQLite by URL, which carries only the open mode).
fn sqlite_pool(pragmas: &'static [&'static str]) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                for &statements in pragmas {
                    conn.execute(sqlx::raw_sql(statements)).await?;
                }
                Ok(())
            })
        })
}

/// The `Any` options of SQLite `options`: its file and open mode.
fn any_options(options: &SqliteConnectOptions) -> Result<AnyConnectOptions, sqlx::Error> {
    AnyConnectOptions::from_url(&options.to_url_lossy())
}

impl Pools {
    /// Both pools over SQLite `options` (the file): the writer sets WAL on the file,
    /// the readers open it read-only. Connections open when first needed; the writer's stays
    /// open, which also keeps the WAL files that read-only connections need.
    ///
    /// SQLite folds the WAL back into the file (a checkpoint, with an `fsync`) inside the commit
    /// that finds it past 1,000 pages: that write, and every write queued behind it, waited
    /// for the disk (commits of 16-72 ms at p90-p99 in the load run, 2 ms at p50). Here the
    /// writer never checkpoints (`wal_autocheckpoint = 0`); a connection of its own does, every
    /// [`CHECKPOINT_EVERY`], without taking the write lock (`PASSIVE`). Must run in a Tokio
    /// runtime.
    pub fn sqlite(options: &SqliteConnectOptions) -> Result<Self, sqlx::Error> {
        let write = sqlite_pool(&[SQLITE_PRAGMAS, WRITER_PRAGMAS])
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(WRITE_QUEUE_TIMEOUT)
            // A local file does not drop connections the way a network does; the default ping
            // before each acquire is one more round trip to the connection's thread per query.
            .connect_lazy_with(any_options(options)?);
        // The URL names one open mode: "create" would win over "read-only".
        let read_only = any_options(&options.clone().create_if_missing(false).read_only(true))?;
        Ok(Self {
            read: sqlite_pool(&[SQLITE_PRAGMAS])
                .max_connections(readers())
                .connect_lazy_with(read_only.clone()),
            stream: sqlite_pool(&[SQLITE_PRAGMAS])
                .max_connections(downloads())
                .connect_lazy_with(read_only),
            checkpointer: Some(checkpointer(options, &write)?),
            write,
        })
    }

    /// The pools of a PostgreSQL server: one pool serves reads, downloads and writes, since
    /// the server runs them side by side; a write transaction takes the write lock that keeps
    /// SQLite's one-writer rule across every sidecar on the database (`db::write_transaction`).
    pub fn postgres(options: AnyConnectOptions) -> Self {
        let pool = AnyPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .acquire_timeout(WRITE_QUEUE_TIMEOUT)
            .connect_lazy_with(options);
        Self::same(&pool)
    }

    /// The pools of a database another pool already opened (the tests' fresh databases), as
    /// the server has them.
    pub fn over(pool: &AnyPool) -> Self {
        let options = pool.connect_options();
        match Kind::of_url(options.database_url.as_str()) {
            Kind::Sqlite => {
                let sqlite = SqliteConnectOptions::from_url(&options.database_url);
                sqlite
                    .and_then(|sqlite| Self::sqlite(&sqlite))
                    .unwrap_or_else(|_| Self::same(pool))
            }
            Kind::Postgres => Self::same(pool),
        }
    }

    fn same(pool: &AnyPool) -> Self {
        Self {
            read: pool.clone(),
            stream: pool.clone(),
            write: pool.clone(),
            checkpointer: None,
        }
    }

    /// Close the pools, waiting for their connections to finish; the readers first, since the
    /// last connection to close folds the WAL into the file and a read-only one cannot.
    pub async fn close(&self) {
        self.read.close().await;
        self.stream.close().await;
        self.write.close().await;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.close().await;
        }
    }
}

/// Connections to a PostgreSQL server per sidecar: the server, not this process, runs the
/// queries, so more than cores help while some wait on the network or on locks.
const POSTGRES_CONNECTIONS: u32 = 16;

/// As many stream connections as downloads may run at once.
fn downloads() -> u32 {
    u32::try_from(crate::spreadsheet::OVERALL).unwrap_or(u32::MAX)
}

/// A connection that checkpoints the WAL every [`CHECKPOINT_EVERY`] until `writer` closes; then
/// it closes too (being no read-only connection, whichever of the two closes last folds the WAL
/// into the file).
fn checkpointer(options: &SqliteConnectOptions, writer: &AnyPool) -> Result<AnyPool, sqlx::Error> {
    let pool = sqlite_pool(&[SQLITE_PRAGMAS])
        .max_connections(1)
        .connect_lazy_with(any_options(options)?);
    let checkpoints = pool.clone();
    let mut closed = writer.close_event();
    tokio::spawn(async move {
        // The first tick one period on, not at once: start-up has nothing to fold yet, and a
        // connection opened then only takes a core from the migrations.
        let first = tokio::time::Instant::now() + CHECKPOINT_EVERY;
        let mut tick = tokio::time::interval_at(first, CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = &mut closed => break,
                _ = tick.tick() => {}
            }
            let done = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&checkpoints)
                .await;
            if let Err(e) = done {
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
        }
        checkpoints.close().await;
    });
    Ok(pool)
}
