//! The pack passport schema: which fields a Battery Aadhaar record needs, what the EU passport
//! adds, and which packs are EPR-eligible. The compliance score ("Aadhaar Ready %") is the share
//! of pack records that pass [`aadhaar_failures`].

use sqlx::FromRow;

/// A pack record's passport fields (`ops_packs`).
#[derive(Debug, Clone, Default, FromRow)]
pub struct PackRecord {
    /// The pack's id (`PCK-2026-B-800`).
    pub id: String,
    /// Who made it.
    pub manufacturer: Option<String>,
    /// Cell chemistry (`LFP`, `NMC`).
    pub chemistry: Option<String>,
    /// Rated capacity, kWh.
    pub capacity_kwh: Option<f64>,
    /// Nominal voltage, V.
    pub nominal_voltage: Option<f64>,
    /// Where its cells come from.
    pub cell_origin: Option<String>,
    /// When it was made (epoch ms).
    pub manufactured_at: Option<i64>,
    /// Carbon footprint, kg CO₂e.
    pub carbon_footprint_kg: Option<f64>,
    /// Recycled content, %.
    pub recycled_content_pct: Option<f64>,
    /// EPR registration number.
    pub epr_registration: Option<String>,
    /// Whether the digital passport is signed.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub passport_signed: bool,
}

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

fn out_of(value: Option<f64>, low: f64, high: f64) -> bool {
    value.is_none_or(|v| !(low..=high).contains(&v))
}

/// The passport fields that fail the Aadhaar schema (camelCase, as the page names them): the
/// identity fields are required and the ratings within physical ranges (capacity 0–1,000 kWh,
/// voltage 0–1,500 V, both above zero).
pub fn aadhaar_failures(p: &PackRecord) -> Vec<&'static str> {
    let mut failed = Vec::new();
    if blank(&p.manufacturer) {
        failed.push("manufacturer");
    }
    if blank(&p.chemistry) {
        failed.push("chemistry");
    }
    if out_of(p.capacity_kwh, f64::MIN_POSITIVE, 1000.0) {
        failed.push("capacityKwh");
    }
    if out_of(p.nominal_voltage, f64::MIN_POSITIVE, 1500.0) {
        failed.push("nominalVoltage");
    }
    if blank(&p.cell_origin) {
        failed.push("cellOrigin");
    }
    if p.manufactured_at.is_none() {
        failed.push("manufacturedAt");
    }
    failed
}

/// What the EU battery passport needs beyond Aadhaar: carbon footprint, recycled content
/// (0–100 %) and a signed passport.
pub fn eu_failures(p: &PackRecord) -> Vec<&'static str> {
    let mut failed = aadhaar_failures(p);
    if p.carbon_footprint_kg.is_none_or(|c| c < 0.0) {
        failed.push("carbonFootprintKg");
    }
    if out_of(p.recycled_content_pct, 0.0, 100.0) {
        failed.push("recycledContentPct");
    }
    if !p.passport_signed {
        failed.push("passportSigned");
    }
    failed
}

/// Whether the pack is registered under extended producer responsibility.
pub fn epr_eligible(p: &PackRecord) -> bool {
    !blank(&p.epr_registration)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> PackRecord {
        PackRecord {
            id: "PCK-1".into(),
            manufacturer: Some("Plant".into()),
            chemistry: Some("LFP".into()),
            capacity_kwh: Some(15.0),
            nominal_voltage: Some(51.2),
            cell_origin: Some("IN".into()),
            manufactured_at: Some(1),
            carbon_footprint_kg: Some(820.0),
            recycled_content_pct: Some(12.0),
            epr_registration: Some("EPR-1".into()),
            passport_signed: true,
        }
    }

    #[test]
    fn a_complete_record_passes_both_schemas() {
        assert!(aadhaar_failures(&complete()).is_empty());
        assert!(eu_failures(&complete()).is_empty());
        assert!(epr_eligible(&complete()));
    }

    #[test]
    fn missing_blank_and_out_of_range_fields_are_named() {
        let mut p = complete();
        p.chemistry = Some("  ".into());
        p.capacity_kwh = Some(0.0);
        p.nominal_voltage = None;
        assert_eq!(
            aadhaar_failures(&p),
            vec!["chemistry", "capacityKwh", "nominalVoltage"]
        );
        let mut eu = complete();
        eu.recycled_content_pct = Some(120.0);
        eu.passport_signed = false;
        assert!(aadhaar_failures(&eu).is_empty());
        assert_eq!(
            eu_failures(&eu),
            vec!["recycledContentPct", "passportSigned"]
        );
    }

    /// 50 records, 2 missing their cell origin: 48/50 = 96 % Aadhaar ready.
    #[test]
    fn the_compliance_score_of_fifty_packs() {
        let packs: Vec<PackRecord> = (0..50)
            .map(|i| {
                let mut p = complete();
                if i % 25 == 0 {
                    p.cell_origin = None;
                }
                p
            })
            .collect();
        let ready = packs
            .iter()
            .filter(|p| aadhaar_failures(p).is_empty())
            .count();
        assert_eq!(
            crate::ops::kpi::percent(ready as f64, packs.len() as f64),
            Some(96.0)
        );
    }
}
