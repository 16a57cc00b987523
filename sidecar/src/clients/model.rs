//! What a client is: the API type [`Client`], its database row and columns, and the fields a
//! caller may set ([`ClientFields`]) with their checks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, StoredId};
use crate::error::Result;
use crate::validate::{self, Checks, normalize_email};

/// Whether a client is a person or a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    /// A private customer.
    #[default]
    Individual,
    /// A company (needs `company_name`).
    Business,
}

crate::db::stored::text_column!(CustomerType);

/// A workshop client.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Client {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Name of the person or the main contact.
    pub name: String,
    /// Email, lowercase.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Person or company.
    pub customer_type: CustomerType,
    /// Street.
    pub address_street: Option<String>,
    /// City.
    pub address_city: Option<String>,
    /// State or region.
    pub address_state: Option<String>,
    /// Postal code.
    pub address_zip: Option<String>,
    /// Country (default France).
    pub address_country: String,
    /// Tax or VAT number.
    pub tax_id: Option<String>,
    /// Company (required for businesses).
    pub company_name: Option<String>,
    /// Contact at the company.
    pub contact_person: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// Labels.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub tags: Vec<String>,
    /// The client's live (not deleted) tasks.
    pub total_tasks: i64,
    /// Live tasks still open (not completed, cancelled, archived, failed or invalid).
    pub active_tasks: i64,
    /// Live tasks completed (or archived after completion).
    pub completed_tasks: i64,
    /// Latest scheduled date of the live tasks (`YYYY-MM-DD`).
    pub last_task_date: Option<String>,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

/// The `clients` columns that make a [`Client`].
pub const CLIENT_COLUMNS: &str = "id, name, email, phone, customer_type, address_street, address_city, \
    address_state, address_zip, address_country, tax_id, company_name, contact_person, notes, tags, \
    total_tasks, active_tasks, completed_tasks, last_task_date, created_at, updated_at";

/// A client's editable fields. On create, absent fields take their defaults; on update, absent
/// fields stay as they are and an empty string clears an optional text field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientFields {
    /// Name (1–200 characters); required on create.
    #[schema(example = "Camille Martin")]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub name: Option<String>,
    /// Email.
    #[schema(
        max_length = 254,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub email: Option<String>,
    /// Phone.
    #[schema(
        max_length = 20,
        pattern = r"^([\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*|[0-9+\-() ]{7,20})$"
    )]
    pub phone: Option<String>,
    /// Person or company (default `individual`).
    pub customer_type: Option<CustomerType>,
    /// Street.
    #[schema(max_length = 200)]
    pub address_street: Option<String>,
    /// City.
    #[schema(max_length = 100)]
    pub address_city: Option<String>,
    /// State or region.
    #[schema(max_length = 100)]
    pub address_state: Option<String>,
    /// Postal code.
    #[schema(max_length = 20)]
    pub address_zip: Option<String>,
    /// Country (default France).
    #[schema(max_length = 100)]
    pub address_country: Option<String>,
    /// Tax or VAT number.
    #[schema(max_length = 50)]
    pub tax_id: Option<String>,
    /// Company (required for businesses).
    #[schema(max_length = 200)]
    pub company_name: Option<String>,
    /// Contact at the company.
    #[schema(max_length = 200)]
    pub contact_person: Option<String>,
    /// Free notes (up to 2,000 characters).
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Labels (up to 20, each up to 50 characters).
    #[schema(schema_with = crate::validate::client_tags_schema)]
    pub tags: Option<Vec<String>>,
}

crate::create_request! {
    /// A new client: [`ClientFields`] with a name.
    NewClient: ClientFields { "name": Type::String }
}

/// Optional texts are stored as [`crate::validate::text`] says.
pub use crate::validate::text;

fn longest(checks: &mut Checks, field: &str, value: Option<&String>, max: usize) {
    if let Some(value) = value {
        checks.check(
            field,
            value.chars().count() <= max,
            &format!("must be at most {max} characters"),
        );
    }
}

impl ClientFields {
    /// Check the fields given; `creating` requires a name.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        match &self.name {
            Some(name) => {
                let len = name.trim().chars().count();
                checks.check(
                    "name",
                    (1..=200).contains(&len),
                    "must be 1 to 200 characters",
                );
            }
            None => {
                checks.check("name", !creating, "is required");
            }
        }
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            checks.rule("email", validate::email(&normalize_email(email)));
        }
        if let Some(phone) = self.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            checks.rule("phone", validate::phone(phone));
        }
        for (field, value, max) in [
            ("address_street", &self.address_street, 200),
            ("address_city", &self.address_city, 100),
            ("address_state", &self.address_state, 100),
            ("address_zip", &self.address_zip, 20),
            ("address_country", &self.address_country, 100),
            ("tax_id", &self.tax_id, 50),
            ("company_name", &self.company_name, 200),
            ("contact_person", &self.contact_person, 200),
            ("notes", &self.notes, 2000),
        ] {
            longest(&mut checks, field, value.as_ref(), max);
        }
        if let Some(tags) = &self.tags {
            checks.check("tags", tags.len() <= 20, "at most 20 tags");
            checks.check(
                "tags",
                tags.iter()
                    .all(|t| (1..=50).contains(&t.trim().chars().count())),
                "each tag must be 1 to 50 characters",
            );
        }
        checks.finish()
    }
}
