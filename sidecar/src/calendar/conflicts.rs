//! `/calendar/conflicts`: a dry run of a booking, listing the technician's tasks and events in
//! the way without changing anything.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Workshop};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::response::ApiResponse;
use crate::scheduling::{self, Booking, Except};
use crate::state::AppState;

/// A slot to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// Technician.
    pub technician_id: Uuid,
    /// Start, RFC 3339.
    pub start: DateTime<Utc>,
    /// End, RFC 3339, after the start.
    pub end: DateTime<Utc>,
    /// An event to leave out (the one being moved).
    pub exclude_event_id: Option<Uuid>,
    /// A task (and its events) to leave out.
    pub exclude_task_id: Option<Uuid>,
}

/// Bookings in the way.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conflicts {
    /// No booking overlaps.
    pub available: bool,
    /// The overlapping tasks and events.
    pub conflicts: Vec<Booking>,
}

/// The technician's tasks and events overlapping a slot (workshop roles; a technician only
/// for themselves).
#[utoipa::path(
    post,
    path = "/calendar/conflicts",
    request_body = ConflictRequest,
    responses(
        (status = 200, description = "Conflicts", body = ApiResponse<Conflicts>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn conflicts(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Json(request): Json<ConflictRequest>,
) -> Result<ApiResponse<Conflicts>> {
    scheduling::ensure_own_bookings(&caller.user, request.technician_id)?;
    if request.end <= request.start {
        return Err(Error::invalid("end", "must be after start"));
    }
    let except = Except {
        task: request.exclude_task_id,
        event: request.exclude_event_id,
    };
    let slot = (
        request.start.timestamp_millis(),
        request.end.timestamp_millis(),
    );
    let conflicts = scheduling::bookings(&state.db, request.technician_id, slot, except).await?;
    Ok(ApiResponse::ok(Conflicts {
        available: conflicts.is_empty(),
        conflicts,
    }))
}
