//! SQL assembled from pieces with its bound values, numbered `$1, $2, …`.
//!
//! Every query goes through sqlx's `Any` driver, to SQLite or to PostgreSQL by the URL. Its
//! `QueryBuilder<Any>` writes `?` for each bound value, which PostgreSQL does not read; both
//! read `$N` (sqlx's SQLite driver binds `$N` to the N-th value). So this keeps the few
//! methods of `QueryBuilder` that the areas use, writing `$N`, and nothing else.

use std::fmt::{Display, Write};

use sqlx::any::{Any, AnyArguments};
use sqlx::{Arguments, AssertSqlSafe, Encode, FromRow, Type};

/// A query being assembled: its text and the values bound so far.
pub struct Sql {
    text: String,
    /// The values, or the first error encoding one (the query then fails with it).
    arguments: Result<AnyArguments, String>,
}

impl Default for Sql {
    fn default() -> Self {
        Self {
            text: String::new(),
            arguments: Ok(AnyArguments::default()),
        }
    }
}

impl std::fmt::Debug for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sql")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl Sql {
    /// A query starting with `init`.
    pub fn new(init: impl Into<String>) -> Self {
        Self {
            text: init.into(),
            ..Self::default()
        }
    }

    /// Append SQL text as is: only our own constant text, never a caller's value.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        // Writing to a String cannot fail.
        let _ = write!(self.text, "{sql}");
        self
    }

    /// Append the placeholder of the next value and bind `value` to it.
    pub fn push_bind<'t, T>(&mut self, value: T) -> &mut Self
    where
        T: Encode<'t, Any> + Type<Any> + 't,
    {
        if let Ok(arguments) = &mut self.arguments {
            match arguments.add(value) {
                Ok(()) => {
                    let _ = write!(self.text, "${}", arguments.len());
                }
                Err(e) => self.arguments = Err(e.to_string()),
            }
        }
        self
    }

    /// A list whose items are written with `separator` between them (`a = $1, b = $2`).
    pub fn separated(&mut self, separator: &'static str) -> Separated<'_> {
        Separated {
            sql: self,
            separator,
            first: true,
        }
    }

    /// ` VALUES (…), (…)`: one parenthesised row per item, its values pushed by `row`.
    pub fn push_values<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut row: impl FnMut(Separated<'_>, I),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            self.push(if i == 0 { "VALUES (" } else { "), (" });
            row(self.separated(", "), item);
        }
        self.push(")")
    }

    /// The text so far.
    pub fn sql(&self) -> &str {
        &self.text
    }

    /// The text and the values, handed over once. A value that could not be encoded (a bug of
    /// ours: RPMA binds integers, floats, text and JSON of its own types) is logged, and the
    /// query becomes one that fails on both databases, naming it, rather than one that runs
    /// with a value missing.
    fn take(&mut self) -> (String, AnyArguments) {
        let arguments = std::mem::replace(&mut self.arguments, Ok(AnyArguments::default()));
        let text = std::mem::take(&mut self.text);
        match arguments {
            Ok(arguments) => (text, arguments),
            Err(error) => {
                tracing::error!(%error, "a bound value could not be encoded");
                (
                    r#"SELECT * FROM "a bound value could not be encoded""#.to_owned(),
                    AnyArguments::default(),
                )
            }
        }
    }

    /// The query, to execute.
    pub fn build(&mut self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        let (text, arguments) = self.take();
        sqlx::query_with(AssertSqlSafe(text), arguments)
    }

    /// The query, its rows decoded as `T`.
    pub fn build_query_as<T>(&mut self) -> sqlx::query::QueryAs<'static, Any, T, AnyArguments>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let (text, arguments) = self.take();
        sqlx::query_as_with(AssertSqlSafe(text), arguments)
    }

    /// The query, its first column decoded as `T`.
    pub fn build_query_scalar<T>(
        &mut self,
    ) -> sqlx::query::QueryScalar<'static, Any, T, AnyArguments>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let (text, arguments) = self.take();
        sqlx::query_scalar_with(AssertSqlSafe(text), arguments)
    }
}

/// The items of a list being written (see [`Sql::separated`]).
#[derive(Debug)]
pub struct Separated<'a> {
    sql: &'a mut Sql,
    separator: &'static str,
    first: bool,
}

impl Separated<'_> {
    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.sql.push(self.separator);
        }
    }

    /// The separator (but before the first item), then `sql`.
    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        self.separate();
        self.sql.push(sql);
        self
    }

    /// `sql` with no separator before it.
    pub fn push_unseparated(&mut self, sql: impl Display) -> &mut Self {
        self.sql.push(sql);
        self
    }

    /// The separator (but before the first item), then a bound value.
    pub fn push_bind<'t, T>(&mut self, value: T) -> &mut Self
    where
        T: Encode<'t, Any> + Type<Any> + 't,
    {
        self.separate();
        self.sql.push_bind(value);
        self
    }

    /// A bound value with no separator before it.
    pub fn push_bind_unseparated<'t, T>(&mut self, value: T) -> &mut Self
    where
        T: Encode<'t, Any> + Type<Any> + 't,
    {
        self.sql.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_in_the_order_they_are_bound() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.push_bind(1_i64).push(" AND b = ").push_bind("x");
        assert_eq!(sql.sql(), "SELECT 1 WHERE a = $1 AND b = $2");
        let mut insert = Sql::new("INSERT INTO t (a, b) ");
        insert.push_values([(1_i64, 2_i64), (3, 4)], |mut row, (a, b)| {
            row.push_bind(a).push_bind(b);
        });
        assert_eq!(
            insert.sql(),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
