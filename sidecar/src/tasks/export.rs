//! `GET /tasks/export.csv`: every matching task as CSV, streamed with constant memory.
//!
//! Rows are read one at a time from a sqlx stream and written to a
//! [`CsvDownload`](crate::spreadsheet::CsvDownload) (formula-safe cells, chunks that wait for
//! the client, downloads capped per user and overall), so memory stays flat however many rows
//! there are. The columns and their cells come from [`columns`](super::columns).

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use futures_util::TryStreamExt;
use sqlx::AnyPool;

use crate::db::Sql;

use crate::auth::{Authorized, Workshop};
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Query;
use crate::spreadsheet::{CsvDownload, Stopped};
use crate::state::AppState;
use crate::tasks::columns::{CSV_COLUMNS, csv_columns, select_list};
use crate::tasks::filter::{TaskFilter, TaskListQuery, order_by};
use crate::tasks::model::Task;
use crate::tasks::store;

/// Export tasks as CSV (workshop roles; a technician their own), with the list's filters and
/// sort. Streamed row by row: memory stays flat however many rows there are.
#[utoipa::path(
    get,
    path = "/tasks/export.csv",
    params(TaskListQuery),
    responses(
        (status = 200, description = "UTF-8 CSV with a header row", content_type = "text/csv", body = String),
        (status = 400, description = "`VALIDATION_ERROR` naming the bad filter", body = ErrorEnvelope),
        (status = 429, description = "`RATE_LIMITED`: too many downloads running (2 per user, 4 in all)", body = ErrorEnvelope),
    )
)]
pub async fn export(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<TaskListQuery>,
) -> Result<Response> {
    let order = order_by(query.sort.as_deref())?;
    let filter = TaskFilter::new(&query, store::scope(&caller.user))?;
    let slot = state.downloads.start(caller.user.id())?;
    let filename = format!("tasks-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
    let (download, response) = CsvDownload::open(slot, &filename);
    let db = state.streams.clone();
    tokio::spawn(async move { write_csv(&db, &filter, order, download).await });
    Ok(response)
}

/// Write the header and every matching task to the download. Stops early, without error,
/// when the client goes away or stalls.
async fn write_csv(db: &AnyPool, filter: &TaskFilter, order: &str, mut csv: CsvDownload) {
    let columns = csv_columns();
    let mut query = Sql::new(format!("SELECT {}", select_list()));
    filter.push(&mut query);
    query.push(format!(" ORDER BY {order}"));
    let mut rows = query.build_query_as::<Task>().fetch(db);
    let mut cell = String::new();
    let written: anyhow::Result<std::result::Result<(), Stopped>> = async {
        for name in CSV_COLUMNS {
            csv.field(name)?;
        }
        if let Err(stopped) = csv.end_record().await {
            return Ok(Err(stopped));
        }
        while let Some(task) = rows.try_next().await? {
            for column in &columns {
                cell.clear();
                (column.value)(&task).write_cell(&mut cell);
                csv.field(&cell)?;
            }
            if let Err(stopped) = csv.end_record().await {
                return Ok(Err(stopped));
            }
        }
        Ok(Ok(()))
    }
    .await;
    match written {
        Ok(Ok(())) => {
            let _ = csv.finish().await;
        }
        Ok(Err(stopped)) => tracing::info!(?stopped, "CSV export ended early"),
        Err(e) => {
            tracing::error!(error = %e, "CSV export stopped");
            csv.fail().await;
        }
    }
}
