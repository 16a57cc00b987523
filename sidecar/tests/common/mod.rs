//! Helpers shared by the sidecar's integration tests: the app over a test pool (here), requests
//! and replies ([`http`]), signed-in accounts and the seeded workshop ([`fixtures`]) and typed
//! request bodies ([`builders`], [`calendar`]), and the event stream as a subscriber reads it
//! ([`stream`]).
//!
//! Each test binary includes this folder with `mod common;` (or, from a folder binary,
//! `#[path = "../common/mod.rs"] mod common;`) and uses only part of it.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

pub mod builders;
pub mod calendar;
pub mod fixtures;
pub mod http;
pub mod process;
pub mod stream;

use axum::Router;
use rpma_sidecar::{AppState, Config};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

pub use builders::{ClientBuilder, TaskBuilder, transition};
pub use calendar::{ConflictCheck, EventBuilder, schedule};
pub use fixtures::{
    Account, NewAccount, PASSWORD, Workshop, account_body, admin, login, sign_in, user,
};
pub use http::{Reply, call, get, id, send};

/// The PostgreSQL server the suite runs against when set (`make test` sets it for its second
/// pass); SQLite files otherwise.
pub const DATABASE_VAR: &str = "RPMA_TEST_DATABASE_URL";

/// Keeps a test's database while the test runs: the SQLite file's folder.
pub struct TestDb(Option<tempfile::TempDir>);

/// A fresh, migrated database of its own for one test, and the guard that keeps it: a SQLite
/// file in a temporary folder, or, when [`DATABASE_VAR`] names a PostgreSQL server, a new
/// database there, copied from a migrated template.
pub async fn database() -> (AnyPool, TestDb) {
    sqlx::any::install_default_drivers();
    match std::env::var(DATABASE_VAR) {
        Ok(server) if !server.is_empty() => (postgres::database(&server).await, TestDb(None)),
        _ => {
            let (pool, dir) = sqlite().await;
            (pool, TestDb(Some(dir)))
        }
    }
}

/// A fresh, migrated SQLite file in a temporary folder (removed with the folder).
pub async fn sqlite() -> (AnyPool, tempfile::TempDir) {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let pool = AnyPoolOptions::new()
        .max_connections(4)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(
                    conn,
                    sqlx::raw_sql(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 5000",
                    ),
                )
                .await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .expect("test database");
    rpma_sidecar::MIGRATOR.run(&pool).await.expect("migrations");
    (pool, dir)
}

/// Whether this run is the PostgreSQL pass.
pub fn on_postgres() -> bool {
    std::env::var(DATABASE_VAR).is_ok_and(|url| !url.is_empty())
}

pub mod postgres;

/// A config whose data dir is a fresh temporary folder (kept alive by the returned guard).
pub fn config() -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (Config::with_data_dir(dir.path()), dir)
}

/// The app over a test pool with its state and data dir.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for TestApp {
    type Target = Router;
    fn deref(&self) -> &Router {
        &self.router
    }
}

/// The app over a test pool, with the default config.
pub fn app(pool: AnyPool) -> TestApp {
    let (config, dir) = config();
    let state = AppState::new(pool, config).expect("state");
    TestApp {
        router: rpma_sidecar::app(state.clone()),
        state,
        dir,
    }
}

/// The text of a PDF, as `pdftotext` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
