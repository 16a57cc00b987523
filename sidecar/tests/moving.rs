//! `rpma-sidecar migrate-to`: a seeded desk's SQLite moves into PostgreSQL with equal counts and
//! checksums per table, a second run changes nothing, and a numbered row of another desk's is
//! never overwritten (the move fails and the server is as it was). Runs on the PostgreSQL pass
//! of `make test`, and only there.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use rpma_sidecar::db::moving::{MoveError, move_to};
use rpma_sidecar::seed::{self, Options};
use sqlx::AnyPool;

fn desk() -> Options {
    Options {
        clients: 40,
        tasks: 400,
        technicians: 4,
        password: Some("Tech12345".into()),
        seed: 11,
        force: false,
    }
}

fn server() -> String {
    std::env::var(common::DATABASE_VAR)
        .unwrap_or_else(|_| panic!("needs a PostgreSQL server in {}", common::DATABASE_VAR))
}

async fn count(pool: &AnyPool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM \"{table}\""
    )))
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_desk_moves_whole_and_a_second_run_changes_nothing() {
    let (desk_db, _dir) = common::sqlite().await;
    seed::seed(&desk_db, &desk()).await.unwrap();
    let team = common::postgres::database(&server()).await;

    let first = move_to(&desk_db, &team).await.unwrap();
    let tasks = first.tables.iter().find(|t| t.table == "tasks").unwrap();
    assert_eq!(tasks.rows, 400);
    for table in &first.tables {
        let rows = i64::try_from(table.rows).unwrap();
        assert_eq!(count(&desk_db, &table.table).await, rows, "{}", table.table);
        assert_eq!(count(&team, &table.table).await, rows, "{}", table.table);
    }
    // The generated slots are the server's own, and equal the desk's.
    let slots = "SELECT count(*) FROM tasks WHERE slot_start IS NOT NULL";
    let (on_desk, on_team): (i64, i64) = (
        sqlx::query_scalar(slots).fetch_one(&desk_db).await.unwrap(),
        sqlx::query_scalar(slots).fetch_one(&team).await.unwrap(),
    );
    assert_eq!(on_desk, on_team);

    let version = "SELECT version FROM data_versions WHERE name = 'tasks'";
    let before: i64 = sqlx::query_scalar(version).fetch_one(&team).await.unwrap();
    let second = move_to(&desk_db, &team).await.unwrap();
    assert_eq!(first.tables, second.tables, "the same rows and checksums");
    assert_eq!(count(&team, "tasks").await, 400);
    let after: i64 = sqlx::query_scalar(version).fetch_one(&team).await.unwrap();
    assert!(
        after > before,
        "kept pages are read again: {before} → {after}"
    );
}

#[tokio::test]
async fn another_desks_numbered_row_is_never_overwritten() {
    let (desk_db, _dir) = common::sqlite().await;
    seed::seed(&desk_db, &desk()).await.unwrap();
    let team = common::postgres::database(&server()).await;
    let attempt =
        "INSERT INTO login_attempts (id, email, succeeded, created_at) VALUES (1, $1, TRUE, 5)";
    for (db, email) in [
        (&desk_db, "desk@example.com"),
        (&team, "server@example.com"),
    ] {
        sqlx::query(attempt).bind(email).execute(db).await.unwrap();
    }

    let error = move_to(&desk_db, &team).await.unwrap_err();
    let MoveError::Differs { table, rows, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!((table.as_str(), *rows), ("login_attempts", 1), "{error}");
    let kept: String = sqlx::query_scalar("SELECT email FROM login_attempts WHERE id = 1")
        .fetch_one(&team)
        .await
        .unwrap();
    assert_eq!(kept, "server@example.com");
    assert_eq!(count(&team, "tasks").await, 0, "nothing of the move stayed");
}
