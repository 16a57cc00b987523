//! `/clients/stats`: counts of the live clients by type and activity (the list and CRUD routes
//! are in [`routes`](mod@super::routes)).

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Authorized, Workshop};
use crate::clock::{minutes, now_ms};
use crate::error::Result;
use crate::response::ApiResponse;
use crate::state::AppState;

/// Client counts.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct ClientStats {
    /// Live clients.
    pub total: i64,
    /// Persons.
    pub individual: i64,
    /// Companies.
    pub business: i64,
    /// Clients with at least one active task.
    pub with_active_tasks: i64,
    /// Clients created in the last 30 days.
    pub new_last_30_days: i64,
}

/// Client counts by type and activity (workshop roles).
#[utoipa::path(
    get,
    path = "/clients/stats",
    responses((status = 200, description = "Counts", body = ApiResponse<ClientStats>))
)]
pub async fn client_stats(
    _caller: Authorized<Workshop>,
    State(state): State<AppState>,
) -> Result<ApiResponse<ClientStats>> {
    let stats = sqlx::query_as::<_, ClientStats>(
        "SELECT count(*) AS total, \
           coalesce(sum(CASE WHEN customer_type = 'individual' THEN 1 ELSE 0 END), 0) AS individual, \
           coalesce(sum(CASE WHEN customer_type = 'business' THEN 1 ELSE 0 END), 0) AS business, \
           coalesce(sum(CASE WHEN active_tasks > 0 THEN 1 ELSE 0 END), 0) AS with_active_tasks, \
           coalesce(sum(CASE WHEN created_at >= $1 THEN 1 ELSE 0 END), 0) AS new_last_30_days \
         FROM clients WHERE deleted_at IS NULL",
    )
    .bind(now_ms() - minutes(30 * 24 * 60))
    .fetch_one(&state.db)
    .await?;
    Ok(ApiResponse::ok(stats))
}
