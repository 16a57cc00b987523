//! The fields a caller sets on a quote ([`QuoteFields`]) and on its lines ([`ItemFields`]), and
//! their checks.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::quotes::model::{DiscountType, ItemKind};
use crate::validate::{Checks, text};

/// A quote's editable fields. On create, absent fields take their defaults; on update (a draft
/// only), absent fields stay and `""` clears a text.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteFields {
    /// The client; required on create.
    pub client_id: Option<Uuid>,
    /// The task it is for.
    pub task_id: Option<Uuid>,
    /// Last valid day, `YYYY-MM-DD` (default: 30 days from today).
    #[schema(max_length = 10, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_until: Option<String>,
    /// What the job is.
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Notes.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Terms and conditions.
    #[schema(max_length = 4000)]
    pub terms: Option<String>,
    /// Plate.
    #[schema(max_length = 20)]
    pub vehicle_plate: Option<String>,
    /// Make.
    #[schema(max_length = 100)]
    pub vehicle_make: Option<String>,
    /// Model.
    #[schema(max_length = 100)]
    pub vehicle_model: Option<String>,
    /// Year (four digits, 1900–2100).
    #[schema(max_length = 4, pattern = "^([0-9]{4})?$")]
    pub vehicle_year: Option<String>,
    /// VIN.
    #[schema(max_length = 17)]
    pub vehicle_vin: Option<String>,
    /// Zones, carried to the task on conversion (up to 30, each 1–50 characters, no `;`).
    #[schema(schema_with = crate::validate::extra_zones_schema)]
    pub ppf_zones: Option<Vec<String>>,
    /// The quote-level discount's type (with a value of 0, no discount).
    pub discount_type: Option<DiscountType>,
    /// Hundredths of a percent (at most 10000) or cents.
    #[schema(minimum = 0, maximum = 100000000000_i64)]
    pub discount_value: Option<i64>,
    /// On create only: the lines, in order (each as `POST /quotes/{id}/items` takes it).
    #[schema(max_items = 200, value_type = Option<Vec<NewItem>>)]
    pub items: Option<Vec<ItemFields>>,
}

crate::create_request! {
    /// A new quote: [`QuoteFields`] with its client.
    NewQuote: QuoteFields { "client_id": Type::String }
}

/// A line's fields; on update, absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemFields {
    /// What it is; required on create.
    pub kind: Option<ItemKind>,
    /// What the client reads (1–200 characters); on create, the material's name when absent.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: Option<String>,
    /// Quantity, more than 0, at most three decimals (hours for labour; default 1).
    #[schema(exclusive_minimum = 0, maximum = 1000000)]
    pub qty: Option<f64>,
    /// Price of one in cents; on create, the material's unit cost when absent.
    #[schema(minimum = 0, maximum = 10000000000_i64)]
    pub unit_price: Option<i64>,
    /// Tax in percent, 0–100, at most two decimals (default 20).
    #[schema(minimum = 0, maximum = 100)]
    pub tax_rate: Option<f64>,
    /// The material it sells.
    pub material_id: Option<Uuid>,
}

crate::create_request! {
    /// A new line: [`ItemFields`] with its kind.
    NewItem: ItemFields { "kind": Type::String }
}

/// The default tax rate: France's standard VAT.
pub const DEFAULT_TAX_RATE: f64 = 20.0;

/// A `YYYY-MM-DD` day.
pub fn day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

impl QuoteFields {
    /// Check the fields given; `creating` requires the client.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        checks.check(
            "client_id",
            !creating || self.client_id.is_some(),
            "is required",
        );
        checks.check(
            "items",
            creating || self.items.is_none(),
            "change the lines with /quotes/{id}/items",
        );
        if let Some(until) = &self.valid_until {
            let today = crate::clock::today();
            checks.check(
                "valid_until",
                day(until).is_some(),
                "must be a date YYYY-MM-DD",
            );
            checks.check(
                "valid_until",
                day(until).is_none_or(|d| d >= today),
                "must not be in the past",
            );
        }
        for (field, value, max) in [
            ("description", &self.description, 2000),
            ("notes", &self.notes, 2000),
            ("terms", &self.terms, 4000),
            ("vehicle_plate", &self.vehicle_plate, 20),
            ("vehicle_make", &self.vehicle_make, 100),
            ("vehicle_model", &self.vehicle_model, 100),
            ("vehicle_vin", &self.vehicle_vin, 17),
        ] {
            checks.check(
                field,
                value
                    .as_ref()
                    .is_none_or(|v| v.trim().chars().count() <= max),
                &format!("must be at most {max} characters"),
            );
        }
        if let Some(year) = self.vehicle_year.as_deref().and_then(text) {
            let ok = year.len() == 4
                && year
                    .parse::<u16>()
                    .is_ok_and(|y| (1900..=2100).contains(&y));
            checks.check("vehicle_year", ok, "must be a year 1900-2100");
        }
        if let Some(zones) = &self.ppf_zones {
            checks.check(
                "ppf_zones",
                zones.len() <= 30
                    && zones
                        .iter()
                        .all(|z| (1..=50).contains(&z.trim().chars().count()) && !z.contains(';')),
                "at most 30 zones, each named in 1-50 characters without `;`",
            );
        }
        match (self.discount_type, self.discount_value) {
            (Some(DiscountType::Percentage), Some(v)) => {
                checks.check(
                    "discount_value",
                    (0..=10_000).contains(&v),
                    "a percentage is 0 to 10000 hundredths",
                );
            }
            (None, Some(v)) if v != 0 => {
                checks.check("discount_type", false, "is required with a discount_value");
            }
            (_, Some(v)) => {
                checks.check(
                    "discount_value",
                    (0..=100_000_000_000).contains(&v),
                    "must be 0 to 100000000000",
                );
            }
            _ => {}
        }
        if let Some(items) = &self.items {
            checks.check("items", items.len() <= 200, "at most 200 lines");
        }
        checks.finish()?;
        for item in self.items.iter().flatten() {
            item.validate(true)?;
        }
        Ok(())
    }
}

impl ItemFields {
    /// Check the fields given; `creating` requires the kind.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        checks.check("kind", !creating || self.kind.is_some(), "is required");
        if let Some(label) = &self.label {
            checks.check(
                "label",
                (1..=200).contains(&label.trim().chars().count()),
                "must be 1 to 200 characters",
            );
        }
        checks.check(
            "label",
            !creating || self.label.is_some() || self.material_id.is_some(),
            "is required (or a material_id, whose name it takes)",
        );
        if let Some(qty) = self.qty {
            let ok = qty.is_finite()
                && qty > 0.0
                && qty <= 1_000_000.0
                && ((qty * 1000.0).round() - qty * 1000.0).abs() < 1e-6;
            checks.check(
                "qty",
                ok,
                "must be more than 0 and at most 1000000, with at most three decimals",
            );
        }
        if let Some(price) = self.unit_price {
            checks.check(
                "unit_price",
                (0..=10_000_000_000).contains(&price),
                "must be 0 to 10000000000 cents",
            );
        }
        if let Some(rate) = self.tax_rate {
            let ok = rate.is_finite()
                && (0.0..=100.0).contains(&rate)
                && ((rate * 100.0).round() - rate * 100.0).abs() < 1e-6;
            checks.check(
                "tax_rate",
                ok,
                "must be 0 to 100 percent, with at most two decimals",
            );
        }
        checks.finish()
    }
}
