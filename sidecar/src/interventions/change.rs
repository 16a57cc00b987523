//! The one change path of an intervention. Every route that changes one (a step saved,
//! advanced, failed, approved; a pause, resume, cancel or finalisation) says what the
//! intervention and its steps should become and calls [`apply`] in its own write transaction.
//! [`apply`] checks the status move, writes the steps that changed, works out the progress,
//! writes the intervention and makes its task follow (status, active step, steps done) through
//! the tasks' own change path. After the commit the route publishes [`Applied`].

use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::interventions::model::{Intervention, InterventionStatus, Step};
use crate::interventions::store;
use crate::live::{Audience, EventKind};
use crate::state::AppState;
use crate::tasks::TaskStatus;
use crate::tasks::change::{self as task_change, Lead as TaskLead};

/// What the change was about: the event that announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// Started: `intervention.started`.
    Started,
    /// A step's data or status changed: `intervention.updated`.
    Updated,
    /// A step was completed or skipped and the next one is active: `intervention.step_advanced`.
    Advanced,
    /// Paused, resumed or cancelled: `intervention.status_changed`.
    Status,
    /// Finalised: `intervention.finalized`.
    Finalized,
}

impl Lead {
    fn kind(self) -> EventKind {
        match self {
            Self::Started => EventKind::InterventionStarted,
            Self::Updated => EventKind::InterventionUpdated,
            Self::Advanced => EventKind::InterventionStepAdvanced,
            Self::Status => EventKind::InterventionStatusChanged,
            Self::Finalized => EventKind::InterventionFinalized,
        }
    }
}

/// What [`apply`] did, to publish after the commit.
#[derive(Debug)]
pub struct Applied {
    /// The intervention as stored now.
    pub intervention: Intervention,
    /// Its steps as stored now.
    pub steps: Vec<Step>,
    tasks: Vec<task_change::Applied>,
    lead: Lead,
}

impl Applied {
    /// Announce the change: the task's events, then the intervention's (to managers and the
    /// intervention's technician; viewers see no interventions), and a desktop notification
    /// for a finalised job.
    pub fn publish(&self, state: &AppState, by: Uuid) {
        for task in &self.tasks {
            task.publish(state, by);
        }
        let audience = Audience::crew([self.intervention.technician_id]);
        state
            .live
            .publish(self.lead.kind(), audience, Some(by), &self.intervention);
        if self.lead == Lead::Finalized {
            let i = &self.intervention;
            let title = format!("Intervention on {} finalised", i.vehicle_plate);
            let body = format!(
                "Task {} — {}",
                i.task_number,
                i.client_name.as_deref().unwrap_or("no client")
            );
            crate::desktop::notify(state, Audience::Managers, &title, &body);
        }
    }
}

/// The % of mandatory steps completed.
pub fn progress(steps: &[Step]) -> i64 {
    let mandatory = steps.iter().filter(|s| s.is_mandatory).count() as i64;
    if mandatory == 0 {
        return 100;
    }
    let done = steps
        .iter()
        .filter(|s| s.is_mandatory && s.step_status.is_done())
        .count() as i64;
    done * 100 / mandatory
}

/// The active step: the first that is not behind the technician (the last one when all are).
pub fn active(steps: &[Step]) -> Option<&Step> {
    steps
        .iter()
        .find(|s| !s.step_status.is_done())
        .or(steps.last())
}

/// The `INTERVENTION_INVALID_STATE` error for `from → to`.
pub fn invalid_move(from: InterventionStatus, to: InterventionStatus) -> Error {
    let allowed: Vec<&str> = from.targets().iter().map(|s| s.as_str()).collect();
    Error::InterventionInvalidState(
        format!(
            "an intervention that is {from} cannot become {to} (it may become: {})",
            if allowed.is_empty() {
                "nothing".to_owned()
            } else {
                allowed.join(", ")
            }
        )
        .into(),
    )
}

/// Make the change inside the caller's transaction. `before` is the intervention as read in
/// this transaction and `steps_before` its steps; `after` and `steps_after` what they become
/// (the same steps, in order).
pub async fn apply(
    conn: &mut AnyConnection,
    before: &Intervention,
    mut after: Intervention,
    steps_before: &[Step],
    mut steps_after: Vec<Step>,
    lead: Lead,
    (by, now): (Uuid, i64),
) -> Result<Applied> {
    if after.status != before.status && !before.status.targets().contains(&after.status) {
        return Err(invalid_move(before.status, after.status));
    }
    let at = crate::clock::to_datetime(now);
    for (old, new) in steps_before.iter().zip(steps_after.iter_mut()) {
        if old != new {
            new.updated_at = at;
            store::update_step(conn, new).await?;
        }
    }
    after.completion_percentage = progress(&steps_after);
    after.current_step = active(&steps_after).map_or(1, |s| s.step_number);
    after.updated_at = at;
    store::update(conn, &after).await?;
    let tasks = follow(conn, &after, &steps_after, by, now).await?;
    Ok(Applied {
        intervention: after,
        steps: steps_after,
        tasks,
        lead,
    })
}

/// Announce a new intervention (the task has followed in [`follow`]).
pub fn started(
    intervention: Intervention,
    steps: Vec<Step>,
    tasks: Vec<task_change::Applied>,
) -> Applied {
    Applied {
        intervention,
        steps,
        tasks,
        lead: Lead::Started,
    }
}

/// Make the intervention's task follow it: its status (in progress, paused, completed,
/// cancelled with the intervention), its link to the intervention, the active step and how
/// many steps are done. Each status move goes through the tasks' change path, so it is checked
/// by the task's state machine and kept in its history.
pub async fn follow(
    conn: &mut AnyConnection,
    intervention: &Intervention,
    steps: &[Step],
    by: Uuid,
    now: i64,
) -> Result<Vec<task_change::Applied>> {
    let target = match intervention.status {
        InterventionStatus::Pending | InterventionStatus::InProgress => TaskStatus::InProgress,
        InterventionStatus::Paused => TaskStatus::Paused,
        InterventionStatus::Completed | InterventionStatus::Archived => TaskStatus::Completed,
        InterventionStatus::Cancelled => TaskStatus::Cancelled,
    };
    let mut task = crate::tasks::store::find(&mut *conn, intervention.task_id).await?;
    let completed_steps = steps.iter().filter(|s| s.step_status.is_done()).count() as i64;
    let current = active(steps).map(|s| s.id);
    // A paused job that is finalised resumes first: the task's machine has no paused → completed.
    let mut moves = Vec::new();
    if task.status == TaskStatus::Paused && target == TaskStatus::Completed {
        moves.push(TaskStatus::InProgress);
    }
    if task.status != target {
        moves.push(target);
    }
    let mut applied = Vec::new();
    let linked = task.workflow_id == Some(intervention.id)
        && task.current_workflow_step_id == current
        && task.completed_steps == completed_steps;
    if moves.is_empty() && linked {
        return Ok(applied);
    }
    let link = |mut t: crate::tasks::Task| {
        t.workflow_id = Some(intervention.id);
        t.current_workflow_step_id = current;
        t.completed_steps = completed_steps;
        t
    };
    if moves.is_empty() {
        let change = task_change::Change {
            after: link(task.clone()),
            before: task,
            status_reason: None,
            date_reason: None,
            lead: TaskLead::Edit,
        };
        applied.push(task_change::apply(conn, change, by, now).await?);
        return Ok(applied);
    }
    let reason = format!("intervention {}", intervention.status);
    for to in moves {
        let mut after = link(task.clone());
        after.status = to;
        let change = task_change::Change {
            before: task,
            after,
            status_reason: Some(&reason),
            date_reason: None,
            lead: TaskLead::Status,
        };
        let done = task_change::apply(conn, change, by, now).await?;
        task = done.task.clone();
        applied.push(done);
    }
    Ok(applied)
}
