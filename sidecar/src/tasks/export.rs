//! `GET /tasks/export.csv`: every matching task as CSV, streamed with constant memory.
//!
//! An export of 100,000 tasks is two kinds of work of about the same size: SQLite finding and
//! decoding rows, and writing them as CSV. They run on two threads: the reading thread copies
//! each batch of rows' values into a flat buffer ([`Batch`]) and hands it over; the writing
//! thread turns batches into CSV chunks for the response body. The reader waits when it is
//! [`BATCHES`] batches ahead and emptied batches are reused, so a few batches and chunks exist
//! at once, however many rows there are.

use std::sync::mpsc as std_mpsc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

use crate::auth::{Authorized, Workshop};
use crate::clock::to_datetime;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Query;
use crate::list::render_pieces;
use crate::state::AppState;
use crate::tasks::csv::COLUMNS;
use crate::tasks::filter::{TaskFilter, TaskListQuery, order_by};
use crate::tasks::model::{Priority, TaskStatus};
use crate::tasks::store;
use crate::tasks::wire::{Kind, kind_of, labels, uuid};

/// Bytes of CSV gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

/// Rows per batch handed from the reading to the writing thread.
const BATCH_ROWS: usize = 512;

/// Filled batches that may wait for the writer: the reader stops when it is this far ahead.
const BATCHES: usize = 2;

type Chunks = mpsc::Sender<std::result::Result<Bytes, std::io::Error>>;

/// Export tasks as CSV (workshop roles; a technician their own), with the list's filters and
/// sort. Streamed row by row: memory stays flat however many rows there are.
#[utoipa::path(
    get,
    path = "/tasks/export.csv",
    tag = "tasks",
    security(("bearer" = [])),
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
    let reader = state.reader.clone();
    tokio::spawn(async move {
        let failed = chunks.clone();
        let written = reader
            .stream(move |db| export_rows(db, &filter, order, &chunks).map_err(Error::from))
            .await;
        if let Err(e) = written {
            tracing::error!(error = %e, "CSV export stopped");
            let _ = failed
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

/// Read the matching rows on this (blocking) thread and write them as CSV on a second one.
fn export_rows(
    db: &rusqlite::Connection,
    filter: &TaskFilter,
    order: &str,
    chunks: &Chunks,
) -> anyhow::Result<()> {
    // The export's columns are `tasks` columns of the same names, each written from its value
    // (see `wire`): no `Task` per row.
    let kinds = COLUMNS
        .iter()
        .map(|column| kind_of(column).ok_or_else(|| anyhow::anyhow!("no task column {column}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let pieces = filter.pieces();
    let (from_where, values) = render_pieces(&pieces);
    let sql = format!("SELECT {}{from_where} ORDER BY {order}", COLUMNS.join(", "));

    let (filled, to_write) = std_mpsc::sync_channel::<Batch>(BATCHES);
    let (emptied, to_fill) = std_mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let kinds = &kinds;
        let writing = scope.spawn(move || write_csv(kinds, to_write, emptied, chunks));
        let read = read_batches(db, &sql, &values, kinds.len(), &filled, &to_fill);
        // Closing the channel ends the writer once it has written what it was given.
        drop(filled);
        let written = writing
            .join()
            .map_err(|_| anyhow::anyhow!("the CSV writer panicked"))?;
        read.and(written)
    })
}

/// Step through the rows, copying each batch's values out of SQLite for the writer. Stops
/// early, without error, when the writer is gone (the client went away).
fn read_batches(
    db: &rusqlite::Connection,
    sql: &str,
    values: &[&str],
    columns: usize,
    filled: &std_mpsc::SyncSender<Batch>,
    to_fill: &std_mpsc::Receiver<Batch>,
) -> anyhow::Result<()> {
    let mut statement = db.prepare(sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut batch = Batch::new(columns);
    while let Some(row) = rows.next()? {
        for index in 0..columns {
            batch.push(row.get_ref(index)?)?;
        }
        if batch.rows() == BATCH_ROWS {
            let next = to_fill.try_recv().unwrap_or_else(|_| Batch::new(columns));
            if filled.send(std::mem::replace(&mut batch, next)).is_err() {
                return Ok(());
            }
        }
    }
    if batch.rows() > 0 {
        let _ = filled.send(batch);
    }
    Ok(())
}

/// Write the header and each batch's rows as CSV chunks to the response body.
fn write_csv(
    kinds: &[Kind],
    to_write: std_mpsc::Receiver<Batch>,
    emptied: std_mpsc::Sender<Batch>,
    chunks: &Chunks,
) -> anyhow::Result<()> {
    let writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(CHUNK * 2))
    };
    let mut csv = writer();
    csv.write_record(COLUMNS)?;
    let mut cell = String::new();
    // Ends when the reader is done and has closed its end.
    while let Ok(mut batch) = to_write.recv() {
        for row in 0..batch.rows() {
            write_record(&mut csv, &batch, row, kinds, &mut cell)?;
            if csv.get_ref().len() >= CHUNK {
                let chunk = std::mem::replace(&mut csv, writer()).into_inner()?;
                if chunks.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                    // The client went away; dropping `to_write` stops the reader too.
                    return Ok(());
                }
            }
        }
        batch.clear();
        let _ = emptied.send(batch);
    }
    let rest = csv.into_inner()?;
    if !rest.is_empty() {
        let _ = chunks.blocking_send(Ok(Bytes::from(rest)));
    }
    Ok(())
}

/// One value of a row, as copied out of SQLite.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Int(i64),
    /// `Batch::bytes[start..end]`.
    Text {
        start: usize,
        end: usize,
    },
}

/// Rows copied out of SQLite: every cell in row order, texts in one buffer.
#[derive(Debug)]
struct Batch {
    columns: usize,
    cells: Vec<Cell>,
    bytes: Vec<u8>,
}

impl Batch {
    fn new(columns: usize) -> Self {
        Self {
            columns,
            cells: Vec::with_capacity(columns * BATCH_ROWS),
            bytes: Vec::with_capacity(512 * BATCH_ROWS),
        }
    }

    fn rows(&self) -> usize {
        self.cells.len() / self.columns
    }

    fn clear(&mut self) {
        self.cells.clear();
        self.bytes.clear();
    }

    fn push(&mut self, value: ValueRef<'_>) -> anyhow::Result<()> {
        let cell = match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) => Cell::Int(n),
            ValueRef::Text(text) => {
                let start = self.bytes.len();
                self.bytes.extend_from_slice(text);
                Cell::Text {
                    start,
                    end: self.bytes.len(),
                }
            }
            other => anyhow::bail!("unexpected {} in a task column", other.data_type()),
        };
        self.cells.push(cell);
        Ok(())
    }

    fn cell(&self, row: usize, column: usize) -> Cell {
        self.cells[row * self.columns + column]
    }

    /// The cell's bytes (`None` when NULL); an integer is not text.
    fn bytes(&self, row: usize, column: usize) -> anyhow::Result<Option<&[u8]>> {
        match self.cell(row, column) {
            Cell::Null => Ok(None),
            Cell::Text { start, end } => Ok(Some(&self.bytes[start..end])),
            Cell::Int(_) => anyhow::bail!("column {} holds an integer, not text", COLUMNS[column]),
        }
    }

    fn text(&self, row: usize, column: usize) -> anyhow::Result<Option<&str>> {
        Ok(self
            .bytes(row, column)?
            .map(std::str::from_utf8)
            .transpose()?)
    }

    fn required_text(&self, row: usize, column: usize) -> anyhow::Result<&str> {
        self.text(row, column)?
            .ok_or_else(|| anyhow::anyhow!("column {} is NULL", COLUMNS[column]))
    }

    fn int(&self, row: usize, column: usize) -> anyhow::Result<Option<i64>> {
        match self.cell(row, column) {
            Cell::Null => Ok(None),
            Cell::Int(n) => Ok(Some(n)),
            Cell::Text { .. } => {
                anyhow::bail!("column {} holds text, not an integer", COLUMNS[column])
            }
        }
    }
}

/// Append row `row` of `batch` (columns `kinds`) to `csv` as one record: lists `;`-joined,
/// absent values as empty cells, times RFC 3339 with milliseconds.
fn write_record<W: std::io::Write>(
    csv: &mut csv::Writer<W>,
    batch: &Batch,
    row: usize,
    kinds: &[Kind],
    cell: &mut String,
) -> anyhow::Result<()> {
    use std::fmt::Write as _;
    for (index, kind) in kinds.iter().enumerate() {
        cell.clear();
        match kind {
            Kind::Text | Kind::OptText => {
                // Bytes as stored: SQLite keeps TEXT as the UTF-8 it was given, and the CSV is
                // bytes too, so checking each cell's UTF-8 again would only cost time.
                csv.write_field(batch.bytes(row, index)?.unwrap_or_default())?;
                continue;
            }
            Kind::Uuid { .. } => {
                if let Some(id) = batch.text(row, index)? {
                    let id = uuid(id).map_err(anyhow::Error::msg)?;
                    cell.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
                }
            }
            Kind::Labels => {
                for (i, label) in labels(batch.required_text(row, index)?).iter().enumerate() {
                    if i > 0 {
                        cell.push(';');
                    }
                    cell.push_str(label);
                }
            }
            Kind::Status => {
                let status: TaskStatus = batch
                    .required_text(row, index)?
                    .parse()
                    .map_err(anyhow::Error::msg)?;
                cell.push_str(status.as_str());
            }
            Kind::Priority => {
                let priority: Priority = batch
                    .required_text(row, index)?
                    .parse()
                    .map_err(anyhow::Error::msg)?;
                cell.push_str(priority.as_str());
            }
            Kind::Time { .. } => {
                if let Some(ms) = batch.int(row, index)? {
                    cell.push_str(&to_datetime(ms).to_rfc3339_opts(SecondsFormat::Millis, true));
                }
            }
            Kind::Bool => cell.push_str(if batch.int(row, index)?.is_some_and(|v| v != 0) {
                "true"
            } else {
                "false"
            }),
            Kind::OptInt => {
                if let Some(n) = batch.int(row, index)? {
                    write!(cell, "{n}")?;
                }
            }
        }
        csv.write_field(cell.as_str())?;
    }
    csv.write_record(None::<&[u8]>)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_keeps_each_rows_cells_apart() {
        let mut batch = Batch::new(3);
        for value in [
            ValueRef::Text(b"a,b"),
            ValueRef::Null,
            ValueRef::Integer(7),
            ValueRef::Text("ü".as_bytes()),
            ValueRef::Text(b""),
            ValueRef::Null,
        ] {
            batch.push(value).unwrap();
        }
        assert_eq!(batch.rows(), 2);
        assert_eq!(batch.text(0, 0).unwrap(), Some("a,b"));
        assert_eq!(batch.text(0, 1).unwrap(), None);
        assert_eq!(batch.int(0, 2).unwrap(), Some(7));
        assert_eq!(batch.text(1, 0).unwrap(), Some("ü"));
        assert_eq!(batch.text(1, 1).unwrap(), Some(""));
        assert!(batch.int(1, 0).is_err(), "text is not an integer");
        assert!(batch.push(ValueRef::Real(1.5)).is_err());
    }
}
