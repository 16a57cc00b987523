//! The plant's append-only log: [`append`] writes a row in the caller's transaction, its hash
//! covering the previous row's; `GET /ops/logs` lists it newest first with filters, and `GET
//! /ops/logs/verify` recomputes the chain and names the first row that does not fit.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, FromRow};

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, CurrentUser, Plant};
use crate::clock::now_ms;
use crate::db::stored::Millis;
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Query;
use crate::list::{self, Page};
use crate::ops::model::{LogCategory, LogSeverity};
use crate::response::ApiResponse;
use crate::state::AppState;

/// The link before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One log row as the page shows it (`LogEntry`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// `LOG-000042`.
    pub id: String,
    /// Its place in the chain.
    pub seq: i64,
    /// When.
    pub timestamp: DateTime<Utc>,
    /// What kind.
    pub category: LogCategory,
    /// How much it weighs.
    pub severity: LogSeverity,
    /// What happened (`Exception raised`).
    pub event: String,
    /// What it happened to (`EX-2026-001`, `line-a/st-02`).
    pub entity: String,
    /// Who did it.
    pub actor: String,
}

#[derive(FromRow)]
struct Row {
    seq: i64,
    #[sqlx(try_from = "Millis")]
    at: DateTime<Utc>,
    category: LogCategory,
    severity: LogSeverity,
    event: String,
    entity: String,
    actor: String,
}

impl From<Row> for LogEntry {
    fn from(r: Row) -> Self {
        Self {
            id: format!("LOG-{:06}", r.seq),
            seq: r.seq,
            timestamp: r.at,
            category: r.category,
            severity: r.severity,
            event: r.event,
            entity: r.entity,
            actor: r.actor,
        }
    }
}

/// A row to append.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// What kind.
    pub category: LogCategory,
    /// How much it weighs.
    pub severity: LogSeverity,
    /// What happened.
    pub event: &'a str,
    /// What it happened to.
    pub entity: &'a str,
    /// Who did it.
    pub actor: &'a str,
}

/// The name a user is logged under: their full name and role.
pub fn actor(user: &CurrentUser) -> String {
    let u = &user.user;
    format!("{} {} ({})", u.first_name, u.last_name, u.role)
        .trim()
        .to_owned()
}

/// The hash of a row: SHA-256 over the previous hash and the row's fields, separated by the
/// unit separator (which no field can hold unseen), in hex.
/// `fields` are the category, severity, event, entity and actor.
pub fn hash(prev: &str, seq: i64, at: i64, fields: [&str; 5]) -> String {
    let mut digest = Sha256::new();
    let (seq, at) = (seq.to_string(), at.to_string());
    for part in [prev, &seq, &at].into_iter().chain(fields) {
        digest.update(part.as_bytes());
        digest.update([0x1f]);
    }
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Append a row in the caller's write transaction (which holds the write lock, so no other
/// row can take the same place in the chain).
pub async fn append(conn: &mut AnyConnection, entry: Entry<'_>) -> Result<()> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM ops_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = now_ms();
    let category = entry.category.as_str();
    let severity = entry.severity.as_str();
    let row_hash = hash(
        &prev,
        seq,
        at,
        [category, severity, entry.event, entry.entity, entry.actor],
    );
    sqlx::query(
        "INSERT INTO ops_log (seq, at, category, severity, event, entity, actor, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at)
    .bind(category)
    .bind(severity)
    .bind(entry.event)
    .bind(entry.entity)
    .bind(entry.actor)
    .bind(&prev)
    .bind(&row_hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Filters and paging of the log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Only this category.
    pub category: Option<LogCategory>,
    /// Only this severity.
    pub severity: Option<LogSeverity>,
    /// From this time on (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Up to this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Text in the event, entity or actor.
    #[param(max_length = 200)]
    pub search: Option<String>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// The log, newest first (plant roles).
#[utoipa::path(
    get,
    path = "/logs",
    params(LogQuery),
    responses(
        (status = 200, description = "A page of log rows, newest first", body = ApiResponse<Page<LogEntry>>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad filter", body = ErrorEnvelope),
    )
)]
pub async fn list_logs(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
    Query(query): Query<LogQuery>,
) -> Result<ApiResponse<Page<LogEntry>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let filter = |q: &mut Sql| {
        q.push(" FROM ops_log WHERE TRUE");
        if let Some(c) = query.category {
            q.push(" AND category = ").push_bind(c.as_str());
        }
        if let Some(s) = query.severity {
            q.push(" AND severity = ").push_bind(s.as_str());
        }
        if let Some(from) = query.from {
            q.push(" AND at >= ").push_bind(from.timestamp_millis());
        }
        if let Some(to) = query.to {
            q.push(" AND at <= ").push_bind(to.timestamp_millis());
        }
        if let Some(text) = &query.search {
            list::push_search(q, &["event", "entity", "actor"], text);
        }
    };
    let mut conn = state.db.acquire().await?;
    let page: Page<Row> = list::fetch_page(
        &mut conn,
        "seq, at, category, severity, event, entity, actor",
        filter,
        "seq DESC",
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page.map(LogEntry::from)))
}

/// The first row that does not fit the chain.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadRow {
    /// Its place in the chain.
    pub seq: i64,
    /// `LOG-000042`.
    pub id: String,
    /// What is wrong: its stored hash, or its link to the row before.
    pub reason: String,
}

/// What a verification found.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainCheck {
    /// Whether every row fits.
    pub valid: bool,
    /// Rows read.
    pub checked: i64,
    /// The first row that does not fit, if one does not.
    pub first_bad: Option<BadRow>,
}

#[derive(FromRow)]
struct Stored {
    seq: i64,
    at: i64,
    category: String,
    severity: String,
    event: String,
    entity: String,
    actor: String,
    prev_hash: String,
    hash: String,
}

/// Recompute the chain from the first row (plant roles).
#[utoipa::path(
    get,
    path = "/logs/verify",
    responses((status = 200, description = "Whether the chain holds, and where it breaks", body = ApiResponse<ChainCheck>))
)]
pub async fn verify_logs(
    _caller: Authorized<Plant>,
    State(state): State<AppState>,
) -> Result<ApiResponse<ChainCheck>> {
    use futures_util::TryStreamExt;
    let mut conn = state.streams.acquire().await?;
    let mut rows = sqlx::query_as::<_, Stored>(
        "SELECT seq, at, category, severity, event, entity, actor, prev_hash, hash \
         FROM ops_log ORDER BY seq",
    )
    .fetch(&mut *conn);
    let (mut prev, mut checked, mut expected_seq) = (GENESIS.to_owned(), 0, 1);
    while let Some(r) = rows.try_next().await? {
        checked += 1;
        let reason = if r.seq != expected_seq {
            Some(format!("row {expected_seq} is missing"))
        } else if r.prev_hash != prev {
            Some("its link does not match the hash of the row before".to_owned())
        } else if hash(
            &r.prev_hash,
            r.seq,
            r.at,
            [&r.category, &r.severity, &r.event, &r.entity, &r.actor],
        ) != r.hash
        {
            Some("its content does not match its hash".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            return Ok(ApiResponse::ok(ChainCheck {
                valid: false,
                checked,
                first_bad: Some(BadRow {
                    seq: r.seq,
                    id: format!("LOG-{:06}", r.seq),
                    reason,
                }),
            }));
        }
        prev = r.hash;
        expected_seq += 1;
    }
    Ok(ApiResponse::ok(ChainCheck {
        valid: true,
        checked,
        first_bad: None,
    }))
}
