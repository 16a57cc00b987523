//! The data versions that caches are kept by, and the last read of them, used again while
//! SQLite's WAL-index says nothing was committed since.
//!
//! `data_versions` holds a version per cached table, moved by triggers in the transaction of
//! every change (see its migrations), so an answer kept at a version is current while the
//! version has not moved. Asking costs a query, and a query is a round trip to a connection's
//! thread: on 2 cores that halved the throughput of `/auth/me` and of kept task pages (numbers
//! at [`VersionCache`]).
//!
//! [`VersionCache`] asks only when something may have changed. In WAL mode every connection
//! to the file, in this process or another, commits by rewriting the header of the WAL-index
//! (the `-shm` file): the last frame, its checksum, a change counter, and new salts when the
//! WAL starts over. SQLite's own readers compare that header to know whether their snapshot is
//! current, and `PRAGMA data_version` is the same comparison. Reading the header is one small
//! `pread` of a page the kernel already holds; while it is unchanged, no commit has happened,
//! and the versions read at it still hold.

use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use sqlx::AnyPool;
use tokio::sync::OnceCell;

/// The versions of the tables whose readers keep answers by version, as one read saw them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct Versions {
    /// Moves with every change to a user or to a session's end (the session cache).
    pub sessions: i64,
    /// Moves with every change to a task (the task list's kept pages).
    pub tasks: i64,
}

/// The current [`Versions`], read again only after a commit.
///
/// Measured with `BENCH_ONLY=server,tasks make bench` (100,000 tasks, release, 2 cores), a
/// query per request before and this cache after: `GET /auth/me` on 32 connections 14,700
/// req/s before, 26,500 after; the same kept task page on 32 connections 15,100 / 14,800
/// req/s before, 20,600 / 21,700 after (the two kept lists of the bench); on one connection
/// a kept page stays at 0.3-0.4 ms median, most of it the client's own HTTP.
#[derive(Debug, Default)]
pub struct VersionCache {
    /// The WAL-index of the database, once looked up; `None` when the database has none (not
    /// in WAL mode, or not a file), and then every call reads the versions.
    wal_index: OnceCell<Option<PathBuf>>,
    /// The versions last read, with the WAL-index header they were read after.
    last: RwLock<Option<(CommitMark, Versions)>>,
}

impl VersionCache {
    /// The versions as a query through `db` would read them now.
    ///
    /// The header is taken before the query: a commit that lands between the two is either in
    /// the versions read (and the next header differs anyway) or changes the header after it,
    /// so versions are never kept under a header older than a commit they miss.
    pub async fn now(&self, db: &AnyPool) -> Result<Versions, sqlx::Error> {
        let index = self.wal_index.get_or_try_init(|| wal_index(db)).await?;
        let mark = index.as_deref().and_then(commit_mark);
        if let Some(mark) = mark
            && let Some((kept, versions)) =
                *self.last.read().unwrap_or_else(PoisonError::into_inner)
            && kept == mark
        {
            return Ok(versions);
        }
        let versions = read(db).await?;
        if let Some(mark) = mark {
            *self.last.write().unwrap_or_else(PoisonError::into_inner) = Some((mark, versions));
        }
        Ok(versions)
    }

    /// Whether commits are seen in the WAL-index (otherwise every call is a query). Known after
    /// the first [`Self::now`].
    pub fn watches_commits(&self) -> bool {
        matches!(self.wal_index.get(), Some(Some(_)))
    }
}

/// [`Versions`] now, in one read.
async fn read(db: &AnyPool) -> Result<Versions, sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT version FROM data_versions WHERE name = 'sessions') AS sessions, \
                (SELECT version FROM data_versions WHERE name = 'tasks') AS tasks",
    )
    .fetch_one(db)
    .await
}

/// The version `data_versions` holds for `table` as `db` sees it (inside a transaction, the
/// version of that snapshot): it moves with every committed change to the table's rows (see
/// the migration that creates it), so anything read at one version is still true while the
/// version has not moved.
pub async fn version(db: impl sqlx::AnyExecutor<'_>, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM data_versions WHERE name = $1")
        .bind(table)
        .fetch_one(db)
        .await
}

/// The `-shm` file of `db`'s main database when it is in WAL mode, named as SQLite names it:
/// the database's full path (as SQLite resolved it) and `-shm`.
async fn wal_index(db: &AnyPool) -> Result<Option<PathBuf>, sqlx::Error> {
    // PostgreSQL has no WAL-index to read (and several servers' commits to see): every call
    // reads the versions there.
    if super::Kind::of(db) == super::Kind::Postgres {
        return Ok(None);
    }
    let (mode, file): (String, String) = sqlx::query_as(
        "SELECT (SELECT journal_mode FROM pragma_journal_mode), \
                (SELECT file FROM pragma_database_list WHERE name = 'main')",
    )
    .fetch_one(db)
    .await?;
    if !mode.eq_ignore_ascii_case("wal") || file.is_empty() {
        return Ok(None);
    }
    let index = PathBuf::from(format!("{file}-shm"));
    Ok(commit_mark(&index).map(|_| index))
}

/// Bytes of one copy of the WAL-index header (`WalIndexHdr` in SQLite's `wal.c`).
const HEADER_BYTES: usize = 48;

/// The header's `iVersion` (`WALINDEX_MAX_VERSION`), the first 4 bytes, native order.
const INDEX_VERSION: u32 = 3_007_000;

/// The WAL-index header as it was at one moment: equal marks mean no commit in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CommitMark([u8; HEADER_BYTES]);

/// The header now, or `None` when it cannot be read whole: no file, not an initialised index,
/// or caught mid-commit. SQLite keeps two copies and a writer rewrites the second, then the
/// first; a read of both that finds them equal saw one header (the check SQLite's readers make).
#[cfg(unix)]
fn commit_mark(index: &Path) -> Option<CommitMark> {
    use std::os::unix::fs::FileExt;
    let mut both = [0u8; 2 * HEADER_BYTES];
    // Opened each time, never kept: the mark is always the file SQLite uses at this path.
    std::fs::File::open(index)
        .and_then(|file| file.read_exact_at(&mut both, 0))
        .ok()?;
    let (first, second) = both.split_at(HEADER_BYTES);
    let version = u32::from_ne_bytes(first[..4].try_into().ok()?);
    let initialised = first[12] != 0; // `isInit`
    if first != second || version != INDEX_VERSION || !initialised {
        return None;
    }
    Some(CommitMark(first.try_into().ok()?))
}

/// Elsewhere (Windows), reading a file is not promised to see another process's mapped view of
/// it at once, so every call reads the versions.
#[cfg(not(unix))]
fn commit_mark(_index: &Path) -> Option<CommitMark> {
    None
}
