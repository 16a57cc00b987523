//! Field rules shared by the API's inputs, collected into one `VALIDATION_ERROR`.

use utoipa::openapi::schema::{
    AllOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

use crate::error::{Error, FieldErrors, Result};

/// Collects messages per field; `finish` fails when any field has one.
#[derive(Debug, Default)]
pub struct Checks(FieldErrors);

impl Checks {
    /// Record `message` for `field` when `ok` is false.
    pub fn check(&mut self, field: &str, ok: bool, message: &str) -> &mut Self {
        if !ok {
            self.0
                .entry(field.to_owned())
                .or_default()
                .push(message.to_owned());
        }
        self
    }

    /// Record the result of a rule.
    pub fn rule(&mut self, field: &str, result: std::result::Result<(), String>) -> &mut Self {
        if let Err(message) = result {
            self.0.entry(field.to_owned()).or_default().push(message);
        }
        self
    }

    /// `Ok` when every check passed.
    pub fn finish(&mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(Error::Validation {
            message: "the request is not valid".into(),
            details: std::mem::take(&mut self.0),
        })
    }
}

/// `Some(trimmed)` for text, `None` for empty: how an optional text field is stored, `""`
/// clearing it.
pub fn text(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Lowercase and trim an email, as it is stored.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `local@domain.tld`: local part of `[A-Za-z0-9._%+-]`, domain of `[A-Za-z0-9.-]`, a TLD of two
/// or more letters; at most 254 characters.
pub fn email(email: &str) -> std::result::Result<(), String> {
    let invalid = || Err("must be a valid email address".to_owned());
    if email.len() > 254 {
        return Err("must be at most 254 characters".into());
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return invalid();
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return invalid();
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
    let tld_ok = tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic());
    if local_ok && host_ok && tld_ok {
        Ok(())
    } else {
        invalid()
    }
}

/// 8–128 characters with an uppercase letter, a lowercase letter and a digit.
pub fn password(password: &str) -> std::result::Result<(), String> {
    let len = password.chars().count();
    let mut missing = Vec::new();
    if !password.chars().any(|c| c.is_uppercase()) {
        missing.push("an uppercase letter");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        missing.push("a lowercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("a digit");
    }
    match (len, missing.is_empty()) {
        (0..8, _) => Err("must be at least 8 characters".into()),
        (129.., _) => Err("must be at most 128 characters".into()),
        (_, false) => Err(format!("must contain {}", missing.join(", "))),
        _ => Ok(()),
    }
}

/// 3–50 characters of letters, digits, `_` and `-`.
pub fn username(username: &str) -> std::result::Result<(), String> {
    let len = username.chars().count();
    if !(3..=50).contains(&len) {
        return Err("must be 3 to 50 characters".into());
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("may contain only letters, digits, `_` and `-`".into());
    }
    Ok(())
}

/// 2–100 characters of letters, spaces, apostrophes and hyphens (spaces at either end do not
/// count).
pub fn name(name: &str) -> std::result::Result<(), String> {
    let len = name.trim_matches(' ').chars().count();
    if !(2..=100).contains(&len) {
        return Err("must be 2 to 100 characters".into());
    }
    if !name
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-')
    {
        return Err("may contain only letters, spaces, `'` and `-`".into());
    }
    Ok(())
}

/// Digits and `+-() `, 7–20 characters once everything else is stripped.
pub fn phone(phone: &str) -> std::result::Result<(), String> {
    let kept: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || "+-() ".contains(*c))
        .collect();
    if kept.chars().count() != phone.chars().count() {
        return Err("may contain only digits, spaces and `+-()`".into());
    }
    if !(7..=20).contains(&kept.chars().count()) {
        return Err("must be 7 to 20 characters".into());
    }
    Ok(())
}

/// A string schema allowing only `values`: an enum of the document.
pub fn one_of<const N: usize>(values: [&str; N]) -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

/// The value `key` maps to in `table`, or a `VALIDATION_ERROR` on `field` listing the keys.
pub fn lookup<T: Copy>(field: &str, table: &[(&str, T)], key: &str) -> Result<T> {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let keys: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
            Error::invalid(field, format!("must be one of {}", keys.join(", ")))
        })
}

/// What `str::trim` removes (Unicode `White_Space`), as a regular-expression class body: the
/// document's patterns say "not blank" with it, so they agree with the server's trimming.
pub const WHITE_SPACE: &str =
    r"\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// A nullable array of strings: `min..=max` entries, each at most `max_length` characters
/// matching `pattern`.
fn labels_schema(min: usize, max: usize, max_length: usize, pattern: String) -> Schema {
    let item = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(max_length))
        .pattern(Some(pattern));
    let array = ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(item)
        .max_items(Some(max));
    let array = if min > 0 {
        array.min_items(Some(min))
    } else {
        array
    };
    Schema::Array(array.build())
}

/// A label of a task (a zone or a tag): 1–50 characters once trimmed, no `;` (the CSV export
/// joins them with it).
fn task_label_pattern() -> String {
    format!("^[^;]*[^;{WHITE_SPACE}][^;]*$")
}

/// `ppf_zones`: 1–30 task labels.
pub fn zones_schema() -> Schema {
    labels_schema(1, 30, 50, task_label_pattern())
}

/// `custom_ppf_zones`: up to 30 task labels.
pub fn extra_zones_schema() -> Schema {
    labels_schema(0, 30, 50, task_label_pattern())
}

/// A task's `tags`: up to 20 task labels.
pub fn task_tags_schema() -> Schema {
    labels_schema(0, 20, 50, task_label_pattern())
}

/// A client's `tags`: up to 20, each 1–50 characters once trimmed.
pub fn client_tags_schema() -> Schema {
    labels_schema(0, 20, 50, format!("[^{WHITE_SPACE}]"))
}

/// An intervention's or a step's observations: up to 50 texts of at most 500 characters.
pub fn observations_schema() -> Schema {
    labels_schema(0, 50, 500, format!("[^{WHITE_SPACE}]"))
}

/// The zones an intervention covers: up to 50 names of 1–50 characters.
pub fn intervention_zones_schema() -> Schema {
    labels_schema(0, 50, 50, format!("[^{WHITE_SPACE}]"))
}

/// An event's `reminders`: up to 10 values of 0–40320 minutes.
pub fn reminders_schema() -> Schema {
    let item = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(0))
        .maximum(Some(40_320));
    Schema::Array(
        ArrayBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
            .items(item)
            .max_items(Some(10))
            .build(),
    )
}

/// The document's schema of a create request: the component `base` (the fields a create and an
/// update share) with `fields` required and not `null`, as the create handler checks them. Each
/// required field keeps its rules (length, pattern, items) from `base_schema`.
pub fn required_on_create(
    base: &str,
    base_schema: &RefOr<Schema>,
    fields: &[(&str, Type)],
) -> RefOr<Schema> {
    let properties = match base_schema {
        RefOr::T(Schema::Object(object)) => Some(&object.properties),
        _ => None,
    };
    let mut required = ObjectBuilder::new().schema_type(Type::Object);
    for (name, schema_type) in fields {
        // An optional enum is `oneOf: [null, $ref]`: required, it is the `$ref` (its values).
        let enum_ref = |one: &utoipa::openapi::schema::OneOf| {
            one.items.iter().find_map(|item| match item {
                RefOr::Ref(reference) => Some(RefOr::Ref(reference.clone())),
                RefOr::T(_) => None,
            })
        };
        let property: RefOr<Schema> = match properties.and_then(|p| p.get(*name)) {
            Some(RefOr::T(Schema::Object(object))) => {
                let mut object = object.clone();
                object.schema_type = SchemaType::Type(schema_type.clone());
                Schema::Object(object).into()
            }
            Some(RefOr::T(Schema::Array(array))) => {
                let mut array = array.clone();
                array.schema_type = SchemaType::Type(schema_type.clone());
                Schema::Array(array).into()
            }
            Some(RefOr::T(Schema::OneOf(one))) if enum_ref(one).is_some() => {
                enum_ref(one).unwrap_or_else(|| Ref::from_schema_name(base).into())
            }
            _ => Schema::Object(
                ObjectBuilder::new()
                    .schema_type(schema_type.clone())
                    .build(),
            )
            .into(),
        };
        required = required.property(*name, property).required(*name);
    }
    AllOfBuilder::new()
        .item(Ref::from_schema_name(base))
        .item(required)
        .into()
}

/// Declare `$name`, the document-only type of a create request: `$base` with the listed fields
/// required (see [`required_on_create`]). The handler still reads `$base`.
#[macro_export]
macro_rules! create_request {
    ($(#[$doc:meta])* $name:ident: $base:ty { $($field:literal: $schema_type:expr),+ $(,)? }) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::Type;
                $crate::validate::required_on_create(
                    &<$base as utoipa::ToSchema>::name(),
                    &<$base as utoipa::PartialSchema>::schema(),
                    &[$(($field, $schema_type)),+],
                )
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schemas(
                schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                use utoipa::PartialSchema;
                schemas.push((<$base as utoipa::ToSchema>::name().into(), <$base>::schema()));
                <$base as utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "x_y%z@ex-ample.fr",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@b.c",
            "@b.co",
            "a@.co",
            "a b@c.co",
            "a@b.c0",
            "a@b@c.co x",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@b.co", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords() {
        assert_eq!(password("Secret123"), Ok(()));
        assert_eq!(
            password("Sh0rt"),
            Err("must be at least 8 characters".into())
        );
        assert_eq!(
            password("alllowercase1"),
            Err("must contain an uppercase letter".into())
        );
        assert_eq!(password("NoDigitsHere"), Err("must contain a digit".into()));
        assert!(password(&format!("Aa1{}", "x".repeat(126))).is_err());
        assert_eq!(password(&format!("Aa1{}", "x".repeat(125))), Ok(()));
    }

    #[test]
    fn usernames_names_phones() {
        assert_eq!(username("tech_01-a"), Ok(()));
        assert!(username("ab").is_err());
        assert!(username("has space").is_err());
        assert_eq!(name("Zoë O'Neil-Dupont"), Ok(()));
        assert!(name("A").is_err());
        assert!(name("R2D2").is_err());
        assert_eq!(phone("+33 (0)6 12-34-56-78"), Ok(()));
        assert!(phone("12345").is_err());
        assert!(phone("06 12 34 56 78 ext").is_err());
    }
}
