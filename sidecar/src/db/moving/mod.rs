//! `rpma-sidecar migrate-to --database-url postgres://…`: a desk's SQLite data moved into a
//! team server's PostgreSQL, in one transaction, and checked by row counts and checksums per
//! table before it commits.
//!
//! Run again, it changes nothing that is already there: a row whose key (a UUID) is on the
//! server already is written again with the desk's values; a row of a numbered table (sign-in
//! attempts, the plant's log) whose number is taken is left alone, and the check then fails
//! when the two differ, so nothing of another desk's is overwritten. Triggers of the copied
//! tables are off during the copy (the desk's counters come with its rows); the page-cache
//! versions move on afterwards, so every server's kept pages are read again.

mod rows;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, AnyPool};

use super::Kind;
use rows::{Carry, Table, check, copy, read};

/// Tables never copied: the migrations' own record, and the page-cache versions (each
/// database counts its own; they are moved on after the copy instead).
const NOT_COPIED: &[&str] = &["_sqlx_migrations", "data_versions"];

/// What one table's move found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMove {
    /// The table.
    pub table: String,
    /// Rows on the desk.
    pub rows: u64,
    /// SHA-256 of the desk's rows, in key order, as both databases give them back.
    pub checksum: String,
}

/// The outcome of a move: each table, equal on both sides, and how long it took.
#[derive(Debug)]
pub struct Moved {
    /// Per table, in the order copied (parents before children).
    pub tables: Vec<TableMove>,
    /// From the first read to the commit.
    pub elapsed: Duration,
}

/// Why a move did not happen; the server's database is as it was.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// The target is not a PostgreSQL URL.
    #[error("migrate-to needs a PostgreSQL URL (postgres://…), not {0}")]
    NotPostgres(String),
    /// A query failed.
    #[error("{context}: {source}")]
    Database {
        /// What was being done.
        context: String,
        /// The database's message.
        source: sqlx::Error,
    },
    /// After the copy the server's rows differ from the desk's.
    #[error(
        "table {table}: the desk has {rows} rows (checksum {source_sum}), the server {server_rows} \
         of them (checksum {target_sum}); nothing was changed"
    )]
    Differs {
        /// The table.
        table: String,
        /// The desk's row count.
        rows: u64,
        /// The server's count of those rows.
        server_rows: u64,
        /// The desk's checksum.
        source_sum: String,
        /// The server's checksum.
        target_sum: String,
    },
}

fn failed(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> MoveError {
    let context = context.into();
    move |source| MoveError::Database { context, source }
}

/// Copy every table of `source` (a desk's SQLite) into `target` (migrated PostgreSQL) and check
/// them; one transaction on the target.
pub async fn move_to(source: &AnyPool, target: &AnyPool) -> Result<Moved, MoveError> {
    let started = Instant::now();
    let mut tx = target
        .begin()
        .await
        .map_err(failed("begin on the server"))?;
    let tables = tables(source, &mut tx).await?;
    for table in &tables {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE \"{}\" DISABLE TRIGGER USER",
            table.name
        )))
        .execute(&mut *tx)
        .await
        .map_err(failed(format!("turn off the triggers of {}", table.name)))?;
    }
    let mut moved = Vec::new();
    for table in &tables {
        let rows = read(source, table).await?;
        copy(&mut tx, table, &rows).await?;
        moved.push(check(&mut tx, table, &rows).await?);
    }
    for table in &tables {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE \"{}\" ENABLE TRIGGER USER",
            table.name
        )))
        .execute(&mut *tx)
        .await
        .map_err(failed(format!("turn on the triggers of {}", table.name)))?;
        // An identity continues after the numbers copied in.
        if table.numbered {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT 1 FROM (SELECT setval(s::regclass, \
                   (SELECT coalesce(max(\"{column}\"), 0) + 1 FROM \"{name}\"), false) \
                 FROM pg_get_serial_sequence('\"{name}\"', '{column}') AS s WHERE s IS NOT NULL) AS moved",
                name = table.name,
                column = table.key[0],
            )))
            .execute(&mut *tx)
            .await
            .map_err(failed(format!("move on the numbering of {}", table.name)))?;
        }
    }
    sqlx::query("UPDATE data_versions SET version = version + 1")
        .execute(&mut *tx)
        .await
        .map_err(failed("move on the page-cache versions"))?;
    tx.commit().await.map_err(failed("commit on the server"))?;
    Ok(Moved {
        tables: moved,
        elapsed: started.elapsed(),
    })
}

/// The tables to copy, parents before children, as the target describes them.
async fn tables(source: &AnyPool, target: &mut AnyConnection) -> Result<Vec<Table>, MoveError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(source)
    .await
    .map_err(failed("list the desk's tables"))?;
    let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in names.iter().filter(|n| !NOT_COPIED.contains(&n.as_str())) {
        let referenced: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(name)
                .fetch_all(source)
                .await
                .map_err(failed(format!("read the keys of {name}")))?;
        parents.insert(
            name.clone(),
            referenced.into_iter().filter(|p| p != name).collect(),
        );
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < parents.len() {
        let before = ordered.len();
        for (name, of) in &parents {
            if !ordered.contains(name) && of.iter().all(|p| ordered.contains(p)) {
                ordered.push(name.clone());
            }
        }
        if ordered.len() == before {
            // A cycle of keys (none today): the rest in name order; the copy then fails on its
            // key and says which.
            ordered.extend(
                parents
                    .keys()
                    .filter(|n| !ordered.contains(n))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
    }
    let mut tables = Vec::new();
    for name in ordered {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'rowid' \
               AND is_generated = 'NEVER' ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *target)
        .await
        .map_err(failed(format!("read the server's columns of {name}")))?;
        let key: Vec<String> = sqlx::query_scalar(
            "SELECT a.attname::text FROM pg_constraint c \
             CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
             WHERE c.conrelid = $1::regclass AND c.contype = 'p' ORDER BY k.n",
        )
        .bind(format!("\"{name}\""))
        .fetch_all(&mut *target)
        .await
        .map_err(failed(format!("read the server's key of {name}")))?;
        let columns: Vec<(String, Carry)> = columns
            .into_iter()
            .map(|(c, t)| (c, Carry::of(&t)))
            .collect();
        let numbered = key.len() == 1
            && columns
                .iter()
                .any(|(c, carry)| c == &key[0] && *carry == Carry::Integer);
        tables.push(Table {
            name,
            columns,
            key,
            numbered,
        });
    }
    Ok(tables)
}

/// Open the desk's database and the server's (migrated), and move.
pub async fn migrate_to(
    config: &crate::config::Config,
    target_url: &str,
) -> Result<Moved, Box<dyn std::error::Error + Send + Sync>> {
    if Kind::of_url(target_url) != Kind::Postgres {
        return Err(MoveError::NotPostgres(target_url.to_owned()).into());
    }
    let source = super::connect(config).await?;
    let mut server = config.clone();
    server.database_url = Some(target_url.to_owned());
    let target = super::connect(&server).await?;
    let moved = move_to(&source.write, &target.write).await;
    source.close().await;
    target.close().await;
    Ok(moved?)
}
