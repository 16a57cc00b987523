//! Timestamps: the database stores INTEGER epoch milliseconds (UTC), the API shows RFC 3339.

use chrono::{DateTime, NaiveDate, Utc};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Today's date in UTC: the day expiry dates and `valid_until` are compared with.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A stored timestamp as a date-time (the epoch itself for values out of range).
pub fn to_datetime(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Minutes in milliseconds.
pub const fn minutes(n: i64) -> i64 {
    n * 60 * 1000
}

/// Days in milliseconds.
pub const fn days(n: i64) -> i64 {
    n * 24 * 60 * 60 * 1000
}
