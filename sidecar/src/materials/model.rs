//! What a material is: its enums, the API type [`Material`] (also its row), and the quantity
//! rule every stock figure keeps (whole thousandths of the unit, [`quantity`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::stored::{Millis, StoredId, StoredOptId, stored_enum};

stored_enum! {
    /// What kind of material.
    MaterialType {
        /// Paint-protection film.
        PpfFilm = "ppf_film",
        /// Adhesive.
        Adhesive = "adhesive",
        /// Cleaning solution.
        CleaningSolution = "cleaning_solution",
        /// A tool.
        Tool = "tool",
        /// A consumable.
        Consumable = "consumable",
    }
}

stored_enum! {
    /// The unit stock is counted in.
    Unit {
        /// Pieces.
        Piece = "piece",
        /// Metres.
        Meter = "meter",
        /// Litres.
        Liter = "liter",
        /// Grams.
        Gram = "gram",
        /// Rolls.
        Roll = "roll",
    }
}

stored_enum! {
    /// What a ledger row did to the stock.
    TransactionType {
        /// Goods received: adds `quantity`.
        StockIn = "stock_in",
        /// Goods taken out (a consumption's use): removes `quantity`.
        StockOut = "stock_out",
        /// A count: the stock becomes `quantity`.
        Adjustment = "adjustment",
        /// Moved to another storage location: the stock stays.
        Transfer = "transfer",
        /// Spoilt or scrapped (a consumption's waste): removes `quantity`.
        Waste = "waste",
        /// Goods given back: adds `quantity`.
        Return = "return",
    }
}

/// A material of the catalogue, with its stock.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Material {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Stock-keeping unit, unique among live materials.
    #[schema(example = "PPF-XPEL-UP-152")]
    pub sku: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Kind.
    pub material_type: MaterialType,
    /// Category (`GET /materials/categories`).
    pub category_id: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// The unit of every quantity of this material.
    pub unit_of_measure: Unit,
    /// In stock now (never negative; whole thousandths).
    pub current_stock: f64,
    /// The stock to keep at least.
    pub minimum_stock: f64,
    /// The most to keep, when set.
    pub maximum_stock: Option<f64>,
    /// At or below this the material is low on stock.
    pub reorder_point: f64,
    /// Cost of one unit, in cents.
    pub unit_cost: i64,
    /// ISO 4217 code (`EUR`).
    pub currency: String,
    /// Supplier (`GET /materials/suppliers`).
    #[sqlx(try_from = "StoredOptId")]
    pub supplier_id: Option<Uuid>,
    /// Expiry (`YYYY-MM-DD`).
    #[sqlx(try_from = "crate::db::stored::StoredOptDate")]
    pub expiry_date: Option<NaiveDate>,
    /// Batch in stock.
    pub batch_number: Option<String>,
    /// Where it is kept.
    pub storage_location: Option<String>,
    /// In use (an inactive material is kept but not offered).
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_active: bool,
    /// No longer sold by its supplier.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_discontinued: bool,
    /// `current_stock <= reorder_point`.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_low_stock: bool,
    /// Past its expiry date (today, UTC).
    #[sqlx(skip)]
    pub is_expired: bool,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

/// The `materials` columns that make a [`Material`] (`is_expired` is set after reading, by
/// [`Material::dated`]).
pub const COLUMNS: &str = "id, sku, name, description, material_type, category_id, brand, model, \
    unit_of_measure, current_stock, minimum_stock, maximum_stock, reorder_point, unit_cost, currency, \
    supplier_id, expiry_date, batch_number, storage_location, is_active, is_discontinued, \
    (current_stock <= reorder_point) AS is_low_stock, created_at, updated_at";

impl Material {
    /// The material with `is_expired` as of `today`.
    pub fn dated(mut self, today: NaiveDate) -> Self {
        self.is_expired = self.expiry_date.is_some_and(|d| d < today);
        self
    }
}

/// The largest quantity or stock the server keeps (a billion units).
pub const MAX_QUANTITY: f64 = 1_000_000_000.0;

/// `value` as the server keeps quantities: rounded to whole thousandths of the unit, so sums
/// of ledger rows are exact.
pub fn thousandths(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// Check a quantity a caller sends: finite, 0 to [`MAX_QUANTITY`], at most three decimals.
/// `positive` refuses 0.
pub fn quantity(value: f64, positive: bool) -> std::result::Result<f64, String> {
    if !value.is_finite() || !(0.0..=MAX_QUANTITY).contains(&value) {
        return Err(format!("must be between 0 and {MAX_QUANTITY}"));
    }
    if (value * 1000.0 - (value * 1000.0).round()).abs() > 1e-6 {
        return Err("must have at most three decimals".into());
    }
    if positive && thousandths(value) == 0.0 {
        return Err("must be more than 0".into());
    }
    Ok(thousandths(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_thousandths() {
        assert_eq!(quantity(2.5, true), Ok(2.5));
        assert_eq!(quantity(0.001, true), Ok(0.001));
        assert!(quantity(0.0, true).is_err());
        assert_eq!(quantity(0.0, false), Ok(0.0));
        assert!(quantity(0.0005, false).is_err());
        assert!(quantity(-1.0, false).is_err());
        assert!(quantity(f64::NAN, false).is_err());
        assert!(quantity(2e9, false).is_err());
        assert_eq!(thousandths(0.1 + 0.2), 0.3);
    }
}
