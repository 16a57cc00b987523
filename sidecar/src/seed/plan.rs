//! The tasks' shape: when (about two years around today, working hours, no Sundays), in which
//! status, for whom, by whom without double-booking, then every column consistent with that.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use rand::Rng;
use rand::rngs::StdRng;

use super::people::{Client, Technician};
use super::words::{
    DESCRIPTIONS, FIRST_NAMES, LAST_NAMES, NOTES, PACKAGES, TASK_TAGS, VEHICLES, ZONES,
};
use super::{DAY_MS, HOUR_MS, Options, ms, one, phone, uuid, weighted};
use crate::clock::to_datetime;
use crate::tasks::{Priority, Task, TaskStatus};

/// Days before today that scheduled dates reach back to (about 18 months).
pub(super) const DAYS_PAST: i64 = 540;
/// Days after today that scheduled dates reach (about 6 months).
const DAYS_AHEAD: i64 = 180;
/// Share of tasks scheduled after today.
const FUTURE_SHARE: f64 = 0.15;
/// Tasks are booked in half-hour cells from 08:00 to 18:00 (20 cells, one bit each).
const DAY_START: u32 = 8 * 60;
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
const PRIORITIES: [(Priority, u32); 4] = [
    (Priority::Low, 20),
    (Priority::Medium, 50),
    (Priority::High, 22),
    (Priority::Urgent, 8),
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
    date: NaiveDate,
    times: Times,
    status: TaskStatus,
    technician: Option<usize>,
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

/// A French plate (`AB-123-CD`; no I, O or U).
fn plate(rng: &mut StdRng) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTVWXYZ";
    let mut letter = || char::from(one(rng, LETTERS));
    let (a, b, c, d) = (letter(), letter(), letter(), letter());
    format!("{a}{b}-{:03}-{c}{d}", rng.random_range(1..1000))
}

/// A 17-character VIN of the ISO alphabet.
fn vin(rng: &mut StdRng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    (0..17).map(|_| char::from(one(rng, ALPHABET))).collect()
}

/// The package's title and its zones.
fn zones(rng: &mut StdRng) -> (&'static str, Vec<String>) {
    let (name, mut mask) = weighted(rng, &PACKAGES);
    while mask == 0 {
        mask = rng.random::<u8>() & rng.random::<u8>();
    }
    let list = ZONES
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, zone)| (*zone).to_owned())
        .collect();
    (name, list)
}

/// Fill in a planned task: vehicle, zones, customer, durations and timestamps consistent with
/// its status (started and completed times only where the work happened, never after now).
pub(super) fn details(
    rng: &mut StdRng,
    plan: &Plan,
    clients: &[Client],
    technicians: &[Technician],
    now: DateTime<Utc>,
) -> Task {
    use TaskStatus::*;
    let now_ms = now.timestamp_millis();
    let status = plan.status;
    let (make, models) = one(rng, &VEHICLES);
    let model = one(rng, &models);
    let (package, zones) = zones(rng);
    let client = plan.client.and_then(|c| clients.get(c));
    let (customer_name, customer_email, customer_phone) = match client {
        Some(c) => (Some(c.name.clone()), c.email.clone(), c.phone.clone()),
        None if rng.random_bool(0.8) => {
            let name = format!("{} {}", one(rng, &FIRST_NAMES), one(rng, &LAST_NAMES));
            (Some(name), None, rng.random_bool(0.7).then(|| phone(rng)))
        }
        None => (None, None, None),
    };
    let (slot_start, booked) = match plan.times {
        Some((start, end)) => (ms(plan.date, start), i64::from(end - start)),
        None => (ms(plan.date, DAY_START), 480),
    };
    let worked = matches!(status, InProgress | Paused | Completed | Archived | Failed)
        || (status == OnHold && rng.random_bool(0.3));
    let started_at = worked.then(|| {
        slot_start
            .max(plan.created_at + 60_000)
            .min(now_ms - 60_000)
            .max(plan.created_at)
    });
    let actual = (matches!(status, Completed | Archived)
        || (status == Failed && rng.random_bool(0.5)))
    .then(|| (booked as f64 * rng.random_range(0.8..1.3) / 5.0).round() as i64 * 5);
    let completed_at = match (status, started_at, actual) {
        (Completed | Archived, Some(started), Some(minutes)) => {
            Some((started + minutes * 60_000).min(now_ms).max(started))
        }
        _ => None,
    };
    let assigned_at = plan.technician.map(|_| {
        let latest = slot_start.min(now_ms).max(plan.created_at);
        rng.random_range(plan.created_at..=latest)
    });
    let archived_at = (status == Archived).then(|| {
        let done = completed_at.unwrap_or(plan.created_at);
        (done + rng.random_range(7..60) * DAY_MS)
            .min(now_ms)
            .max(done)
    });
    let updated_at = [assigned_at, started_at, completed_at, archived_at]
        .into_iter()
        .flatten()
        .fold(plan.created_at, i64::max);
    let year = rng.random_range(2012..=now.year());
    let tags = if rng.random_bool(0.15) {
        vec![one(rng, &TASK_TAGS).to_owned()]
    } else {
        Vec::new()
    };
    let time = |ms: Option<i64>| ms.map(to_datetime);
    Task {
        id: uuid(rng),
        task_number: plan.number.clone(),
        title: format!("{package} – {make} {model}"),
        description: rng
            .random_bool(0.4)
            .then(|| one(rng, &DESCRIPTIONS).to_owned()),
        vehicle_plate: plate(rng),
        vehicle_model: model.to_owned(),
        vehicle_make: Some(make.to_owned()),
        vehicle_year: rng.random_bool(0.7).then(|| year.to_string()),
        vin: rng.random_bool(0.35).then(|| vin(rng)),
        ppf_zones: zones,
        custom_ppf_zones: Vec::new(),
        status,
        priority: weighted(rng, &PRIORITIES),
        technician_id: plan
            .technician
            .and_then(|t| technicians.get(t))
            .map(|t| t.id),
        assigned_at: time(assigned_at),
        assigned_by: None,
        scheduled_date: plan.date.to_string(),
        start_time: plan.times.map(|(start, _)| hhmm(start)),
        end_time: plan.times.map(|(_, end)| hhmm(end)),
        client_id: client.map(|c| c.id),
        customer_name,
        customer_email,
        customer_phone,
        customer_address: client.map(|c| format!("{}, {} {}", c.street, c.town.1, c.town.0)),
        lot_film: started_at.map(|t| {
            let day = DateTime::from_timestamp_millis(t).unwrap_or_default();
            format!("LOT-{}-{:03}", day.format("%y%m"), rng.random_range(1..40))
        }),
        checklist_completed: matches!(status, Completed | Archived)
            || (status == InProgress && rng.random_bool(0.3)),
        notes: rng.random_bool(0.12).then(|| one(rng, &NOTES).to_owned()),
        tags,
        estimated_duration: Some(booked),
        actual_duration: actual,
        started_at: time(started_at),
        completed_at: time(completed_at),
        created_at: to_datetime(plan.created_at),
        updated_at: to_datetime(updated_at),
        created_by: None,
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}
