//! Opening the database: the file, its pragmas, migrations, and clear start-up errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use rpma_sidecar::db::{StartupError, VersionCache, connect, write_transaction};
use sqlx::Connection;

/// `PRAGMA name` as the pool's connection sees it.
async fn pragma(pool: &sqlx::AnyPool, name: &str) -> String {
    let sql = format!("SELECT CAST(\"{name}\" AS TEXT) FROM pragma_{name}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn creates_the_database_with_wal_and_foreign_keys_on_readers_and_writer() {
    let (config, dir) = common::config();
    let pools = connect(&config).await.expect("connect");
    assert!(dir.path().join("rpma.db").is_file());

    for pool in [&pools.read, &pools.write] {
        assert_eq!(pragma(pool, "journal_mode").await, "wal");
        assert_eq!(pragma(pool, "foreign_keys").await, "1");
        assert_eq!(pragma(pool, "synchronous").await, "1", "NORMAL");
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(pool)
            .await
            .unwrap();
        assert!(busy >= 1000, "busy_timeout {busy}");
    }

    // The writer leaves checkpoints to a connection of its own (db::Pools::open).
    let autocheckpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
        .fetch_one(&pools.write)
        .await
        .unwrap();
    assert_eq!(autocheckpoint, 0);

    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pools.read)
        .await
        .unwrap();
    assert_eq!(applied, rpma_sidecar::MIGRATOR.iter().count() as i64);
}

#[tokio::test]
async fn a_write_sent_to_the_readers_fails_and_changes_nothing() {
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    let error =
        sqlx::query("INSERT INTO app_settings (key, value) VALUES ('signup_enabled', 'true')")
            .execute(&pools.read)
            .await
            .expect_err("readers are read-only");
    assert!(error.to_string().contains("readonly"), "{error}");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM app_settings")
        .fetch_one(&pools.write)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn writes_wait_their_turn_at_the_writer_and_readers_do_not_wait_for_them() {
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    let mut first = write_transaction(&pools.write).await.unwrap();
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ('signup_enabled', 'true')")
        .execute(&mut *first)
        .await
        .unwrap();

    let writer = pools.write.clone();
    let second = tokio::spawn(async move {
        let mut tx = write_transaction(&writer).await?;
        let seen: String =
            sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE app_settings SET value = 'false' WHERE key = 'signup_enabled'")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(seen)
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !second.is_finished(),
        "the second write waits for the first"
    );
    // A reader sees the last commit (none yet) while the write is open, without waiting.
    let now: Option<String> =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
            .fetch_optional(&pools.read)
            .await
            .unwrap();
    assert_eq!(now, None);

    first.commit().await.unwrap();
    let seen = second
        .await
        .unwrap()
        .expect("the second write runs after the first");
    assert_eq!(
        seen, "true",
        "the second write read after the first committed"
    );
    let last: String =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
            .fetch_one(&pools.read)
            .await
            .unwrap();
    assert_eq!(last, "false");
}

/// The data versions are read again only after a commit, from whichever connection: with the
/// readers closed they still come, so no query was made, until another process's connection
/// commits; then the next call reads (and fails on the closed readers), and a rolled-back
/// change commits nothing.
#[tokio::test]
async fn versions_are_read_again_only_after_a_commit_of_any_connection() {
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    let versions = VersionCache::default();
    let first = versions.now(&pools.read).await.unwrap();
    assert!(
        versions.watches_commits(),
        "the WAL-index of the file is read"
    );
    let mut other = sqlx::AnyConnection::connect(&config.database_url())
        .await
        .unwrap();

    let mut rolled_back = other.begin().await.unwrap();
    sqlx::query("UPDATE data_versions SET version = version + 1")
        .execute(&mut *rolled_back)
        .await
        .unwrap();
    rolled_back.rollback().await.unwrap();
    pools.read.close().await;
    assert_eq!(
        versions.now(&pools.read).await.unwrap(),
        first,
        "no commit, no query"
    );

    sqlx::query("UPDATE data_versions SET version = version + 1 WHERE name = 'tasks'")
        .execute(&mut other)
        .await
        .unwrap();
    let error = versions
        .now(&pools.read)
        .await
        .expect_err("a commit: read again");
    assert!(matches!(error, sqlx::Error::PoolClosed), "{error}");
    let fresh = versions.now(&pools.write).await.unwrap();
    assert_eq!(
        (fresh.sessions, fresh.tasks),
        (first.sessions, first.tasks + 1)
    );

    pools.write.close().await;
    assert_eq!(
        versions.now(&pools.write).await.unwrap(),
        fresh,
        "no query again"
    );
}

#[tokio::test]
async fn sqlite_is_built_without_global_memory_statistics() {
    // `.cargo/config.toml` sets LIBSQLITE3_FLAGS; without it every SQLite malloc takes a
    // process-wide mutex.
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
        .fetch_all(&pools.read)
        .await
        .unwrap();
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "compile options: {options:?}"
    );
}

#[tokio::test]
async fn reopening_keeps_data_and_does_not_reapply_migrations() {
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ('signup_enabled', 'true')")
        .execute(&pools.write)
        .await
        .unwrap();
    pools.close().await;

    let pools = connect(&config).await.expect("reopen");
    let value: String =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
            .fetch_one(&pools.read)
            .await
            .unwrap();
    assert_eq!(value, "true");
}

#[tokio::test]
async fn unwritable_data_dir_is_a_clear_error() {
    let (mut config, dir) = common::config();
    // A path below a regular file cannot be created, even by root.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    config.data_dir = file.join("data");
    let error = connect(&config).await.expect_err("must fail");
    assert!(
        matches!(error, StartupError::DataDirNotWritable { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("not writable"), "{error}");
}

#[tokio::test]
async fn corrupt_database_is_a_clear_error_and_the_file_is_untouched() {
    let (config, dir) = common::config();
    let path = dir.path().join("rpma.db");
    let garbage = b"this is not an sqlite database, just some bytes that fill a page".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let error = connect(&config).await.expect_err("must fail");
    assert!(
        matches!(error, StartupError::CorruptDatabase { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("corrupt"), "{error}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the file is left as it was"
    );
}

#[tokio::test]
async fn an_in_memory_database_is_refused_with_a_reason() {
    for url in ["sqlite::memory:", "sqlite://rpma.db?mode=memory"] {
        let (mut config, _dir) = common::config();
        config.database_url = Some(url.to_owned());
        let error = connect(&config).await.expect_err(url);
        assert!(
            matches!(error, StartupError::InMemory { .. }),
            "{url}: {error}"
        );
        assert!(
            error.to_string().contains("needs a database file"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_database_too_busy_to_answer_in_time_is_a_503_the_client_may_retry() {
    use rpma_sidecar::error::{Error, ErrorCode};
    let error = Error::from(sqlx::Error::PoolTimedOut);
    assert_eq!(error.code(), ErrorCode::DatabaseUnavailable);
    assert_eq!(error.code().status(), 503);

    // SQLITE_BUSY from another process that keeps the lock past busy_timeout.
    let (config, _dir) = common::config();
    let pools = connect(&config).await.unwrap();
    let mut other = <sqlx::AnyConnection as sqlx::Connection>::connect(&config.database_url())
        .await
        .unwrap();
    sqlx::query("PRAGMA busy_timeout = 0")
        .execute(&mut other)
        .await
        .unwrap();
    let _held = write_transaction(&pools.write).await.unwrap();
    let refused = sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect_err("the writer holds the lock");
    assert_eq!(Error::from(refused).code(), ErrorCode::DatabaseUnavailable);
}
