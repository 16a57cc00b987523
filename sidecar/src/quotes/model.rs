//! What a quote is: its status machine, its items' kinds, the discount types, and the API types
//! [`Quote`] and [`QuoteItem`] (also their rows).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, OptMillis, StoredId, StoredOptId, stored_enum};

stored_enum! {
    /// Where a quote is in its life.
    QuoteStatus {
        /// Being written; the only editable state.
        Draft = "draft",
        /// Sent to the client, waiting for an answer.
        Sent = "sent",
        /// The client said yes.
        Accepted = "accepted",
        /// The client said no.
        Rejected = "rejected",
        /// Past `valid_until` before an answer (or expired by an admin).
        Expired = "expired",
        /// Became a task.
        Converted = "converted",
        /// The client asked for changes.
        ChangesRequested = "changes_requested",
    }
}

impl QuoteStatus {
    /// Where a quote may go from here (domain facts' quote transitions).
    pub fn targets(self) -> &'static [Self] {
        match self {
            Self::Draft => &[Self::Sent, Self::Expired],
            Self::Sent => &[
                Self::Accepted,
                Self::Rejected,
                Self::Expired,
                Self::ChangesRequested,
            ],
            Self::Accepted => &[Self::Converted],
            Self::ChangesRequested | Self::Rejected => &[Self::Draft],
            Self::Expired | Self::Converted => &[],
        }
    }
}

stored_enum! {
    /// What a line of a quote is.
    ItemKind {
        /// Work, in hours.
        Labor = "labor",
        /// A material (its price proposed from the material's unit cost).
        Material = "material",
        /// A service.
        Service = "service",
        /// A discount line: its amount is taken off.
        Discount = "discount",
    }
}

stored_enum! {
    /// How the quote-level discount is given.
    DiscountType {
        /// `discount_value` is hundredths of a percent (1000 = 10 %).
        Percentage = "percentage",
        /// `discount_value` is cents.
        Fixed = "fixed",
    }
}

/// A quote. Money is in integer cents; the totals are the server's (`quotes::totals`).
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Quote {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// `DEV-00001`.
    #[schema(example = "DEV-00001")]
    pub quote_number: String,
    /// The client.
    #[sqlx(try_from = "StoredId")]
    pub client_id: Uuid,
    /// The client's name.
    pub client_name: String,
    /// The task it was made for, or became.
    #[sqlx(try_from = "StoredOptId")]
    pub task_id: Option<Uuid>,
    /// Status.
    pub status: QuoteStatus,
    /// Last day it is valid.
    #[sqlx(try_from = "crate::db::stored::StoredDate")]
    pub valid_until: NaiveDate,
    /// What the job is.
    pub description: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Terms and conditions.
    pub terms: Option<String>,
    /// Plate.
    pub vehicle_plate: Option<String>,
    /// Make.
    pub vehicle_make: Option<String>,
    /// Model.
    pub vehicle_model: Option<String>,
    /// Year.
    pub vehicle_year: Option<String>,
    /// VIN.
    pub vehicle_vin: Option<String>,
    /// The zones the job covers.
    #[sqlx(try_from = "crate::db::stored::JsonText<Vec<String>>")]
    pub ppf_zones: Vec<String>,
    /// The quote-level discount, if any.
    pub discount_type: Option<DiscountType>,
    /// Hundredths of a percent, or cents (see `discount_type`).
    pub discount_value: i64,
    /// Σ lines, in cents (discount lines taken off).
    pub subtotal: i64,
    /// The quote-level discount, in cents.
    pub discount_amount: i64,
    /// Σ tax per rate, pro-rated by the discount, in cents.
    pub tax_total: i64,
    /// subtotal − discount + tax, in cents.
    pub total: i64,
    /// Sent.
    #[sqlx(try_from = "OptMillis")]
    pub sent_at: Option<DateTime<Utc>>,
    /// Accepted, rejected or changes asked.
    #[sqlx(try_from = "OptMillis")]
    pub answered_at: Option<DateTime<Utc>>,
    /// Converted into its task.
    #[sqlx(try_from = "OptMillis")]
    pub converted_at: Option<DateTime<Utc>>,
    /// By.
    #[sqlx(try_from = "StoredOptId")]
    pub created_by: Option<Uuid>,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

/// The client's name of quote `q`: a lookup by primary key for each row shown, so the list's
/// count and order read the quotes' indexes alone.
pub const CLIENT_NAME: &str = "(SELECT c.name FROM clients c WHERE c.id = q.client_id)";

/// The `quotes` columns of a [`Quote`] (as `q`, with the client's name).
pub const COLUMNS: &str = "q.id, q.quote_number, q.client_id, (SELECT c.name FROM clients c WHERE c.id = q.client_id) AS client_name, q.task_id, q.status, \
    q.valid_until, q.description, q.notes, q.terms, q.vehicle_plate, q.vehicle_make, q.vehicle_model, \
    q.vehicle_year, q.vehicle_vin, q.ppf_zones, q.discount_type, q.discount_value, q.subtotal, \
    q.discount_amount, q.tax_total, q.total, q.sent_at, q.answered_at, q.converted_at, q.created_by, \
    q.created_at, q.updated_at";

/// `FROM` of a quote.
pub const FROM: &str = " FROM quotes q";

/// A line of a quote.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct QuoteItem {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The quote.
    #[sqlx(try_from = "StoredId")]
    pub quote_id: Uuid,
    /// What it is.
    pub kind: ItemKind,
    /// What the client reads.
    pub label: String,
    /// Quantity (hours for labour; at most three decimals).
    pub qty: f64,
    /// Price of one, in cents.
    pub unit_price: i64,
    /// Tax, in percent.
    pub tax_rate: f64,
    /// The material it sells.
    #[sqlx(try_from = "StoredOptId")]
    pub material_id: Option<Uuid>,
    /// Order on the quote, from 1.
    pub position: i64,
}

/// The `quote_items` columns of a [`QuoteItem`].
pub const ITEM_COLUMNS: &str =
    "id, quote_id, kind, label, qty, unit_price, tax_rate, material_id, position";
