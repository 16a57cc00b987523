//! `GET /tasks/stats`: counts, completion, durations and priorities, in one SQL pass.

use std::collections::BTreeMap;

use crate::db::Sql;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, Workshop};
use crate::error::{ErrorEnvelope, Result};
use crate::extract::Query;
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::filter::{TaskFilter, date_range};
use crate::tasks::model::{Priority, TaskStatus};
use crate::tasks::store;

/// Date range of the statistics.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Tasks scheduled on or after (`YYYY-MM-DD`).
    #[param(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<String>,
    /// Tasks scheduled on or before (`YYYY-MM-DD`).
    #[param(format = Date, max_length = 10, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub to: Option<String>,
}

/// Task statistics over a date range.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskStats {
    /// Live tasks in the range.
    pub total: i64,
    /// Count per status (every status, zeros included).
    pub by_status: BTreeMap<String, i64>,
    /// Completed (or archived after completion).
    pub completed: i64,
    /// `completed / total` in percent (0 without tasks), one decimal.
    pub completion_rate: f64,
    /// Mean `actual_duration` in minutes per status, over tasks that have one (`null`: none).
    pub average_duration_by_status: BTreeMap<String, Option<f64>>,
    /// Count per priority (every priority, zeros included).
    pub by_priority: BTreeMap<String, i64>,
    /// Open tasks whose day has passed, or marked `overdue`.
    pub overdue: i64,
    /// Range start used.
    pub from: Option<String>,
    /// Range end used.
    pub to: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Group {
    status: TaskStatus,
    priority: Priority,
    count: i64,
    duration_sum: Option<i64>,
    duration_count: i64,
    overdue: i64,
}

/// Statistics of the tasks scheduled in a range (workshop roles; a technician their own).
#[utoipa::path(
    get,
    path = "/tasks/stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "Statistics", body = ApiResponse<TaskStats>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad date", body = ErrorEnvelope),
    )
)]
pub async fn task_stats(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<StatsQuery>,
) -> Result<ApiResponse<TaskStats>> {
    let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
    let filter = TaskFilter::range(from.clone(), to.clone(), store::scope(&caller.user));
    let today = Utc::now().date_naive().to_string();
    let mut sql = Sql::new(
        "SELECT status, priority, count(*) AS count, CAST(sum(actual_duration) AS BIGINT) AS duration_sum, \
           count(actual_duration) AS duration_count, \
           sum(CASE WHEN status = 'overdue' OR (scheduled_date < ",
    );
    sql.push_bind(today).push(
        " AND status NOT IN ('completed', 'cancelled', 'archived', 'failed', 'invalid')) THEN 1 ELSE 0 END) AS overdue",
    );
    filter.push(&mut sql);
    sql.push(" GROUP BY status, priority");
    let groups: Vec<Group> = sql.build_query_as().fetch_all(&state.db).await?;

    let mut by_status: BTreeMap<String, i64> =
        TaskStatus::ALL.iter().map(|s| (s.to_string(), 0)).collect();
    let mut by_priority: BTreeMap<String, i64> = Priority::ALL
        .iter()
        .map(|p| (p.as_str().to_owned(), 0))
        .collect();
    let mut durations: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let (mut total, mut completed, mut overdue) = (0, 0, 0);
    for group in groups {
        total += group.count;
        overdue += group.overdue;
        if matches!(group.status, TaskStatus::Completed | TaskStatus::Archived) {
            completed += group.count;
        }
        *by_status.entry(group.status.to_string()).or_default() += group.count;
        *by_priority
            .entry(group.priority.as_str().to_owned())
            .or_default() += group.count;
        let entry = durations.entry(group.status.to_string()).or_default();
        entry.0 += group.duration_sum.unwrap_or(0);
        entry.1 += group.duration_count;
    }
    let average_duration_by_status = TaskStatus::ALL
        .iter()
        .map(|status| {
            let (sum, count) = durations.get(status.as_str()).copied().unwrap_or_default();
            let mean = (count > 0).then(|| round1(sum as f64 / count as f64));
            (status.to_string(), mean)
        })
        .collect();
    let completion_rate = if total > 0 {
        round1(completed as f64 * 100.0 / total as f64)
    } else {
        0.0
    };
    Ok(ApiResponse::ok(TaskStats {
        total,
        by_status,
        completed,
        completion_rate,
        average_duration_by_status,
        by_priority,
        overdue,
        from,
        to,
    }))
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
