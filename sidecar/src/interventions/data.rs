//! What a technician records on a step (`collected_data`), shaped by the step's type as the
//! page's step forms store it (`reference/domain-facts.md`, data collected per step), and the
//! working conditions: hard limits that refuse, and the checklist's advice that only warns.
//!
//! Every field is optional, since progress is saved as the work goes, but nothing unknown is
//! kept: a checklist id that is not the step's, a field of another step or a value out of range
//! is a `VALIDATION_ERROR` naming it (`collected_data.checklist.…`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::Result;
use crate::extract::from_value;
use crate::interventions::model::StepType;
use crate::validate::Checks;

/// The hard limits of the working conditions: outside them the film is not laid.
pub const TEMPERATURE_LIMITS: (f64, f64) = (10.0, 35.0);
/// Highest relative humidity, %.
pub const HUMIDITY_LIMIT: f64 = 80.0;
/// The inspection checklist's advice (`temp_ok`): outside it, a warning.
pub const TEMPERATURE_ADVICE: (f64, f64) = (18.0, 25.0);
/// The inspection checklist's advice (`humidity_ok`).
pub const HUMIDITY_ADVICE: (f64, f64) = (40.0, 60.0);

/// Refuse conditions outside the hard limits, naming `temperature` and `humidity` fields.
pub fn check_conditions(
    checks: &mut Checks,
    (temperature_field, temperature): (&str, Option<f64>),
    (humidity_field, humidity): (&str, Option<f64>),
) {
    if let Some(t) = temperature {
        let (low, high) = TEMPERATURE_LIMITS;
        checks.check(
            temperature_field,
            t.is_finite() && (low..=high).contains(&t),
            "must be between 10 and 35 °C: film is not laid outside that range",
        );
    }
    if let Some(h) = humidity {
        checks.check(
            humidity_field,
            h.is_finite() && (0.0..=HUMIDITY_LIMIT).contains(&h),
            "must be between 0 and 80 %: film is not laid in wetter air",
        );
    }
}

/// The advice the conditions miss (allowed, shown to the technician).
pub fn warnings(temperature: Option<f64>, humidity: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = temperature {
        let (low, high) = TEMPERATURE_ADVICE;
        if !(low..=high).contains(&t) {
            out.push(format!(
                "temperature {t} °C is outside the advised {low}-{high} °C"
            ));
        }
    }
    if let Some(h) = humidity {
        let (low, high) = HUMIDITY_ADVICE;
        if !(low..=high).contains(&h) {
            out.push(format!(
                "humidity {h} % is outside the advised {low}-{high} %"
            ));
        }
    }
    out
}

macro_rules! checklist {
    ($(#[$meta:meta])* $name:ident { $( $variant:ident ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[allow(missing_docs)]
        pub enum $name { $( $variant ),+ }
    };
}

checklist! {
    /// The inspection's checklist.
    InspectionCheck { CleanDry, TempOk, HumidityOk, DefectsLogged, FilmReady, ClientInformed }
}
checklist! {
    /// The preparation's surface checklist.
    SurfaceCheck { Wash, ClayBar, Degrease, Masking, Drying, FinalCheck }
}
checklist! {
    /// The zones whose patterns are cut in preparation.
    CutZone { Hood, LeftFender, RightFender, Bumper, Mirrors, Sills }
}
checklist! {
    /// The checklist of each installed zone.
    ZoneCheck { SurfaceReady, FilmReady, SolutionApplied, PoseOk, EdgesSealed }
}
checklist! {
    /// The finalisation's checklist.
    FinalCheck { EdgesSealed, NoBubbles, SmoothSurface, AlignmentOk, CleanFinish, ClientBriefed }
}

/// The conditions measured at inspection.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// °C.
    pub temp_celsius: Option<f64>,
    /// % relative humidity.
    pub humidity_percent: Option<f64>,
}

/// A defect found at inspection.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Defect {
    /// Where (a zone or a panel).
    #[schema(max_length = 100)]
    pub zone: Option<String>,
    /// What.
    #[schema(max_length = 500)]
    pub description: String,
}

/// Inspection data.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionData {
    /// Checklist id → ticked.
    #[serde(default)]
    pub checklist: BTreeMap<InspectionCheck, bool>,
    /// Defects found.
    #[serde(default)]
    pub defects: Vec<Defect>,
    /// Notes.
    pub notes: Option<String>,
    /// Conditions.
    pub environment: Option<Environment>,
}

/// Preparation data.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PreparationData {
    /// Surface id → done.
    #[serde(default)]
    pub surface_checklist: BTreeMap<SurfaceCheck, bool>,
    /// Zone id → pattern cut.
    #[serde(default)]
    pub cut_checklist: BTreeMap<CutZone, bool>,
    /// Material name → ready.
    #[serde(default)]
    pub materials_checklist: BTreeMap<String, bool>,
    /// Notes.
    pub notes: Option<String>,
}

/// How far one zone's installation is.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ZoneStatus {
    Pending,
    InProgress,
    Completed,
}

/// One zone of an installation.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstalledZone {
    /// Zone id.
    #[schema(max_length = 50)]
    pub id: String,
    /// Zone name.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// Area, m².
    pub area: Option<f64>,
    /// Film used.
    #[schema(max_length = 100)]
    pub film: Option<String>,
    /// Status.
    pub status: Option<ZoneStatus>,
    /// Checklist id → ticked.
    #[serde(default)]
    pub checklist: BTreeMap<ZoneCheck, bool>,
    /// 0-10.
    pub quality_score: Option<f64>,
    /// Ids of the step's photos of this zone.
    #[serde(default)]
    pub photos: Vec<uuid::Uuid>,
}

/// Installation data.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InstallationData {
    /// The zones, each with its checklist.
    #[serde(default)]
    pub zones: Vec<InstalledZone>,
    /// The zone being worked.
    #[schema(max_length = 50)]
    pub active_zone_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// Finalisation data (the signature itself is given when finalising).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalizationData {
    /// Checklist id → ticked.
    #[serde(default)]
    pub checklist: BTreeMap<FinalCheck, bool>,
    /// Notes.
    pub notes: Option<String>,
    /// 1-10.
    pub customer_satisfaction: Option<i64>,
    /// 0-100.
    pub quality_score: Option<i64>,
}

/// Data of the ceramic steps that have no form of their own (application, curing).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoatingData {
    /// Checkpoint → done.
    #[serde(default)]
    pub checklist: BTreeMap<String, bool>,
    /// Layers applied.
    pub layers: Option<i64>,
    /// Curing minutes.
    pub cure_minutes: Option<i64>,
    /// Notes.
    pub notes: Option<String>,
}

const FIELD: &str = "collected_data";
const MAX_NOTES: usize = 2000;
const MAX_ITEMS: usize = 50;

/// Check `value` as the collected data of a step of type `step_type`.
pub fn validate(step_type: StepType, value: serde_json::Value) -> Result<serde_json::Value> {
    let mut checks = Checks::default();
    let notes_ok = |checks: &mut Checks, notes: &Option<String>| {
        let ok = notes
            .as_ref()
            .is_none_or(|n| n.chars().count() <= MAX_NOTES);
        checks.check(
            "collected_data.notes",
            ok,
            "must be at most 2000 characters",
        );
    };
    let value = match step_type {
        StepType::Inspection => {
            let data: InspectionData = from_value(FIELD, value)?;
            notes_ok(&mut checks, &data.notes);
            checks.check(
                "collected_data.defects",
                data.defects.len() <= MAX_ITEMS,
                "at most 50 defects",
            );
            if let Some(env) = &data.environment {
                check_conditions(
                    &mut checks,
                    ("collected_data.environment.temp_celsius", env.temp_celsius),
                    (
                        "collected_data.environment.humidity_percent",
                        env.humidity_percent,
                    ),
                );
            }
            serde_json::to_value(data)
        }
        StepType::Preparation => {
            let data: PreparationData = from_value(FIELD, value)?;
            notes_ok(&mut checks, &data.notes);
            checks.check(
                "collected_data.materialsChecklist",
                data.materials_checklist.len() <= MAX_ITEMS
                    && data
                        .materials_checklist
                        .keys()
                        .all(|k| (1..=100).contains(&k.chars().count())),
                "at most 50 materials, each named in 1-100 characters",
            );
            serde_json::to_value(data)
        }
        StepType::Installation => {
            let data: InstallationData = from_value(FIELD, value)?;
            notes_ok(&mut checks, &data.notes);
            checks.check(
                "collected_data.zones",
                data.zones.len() <= MAX_ITEMS,
                "at most 50 zones",
            );
            for (i, zone) in data.zones.iter().enumerate() {
                let score_ok = zone.quality_score.is_none_or(|q| (0.0..=10.0).contains(&q));
                checks.check(
                    &format!("collected_data.zones[{i}].quality_score"),
                    score_ok,
                    "must be between 0 and 10",
                );
                let area_ok = zone.area.is_none_or(|a| a.is_finite() && a >= 0.0);
                checks.check(
                    &format!("collected_data.zones[{i}].area"),
                    area_ok,
                    "must be at least 0",
                );
            }
            serde_json::to_value(data)
        }
        StepType::Finalization => {
            let data: FinalizationData = from_value(FIELD, value)?;
            notes_ok(&mut checks, &data.notes);
            let satisfaction_ok = data
                .customer_satisfaction
                .is_none_or(|s| (1..=10).contains(&s));
            checks.check(
                "collected_data.customer_satisfaction",
                satisfaction_ok,
                "must be between 1 and 10",
            );
            let quality_ok = data.quality_score.is_none_or(|q| (0..=100).contains(&q));
            checks.check(
                "collected_data.quality_score",
                quality_ok,
                "must be between 0 and 100",
            );
            serde_json::to_value(data)
        }
        StepType::Application | StepType::Curing => {
            let data: CoatingData = from_value(FIELD, value)?;
            notes_ok(&mut checks, &data.notes);
            checks.check(
                "collected_data.checklist",
                data.checklist.len() <= MAX_ITEMS,
                "at most 50 checkpoints",
            );
            serde_json::to_value(data)
        }
    };
    checks.finish()?;
    Ok(value.map_err(anyhow::Error::from)?)
}

/// The conditions an inspection's data records, for the warnings.
pub fn inspection_environment(value: &serde_json::Value) -> (Option<f64>, Option<f64>) {
    let env = value.get("environment");
    let read = |key: &str| {
        env.and_then(|e| e.get(key))
            .and_then(serde_json::Value::as_f64)
    };
    (read("temp_celsius"), read("humidity_percent"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_unknown_checklist_id_is_refused_by_name() {
        let data = json!({ "checklist": { "clean_dry": true, "made_up": true } });
        let error = validate(StepType::Inspection, data).expect_err("unknown id");
        let crate::error::Error::Validation { details, .. } = error else {
            panic!("a validation error");
        };
        assert!(
            details
                .keys()
                .any(|k| k.starts_with("collected_data.checklist")),
            "{details:?}"
        );
    }

    #[test]
    fn conditions_outside_the_hard_limits_are_refused_and_outside_the_advice_warned() {
        let hot = json!({ "environment": { "temp_celsius": 36.0, "humidity_percent": 50.0 } });
        assert!(validate(StepType::Inspection, hot).is_err());
        let warm = json!({ "environment": { "temp_celsius": 28.0, "humidity_percent": 70.0 } });
        assert!(validate(StepType::Inspection, warm).is_ok());
        assert_eq!(warnings(Some(28.0), Some(70.0)).len(), 2);
        assert!(warnings(Some(20.0), Some(50.0)).is_empty());
    }

    #[test]
    fn another_steps_fields_are_refused() {
        let data = json!({ "zones": [] });
        assert!(validate(StepType::Finalization, data).is_err());
        let data = json!({ "zones": [{ "id": "hood", "checklist": { "pose_ok": true }, "quality_score": 9 }] });
        assert!(validate(StepType::Installation, data).is_ok());
    }
}
