//! Every column of a planned task, consistent with its [`Plan`] (day, times, status, client,
//! technician): vehicle, zones, customer, durations and the timestamps of the work done.

use chrono::{DateTime, Datelike, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::people::{Client, Technician};
use super::plan::{DAY_START, Plan};
use super::words::{
    DESCRIPTIONS, FIRST_NAMES, LAST_NAMES, NOTES, PACKAGES, TASK_TAGS, VEHICLES, ZONES,
};
use super::{DAY_MS, ms, one, phone, uuid, weighted};
use crate::clock::to_datetime;
use crate::tasks::{Priority, Task, TaskStatus};

/// Priorities and their weights.
const PRIORITIES: [(Priority, u32); 4] = [
    (Priority::Low, 20),
    (Priority::Medium, 50),
    (Priority::High, 22),
    (Priority::Urgent, 8),
];

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
        workflow_id: None,
        current_workflow_step_id: None,
        completed_steps: 0,
        created_at: to_datetime(plan.created_at),
        updated_at: to_datetime(updated_at),
        created_by: None,
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}
