//! The fields a caller sets on a material ([`MaterialFields`]) and their checks. The stock is not
//! among them: it changes only through the ledger (`POST /materials/{id}/stock`), and a new
//! material's `initial_stock` is its first ledger row.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::materials::model::{MaterialType, Unit, quantity};
use crate::validate::{Checks, text};

/// A material's editable fields. On create, absent fields take their defaults; on update,
/// absent fields stay as they are and `""` clears an optional text.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialFields {
    /// SKU (1–50 characters, unique among live materials); required on create.
    #[schema(min_length = 1, max_length = 50, pattern = r"\S")]
    pub sku: Option<String>,
    /// Name (1–200 characters); required on create.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// Description.
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Kind; required on create.
    pub material_type: Option<MaterialType>,
    /// Category id (`""` clears).
    #[schema(max_length = 50)]
    pub category_id: Option<String>,
    /// Brand.
    #[schema(max_length = 100)]
    pub brand: Option<String>,
    /// Model.
    #[schema(max_length = 100)]
    pub model: Option<String>,
    /// Unit of every quantity; required on create, fixed once the material has stock moves.
    pub unit_of_measure: Option<Unit>,
    /// The stock to keep at least.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub minimum_stock: Option<f64>,
    /// The most to keep.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub maximum_stock: Option<f64>,
    /// Low on stock at or below this.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub reorder_point: Option<f64>,
    /// Cost of one unit in cents.
    #[schema(minimum = 0, maximum = 100000000000_i64)]
    pub unit_cost: Option<i64>,
    /// ISO 4217 code (default `EUR`).
    #[schema(min_length = 3, max_length = 3, pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// Supplier id (`""` clears).
    #[schema(
        max_length = 36,
        pattern = "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})?$"
    )]
    pub supplier_id: Option<String>,
    /// Expiry date, `YYYY-MM-DD` (`""` clears).
    #[schema(max_length = 10, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub expiry_date: Option<String>,
    /// Batch in stock.
    #[schema(max_length = 100)]
    pub batch_number: Option<String>,
    /// Where it is kept.
    #[schema(max_length = 100)]
    pub storage_location: Option<String>,
    /// In use.
    pub is_active: Option<bool>,
    /// No longer sold.
    pub is_discontinued: Option<bool>,
    /// On create only: the stock received now, written as the ledger's first `stock_in`.
    #[schema(minimum = 0, maximum = 1000000000)]
    pub initial_stock: Option<f64>,
}

crate::create_request! {
    /// A new material: [`MaterialFields`] with its SKU, name, type and unit.
    NewMaterial: MaterialFields {
        "sku": Type::String,
        "name": Type::String,
        "material_type": Type::String,
        "unit_of_measure": Type::String,
    }
}

impl MaterialFields {
    /// Check the fields given; `creating` requires SKU, name, type and unit.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        for (field, value, max) in [("sku", &self.sku, 50), ("name", &self.name, 200)] {
            match value {
                Some(v) => {
                    let len = v.trim().chars().count();
                    checks.check(
                        field,
                        (1..=max).contains(&len),
                        &format!("must be 1 to {max} characters"),
                    );
                }
                None => {
                    checks.check(field, !creating, "is required");
                }
            }
        }
        checks.check(
            "material_type",
            !creating || self.material_type.is_some(),
            "is required",
        );
        checks.check(
            "unit_of_measure",
            !creating || self.unit_of_measure.is_some(),
            "is required",
        );
        for (field, value, max) in [
            ("description", &self.description, 2000),
            ("category_id", &self.category_id, 50),
            ("brand", &self.brand, 100),
            ("model", &self.model, 100),
            ("batch_number", &self.batch_number, 100),
            ("storage_location", &self.storage_location, 100),
        ] {
            if let Some(value) = value {
                checks.check(
                    field,
                    value.chars().count() <= max,
                    &format!("must be at most {max} characters"),
                );
            }
        }
        for (field, value) in [
            ("minimum_stock", self.minimum_stock),
            ("maximum_stock", self.maximum_stock),
            ("reorder_point", self.reorder_point),
            ("initial_stock", self.initial_stock),
        ] {
            if let Some(value) = value {
                checks.rule(field, quantity(value, false).map(drop));
            }
        }
        if let Some(cost) = self.unit_cost {
            checks.check(
                "unit_cost",
                (0..=100_000_000_000).contains(&cost),
                "must be 0 to 100000000000 cents",
            );
        }
        if let Some(currency) = &self.currency {
            checks.check(
                "currency",
                currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()),
                "must be a three-letter ISO 4217 code such as EUR",
            );
        }
        if let Some(id) = self.supplier_id.as_deref().and_then(text) {
            checks.check(
                "supplier_id",
                Uuid::parse_str(&id).is_ok(),
                "must be a UUID",
            );
        }
        if let Some(date) = self.expiry_date.as_deref().and_then(text) {
            checks.check(
                "expiry_date",
                NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_ok(),
                "must be a date YYYY-MM-DD",
            );
        }
        checks.check(
            "initial_stock",
            creating || self.initial_stock.is_none(),
            "is only for a new material; move stock with POST /materials/{id}/stock",
        );
        if let (Some(min), Some(max)) = (self.minimum_stock, self.maximum_stock) {
            checks.check(
                "maximum_stock",
                max >= min,
                "must be at least minimum_stock",
            );
        }
        checks.finish()
    }
}

/// A checked optional id: `Some(None)` clears, `None` leaves as is.
pub fn opt_id(value: &Option<String>) -> Option<Option<Uuid>> {
    value
        .as_deref()
        .map(|v| text(v).and_then(|v| Uuid::parse_str(&v).ok()))
}

/// A checked optional date: `Some(None)` clears, `None` leaves as is.
pub fn opt_date(value: &Option<String>) -> Option<Option<NaiveDate>> {
    value
        .as_deref()
        .map(|v| text(v).and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()))
}
