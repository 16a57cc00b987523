//! The one change path of a task. Every route that changes a task (edit, transition, assign,
//! delay, schedule) says what the task should become and calls [`apply`] inside its own write
//! transaction; [`apply`] checks the move, the technician and the booking, writes the row and its
//! history, and brings the task's booking events along. After the commit, the route publishes
//! what [`Applied`] says happened ([`Applied::publish`]).

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::live::{Audience, EventKind};
use crate::scheduling::{self, Except, Followed};
use crate::state::AppState;
use crate::tasks::model::{Task, TaskStatus, booked_slot};
use crate::tasks::store::{self, Entry, HistoryEvent};
use sqlx::AnyConnection;

/// Which event leads the announcement of a change: the one the request was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// An edit (fields, a new date, a schedule): `task.updated` first, then what else moved.
    Edit,
    /// A status move: `task.status_changed`, then `task.updated`.
    Status,
    /// A new technician: `task.assigned`, then `task.updated`.
    Assignment,
}

/// What a task becomes, and why.
#[derive(Debug)]
pub struct Change<'a> {
    /// The task as it is (read in this transaction).
    pub before: Task,
    /// The task as it should be. Its status, schedule and technician are checked here; its
    /// `updated_at`, `started_at`, `completed_at` and `assigned_*` are set here.
    pub after: Task,
    /// Kept in the history with a status move.
    pub status_reason: Option<&'a str>,
    /// Kept in the history with a new date.
    pub date_reason: Option<&'a str>,
    /// What the request was about.
    pub lead: Lead,
}

/// What [`apply`] did, to publish after the commit.
#[derive(Debug)]
pub struct Applied {
    /// The task before.
    pub before: Task,
    /// The task as stored now.
    pub task: Task,
    /// Booking events that followed the task.
    pub followed: Vec<Followed>,
    lead: Lead,
}

impl Applied {
    /// Whether the technician changed.
    pub fn reassigned(&self) -> bool {
        self.task.technician_id != self.before.technician_id
    }

    /// Announce the change on the live stream (and the desktop, for a new technician): the
    /// booking events first, then the task's events in the order of its [`Lead`].
    pub fn publish(&self, state: &AppState, by: Uuid) {
        scheduling::announce(state, &self.followed, by);
        let audience = Audience::task([self.before.technician_id, self.task.technician_id]);
        let moved = self.task.status != self.before.status;
        let assigned = self.reassigned();
        let kinds: Vec<EventKind> = match self.lead {
            Lead::Edit => [
                Some(EventKind::TaskUpdated),
                moved.then_some(EventKind::TaskStatusChanged),
                (assigned && self.task.technician_id.is_some()).then_some(EventKind::TaskAssigned),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Lead::Status => vec![EventKind::TaskStatusChanged, EventKind::TaskUpdated],
            Lead::Assignment => vec![EventKind::TaskAssigned, EventKind::TaskUpdated],
        };
        for kind in kinds {
            state
                .live
                .publish(kind, audience.clone(), Some(by), &self.task);
        }
        if assigned && self.task.technician_id.is_some() {
            notify_assignment(state, &self.task);
        }
    }
}

/// Tell the desktop of the technician a task was just assigned to (on a team server, that
/// technician's desktops only); never delays or fails the request.
pub fn notify_assignment(state: &AppState, task: &Task) {
    let Some(technician) = task.technician_id else {
        return;
    };
    let title = format!("Task {} assigned", task.task_number);
    let body = format!(
        "{} — {} {}",
        task.title,
        task.scheduled_date,
        task.start_time.as_deref().unwrap_or_default()
    );
    crate::desktop::notify(state, Audience::Only(vec![technician]), &title, body.trim());
}

/// Make `change` inside the caller's transaction: the status move must be one the state machine
/// allows, a new technician must be active, and a technician must be free in the slot when
/// either changes (unless the task is closed). Writes the task, its history, and its booking
/// events.
pub async fn apply(
    conn: &mut AnyConnection,
    change: Change<'_>,
    by: Uuid,
    now: i64,
) -> Result<Applied> {
    let Change {
        before,
        mut after,
        status_reason,
        date_reason,
        lead,
    } = change;
    let id = before.id;
    let at = crate::clock::to_datetime(now);
    let moved = after.status != before.status;
    if moved && !before.status.can_move_to(after.status) {
        return Err(store::invalid_transition(before.status, after.status));
    }
    if after.status == TaskStatus::Assigned && after.technician_id.is_none() {
        return Err(Error::invalid(
            "technician_id",
            "is required for an assigned task",
        ));
    }
    let reassigned = after.technician_id != before.technician_id;
    if let Some(technician) = after.technician_id.filter(|_| reassigned) {
        scheduling::ensure_technician(&mut *conn, technician).await?;
    }
    let rescheduled = after.scheduled_date != before.scheduled_date
        || after.start_time != before.start_time
        || after.end_time != before.end_time;
    if let Some(technician) = after.technician_id.filter(|_| reassigned || rescheduled)
        && !after.status.is_closed()
    {
        let booked = booked_slot(
            &after.scheduled_date,
            after.start_time.as_deref(),
            after.end_time.as_deref(),
        )?;
        scheduling::ensure_free(&mut *conn, technician, booked, Except::task(id)).await?;
    }

    after.updated_at = at;
    if reassigned {
        after.assigned_at = after.technician_id.map(|_| at);
        after.assigned_by = after.technician_id.map(|_| by);
    }
    if moved && after.status == TaskStatus::InProgress {
        after.started_at = after.started_at.or(Some(at));
    }
    if moved && after.status == TaskStatus::Completed {
        after.completed_at = Some(at);
    }
    store::update(conn, &after, by).await?;

    if after.scheduled_date != before.scheduled_date {
        let entry = Entry::value(
            HistoryEvent::Delayed,
            Some(before.scheduled_date.clone()),
            Some(after.scheduled_date.clone()),
        );
        store::record(conn, id, entry.because(date_reason), by, now).await?;
    }
    if reassigned {
        let entry = Entry::value(
            HistoryEvent::Assigned,
            before.technician_id.map(|t| t.to_string()),
            after.technician_id.map(|t| t.to_string()),
        );
        store::record(conn, id, entry, by, now).await?;
    }
    if moved {
        let entry = Entry::status(Some(before.status), after.status);
        store::record(conn, id, entry.because(status_reason), by, now).await?;
    }
    let task = store::find(&mut *conn, id).await?;
    let followed = scheduling::follow_task(conn, id, by, now).await?;
    Ok(Applied {
        before,
        task,
        followed,
        lead,
    })
}
