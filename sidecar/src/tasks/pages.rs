//! Pages of the task list: read on a [`Reader`] connection straight into the response's JSON,
//! and kept by the version of `tasks` they were read at.
//!
//! Every write to a task tells each open desktop (live events) to fetch its list again, so the
//! same page is asked for many times between changes. A kept page is sent again while
//! `data_versions` still holds the version it was read at; SQLite moves that version in the
//! same transaction as any change to a task row (see its migration), so a kept page is never
//! older than the data. Checking the version is one indexed row on the calling thread.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;

use crate::db::{Reader, version_in};
use crate::error::Result;
use crate::list::render_pieces;
use crate::tasks::filter::TaskFilter;
use crate::tasks::model::TASK_COLUMNS;
use crate::tasks::wire::TaskJson;

/// Pages kept at most; past that, pages of older versions go first, then all.
const MAX_PAGES: usize = 64;

/// A larger page (up to 500 tasks) is read every time rather than kept.
const MAX_KEPT_BYTES: usize = 128 * 1024;

/// The `data_versions` name of the tasks table.
const TASKS: &str = "tasks";

/// Finished pages by their filters, each with the version of `tasks` it shows.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, (i64, Bytes)>>,
}

impl PageCache {
    fn get(&self, key: &str, version: i64) -> Option<Bytes> {
        let pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        match pages.get(key) {
            Some((kept, body)) if *kept == version => Some(body.clone()),
            _ => None,
        }
    }

    fn keep(&self, key: String, version: i64, body: &Bytes) {
        if body.len() > MAX_KEPT_BYTES {
            return;
        }
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.retain(|_, (kept, _)| *kept >= version);
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
        }
        pages.insert(key, (version, body.clone()));
    }

    /// Pages kept now.
    pub fn len(&self) -> usize {
        self.pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The list response (`{"success":true,"data":{items,total,limit,offset}}`) of one page.
pub async fn page(
    reader: &std::sync::Arc<Reader>,
    cache: &PageCache,
    filter: TaskFilter,
    order: &'static str,
    bounds: (u32, u32),
) -> Result<Bytes> {
    // The filters include the technician scope, so one caller's page never answers another's.
    let key = format!("{filter:?}|{order}|{bounds:?}");
    let current = reader.version(TASKS)?;
    if let Some(body) = cache.get(&key, current) {
        return Ok(body);
    }
    let (version, body) = reader
        .run(move |db| read_page(db, &filter, order, bounds))
        .await?;
    cache.keep(key, version, &body);
    Ok(body)
}

/// Read the page and its total in one snapshot, with the version of `tasks` in it.
fn read_page(
    db: &rusqlite::Connection,
    filter: &TaskFilter,
    order: &str,
    (limit, offset): (u32, u32),
) -> Result<(i64, Bytes)> {
    let snapshot = db.unchecked_transaction()?;
    let version = version_in(&snapshot, TASKS)?;
    let pieces = filter.pieces();
    let (from_where, values) = render_pieces(&pieces);
    let mut params: Vec<&dyn rusqlite::ToSql> = values
        .iter()
        .map(|value| value as &dyn rusqlite::ToSql)
        .collect();
    params.extend([&limit as &dyn rusqlite::ToSql, &offset]);

    let mut body = Vec::with_capacity(64 * 1024);
    body.extend_from_slice(br#"{"success":true,"data":{"items":["#);
    let mut statement = snapshot.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS}{from_where} ORDER BY {order} LIMIT ? OFFSET ?"
    ))?;
    let mut rows = statement.query(params.as_slice())?;
    let mut listed = 0_i64;
    while let Some(row) = rows.next()? {
        if listed > 0 {
            body.push(b',');
        }
        serde_json::to_writer(&mut body, &TaskJson(row)).map_err(anyhow::Error::from)?;
        listed += 1;
    }
    drop(rows);
    drop(statement);
    // A short page that is not empty ends the list: the total is what it holds plus what was
    // skipped. Otherwise (a full page, or past the end) only a count can tell.
    let total = if listed > 0 && listed < i64::from(limit) {
        i64::from(offset) + listed
    } else {
        snapshot
            .prepare_cached(&format!("SELECT count(*){from_where}"))?
            .query_row(&params[..values.len()], |row| row.get(0))?
    };
    snapshot.commit()?;

    let mut tail = String::with_capacity(64);
    let _ = write!(
        tail,
        r#"],"total":{total},"limit":{limit},"offset":{offset}}}}}"#
    );
    body.extend_from_slice(tail.as_bytes());
    Ok((version, Bytes::from(body)))
}
