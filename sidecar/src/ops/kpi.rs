//! What the plant's screens show, computed here and never in the page: OEE from telemetry,
//! yield, planned units, the bottleneck by stage, a category's trend and the ages shown as
//! `"2h 15m"`. Pure functions over sums, tested against worked examples.

use serde::Serialize;
use utoipa::ToSchema;

/// Telemetry summed over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, sqlx::FromRow)]
pub struct Totals {
    /// Σ planned production time, ms.
    pub planned_ms: i64,
    /// Σ run time, ms.
    pub run_ms: i64,
    /// Σ ideal cycle time × total count, ms: the time the good and bad units needed at the
    /// ideal rate.
    pub ideal_ms: i64,
    /// Σ planned time / ideal cycle time: the units the line could have built.
    pub capacity: f64,
    /// Σ units built.
    pub total: i64,
    /// Σ good units.
    pub good: i64,
    /// Intervals summed.
    pub intervals: i64,
}

/// Availability, performance and quality as percentages (0–100, one decimal), and their
/// product; all `null` without telemetry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OeeScores {
    /// Run time / planned time.
    pub availability: Option<f64>,
    /// Ideal time for the units built / run time.
    pub performance: Option<f64>,
    /// Good units / units built.
    pub quality: Option<f64>,
    /// Availability × performance × quality.
    pub oee: Option<f64>,
}

/// `part / whole` as a percentage clamped to 0–100 with one decimal; `None` when `whole` is 0.
pub fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| round1((part / whole * 100.0).clamp(0.0, 100.0)))
}

/// Rounded to one decimal.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// OEE of the summed telemetry. A window with planned time but no run time has availability
/// 0 and OEE 0; performance and quality then have nothing to measure and are `null`.
pub fn oee(t: &Totals) -> OeeScores {
    let availability = percent(t.run_ms as f64, t.planned_ms as f64);
    let performance = percent(t.ideal_ms as f64, t.run_ms as f64);
    let quality = percent(t.good as f64, t.total as f64);
    let oee = match (availability, performance, quality) {
        (Some(a), Some(p), Some(q)) => Some(round1(a * p * q / 10_000.0)),
        (Some(0.0), _, _) => Some(0.0),
        _ => None,
    };
    OeeScores {
        availability,
        performance,
        quality,
        oee,
    }
}

/// Good units as a share of units built, in percent.
pub fn yield_percent(t: &Totals) -> Option<f64> {
    percent(t.good as f64, t.total as f64)
}

/// The index of the bottleneck: the stage with the most work waiting (first in SOP order on a
/// tie), or `None` when nothing waits anywhere.
pub fn bottleneck(wip: &[i64]) -> Option<usize> {
    let max = *wip.iter().max()?;
    (max > 0)
        .then(|| wip.iter().position(|w| *w == max))
        .flatten()
}

/// A count's direction between the previous period and this one: `up` or `down` when it moved
/// by more than 5 %, else `stable`.
pub fn trend(previous: i64, current: i64) -> &'static str {
    let base = previous.max(1) as f64;
    let change = (current - previous) as f64 / base;
    if change > 0.05 {
        "up"
    } else if change < -0.05 {
        "down"
    } else {
        "stable"
    }
}

/// How long ago, as the plant's screens write it: `"45m"`, `"2h 15m"`, `"1d 2h"` (never
/// negative: a time in the future is `"0m"`).
pub fn age(since_ms: i64, now_ms: i64) -> String {
    let minutes = (now_ms - since_ms).max(0) / 60_000;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins}m")
    } else {
        format!("{mins}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shift of 8 h planned (480 min) with 60 min down: run 420 min. Ideal cycle 1 min, 400
    /// units built, 380 good. Availability 420/480 = 87.5 %; performance 400×1/420 = 95.238…
    /// → 95.2 %; quality 380/400 = 95 %; OEE 87.5 × 95.2 × 95 / 10,000 = 79.135 → 79.1 %.
    #[test]
    fn oee_of_a_shift() {
        let minute = 60_000;
        let t = Totals {
            planned_ms: 480 * minute,
            run_ms: 420 * minute,
            ideal_ms: 400 * minute,
            capacity: 480.0,
            total: 400,
            good: 380,
            intervals: 32,
        };
        let s = oee(&t);
        assert_eq!(s.availability, Some(87.5));
        assert_eq!(s.performance, Some(95.2));
        assert_eq!(s.quality, Some(95.0));
        assert_eq!(s.oee, Some(79.1));
        assert_eq!(yield_percent(&t), Some(95.0));
    }

    /// A line that ran faster than its ideal rate (bad telemetry) is held at 100 %, never more.
    #[test]
    fn each_score_stays_between_0_and_100() {
        let t = Totals {
            planned_ms: 100,
            run_ms: 100,
            ideal_ms: 150,
            total: 10,
            good: 10,
            ..Totals::default()
        };
        let s = oee(&t);
        assert_eq!(s.performance, Some(100.0));
        assert_eq!(s.oee, Some(100.0));
    }

    #[test]
    fn no_telemetry_is_null_and_a_stopped_line_is_zero() {
        assert_eq!(
            oee(&Totals::default()),
            OeeScores {
                availability: None,
                performance: None,
                quality: None,
                oee: None
            }
        );
        let stopped = oee(&Totals {
            planned_ms: 1000,
            ..Totals::default()
        });
        assert_eq!(stopped.availability, Some(0.0));
        assert_eq!(stopped.oee, Some(0.0));
        assert_eq!(stopped.quality, None);
        assert_eq!(yield_percent(&Totals::default()), None);
    }

    /// 1,240 built and 1,180 good: 95.16… → 95.2 %.
    #[test]
    fn yield_of_the_dashboard_example() {
        let t = Totals {
            total: 1240,
            good: 1180,
            ..Totals::default()
        };
        assert_eq!(yield_percent(&t), Some(95.2));
    }

    /// WIP S4 12, S5 40, S6 40, S7 3: S5 holds the most (first of the tie), index 1.
    #[test]
    fn the_bottleneck_is_the_first_fullest_queue() {
        assert_eq!(bottleneck(&[12, 40, 40, 3]), Some(1));
        assert_eq!(bottleneck(&[0, 0]), None);
        assert_eq!(bottleneck(&[]), None);
    }

    #[test]
    fn trends_and_ages() {
        assert_eq!(trend(100, 110), "up");
        assert_eq!(trend(100, 103), "stable");
        assert_eq!(trend(100, 80), "down");
        assert_eq!(trend(0, 0), "stable");
        let minute = 60_000;
        assert_eq!(age(0, 45 * minute), "45m");
        assert_eq!(age(0, 135 * minute), "2h 15m");
        assert_eq!(age(0, (24 * 60 + 120) * minute), "1d 2h");
        assert_eq!(age(10 * minute, 0), "0m");
    }
}
