//! The checks of [`TaskFields`]: lengths, labels, dates and times, VIN, contact details and
//! durations, each failure reported against its field. Whether a status may move or a
//! technician is free is checked where the change is applied ([`change`](crate::tasks::change)).

use crate::error::Result;
use crate::tasks::fields::TaskFields;
use crate::tasks::model::{parse_date, parse_time, text};
use crate::validate::{self, Checks, normalize_email};

fn length(checks: &mut Checks, field: &str, value: Option<&String>, min: usize, max: usize) {
    if let Some(value) = value {
        let len = value.trim().chars().count();
        let message = if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be {min} to {max} characters")
        };
        checks.check(field, (min..=max).contains(&len), &message);
    }
}

fn labels(checks: &mut Checks, field: &str, values: Option<&Vec<String>>, min: usize, max: usize) {
    let Some(values) = values else { return };
    checks.check(
        field,
        (min..=max).contains(&values.len()),
        &format!("must have {min} to {max} entries"),
    );
    checks.check(
        field,
        values
            .iter()
            .all(|v| (1..=50).contains(&v.trim().chars().count()) && !v.contains(';')),
        "each entry must be 1 to 50 characters without `;`",
    );
}

/// Whether `vin` is 17 characters of `A-H J-N P R-Z 0-9` (after upper-casing).
fn vin_ok(vin: &str) -> bool {
    vin.len() == 17
        && vin.bytes().all(|b| {
            b.is_ascii_digit() || (b.is_ascii_uppercase() && !matches!(b, b'I' | b'O' | b'Q'))
        })
}

impl TaskFields {
    /// Check the fields given; `creating` requires the creation fields.
    pub fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        if creating {
            for (field, present) in [
                ("vehicle_plate", self.vehicle_plate.is_some()),
                ("vehicle_model", self.vehicle_model.is_some()),
                ("ppf_zones", self.ppf_zones.is_some()),
                ("scheduled_date", self.scheduled_date.is_some()),
            ] {
                checks.check(field, present, "is required");
            }
        }
        length(&mut checks, "title", self.title.as_ref(), 1, 100);
        length(
            &mut checks,
            "description",
            self.description.as_ref(),
            0,
            1000,
        );
        length(
            &mut checks,
            "vehicle_plate",
            self.vehicle_plate.as_ref(),
            1,
            20,
        );
        length(
            &mut checks,
            "vehicle_model",
            self.vehicle_model.as_ref(),
            1,
            100,
        );
        for (field, value, max) in [
            ("vehicle_make", &self.vehicle_make, 100),
            ("customer_name", &self.customer_name, 200),
            ("customer_address", &self.customer_address, 500),
            ("lot_film", &self.lot_film, 100),
            ("notes", &self.notes, 2000),
        ] {
            length(&mut checks, field, value.as_ref(), 0, max);
        }
        if let Some(year) = self.vehicle_year.as_deref().and_then(text) {
            let ok = year.len() == 4
                && year
                    .parse::<u16>()
                    .is_ok_and(|y| (1900..=2100).contains(&y));
            checks.check("vehicle_year", ok, "must be a year between 1900 and 2100");
        }
        if let Some(vin) = self.vin.as_deref().and_then(text) {
            checks.check(
                "vin",
                vin_ok(&vin.to_ascii_uppercase()),
                "must be 17 characters of A-H, J-N, P, R-Z and 0-9",
            );
        }
        labels(&mut checks, "ppf_zones", self.ppf_zones.as_ref(), 1, 30);
        labels(
            &mut checks,
            "custom_ppf_zones",
            self.custom_ppf_zones.as_ref(),
            0,
            30,
        );
        labels(&mut checks, "tags", self.tags.as_ref(), 0, 20);
        if let Some(date) = &self.scheduled_date {
            checks.rule("scheduled_date", parse_date(date).map(|_| ()));
        }
        for (field, value) in [
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
        ] {
            if let Some(value) = value.as_deref().and_then(text) {
                checks.rule(field, parse_time(&value).map(|_| ()));
            }
        }
        if let Some(email) = self.customer_email.as_deref().and_then(text) {
            checks.rule("customer_email", validate::email(&normalize_email(&email)));
        }
        if let Some(phone) = self.customer_phone.as_deref().and_then(text) {
            checks.rule("customer_phone", validate::phone(&phone));
        }
        for (field, value) in [
            ("estimated_duration", self.estimated_duration),
            ("actual_duration", self.actual_duration),
        ] {
            if let Some(minutes) = value {
                checks.check(
                    field,
                    (0..=100_000).contains(&minutes),
                    "must be 0 to 100000 minutes",
                );
            }
        }
        checks.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vins_follow_the_iso_alphabet() {
        assert!(vin_ok("WVWZZZ1JZXW000001"));
        assert!(!vin_ok("WVWZZZ1JZXW00000I"));
        assert!(!vin_ok("SHORT"));
    }
}
