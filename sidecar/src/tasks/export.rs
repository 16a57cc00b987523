//! `GET /tasks/export.csv`: every matching task as CSV, streamed with constant memory.
//!
//! Rows are read one at a time from a sqlx stream and written as CSV into chunks of about
//! [`CHUNK`] bytes; a chunk waits for the client before the next rows are read, so memory stays
//! flat however many rows there are. The columns and their cells come from
//! [`columns`](super::columns).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures_util::TryStreamExt;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::auth::{Authorized, Workshop};
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Query;
use crate::state::AppState;
use crate::tasks::columns::{CSV_COLUMNS, csv_columns, select_list};
use crate::tasks::filter::{TaskFilter, TaskListQuery, order_by};
use crate::tasks::model::Task;
use crate::tasks::store;

/// Bytes of CSV gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

type Chunks = mpsc::Sender<std::result::Result<Bytes, std::io::Error>>;

/// Export tasks as CSV (workshop roles; a technician their own), with the list's filters and
/// sort. Streamed row by row: memory stays flat however many rows there are.
#[utoipa::path(
    get,
    path = "/tasks/export.csv",
    params(TaskListQuery),
    responses(
        (status = 200, description = "UTF-8 CSV with a header row", content_type = "text/csv", body = String),
        (status = 400, description = "`VALIDATION_ERROR` naming the bad filter", body = ErrorEnvelope),
    )
)]
pub async fn export(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<TaskListQuery>,
) -> Result<Response> {
    let order = order_by(query.sort.as_deref())?;
    let filter = TaskFilter::new(&query, store::scope(&caller.user))?;
    let (chunks, body) = mpsc::channel(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        if let Err(e) = write_csv(&db, &filter, order, &chunks).await {
            tracing::error!(error = %e, "CSV export stopped");
            let _ = chunks
                .send(Err(std::io::Error::other("export failed")))
                .await;
        }
    });
    let filename = format!("tasks-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(ReceiverStream::new(body)),
    )
        .into_response())
}

/// Write the header and every matching task as CSV chunks to the response body. Stops early,
/// without error, when the client goes away.
async fn write_csv(
    db: &SqlitePool,
    filter: &TaskFilter,
    order: &str,
    chunks: &Chunks,
) -> anyhow::Result<()> {
    let columns = csv_columns();
    let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {}", select_list()));
    filter.push(&mut query);
    query.push(format!(" ORDER BY {order}"));
    let mut rows = query.build_query_as::<Task>().fetch(db);

    let writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(CHUNK * 2))
    };
    let mut csv = writer();
    csv.write_record(CSV_COLUMNS)?;
    let mut cell = String::new();
    while let Some(task) = rows.try_next().await? {
        for column in &columns {
            cell.clear();
            (column.value)(&task).write_cell(&mut cell);
            csv.write_field(cell.as_str())?;
        }
        csv.write_record(None::<&[u8]>)?;
        if csv.get_ref().len() >= CHUNK {
            let chunk = std::mem::replace(&mut csv, writer()).into_inner()?;
            if chunks.send(Ok(Bytes::from(chunk))).await.is_err() {
                return Ok(());
            }
        }
    }
    let rest = csv.into_inner()?;
    if !rest.is_empty() {
        let _ = chunks.send(Ok(Bytes::from(rest))).await;
    }
    Ok(())
}
