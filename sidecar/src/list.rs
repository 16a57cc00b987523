//! Paginated lists: `limit` (default 50, at most 500) and `offset` in, `{items, total, limit, offset}` out.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// Page size when the caller gives none.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page.
pub const MAX_LIMIT: u32 = 500;
/// Largest `offset`: the document's `int32`.
pub const MAX_OFFSET: u32 = i32::MAX as u32;

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
    let offset = offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(Error::invalid(
            "offset",
            format!("must be between 0 and {MAX_OFFSET}"),
        ));
    }
    Ok((limit, offset))
}

impl<T> Page<T> {
    /// The same page with each item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// One page of a filtered list: `filter` pushes `FROM ... WHERE ...` with its binds and is used
/// for both the rows (`SELECT {columns} ... ORDER BY {order} LIMIT .. OFFSET ..`) and, when the
/// page does not already tell, the total (`SELECT count(*)`), so the two can never disagree.
pub async fn fetch_page<R>(
    conn: &mut sqlx::AnyConnection,
    columns: &str,
    filter: impl Fn(&mut crate::db::Sql),
    order: &str,
    (limit, offset): (u32, u32),
) -> Result<Page<R>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut rows = crate::db::Sql::new(format!("SELECT {columns}"));
    filter(&mut rows);
    rows.push(format!(" ORDER BY {order} LIMIT "))
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::from(offset));
    let items: Vec<R> = rows.build_query_as().fetch_all(&mut *conn).await?;
    // A short page that is not empty ends the list: the total is what it holds plus what was
    // skipped. Otherwise (a full page, or past the end) only a count can tell.
    let total = if !items.is_empty() && items.len() < limit as usize {
        i64::from(offset) + items.len() as i64
    } else {
        let mut count = crate::db::Sql::new("SELECT count(*)");
        filter(&mut count);
        count.build_query_scalar().fetch_one(&mut *conn).await?
    };
    Ok(Page {
        items,
        total,
        limit,
        offset,
    })
}

/// A piece of a `WHERE` clause: SQL text, or a text value bound in its place. A filter kept as
/// pieces can be pushed onto several queries (a page and its count) from one definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// SQL text, written as is.
    Sql(&'static str),
    /// A value bound as a parameter.
    Bind(String),
}

/// Push `pieces` onto a sqlx query.
pub fn push_pieces(query: &mut crate::db::Sql, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Sql(sql) => query.push(*sql),
            Piece::Bind(value) => query.push_bind(value.clone()),
        };
    }
}

/// ` AND (lower(col1) LIKE lower($1) OR ...)` matching `text` anywhere in any of `columns`,
/// case-insensitively (SQLite's `LIKE` ignores ASCII case, PostgreSQL's does not: `lower` on
/// both sides is the one form both read alike), with `%`, `_` and `\` in the text taken literally. Blank text
/// adds nothing.
pub fn search_pieces(columns: &[&'static str], text: &str) -> Vec<Piece> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let mut pieces = vec![Piece::Sql(" AND (")];
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            pieces.push(Piece::Sql(" OR "));
        }
        pieces.extend([
            Piece::Sql("lower("),
            Piece::Sql(column),
            Piece::Sql(") LIKE lower("),
            Piece::Bind(pattern.clone()),
            Piece::Sql(") ESCAPE '\\'"),
        ]);
    }
    pieces.push(Piece::Sql(")"));
    pieces
}

/// Push [`search_pieces`] onto a sqlx query.
pub fn push_search(query: &mut crate::db::Sql, columns: &[&'static str], text: &str) {
    push_pieces(query, &search_pieces(columns, text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_escapes_wildcards_and_binds_one_value_per_column() {
        let pieces = search_pieces(&["a", "b"], " 50%_off\\ ");
        let mut query = crate::db::Sql::new("SELECT 1 WHERE TRUE");
        push_pieces(&mut query, &pieces);
        assert_eq!(
            query.sql(),
            "SELECT 1 WHERE TRUE AND (lower(a) LIKE lower($1) ESCAPE '\\' OR lower(b) LIKE lower($2) ESCAPE '\\')"
        );
        let binds: Vec<&str> = pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Bind(value) => Some(value.as_str()),
                Piece::Sql(_) => None,
            })
            .collect();
        assert_eq!(binds, ["%50\\%\\_off\\\\%", "%50\\%\\_off\\\\%"]);
        assert!(search_pieces(&["a"], "  ").is_empty());
    }
}
