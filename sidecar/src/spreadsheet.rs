//! CSV as the server writes and reads it: cells safe to open in a spreadsheet, and streamed
//! downloads whose cost is bounded.
//!
//! **Formula-safe cells.** A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return as a formula (CSV injection). [`CsvDownload::field`] writes such a
//! cell with a leading `'`, which spreadsheets show as text, and also prefixes a cell that
//! already starts with `'`, so [`cell_text`] on import gives back exactly the original text.
//!
//! **Bounded downloads.** A streamed export holds a database connection while it reads rows,
//! and waits for the client between chunks. [`Downloads`] caps them per user and overall, so
//! exports can never take the connections sign-ins and lists need, and a chunk the client does
//! not take within [`STALL`] ends the download.
//!
//! Every CSV download goes through [`CsvDownload`] (`sidecar/tests/layers.rs` refuses a
//! `csv::Writer` anywhere else).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use uuid::Uuid;

use crate::error::{Error, Result};

/// Downloads one user may stream at once.
pub const PER_USER: usize = 2;
/// Downloads streaming at once, all users together: at most half of the read connections.
pub const OVERALL: usize = 4;
/// A chunk the client does not take within this time ends the download.
pub const STALL: Duration = Duration::from_secs(30);
/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell no spreadsheet runs: prefixed with `'` when it starts with a formula
/// trigger or with `'` itself.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(c) if c == '\'' || TRIGGERS.contains(&c) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The text of an imported cell: the inverse of [`safe_cell`]. Only a `'` that `safe_cell`
/// would have added is removed (a cell like `'s-Hertogenbosch` keeps its apostrophe).
pub fn cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(|c| c == '\'' || TRIGGERS.contains(&c)) => rest,
        _ => cell,
    }
}

/// The limits of streamed downloads (one per process, in the app state).
#[derive(Debug)]
pub struct Downloads {
    overall: Arc<Semaphore>,
    per_user: Arc<Mutex<HashMap<Uuid, usize>>>,
}

impl Default for Downloads {
    fn default() -> Self {
        Self {
            overall: Arc::new(Semaphore::new(OVERALL)),
            per_user: Arc::default(),
        }
    }
}

fn busy(message: &'static str) -> Error {
    Error::RateLimited {
        message: message.into(),
        retry_after: 5,
    }
}

impl Downloads {
    /// A slot for one download of `user`, or `RATE_LIMITED` when the user or the server
    /// already streams as many as allowed. The slot is held until the response body is done
    /// (read to the end, or dropped by the client).
    pub fn start(&self, user: Uuid) -> Result<Slot> {
        let permit = Arc::clone(&self.overall)
            .try_acquire_owned()
            .map_err(|_| busy("the server is busy with other downloads; try again shortly"))?;
        let mut per_user = self.per_user.lock().unwrap_or_else(|e| e.into_inner());
        let running = per_user.entry(user).or_default();
        if *running >= PER_USER {
            return Err(busy(
                "you already have downloads running; wait for one to end",
            ));
        }
        *running += 1;
        Ok(Slot {
            user,
            per_user: Arc::clone(&self.per_user),
            _permit: permit,
        })
    }
}

/// One running download; dropping it frees its place.
#[derive(Debug)]
pub struct Slot {
    user: Uuid,
    per_user: Arc<Mutex<HashMap<Uuid, usize>>>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_user = self.per_user.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(running) = per_user.get_mut(&self.user) {
            *running -= 1;
            if *running == 0 {
                per_user.remove(&self.user);
            }
        }
    }
}

/// Why writing a download stopped early (not an error of the server).
#[derive(Debug, PartialEq, Eq)]
pub enum Stopped {
    /// The client went away.
    Gone,
    /// The client took no chunk for [`STALL`].
    Stalled,
}

type Chunks = mpsc::Sender<std::result::Result<Bytes, std::io::Error>>;

/// The writing end of a streamed CSV download: formula-safe fields, sent in chunks.
#[derive(Debug)]
pub struct CsvDownload {
    chunks: Chunks,
    csv: csv::Writer<Vec<u8>>,
    stall: Duration,
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(CHUNK * 2))
}

impl CsvDownload {
    /// A download named `filename`: the writer, and the response that streams what it writes
    /// (holding `slot` until the body is done).
    pub fn open(slot: Slot, filename: &str) -> (Self, Response) {
        let (chunks, body) = mpsc::channel(4);
        let body = ReceiverStream::new(body).map(move |chunk| {
            let _held = &slot;
            chunk
        });
        let response = (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            Body::from_stream(body),
        )
            .into_response();
        let download = Self {
            chunks,
            csv: writer(),
            stall: STALL,
        };
        (download, response)
    }

    /// Write one field of the current record, formula-safe.
    pub fn field(&mut self, text: &str) -> csv::Result<()> {
        self.csv.write_field(safe_cell(text).as_ref())
    }

    /// End the current record; sends a chunk when enough is gathered.
    pub async fn end_record(&mut self) -> std::result::Result<(), Stopped> {
        self.csv
            .write_record(None::<&[u8]>)
            .map_err(|_| Stopped::Gone)?;
        if self.csv.get_ref().len() >= CHUNK {
            let chunk = std::mem::replace(&mut self.csv, writer())
                .into_inner()
                .map_err(|_| Stopped::Gone)?;
            send(&self.chunks, self.stall, Ok(Bytes::from(chunk))).await?;
        }
        Ok(())
    }

    /// Send what is left: the download is complete.
    pub async fn finish(self) -> std::result::Result<(), Stopped> {
        let stall = self.stall;
        let chunks = self.chunks;
        let rest = self.csv.into_inner().map_err(|_| Stopped::Gone)?;
        if rest.is_empty() {
            return Ok(());
        }
        send(&chunks, stall, Ok(Bytes::from(rest))).await
    }

    /// End the download with an error: the client sees a cut-off body, not a complete file.
    pub async fn fail(self) {
        let _ = send(
            &self.chunks,
            self.stall,
            Err(std::io::Error::other("export failed")),
        )
        .await;
    }
}

async fn send(
    chunks: &Chunks,
    stall: Duration,
    chunk: std::result::Result<Bytes, std::io::Error>,
) -> std::result::Result<(), Stopped> {
    match tokio::time::timeout(stall, chunks.send(chunk)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(Stopped::Gone),
        Err(_) => Err(Stopped::Stalled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_come_back_unchanged() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'quoted",
            "''",
            "'=1",
        ] {
            let cell = safe_cell(text);
            assert!(cell.starts_with('\''), "{text:?} → {cell:?}");
            assert_eq!(cell_text(&cell), text);
        }
        for text in ["plain", "1 = 1", "", "é=", "'s-Hertogenbosch"] {
            let cell = safe_cell(text);
            assert_eq!(cell_text(&cell), text, "{text:?}");
        }
        assert_eq!(safe_cell("plain"), "plain");
        // An apostrophe someone typed is kept on import.
        assert_eq!(cell_text("'s-Hertogenbosch"), "'s-Hertogenbosch");
    }

    #[test]
    fn downloads_are_capped_per_user_and_overall() {
        let downloads = Downloads::default();
        let (alice, bob, carol) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let a1 = downloads.start(alice).unwrap();
        let _a2 = downloads.start(alice).unwrap();
        assert!(downloads.start(alice).is_err(), "third for one user");
        let _b1 = downloads.start(bob).unwrap();
        let _b2 = downloads.start(bob).unwrap();
        assert!(downloads.start(carol).is_err(), "fifth overall");
        drop(a1);
        assert!(downloads.start(alice).is_ok(), "a place is free again");
    }

    #[tokio::test]
    async fn a_stalled_download_is_dropped() {
        let downloads = Downloads::default();
        let slot = downloads.start(Uuid::new_v4()).unwrap();
        // The response is kept but its body never read: the client stalls.
        let (mut download, _response) = CsvDownload::open(slot, "x.csv");
        download.stall = Duration::from_millis(50);
        let row = "x".repeat(1024);
        let stopped = loop {
            download.field(&row).unwrap();
            if let Err(stopped) = download.end_record().await {
                break stopped;
            }
        };
        assert_eq!(stopped, Stopped::Stalled);
    }
}
