//! The totals rules on a table of worked examples: line rounding half away from zero, several
//! tax rates, both discount types, discount lines, and the rounding edges. Each row was worked
//! by hand: lines, subtotal, discount, tax per rate, total (all cents).

use rpma_sidecar::quotes::model::{DiscountType, ItemKind};
use rpma_sidecar::quotes::totals::{Line, totals};

struct Example {
    what: &'static str,
    lines: &'static [(ItemKind, f64, i64, f64)],
    discount: Option<(DiscountType, i64)>,
    amounts: &'static [i64],
    subtotal: i64,
    discount_amount: i64,
    /// (rate in hundredths of a percent, tax), lowest rate first.
    taxes: &'static [(i64, i64)],
    total: i64,
}

use DiscountType::{Fixed, Percentage};
use ItemKind::{Discount, Labor, Material, Service};

#[rustfmt::skip]
const EXAMPLES: &[Example] = &[
    Example { what: "one line at 20 %", lines: &[(Service, 1.0, 10_000, 20.0)], discount: None,
        amounts: &[10_000], subtotal: 10_000, discount_amount: 0, taxes: &[(2000, 2000)], total: 12_000 },
    // 2 × 49.99 = 99.98; 1.5 × 33.33 = 49.995 → 50.00; 5.5 % of 50.00 = 2.75; 20 % of 99.98 = 19.996 → 20.00.
    Example { what: "two rates", lines: &[(Material, 2.0, 4999, 20.0), (Labor, 1.5, 3333, 5.5)], discount: None,
        amounts: &[9998, 5000], subtotal: 14_998, discount_amount: 0, taxes: &[(550, 275), (2000, 2000)], total: 17_273 },
    // 10 % of 149.98 = 14.998 → 15.00; each rate's tax × 134.98 / 149.98: 2.75 → 2.47496 → 2.47, 19.996 → 17.996 → 18.00.
    Example { what: "10 % discount pro-rated over two rates", lines: &[(Material, 2.0, 4999, 20.0), (Labor, 1.5, 3333, 5.5)],
        discount: Some((Percentage, 1000)), amounts: &[9998, 5000], subtotal: 14_998, discount_amount: 1500,
        taxes: &[(550, 247), (2000, 1800)], total: 15_545 },
    // 25.00 off 149.98: each rate's tax × 124.98 / 149.98: 2.75 → 2.2916 → 2.29, 19.996 → 16.663 → 16.66.
    Example { what: "fixed discount pro-rated over two rates", lines: &[(Material, 2.0, 4999, 20.0), (Labor, 1.5, 3333, 5.5)],
        discount: Some((Fixed, 2500)), amounts: &[9998, 5000], subtotal: 14_998, discount_amount: 2500,
        taxes: &[(550, 229), (2000, 1666)], total: 14_393 },
    Example { what: "a discount line is taken off its rate", lines: &[(Labor, 3.0, 6000, 20.0), (Discount, 1.0, 2000, 20.0)], discount: None,
        amounts: &[18_000, -2000], subtotal: 16_000, discount_amount: 0, taxes: &[(2000, 3200)], total: 19_200 },
    // 0.333 × 1.00 = 0.333 → 0.33; 0.335 × 1.00 = 0.335 → 0.34 (half away from zero); 20 % of 0.33 = 0.066 → 0.07; 0 % is no tax.
    Example { what: "rounding edges", lines: &[(Service, 0.333, 100, 20.0), (Service, 0.335, 100, 0.0)], discount: None,
        amounts: &[33, 34], subtotal: 67, discount_amount: 0, taxes: &[(2000, 7)], total: 74 },
    Example { what: "a fixed discount over the subtotal is the subtotal", lines: &[(Service, 1.0, 1000, 20.0)], discount: Some((Fixed, 5000)),
        amounts: &[1000], subtotal: 1000, discount_amount: 1000, taxes: &[(2000, 0)], total: 0 },
    // 33.33 % of 10.00 = 3.333 → 3.33; 20 % of 9.99 × 6.67/10 = 1.3327 → 1.33; 10 % of 0.01 × 0.667 → 0.00.
    Example { what: "odd percentage", lines: &[(Service, 1.0, 999, 20.0), (Service, 1.0, 1, 10.0)], discount: Some((Percentage, 3333)),
        amounts: &[999, 1], subtotal: 1000, discount_amount: 333, taxes: &[(1000, 0), (2000, 133)], total: 800 },
];

#[test]
fn the_worked_examples_come_out_to_the_cent() {
    for e in EXAMPLES {
        let lines: Vec<Line> = e
            .lines
            .iter()
            .map(|&(kind, qty, unit_price, tax_rate)| Line {
                kind,
                qty,
                unit_price,
                tax_rate,
            })
            .collect();
        let t = totals(&lines, e.discount);
        assert_eq!(t.lines, e.amounts, "{}: lines", e.what);
        assert_eq!(t.subtotal, e.subtotal, "{}: subtotal", e.what);
        assert_eq!(t.discount_amount, e.discount_amount, "{}: discount", e.what);
        let taxes: Vec<(i64, i64)> = t.taxes.iter().map(|x| (x.rate_bp, x.tax)).collect();
        assert_eq!(taxes, e.taxes, "{}: taxes", e.what);
        assert_eq!(
            t.tax_total,
            e.taxes.iter().map(|x| x.1).sum::<i64>(),
            "{}: tax total",
            e.what
        );
        assert_eq!(t.total, e.total, "{}: total", e.what);
    }
}
