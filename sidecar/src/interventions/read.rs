//! Reading interventions: one with its steps, its progress, the list (by task, technician,
//! status and start date; the active ones), and a task's active and latest interventions.
//! Workshop staff only: viewers see no interventions, technicians those of their own tasks.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Path, Query};
use crate::interventions::model::{INTERVENTION_COLUMNS, Intervention, InterventionStatus};
use crate::interventions::start::InterventionDetail;
use crate::interventions::store;
use crate::list::{Page, bounds};
use crate::response::ApiResponse;
use crate::scheduling::scope;
use crate::state::AppState;

/// One intervention with its steps and condition warnings.
#[utoipa::path(
    get,
    path = "/interventions/{id}",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The intervention", body = ApiResponse<InterventionDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<InterventionDetail>> {
    let mut conn = state.db.acquire().await?;
    let intervention = store::find_for(&mut *conn, id, &caller.user).await?;
    let steps = store::steps(&mut *conn, id).await?;
    Ok(ApiResponse::ok(InterventionDetail::new(
        intervention,
        steps,
    )))
}

/// How far an intervention is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    /// The intervention.
    pub intervention_id: Uuid,
    /// Its status.
    pub status: InterventionStatus,
    /// % of the mandatory steps completed.
    pub completion_percentage: i64,
    /// The active step's number.
    pub current_step: i64,
    /// Steps in all.
    pub total_steps: i64,
    /// Steps completed or skipped.
    pub completed_steps: i64,
    /// Mandatory steps not yet completed (what finalising waits for).
    pub remaining_mandatory: Vec<String>,
}

/// An intervention's progress.
#[utoipa::path(
    get,
    path = "/interventions/{id}/progress",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The progress", body = ApiResponse<Progress>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn intervention_progress(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Progress>> {
    let mut conn = state.db.acquire().await?;
    let i = store::find_for(&mut *conn, id, &caller.user).await?;
    let steps = store::steps(&mut *conn, id).await?;
    Ok(ApiResponse::ok(Progress {
        intervention_id: i.id,
        status: i.status,
        completion_percentage: i.completion_percentage,
        current_step: i.current_step,
        total_steps: steps.len() as i64,
        completed_steps: steps.iter().filter(|s| s.step_status.is_done()).count() as i64,
        remaining_mandatory: steps
            .iter()
            .filter(|s| s.is_mandatory && !s.step_status.is_done())
            .map(|s| s.step_name.clone())
            .collect(),
    }))
}

/// Filters of the intervention list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InterventionQuery {
    /// The task.
    pub task_id: Option<Uuid>,
    /// The technician (technicians always see only their own).
    pub technician_id: Option<Uuid>,
    /// Status.
    pub status: Option<InterventionStatus>,
    /// Only the active ones (pending, in progress, paused).
    pub active: Option<bool>,
    /// Started on or after this day (`YYYY-MM-DD`, UTC).
    #[param(format = Date, max_length = 10)]
    pub from: Option<String>,
    /// Started on or before this day.
    #[param(format = Date, max_length = 10)]
    pub to: Option<String>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

fn day_ms(field: &str, day: Option<&str>, end: bool) -> Result<Option<i64>> {
    let Some(day) = day else { return Ok(None) };
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "must be a date, YYYY-MM-DD"))?;
    let date = if end {
        date.succ_opt().unwrap_or(date)
    } else {
        date
    };
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis()))
}

/// Interventions, latest started first, by task, technician, status and start date.
#[utoipa::path(
    get,
    path = "/interventions",
    params(InterventionQuery),
    responses(
        (status = 200, description = "A page of interventions", body = ApiResponse<Page<Intervention>>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
    )
)]
pub async fn list_interventions(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Query(query): Query<InterventionQuery>,
) -> Result<ApiResponse<Page<Intervention>>> {
    let (limit, offset) = bounds(query.limit, query.offset)?;
    let from = day_ms("from", query.from.as_deref(), false)?;
    let to = day_ms("to", query.to.as_deref(), true)?;
    let technician = scope(&caller.user).or(query.technician_id);
    let filter = |q: &mut Sql| {
        q.push(" FROM interventions WHERE deleted_at IS NULL");
        if let Some(task) = query.task_id {
            q.push(" AND task_id = ")
                .push_bind(task.hyphenated().to_string());
        }
        if let Some(technician) = technician {
            q.push(" AND technician_id = ")
                .push_bind(technician.hyphenated().to_string());
        }
        if let Some(status) = query.status {
            q.push(" AND status = ").push_bind(status);
        }
        if query.active == Some(true) {
            q.push(" AND status IN ('pending', 'in_progress', 'paused')");
        }
        if let Some(from) = from {
            q.push(" AND started_at >= ").push_bind(from);
        }
        if let Some(to) = to {
            q.push(" AND started_at < ").push_bind(to);
        }
    };
    let mut conn = state.db.acquire().await?;
    let mut count = Sql::new("SELECT count(*)");
    filter(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut rows = Sql::new(format!("SELECT {INTERVENTION_COLUMNS}"));
    filter(&mut rows);
    rows.push(" ORDER BY started_at DESC, created_at DESC LIMIT ")
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::from(offset));
    let items = rows
        .build_query_as::<Intervention>()
        .fetch_all(&mut *conn)
        .await?;
    Ok(ApiResponse::ok(Page {
        items,
        total,
        limit,
        offset,
    }))
}

/// The task's interventions, latest first, as the caller may see them.
async fn of_task(
    state: &AppState,
    task: Uuid,
    caller: &crate::auth::CurrentUser,
) -> Result<Vec<Intervention>> {
    let mut conn = state.db.acquire().await?;
    // A technician asking about another's task learns nothing, as for the task itself.
    crate::tasks::store::find_for(&mut *conn, task, caller).await?;
    let sql = format!(
        "SELECT {INTERVENTION_COLUMNS} FROM interventions WHERE task_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at DESC"
    );
    Ok(sqlx::query_as::<_, Intervention>(sqlx::AssertSqlSafe(sql))
        .bind(task.hyphenated().to_string())
        .fetch_all(&mut *conn)
        .await?)
}

/// A task's interventions, latest first.
#[utoipa::path(
    get,
    path = "/tasks/{id}/interventions",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The interventions", body = ApiResponse<Vec<Intervention>>),
        (status = 404, description = "`NOT_FOUND`: no such task for the caller", body = ErrorEnvelope),
    )
)]
pub async fn task_interventions(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Vec<Intervention>>> {
    Ok(ApiResponse::ok(of_task(&state, id, &caller.user).await?))
}

/// A task's active intervention (`null` when it has none).
#[utoipa::path(
    get,
    path = "/tasks/{id}/interventions/active",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The active intervention, or null", body = ApiResponse<Option<Intervention>>),
        (status = 404, description = "`NOT_FOUND`: no such task for the caller", body = ErrorEnvelope),
    )
)]
pub async fn active_task_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Option<Intervention>>> {
    let all = of_task(&state, id, &caller.user).await?;
    Ok(ApiResponse::ok(
        all.into_iter().find(|i| i.status.is_active()),
    ))
}

/// A task's latest intervention (`null` when it has none).
#[utoipa::path(
    get,
    path = "/tasks/{id}/interventions/latest",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The latest intervention, or null", body = ApiResponse<Option<Intervention>>),
        (status = 404, description = "`NOT_FOUND`: no such task for the caller", body = ErrorEnvelope),
    )
)]
pub async fn latest_task_intervention(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Option<Intervention>>> {
    let all = of_task(&state, id, &caller.user).await?;
    Ok(ApiResponse::ok(all.into_iter().next()))
}
