//! How RPMA's stored values become API values when a row is decoded: ids are hyphenated TEXT,
//! timestamps INTEGER epoch milliseconds, lists and records JSON TEXT, enums their names as TEXT.
//! The same forms on SQLite and PostgreSQL, through sqlx's `Any` driver, which carries only
//! integers, floats, text and bytes.
//!
//! An API struct decodes its row itself (`#[derive(sqlx::FromRow)]`) by naming these as the
//! stored form of a field: `#[sqlx(try_from = "StoredId")] id: Uuid`, `#[sqlx(try_from =
//! "Millis")] created_at: DateTime<Utc>`. So the struct the API shows is also the row, and no
//! second struct spells the columns again.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type};
use uuid::Uuid;

use crate::clock::to_datetime;

/// A stored id (hyphenated TEXT).
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredId(String);

impl TryFrom<StoredId> for Uuid {
    type Error = uuid::Error;
    fn try_from(id: StoredId) -> Result<Self, uuid::Error> {
        id.0.parse()
    }
}

/// A nullable stored id.
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredOptId(Option<String>);

impl TryFrom<StoredOptId> for Option<Uuid> {
    type Error = uuid::Error;
    fn try_from(id: StoredOptId) -> Result<Self, uuid::Error> {
        id.0.map(|id| id.parse()).transpose()
    }
}

/// A value stored as JSON TEXT: bound as `.bind(JsonText(&value))`, decoded by a row's field
/// with `#[sqlx(try_from = "JsonText<Vec<String>>")]` (lists) or `JsonText<Option<T>>`.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<T>(pub T);

impl<T> Type<Any> for JsonText<T> {
    fn type_info() -> AnyTypeInfo {
        <str as Type<Any>>::type_info()
    }
}

impl<T: Serialize> Encode<'_, Any> for JsonText<T> {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<Any>>::encode(serde_json::to_string(&self.0)?, buf)
    }
}

impl<'r, T: DeserializeOwned> Decode<'r, Any> for JsonText<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        // NULL is JSON's `null`: an absent record (`Option`), and an error for a list.
        if sqlx::ValueRef::is_null(&value) {
            return Ok(Self(serde_json::from_str("null")?));
        }
        let text = <&str as Decode<Any>>::decode(value)?;
        Ok(Self(serde_json::from_str(text)?))
    }
}

impl<T> From<JsonText<Vec<T>>> for Vec<T> {
    fn from(json: JsonText<Vec<T>>) -> Self {
        json.0
    }
}

impl<T> From<JsonText<Option<T>>> for Option<T> {
    fn from(json: JsonText<Option<T>>) -> Self {
        json.0
    }
}

/// The name an enum is stored as: its serde name (RPMA's enums are sent and stored alike).
pub fn stored_name<T: Serialize>(value: &T) -> Result<String, BoxDynError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(format!("{other} is not stored as a name").into()),
    }
}

/// The enum value of a stored name.
pub fn from_stored_name<T: DeserializeOwned>(name: &str) -> Result<T, BoxDynError> {
    let de = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name);
    Ok(T::deserialize(de)?)
}

/// Stores an enum as its serde name in a TEXT column, on both databases.
macro_rules! text_column {
    ($($name:ty),+ $(,)?) => {$(
        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <str as ::sqlx::Type<::sqlx::Any>>::type_info()
            }
        }

        impl ::sqlx::Encode<'_, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer,
            ) -> ::std::result::Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <String as ::sqlx::Encode<::sqlx::Any>>::encode(
                    $crate::db::stored::stored_name(self)?,
                    buf,
                )
            }
        }

        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: ::sqlx::any::AnyValueRef<'r>,
            ) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {
                $crate::db::stored::from_stored_name(<&str as ::sqlx::Decode<::sqlx::Any>>::decode(value)?)
            }
        }
    )+};
}
pub(crate) use text_column;

/// A stored timestamp (INTEGER epoch milliseconds, UTC).
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct Millis(i64);

impl From<Millis> for DateTime<Utc> {
    fn from(ms: Millis) -> Self {
        to_datetime(ms.0)
    }
}

/// A stored yes/no: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite (which has no boolean type,
/// so its values reach `Any` as integers). Decoded by `#[sqlx(try_from = "Flag")] f: bool` or
/// `query_scalar::<_, Flag>`; bound as a plain `bool`, which both drivers store in their form.
#[derive(Debug, Clone, Copy)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <bool as Type<Any>>::compatible(ty) || <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <bool as Decode<Any>>::decode(value.clone()) {
            Ok(flag) => Ok(Self(flag)),
            Err(_) => Ok(Self(<i64 as Decode<Any>>::decode(value)? != 0)),
        }
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> Self {
        flag.0
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
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        $crate::db::stored::text_column!($name);

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

/// A stored calendar day (TEXT `YYYY-MM-DD`).
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredDate(String);

impl TryFrom<StoredDate> for chrono::NaiveDate {
    type Error = chrono::ParseError;
    fn try_from(day: StoredDate) -> Result<Self, chrono::ParseError> {
        day.0.parse()
    }
}

/// A nullable stored calendar day.
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
pub struct StoredOptDate(Option<String>);

impl TryFrom<StoredOptDate> for Option<chrono::NaiveDate> {
    type Error = chrono::ParseError;
    fn try_from(day: StoredOptDate) -> Result<Self, chrono::ParseError> {
        day.0.map(|day| day.parse()).transpose()
    }
}

impl StoredId {
    /// The id, or a decoding error naming the bad text.
    pub fn into_uuid(self) -> Result<Uuid, sqlx::Error> {
        Uuid::try_from(self.clone())
            .map_err(|e| sqlx::Error::Decode(format!("id {:?}: {e}", self.0).into()))
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
