//! Who does a task: assignment through the change path, and whether a technician is free.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, Managers, Workshop};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::response::ApiResponse;
use crate::scheduling::{self, Booking, Except};
use crate::state::AppState;
use crate::tasks::change::{self, Change, Lead};
use crate::tasks::model::{Task, TaskStatus, parse_date, parse_time, slot};
use crate::tasks::store::{self};
use crate::validate::Checks;

/// Who should do a task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// An active technician, free in the task's slot; `null` unassigns.
    pub technician_id: Option<Uuid>,
}

/// Assign a task to a technician, or unassign it (admin, supervisor). The technician must be
/// active and have no overlapping task or event; the desktop is notified.
#[utoipa::path(
    post,
    path = "/tasks/{id}/assign",
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The task after the assignment", body = ApiResponse<Task>),
        (status = 400, description = "`VALIDATION_ERROR`: not an active technician", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: booked (`details.conflicts`), or the task is closed", body = ErrorEnvelope),
    )
)]
pub async fn assign(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<AssignRequest>,
) -> Result<ApiResponse<Task>> {
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    let before = store::find(&mut *tx, id).await?;
    if before.status.is_closed() {
        return Err(Error::Conflict {
            message: format!("a {} task cannot be assigned", before.status).into(),
            details: None,
        });
    }
    if request.technician_id == before.technician_id {
        return Ok(ApiResponse::ok(before));
    }
    if request.technician_id.is_none() && before.status == TaskStatus::Assigned {
        return Err(Error::Conflict {
            message: "an assigned task keeps a technician; move its status first".into(),
            details: None,
        });
    }
    let after = Task {
        technician_id: request.technician_id,
        ..before.clone()
    };
    let change = Change {
        before,
        after,
        status_reason: None,
        date_reason: None,
        lead: Lead::Assignment,
    };
    let applied = change::apply(&mut tx, change, by, now_ms()).await?;
    tx.commit().await?;
    applied.publish(&state, by);
    Ok(ApiResponse::ok(applied.task))
}

/// A dry-run of an assignment.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// Technician.
    pub technician_id: Uuid,
    /// Day, `YYYY-MM-DD`.
    #[param(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub date: String,
    /// Start, `HH:MM` (with `end`; without both, the whole day).
    #[param(max_length = 5, pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: Option<String>,
    /// End, `HH:MM`.
    #[param(max_length = 5, pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: Option<String>,
    /// A task to leave out (the one being moved).
    pub exclude_task_id: Option<Uuid>,
}

/// Whether a technician is free.
#[derive(Debug, Serialize, ToSchema)]
pub struct Availability {
    /// An active technician.
    pub technician_ok: bool,
    /// No booking overlaps.
    pub available: bool,
    /// The overlapping bookings.
    pub conflicts: Vec<Booking>,
}

/// Whether a technician could take a slot, without booking it (workshop roles; a technician
/// only for themselves).
#[utoipa::path(
    get,
    path = "/tasks/availability",
    params(AvailabilityQuery),
    responses(
        (status = 200, description = "Availability and conflicts", body = ApiResponse<Availability>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn availability(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<AvailabilityQuery>,
) -> Result<ApiResponse<Availability>> {
    scheduling::ensure_own_bookings(&caller.user, query.technician_id)?;
    let mut checks = Checks::default();
    checks.rule("date", parse_date(&query.date).map(|_| ()));
    for (field, value) in [("start", &query.start), ("end", &query.end)] {
        if let Some(value) = value {
            checks.rule(field, parse_time(value).map(|_| ()));
        }
    }
    checks.check(
        "end",
        query.start.is_some() == query.end.is_some(),
        "give both start and end, or neither",
    );
    checks.check(
        "end",
        match (&query.start, &query.end) {
            (Some(s), Some(e)) => s.trim() < e.trim(),
            _ => true,
        },
        "must be after start",
    );
    checks.finish()?;
    let technician_ok = scheduling::ensure_technician(&state.db, query.technician_id)
        .await
        .is_ok();
    let slot = slot(&query.date, query.start.as_deref(), query.end.as_deref())
        .ok_or_else(|| Error::invalid("date", "is not a date"))?;
    let except = Except {
        task: query.exclude_task_id,
        event: None,
    };
    let conflicts = scheduling::bookings(&state.db, query.technician_id, slot, except).await?;
    Ok(ApiResponse::ok(Availability {
        technician_ok,
        available: technician_ok && conflicts.is_empty(),
        conflicts,
    }))
}
