//! Paginated lists: `limit` (default 50, at most 500) and `offset` in, `{items, total, limit, offset}` out.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// Page size when the caller gives none.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page.
pub const MAX_LIMIT: u32 = 500;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows matching the filters, over all pages.
    pub total: i64,
    /// Page size used.
    pub limit: u32,
    /// Rows skipped.
    pub offset: u32,
}

/// Check `limit` and `offset` and apply defaults.
pub fn bounds(limit: Option<u32>, offset: Option<u32>) -> Result<(u32, u32)> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    Ok((limit, offset.unwrap_or(0)))
}
