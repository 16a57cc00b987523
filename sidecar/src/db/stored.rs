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

/// Declares an enum stored and sent as its snake_case names: serde and sqlx names, `ALL`,
/// `as_str`, `Display` and `FromStr`. Attributes on the enum (a `#[derive(Default)]`) and on the
/// variants (`#[default]`) are kept.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::sqlx::Type, ::utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        #[sqlx(type_name = "TEXT", rename_all = "snake_case")]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];

            /// The name as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $text ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> ::std::result::Result<Self, String> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    format!("`{s}` is not one of {}", [$( $text ),+].join(", "))
                })
            }
        }
    };
}
pub(crate) use stored_enum;
