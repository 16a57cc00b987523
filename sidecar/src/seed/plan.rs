//! The tasks' shape: when (about two years around today, working hours, no Sundays), in which
//! status, for whom, by whom without double-booking. The other columns follow from the plan
//! ([`details`](super::details)).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use rand::Rng;
use rand::rngs::StdRng;

use super::people::Technician;
use super::{HOUR_MS, Options, ms, weighted};
use crate::tasks::TaskStatus;

/// Days before today that scheduled dates reach back to (about 18 months).
pub(super) const DAYS_PAST: i64 = 540;
/// Days after today that scheduled dates reach (about 6 months).
const DAYS_AHEAD: i64 = 180;
/// Share of tasks scheduled after today.
const FUTURE_SHARE: f64 = 0.15;
/// Tasks are booked in half-hour cells from 08:00 to 18:00 (20 cells, one bit each).
pub(super) const DAY_START: u32 = 8 * 60;
const DAY_END: u32 = 18 * 60;
const CELL: u32 = 30;
const WHOLE_DAY: u32 = (1 << ((DAY_END - DAY_START) / CELL)) - 1;

/// Statuses by where the scheduled day lies: long past, the last 30 days, today, ahead. Work
/// waiting to be planned (pending, scheduled, assigned) is never in the past: it is overdue.
const OLD: [(TaskStatus, u32); 8] = [
    (TaskStatus::Completed, 56),
    (TaskStatus::Archived, 26),
    (TaskStatus::Cancelled, 8),
    (TaskStatus::Failed, 2),
    (TaskStatus::Invalid, 1),
    (TaskStatus::Overdue, 4),
    (TaskStatus::OnHold, 2),
    (TaskStatus::Draft, 1),
];
const RECENT: [(TaskStatus, u32); 9] = [
    (TaskStatus::Completed, 58),
    (TaskStatus::Archived, 4),
    (TaskStatus::InProgress, 7),
    (TaskStatus::Paused, 3),
    (TaskStatus::OnHold, 5),
    (TaskStatus::Overdue, 12),
    (TaskStatus::Cancelled, 8),
    (TaskStatus::Failed, 2),
    (TaskStatus::Invalid, 1),
];
const TODAY: [(TaskStatus, u32); 7] = [
    (TaskStatus::InProgress, 25),
    (TaskStatus::Paused, 8),
    (TaskStatus::Assigned, 20),
    (TaskStatus::Scheduled, 8),
    (TaskStatus::Completed, 30),
    (TaskStatus::OnHold, 4),
    (TaskStatus::Cancelled, 5),
];
const AHEAD: [(TaskStatus, u32); 6] = [
    (TaskStatus::Pending, 22),
    (TaskStatus::Scheduled, 28),
    (TaskStatus::Assigned, 34),
    (TaskStatus::Draft, 8),
    (TaskStatus::OnHold, 3),
    (TaskStatus::Cancelled, 5),
];
/// Booked minutes of a task with times.
const LENGTHS: [(u32, u32); 6] = [
    (60, 15),
    (90, 20),
    (120, 25),
    (180, 20),
    (240, 12),
    (360, 8),
];

/// How often a task in this status has a technician.
fn technician_share(status: TaskStatus) -> f64 {
    match status {
        TaskStatus::Draft | TaskStatus::Pending => 0.0,
        TaskStatus::Scheduled => 0.3,
        TaskStatus::Invalid => 0.3,
        TaskStatus::Cancelled => 0.5,
        TaskStatus::Overdue => 0.7,
        TaskStatus::OnHold => 0.8,
        TaskStatus::Assigned
        | TaskStatus::InProgress
        | TaskStatus::Paused
        | TaskStatus::Completed
        | TaskStatus::Archived
        | TaskStatus::Failed => 1.0,
    }
}

/// The status an open task gets when no technician is free in its slot.
fn unassigned(status: TaskStatus) -> TaskStatus {
    match status {
        TaskStatus::Assigned => TaskStatus::Scheduled,
        TaskStatus::InProgress | TaskStatus::Paused => TaskStatus::OnHold,
        other => other,
    }
}

/// When the task is booked: times in minutes, or `None` for the whole day.
type Times = Option<(u32, u32)>;

fn random_times(rng: &mut StdRng) -> Times {
    if rng.random_bool(0.08) {
        return None;
    }
    let length = weighted(rng, &LENGTHS);
    let latest = (DAY_END - DAY_START - length) / CELL;
    let start = DAY_START + rng.random_range(0..=latest) * CELL;
    Some((start, start + length))
}

fn cells(times: Times) -> u32 {
    match times {
        None => WHOLE_DAY,
        Some((start, end)) => {
            let (first, last) = ((start - DAY_START) / CELL, (end - DAY_START) / CELL);
            ((1 << last) - 1) & !((1 << first) - 1)
        }
    }
}

/// Which half-hour cells of each technician's days are taken.
struct Schedule {
    technicians: usize,
    busy: HashMap<(usize, NaiveDate), u32>,
}

impl Schedule {
    /// A technician free for `cells` on `date`, starting the search at a random one, and
    /// mark them busy. With `overlap_ok` (a closed task, which books nothing), fall back to
    /// a random technician when all are busy.
    fn book(
        &mut self,
        rng: &mut StdRng,
        date: NaiveDate,
        cells: u32,
        overlap_ok: bool,
    ) -> Option<usize> {
        if self.technicians == 0 {
            return None;
        }
        let first = rng.random_range(0..self.technicians);
        for k in 0..self.technicians {
            let technician = (first + k) % self.technicians;
            let busy = self.busy.entry((technician, date)).or_default();
            if *busy & cells == 0 {
                *busy |= cells;
                return Some(technician);
            }
        }
        overlap_ok.then_some(first)
    }
}

/// A task's shape, decided before its number: the rest is filled in at insert time.
pub(super) struct Plan {
    pub(super) created_at: i64,
    pub(super) date: NaiveDate,
    pub(super) times: Times,
    pub(super) status: TaskStatus,
    pub(super) technician: Option<usize>,
    pub(super) client: Option<usize>,
    pub(super) number: String,
}

/// Days from today of a scheduled date: uniform over the past, thinning out ahead.
fn day_offset(rng: &mut StdRng) -> i64 {
    if rng.random_bool(FUTURE_SHARE) {
        1 + (rng.random::<f64>().powi(2) * (DAYS_AHEAD - 1) as f64) as i64
    } else {
        -rng.random_range(0..=DAYS_PAST)
    }
}

/// Plan `options.tasks` tasks: day, times, status, client and technician, booking an open
/// task's technician only in free cells (or leaving it unassigned, its status adjusted).
pub(super) fn plan(
    rng: &mut StdRng,
    options: &Options,
    technicians: &[Technician],
    clients: usize,
    now: DateTime<Utc>,
) -> Vec<Plan> {
    let today = now.date_naive();
    let now_ms = now.timestamp_millis();
    let mut schedule = Schedule {
        technicians: technicians.len(),
        busy: HashMap::new(),
    };
    (0..options.tasks)
        .map(|_| {
            let mut offset = day_offset(rng);
            // The workshop is closed on Sundays (today excepted: the demo should show work).
            if offset != 0 && (today + TimeDelta::days(offset)).weekday() == Weekday::Sun {
                offset += offset.signum();
            }
            let date = today + TimeDelta::days(offset);
            let table: &[(TaskStatus, u32)] = match offset {
                ..-30 => &OLD,
                -30..0 => &RECENT,
                0 => &TODAY,
                _ => &AHEAD,
            };
            let mut status = weighted(rng, table);
            let mut times = random_times(rng);
            let technician = if rng.random_bool(technician_share(status)) {
                if status.is_closed() {
                    schedule.book(rng, date, cells(times), true)
                } else {
                    // An open task must find free cells: try a few times of day, else nobody.
                    let mut found = schedule.book(rng, date, cells(times), false);
                    for _ in 0..3 {
                        if found.is_some() {
                            break;
                        }
                        times = random_times(rng);
                        found = schedule.book(rng, date, cells(times), false);
                    }
                    if found.is_none() {
                        status = unassigned(status);
                    }
                    found
                }
            } else {
                None
            };
            let client = (clients > 0 && rng.random_bool(0.9))
                .then(|| ((rng.random::<f64>().powf(1.6)) * clients as f64) as usize)
                .map(|c| c.min(clients - 1));
            // Booked up to a month ahead (two for future work), never after now.
            let lead = if offset > 0 {
                offset + rng.random_range(0..=45)
            } else {
                (rng.random::<f64>().powi(2) * 30.0) as i64
            };
            let created_day = date - TimeDelta::days(lead);
            let mut created_at =
                ms(created_day, rng.random_range(7 * 60..19 * 60)) + rng.random_range(0..60_000);
            if created_at >= now_ms {
                created_at = now_ms - rng.random_range(1_000..HOUR_MS);
            }
            Plan {
                created_at,
                date,
                times,
                status,
                technician,
                client,
                number: String::new(),
            }
        })
        .collect()
}
