//! The figures the plant's screens draw: chart points and coloured metrics.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::MetricStatus;

/// One point of a chart series.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ChartPoint {
    /// The point's label (a day, a stage, a custodian).
    pub label: String,
    /// Its value.
    pub value: f64,
    /// A colour (`#rrggbb`), when the point has its own.
    pub color: Option<String>,
    /// A second value (good units beside built ones).
    pub value2: Option<f64>,
}

impl ChartPoint {
    /// A point with no colour and no second value.
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Self {
            label: label.into(),
            value,
            color: None,
            value2: None,
        }
    }
}

/// A labelled figure with a colour (`SystemMetric`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemMetric {
    /// What it is.
    pub label: String,
    /// Its value, as shown.
    pub value: String,
    /// Its colour.
    pub status: MetricStatus,
}

impl SystemMetric {
    /// A metric.
    pub fn new(label: &str, value: impl Into<String>, status: MetricStatus) -> Self {
        Self {
            label: label.to_owned(),
            value: value.into(),
            status,
        }
    }
}
