//! The SQLite and PostgreSQL migrations, kept side by side, give the same schema: the same
//! tables; per table the same columns in the same order with the same type family and
//! nullability; the same primary keys, unique constraints, foreign keys (with their delete
//! actions), indexes and triggers. Runs on the PostgreSQL pass of `make test` (it needs both), and only there.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::{BTreeMap, BTreeSet};

use sqlx::AnyPool;

/// One table as both databases describe it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// `name type-family NULL|NOT NULL`, in column order.
    columns: Vec<String>,
    primary_key: Vec<String>,
    /// Column lists of unique constraints (not of unique indexes, which are in `indexes`).
    unique: BTreeSet<Vec<String>>,
    /// `column -> table(column) ON DELETE action`.
    foreign_keys: BTreeSet<String>,
    indexes: BTreeSet<String>,
    triggers: BTreeSet<String>,
}

type Schema = BTreeMap<String, Table>;

/// The type family of a declared type: what both databases store (SQLite flags are INTEGER
/// 0/1, PostgreSQL's BOOLEAN).
fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "boolean" => "integer",
        "real" | "double precision" => "real",
        "text" => "text",
        "blob" | "bytea" => "blob",
        _ => "other",
    }
}

async fn strings(pool: &AnyPool, sql: &str, table: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(table)
        .fetch_all(pool)
        .await
        .expect(sql)
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (column, declared, not_null, pk) in columns {
            // SQLite lets a primary key column be NULL unless it says NOT NULL; RPMA's never are.
            let null = if not_null == 1 || pk > 0 {
                "NOT NULL"
            } else {
                "NULL"
            };
            table
                .columns
                .push(format!("{column} {} {null}", family(&declared)));
            if pk > 0 {
                key.push((pk, column));
            }
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, c)| c).collect();
        let indexes: Vec<(String, String)> =
            sqlx::query_as("SELECT name, origin FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, origin) in indexes {
            match origin.as_str() {
                "u" => {
                    let columns = strings(
                        pool,
                        "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
                        &index,
                    )
                    .await;
                    table.unique.insert(columns);
                }
                "c" => {
                    table.indexes.insert(index);
                }
                _ => {}
            }
        }
        let keys: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT \"from\", \"table\", coalesce(\"to\", ''), on_delete \
             FROM pragma_foreign_key_list($1)",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (from, other, to, on_delete) in keys {
            table
                .foreign_keys
                .insert(format!("{from} -> {other}({to}) ON DELETE {on_delete}"));
        }
        table.triggers = strings(
            pool,
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1",
            &name,
        )
        .await
        .into_iter()
        .collect();
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 \
             ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (column, declared, nullable) in columns {
            // SQLite's implicit rowid, which PostgreSQL spells as a column where queries use it.
            if column == "rowid" {
                continue;
            }
            let null = if nullable == "YES" {
                "NULL"
            } else {
                "NOT NULL"
            };
            table
                .columns
                .push(format!("{column} {} {null}", family(&declared)));
        }
        // Constraint columns in key order.
        let constraint_columns = "SELECT string_agg(a.attname::text, ',' ORDER BY k.n) \
             FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
             WHERE c.conrelid = $1::regclass AND c.contype = ";
        let key = strings(
            pool,
            &format!("{constraint_columns} 'p' GROUP BY c.oid"),
            &name,
        )
        .await;
        table.primary_key = key
            .first()
            .map(|k| k.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        for unique in strings(
            pool,
            &format!("{constraint_columns} 'u' GROUP BY c.oid"),
            &name,
        )
        .await
        {
            table
                .unique
                .insert(unique.split(',').map(str::to_owned).collect());
        }
        let keys: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT a.attname::text, r.relname::text, coalesce(ra.attname::text, ''), \
               CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' \
                 WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END \
             FROM pg_constraint c \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             JOIN pg_class r ON r.oid = c.confrelid \
             LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
             WHERE c.conrelid = $1::regclass AND c.contype = 'f'",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for (from, other, to, on_delete) in keys {
            table
                .foreign_keys
                .insert(format!("{from} -> {other}({to}) ON DELETE {on_delete}"));
        }
        table.indexes = strings(
            pool,
            "SELECT indexname::text FROM pg_indexes i WHERE schemaname = 'public' AND tablename = $1 \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            &name,
        )
        .await
        .into_iter()
        .collect();
        table.triggers = strings(
            pool,
            "SELECT DISTINCT trigger_name::text FROM information_schema.triggers \
             WHERE event_object_schema = 'public' AND event_object_table = $1",
            &name,
        )
        .await
        .into_iter()
        .collect();
        schema.insert(name, table);
    }
    schema
}

#[tokio::test]
async fn both_migration_sets_give_the_same_schema() {
    // `make test` runs this binary on its PostgreSQL pass only (it needs both databases).
    let server = std::env::var(common::DATABASE_VAR)
        .unwrap_or_else(|_| panic!("needs a PostgreSQL server in {}", common::DATABASE_VAR));
    let (sqlite, _dir) = common::sqlite().await;
    let postgres = common::postgres::database(&server).await;
    let (left, right) = (
        sqlite_schema(&sqlite).await,
        postgres_schema(&postgres).await,
    );
    assert_eq!(
        left.keys().collect::<Vec<_>>(),
        right.keys().collect::<Vec<_>>(),
        "tables differ"
    );
    assert!(
        left.len() > 20,
        "the schema was read: {} tables",
        left.len()
    );
    let mut differences = Vec::new();
    for (name, table) in &left {
        if table != &right[name] {
            differences.push(format!(
                "{name}:\n  sqlite   {table:?}\n  postgres {:?}",
                right[name]
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
