//! Length caps read from the OpenAPI schema of each request type, checked by the extractors
//! before a handler runs.
//!
//! Every string a caller sends is capped: the document declares `maxLength` on each one (the
//! `every_string_input_has_a_length_cap` test of `tests/openapi.rs` fails when a new field has
//! none), and [`Json`](super::Json) and [`Query`](super::Query) refuse a longer value with a
//! `VALIDATION_ERROR` naming the field. The cap is written once, as the schema's `maxLength`,
//! so the document, the generated client and the server cannot disagree about it. No string
//! may hold U+0000 either ([`Cap::nul_free`]; the document says so in its description).

use std::any::TypeId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::schema::{ArrayItems, Schema};
use utoipa::openapi::{RefOr, Type};

use crate::error::FieldErrors;

/// The caps of one value: what the checks need of its schema.
#[derive(Debug, Default)]
pub enum Cap {
    /// Nothing to check.
    #[default]
    Free,
    /// A string of at most this many characters (Unicode scalar values, as JSON Schema counts).
    Text(usize),
    /// An object: the caps of its named properties.
    Fields(Vec<(String, Cap)>),
    /// An array: the cap of each item.
    Items(Box<Cap>),
    /// Several schemas that all apply (`allOf`, or the branches of a nullable `oneOf`).
    Each(Vec<Cap>),
}

impl Cap {
    /// Caps of a request body of type `T`, computed once per type.
    pub fn of_body<T: utoipa::ToSchema + 'static>() -> Arc<Cap> {
        cached::<T>(|| {
            let mut named = Vec::new();
            T::schemas(&mut named);
            let components: HashMap<String, RefOr<Schema>> = named.into_iter().collect();
            compile(&T::schema(), &components, &mut HashSet::new())
        })
    }

    /// Caps of the query parameters of `T`, computed once per type.
    pub fn of_query<T: utoipa::IntoParams + 'static>() -> Arc<Cap> {
        cached::<T>(|| params(T::into_params(|| None)))
    }

    /// Record, for each value longer than its cap, `must be at most N characters` under its
    /// field (`name`, `parent.name`, `list[2]`).
    pub fn check(&self, value: &Value, path: &str, errors: &mut FieldErrors) {
        match (self, value) {
            (Cap::Text(max), Value::String(text)) if text.chars().count() > *max => {
                let message = format!("must be at most {max} characters");
                let messages = errors.entry(path.to_owned()).or_default();
                if !messages.contains(&message) {
                    messages.push(message);
                }
            }
            (Cap::Fields(fields), Value::Object(map)) => {
                for (name, cap) in fields {
                    if let Some(value) = map.get(name) {
                        cap.check(value, &join(path, name), errors);
                    }
                }
            }
            (Cap::Items(cap), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    cap.check(item, &format!("{path}[{i}]"), errors);
                }
            }
            (Cap::Each(caps), value) => caps.iter().for_each(|cap| cap.check(value, path, errors)),
            _ => {}
        }
    }

    /// Record `must not contain the NUL character` for every string under `value` holding
    /// U+0000: SQLite's `length()` stops at it, so stored checks would disagree with ours, and
    /// no text a person types holds one.
    pub fn nul_free(value: &Value, path: &str, errors: &mut FieldErrors) {
        match value {
            Value::String(text) if text.contains('\0') => {
                errors
                    .entry(path.to_owned())
                    .or_default()
                    .push("must not contain the NUL character".to_owned());
            }
            Value::Object(map) => {
                for (name, value) in map {
                    Self::nul_free(value, &join(path, name), errors);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    Self::nul_free(item, &format!("{path}[{i}]"), errors);
                }
            }
            _ => {}
        }
    }

    /// The cap of a query parameter, if it has one.
    pub fn field(&self, name: &str) -> Option<&Cap> {
        match self {
            Cap::Fields(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, cap)| cap),
            _ => None,
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Caps are derived from the type's schema, which never changes while the process runs.
fn cached<T: 'static>(build: impl FnOnce() -> Cap) -> Arc<Cap> {
    static CACHE: OnceLock<Mutex<HashMap<TypeId, Arc<Cap>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(cap) = cache
        .lock()
        .ok()
        .and_then(|c| c.get(&TypeId::of::<T>()).cloned())
    {
        return cap;
    }
    let cap = Arc::new(build());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(TypeId::of::<T>(), cap.clone());
    }
    cap
}

fn params(params: Vec<Parameter>) -> Cap {
    let components = HashMap::new();
    let fields = params
        .into_iter()
        .filter_map(|param| {
            let schema = param.schema?;
            Some((
                param.name,
                compile(&schema, &components, &mut HashSet::new()),
            ))
        })
        .collect();
    Cap::Fields(fields)
}

fn compile(
    schema: &RefOr<Schema>,
    components: &HashMap<String, RefOr<Schema>>,
    seen: &mut HashSet<String>,
) -> Cap {
    let schema = match schema {
        RefOr::Ref(reference) => {
            let name = reference
                .ref_location
                .rsplit('/')
                .next()
                .unwrap_or_default();
            // A type that contains itself is checked down to its first repetition.
            let Some(target) = components.get(name) else {
                return Cap::Free;
            };
            if !seen.insert(name.to_owned()) {
                return Cap::Free;
            }
            let cap = compile(target, components, seen);
            seen.remove(name);
            return cap;
        }
        RefOr::T(schema) => schema,
    };
    let all = |items: &[RefOr<Schema>], seen: &mut HashSet<String>| {
        Cap::Each(items.iter().map(|s| compile(s, components, seen)).collect())
    };
    match schema {
        Schema::Object(object) => {
            if !object.properties.is_empty() {
                let fields: BTreeMap<_, _> = object
                    .properties
                    .iter()
                    .map(|(name, s)| (name.clone(), compile(s, components, seen)))
                    .collect();
                return Cap::Fields(fields.into_iter().collect());
            }
            match (object.max_length, is_string(&object.schema_type)) {
                (Some(max), true) => Cap::Text(max),
                _ => Cap::Free,
            }
        }
        Schema::Array(array) => match &array.items {
            ArrayItems::RefOrSchema(items) => {
                Cap::Items(Box::new(compile(items, components, seen)))
            }
            _ => Cap::Free,
        },
        Schema::AllOf(of) => all(&of.items, seen),
        Schema::OneOf(of) => all(&of.items, seen),
        Schema::AnyOf(of) => all(&of.items, seen),
        _ => Cap::Free,
    }
}

fn is_string(schema_type: &utoipa::openapi::schema::SchemaType) -> bool {
    use utoipa::openapi::schema::SchemaType;
    match schema_type {
        SchemaType::Type(t) => *t == Type::String,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    }
}
