//! How RPMA's stored values become API values when a row is decoded: ids are hyphenated TEXT,
//! timestamps INTEGER epoch milliseconds.
//!
//! An API struct decodes its row itself (`#[derive(sqlx::FromRow)]`) by naming these as the
//! stored form of a field: `#[sqlx(try_from = "StoredId")] id: Uuid`, `#[sqlx(try_from =
//! "Millis")] created_at: DateTime<Utc>`. So the struct the API shows is also the row, and no
//! second struct spells the columns again.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use uuid::fmt::Hyphenated;

use crate::clock::to_datetime;

/// A stored id (hyphenated TEXT).
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredId(Hyphenated);

impl From<StoredId> for Uuid {
    fn from(id: StoredId) -> Self {
        id.0.into_uuid()
    }
}

/// A nullable stored id.
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredOptId(Option<Hyphenated>);

impl From<StoredOptId> for Option<Uuid> {
    fn from(id: StoredOptId) -> Self {
        id.0.map(Hyphenated::into_uuid)
    }
}

/// A stored timestamp (INTEGER epoch milliseconds, UTC).
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct Millis(i64);

impl From<Millis> for DateTime<Utc> {
    fn from(ms: Millis) -> Self {
        to_datetime(ms.0)
    }
}

/// A nullable stored timestamp.
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct OptMillis(Option<i64>);

impl From<OptMillis> for Option<DateTime<Utc>> {
    fn from(ms: OptMillis) -> Self {
        ms.0.map(to_datetime)
    }
}
