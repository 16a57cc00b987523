//! A quote's totals, in integer cents, by domain facts' rules: each line is
//! `round(qty × unit_price)` (a discount line is taken off); the quote-level discount is a
//! percentage of the subtotal or a fixed amount (at most the subtotal); tax is computed per rate
//! on that rate's lines, pro-rated by the discount, and rounded once per rate. Rounding is half
//! away from zero. The API, the list (through the stored columns) and the PDF all use [`totals`].

use serde::Serialize;
use utoipa::ToSchema;

use crate::quotes::model::{DiscountType, ItemKind};

/// What [`totals`] needs of a line.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// Its kind (a discount line is taken off).
    pub kind: ItemKind,
    /// Quantity, at most three decimals.
    pub qty: f64,
    /// Cents.
    pub unit_price: i64,
    /// Percent, at most two decimals.
    pub tax_rate: f64,
}

/// The tax of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TaxLine {
    /// The rate in hundredths of a percent (2000 = 20 %).
    pub rate_bp: i64,
    /// The rate's lines before the discount, in cents.
    pub base: i64,
    /// Its tax after the discount's share, in cents.
    pub tax: i64,
}

/// A quote's totals, in cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Each line's amount, in the order given (negative for a discount line).
    pub lines: Vec<i64>,
    /// Σ lines.
    pub subtotal: i64,
    /// The quote-level discount.
    pub discount_amount: i64,
    /// Tax per rate, lowest rate first.
    pub taxes: Vec<TaxLine>,
    /// Σ taxes.
    pub tax_total: i64,
    /// subtotal − discount + tax.
    pub total: i64,
}

/// `n / d` rounded half away from zero (`d > 0`).
fn div_round(n: i128, d: i128) -> i128 {
    if n >= 0 {
        (n + d / 2) / d
    } else {
        -((-n + d / 2) / d)
    }
}

/// A line's amount in cents: `round(qty × unit_price)`, negative for a discount line.
pub fn line_amount(line: &Line) -> i64 {
    let milli = (line.qty * 1000.0).round() as i128;
    let amount = div_round(milli * i128::from(line.unit_price), 1000) as i64;
    if line.kind == ItemKind::Discount {
        -amount
    } else {
        amount
    }
}

/// The totals of `lines` with the quote-level `discount` (`(type, value)`).
pub fn totals(lines: &[Line], discount: Option<(DiscountType, i64)>) -> Totals {
    let amounts: Vec<i64> = lines.iter().map(line_amount).collect();
    let subtotal: i64 = amounts.iter().sum();
    let discount_amount = match discount {
        _ if subtotal <= 0 => 0,
        Some((DiscountType::Percentage, bp)) => div_round(
            i128::from(subtotal) * i128::from(bp.clamp(0, 10_000)),
            10_000,
        ) as i64,
        Some((DiscountType::Fixed, cents)) => cents.clamp(0, subtotal),
        None => 0,
    };
    let mut taxes: Vec<TaxLine> = Vec::new();
    for (line, amount) in lines.iter().zip(&amounts) {
        let rate_bp = (line.tax_rate * 100.0).round() as i64;
        match taxes.iter_mut().find(|t| t.rate_bp == rate_bp) {
            Some(tax) => tax.base += amount,
            None => taxes.push(TaxLine {
                rate_bp,
                base: *amount,
                tax: 0,
            }),
        }
    }
    taxes.retain(|t| t.rate_bp > 0);
    taxes.sort_by_key(|t| t.rate_bp);
    for tax in &mut taxes {
        // base × rate × (subtotal − discount) / subtotal, rounded once.
        let (numerator, denominator) = if subtotal > 0 {
            (
                i128::from(tax.base)
                    * i128::from(tax.rate_bp)
                    * i128::from(subtotal - discount_amount),
                10_000 * i128::from(subtotal),
            )
        } else {
            (i128::from(tax.base) * i128::from(tax.rate_bp), 10_000)
        };
        tax.tax = div_round(numerator, denominator) as i64;
    }
    let tax_total = taxes.iter().map(|t| t.tax).sum();
    Totals {
        lines: amounts,
        subtotal,
        discount_amount,
        total: subtotal - discount_amount + tax_total,
        taxes,
        tax_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(14, 10), 1);
    }
}
