//! Pages of the task list, kept by the version of `tasks` they were read at.
//!
//! Every write to a task tells each open desktop (live events) to fetch its list again, so the
//! same page is asked for many times between changes. A kept page is sent again while
//! `data_versions` still holds the version it was read at; SQLite moves that version in the
//! same transaction as any change to a task row (see its migration), so a kept page is never
//! older than the data. The version checked is the one the request's session check read
//! ([`crate::db::VersionCache`]), so a kept page costs no query of its own.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;
use sqlx::AnyPool;

use crate::db;
use crate::error::Result;
use crate::list::{self, Page};
use crate::response::ApiResponse;
use crate::tasks::columns::select_list;
use crate::tasks::filter::TaskFilter;
use crate::tasks::model::Task;

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
    db: &AnyPool,
    cache: &PageCache,
    filter: TaskFilter,
    order: &'static str,
    bounds: (u32, u32),
    seen: i64,
) -> Result<Bytes> {
    // The filters include the technician scope, so one caller's page never answers another's.
    let key = format!("{filter:?}|{order}|{bounds:?}");
    // `seen`: the version of `tasks` the request's session check read (one query for both).
    if let Some(body) = cache.get(&key, seen) {
        return Ok(body);
    }
    // The page, its total and the version they show, read in one snapshot: a deferred
    // transaction reads one state of the database from its first read on.
    let mut snapshot = db.begin().await?;
    let version = db::version(&mut *snapshot, TASKS).await?;
    let page: Page<Task> = list::fetch_page(
        &mut snapshot,
        select_list(),
        |q| filter.push(q),
        order,
        bounds,
    )
    .await?;
    snapshot.commit().await?;
    let body =
        Bytes::from(serde_json::to_vec(&ApiResponse::ok(page)).map_err(anyhow::Error::from)?);
    cache.keep(key, version, &body);
    Ok(body)
}
