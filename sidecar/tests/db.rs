//! Opening the database: the file, its pragmas, migrations, and clear start-up errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use rpma_sidecar::db::{StartupError, connect};

#[tokio::test]
async fn creates_the_database_with_wal_and_foreign_keys() {
    let (config, dir) = common::config();
    let pool = connect(&config).await.expect("connect");
    assert!(dir.path().join("rpma.db").is_file());

    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&pool)
        .await
        .unwrap();
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, 1);
    assert_eq!(synchronous, 1, "NORMAL");
    assert!(busy >= 1000, "busy_timeout {busy}");

    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied, rpma_sidecar::MIGRATOR.iter().count() as i64);
}

#[tokio::test]
async fn sqlite_is_built_without_global_memory_statistics() {
    // `.cargo/config.toml` sets LIBSQLITE3_FLAGS; without it every SQLite malloc takes a
    // process-wide mutex.
    let (config, _dir) = common::config();
    let pool = connect(&config).await.unwrap();
    let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
        .fetch_all(&pool)
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
    let pool = connect(&config).await.unwrap();
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ('signup_enabled', 'true')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let pool = connect(&config).await.expect("reopen");
    let value: String =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
            .fetch_one(&pool)
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
