//! The rows of a move: each value read from either database in one form (the target's column
//! types decide it), written in batches of multi-row `INSERT … ON CONFLICT`, and hashed for the
//! check.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{MoveError, TableMove, failed};
use crate::db::sql::Separated;
use crate::db::stored::Flag;

/// Rows per `INSERT`: well under PostgreSQL's 65,535 parameters for the widest table.
const BATCH_PARAMS: usize = 30_000;

/// How a column is carried: the target's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Carry {
    Flag,
    Integer,
    Real,
    Text,
    Bytes,
}

impl Carry {
    pub(super) fn of(pg_type: &str) -> Self {
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
pub(super) enum Value {
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

    /// Bind it as a parameter of `row`; a NULL as one of the column's type (PostgreSQL checks
    /// a parameter's type).
    fn bind(&self, row: &mut Separated<'_>, carry: Carry) {
        match self {
            Self::Null => match carry {
                Carry::Flag => row.push_bind(None::<bool>),
                Carry::Integer => row.push_bind(None::<i64>),
                Carry::Real => row.push_bind(None::<f64>),
                Carry::Text => row.push_bind(None::<String>),
                Carry::Bytes => row.push_bind(None::<Vec<u8>>),
            },
            Self::Flag(b) => row.push_bind(*b),
            Self::Integer(n) => row.push_bind(*n),
            Self::Real(x) => row.push_bind(*x),
            Self::Text(s) => row.push_bind(s.clone()),
            Self::Bytes(b) => row.push_bind(b.clone()),
        };
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
pub(super) struct Table {
    pub(super) name: String,
    pub(super) columns: Vec<(String, Carry)>,
    pub(super) key: Vec<String>,
    /// The key is one integer column: a number, not an identity.
    pub(super) numbered: bool,
}

impl Table {
    /// Its columns, quoted, in order.
    fn column_list(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(c, _)| format!("\"{c}\""))
            .collect();
        columns.join(", ")
    }

    /// A row read in the table's column order.
    fn decode(&self, row: &AnyRow) -> Result<Vec<Value>, MoveError> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, carry))| Value::read(row, i, *carry))
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed(format!("read a row of {}", self.name)))
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

/// Every row of the desk's (SQLite) `table`, in the order they were written.
pub(super) async fn read<'c, E>(db: E, table: &Table) -> Result<Vec<Vec<Value>>, MoveError>
where
    E: sqlx::AnyExecutor<'c>,
{
    let select = format!(
        "SELECT {} FROM \"{}\" ORDER BY rowid",
        table.column_list(),
        table.name
    );
    let rows: Vec<AnyRow> = sqlx::query(sqlx::AssertSqlSafe(select))
        .fetch_all(db)
        .await
        .map_err(failed(format!("read {}", table.name)))?;
    rows.iter().map(|row| table.decode(row)).collect()
}

pub(super) async fn copy(
    tx: &mut AnyConnection,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<(), MoveError> {
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
        let mut sql = crate::db::Sql::new(format!(
            "INSERT INTO \"{}\" ({}) ",
            table.name,
            columns.join(", ")
        ));
        sql.push_values(batch, |mut row, values| {
            for (value, (_, carry)) in values.iter().zip(&table.columns) {
                value.bind(&mut row, *carry);
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

/// The server's rows of `table` with the keys of `rows` (and no others, however many the other
/// desks of a team server have): `WHERE (key…) IN (VALUES …)`, in batches.
async fn read_keyed(
    tx: &mut AnyConnection,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<Vec<Vec<Value>>, MoveError> {
    let key_columns: Vec<(usize, Carry, String)> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| table.key.contains(c))
        .map(|(i, (c, carry))| (i, *carry, format!("\"{c}\"")))
        .collect();
    let keys: Vec<&str> = key_columns.iter().map(|(_, _, c)| c.as_str()).collect();
    let per_batch = (BATCH_PARAMS / key_columns.len().max(1)).max(1);
    let mut found = Vec::with_capacity(rows.len());
    for batch in rows.chunks(per_batch) {
        let mut sql = crate::db::Sql::new(format!(
            "SELECT {} FROM \"{}\" WHERE ({}) IN (",
            table.column_list(),
            table.name,
            keys.join(", ")
        ));
        sql.push_values(batch, |mut row, values| {
            for (i, carry, _) in &key_columns {
                values[*i].bind(&mut row, *carry);
            }
        });
        sql.push(")");
        let read: Vec<AnyRow> = sql
            .build()
            .fetch_all(&mut *tx)
            .await
            .map_err(failed(format!("check {}", table.name)))?;
        for row in &read {
            found.push(table.decode(row)?);
        }
    }
    Ok(found)
}

/// The desk's rows of `table` against the server's rows with the same keys.
pub(super) async fn check(
    tx: &mut AnyConnection,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<TableMove, MoveError> {
    let server = read_keyed(tx, table, rows).await?;
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
pub(super) fn checksum(table: &Table, rows: &[Vec<Value>]) -> String {
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
