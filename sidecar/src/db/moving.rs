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

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::Kind;
use super::stored::Flag;

/// Rows per `INSERT`: well under PostgreSQL's 65,535 parameters for the widest table.
const BATCH_PARAMS: usize = 30_000;

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

/// How a column is carried: the target's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carry {
    Flag,
    Integer,
    Real,
    Text,
    Bytes,
}

impl Carry {
    fn of(pg_type: &str) -> Self {
        match pg_type {
            "boolean" => Self::Flag,
            "bigint" | "integer" | "smallint" => Self::Integer,
            "double precision" | "real" => Self::Real,
            "bytea" => Self::Bytes,
            _ => Self::Text,
        }
    }
}

/// One value, read from either database in the same form.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Flag(bool),
    Integer(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    fn read(row: &AnyRow, index: usize, carry: Carry) -> Result<Self, sqlx::Error> {
        let raw = row.try_get_raw(index)?;
        if sqlx::ValueRef::is_null(&raw) {
            return Ok(Self::Null);
        }
        Ok(match carry {
            Carry::Flag => Self::Flag(row.try_get::<Flag, _>(index)?.0),
            Carry::Integer => Self::Integer(row.try_get(index)?),
            // A REAL column of a table that is not STRICT may hold a whole number as INTEGER.
            Carry::Real => Self::Real(
                row.try_get::<f64, _>(index)
                    .or_else(|_| row.try_get::<i64, _>(index).map(|n| n as f64))?,
            ),
            Carry::Text => Self::Text(row.try_get(index)?),
            Carry::Bytes => Self::Bytes(row.try_get(index)?),
        })
    }

    /// The value's part of a row's checksum.
    fn digest(&self, into: &mut String) {
        let _ = match self {
            Self::Null => write!(into, "\\N"),
            Self::Flag(b) => write!(into, "{}", u8::from(*b)),
            Self::Integer(n) => write!(into, "{n}"),
            Self::Real(x) => write!(into, "{x:?}"),
            Self::Text(s) => write!(into, "{}", s.escape_default()),
            Self::Bytes(b) => b.iter().try_for_each(|x| write!(into, "{x:02x}")),
        };
    }
}

/// A table as the target has it.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<(String, Carry)>,
    key: Vec<String>,
    /// The key is one integer column: a number, not an identity.
    numbered: bool,
}

impl Table {
    fn select(&self, order_by_rowid: bool) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(c, _)| format!("\"{c}\""))
            .collect();
        let order = if order_by_rowid {
            "rowid".to_owned()
        } else {
            self.key
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "SELECT {} FROM \"{}\" ORDER BY {order}",
            columns.join(", "),
            self.name
        )
    }

    fn key_of(&self, row: &[Value]) -> String {
        let mut key = String::new();
        for (i, (column, _)) in self.columns.iter().enumerate() {
            if self.key.contains(column) {
                row[i].digest(&mut key);
                key.push('\u{1f}');
            }
        }
        key
    }
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
        let rows = read(source, table, true).await?;
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

async fn read<'c, E>(db: E, table: &Table, from_sqlite: bool) -> Result<Vec<Vec<Value>>, MoveError>
where
    E: sqlx::AnyExecutor<'c>,
{
    let rows: Vec<AnyRow> = sqlx::query(sqlx::AssertSqlSafe(table.select(from_sqlite)))
        .fetch_all(db)
        .await
        .map_err(failed(format!("read {}", table.name)))?;
    rows.iter()
        .map(|row| {
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, (_, carry))| Value::read(row, i, *carry))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()
        .map_err(failed(format!("read a row of {}", table.name)))
}

async fn copy(tx: &mut AnyConnection, table: &Table, rows: &[Vec<Value>]) -> Result<(), MoveError> {
    let per_batch = (BATCH_PARAMS / table.columns.len().max(1)).max(1);
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect();
    let key: Vec<String> = table.key.iter().map(|c| format!("\"{c}\"")).collect();
    let on_conflict = if table.numbered {
        "DO NOTHING".to_owned()
    } else {
        let set: Vec<String> = columns
            .iter()
            .filter(|c| !key.contains(c))
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        if set.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            format!("DO UPDATE SET {}", set.join(", "))
        }
    };
    for batch in rows.chunks(per_batch) {
        let mut sql = super::Sql::new(format!(
            "INSERT INTO \"{}\" ({}) ",
            table.name,
            columns.join(", ")
        ));
        sql.push_values(batch, |mut row, values| {
            for (value, (_, carry)) in values.iter().zip(&table.columns) {
                match value {
                    // A NULL of the column's type: PostgreSQL checks a parameter's type.
                    Value::Null => match carry {
                        Carry::Flag => row.push_bind(None::<bool>),
                        Carry::Integer => row.push_bind(None::<i64>),
                        Carry::Real => row.push_bind(None::<f64>),
                        Carry::Text => row.push_bind(None::<String>),
                        Carry::Bytes => row.push_bind(None::<Vec<u8>>),
                    },
                    Value::Flag(b) => row.push_bind(*b),
                    Value::Integer(n) => row.push_bind(*n),
                    Value::Real(x) => row.push_bind(*x),
                    Value::Text(s) => row.push_bind(s.clone()),
                    Value::Bytes(b) => row.push_bind(b.clone()),
                };
            }
        });
        sql.push(format!(" ON CONFLICT ({}) {on_conflict}", key.join(", ")));
        sql.build()
            .execute(&mut *tx)
            .await
            .map_err(failed(format!("copy {}", table.name)))?;
    }
    Ok(())
}

/// The desk's rows of `table` against the server's rows with the same keys.
async fn check(
    tx: &mut AnyConnection,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<TableMove, MoveError> {
    let keys: HashSet<String> = rows.iter().map(|r| table.key_of(r)).collect();
    let server: Vec<Vec<Value>> = read(&mut *tx, table, false)
        .await?
        .into_iter()
        .filter(|r| keys.contains(&table.key_of(r)))
        .collect();
    let (source_sum, target_sum) = (checksum(table, rows), checksum(table, &server));
    let rows_count = rows.len() as u64;
    if source_sum != target_sum || server.len() != rows.len() {
        return Err(MoveError::Differs {
            table: table.name.clone(),
            rows: rows_count,
            server_rows: server.len() as u64,
            source_sum,
            target_sum,
        });
    }
    Ok(TableMove {
        table: table.name.clone(),
        rows: rows_count,
        checksum: source_sum,
    })
}

/// SHA-256 of `rows` in key order.
fn checksum(table: &Table, rows: &[Vec<Value>]) -> String {
    let mut lines: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            let mut line = String::new();
            for value in row {
                value.digest(&mut line);
                line.push('\u{1f}');
            }
            (table.key_of(row), line)
        })
        .collect();
    lines.sort();
    let mut hash = Sha256::new();
    for (_, line) in &lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize().iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
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
