//! `/materials/stats`: what the stock is worth, how many materials are low or expired, and what
//! was consumed over a period.

use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::today;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Query;
use crate::response::ApiResponse;
use crate::state::AppState;

/// The period of the consumption figures.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// From (RFC 3339; default 30 days before `to`).
    pub from: Option<DateTime<Utc>>,
    /// To (RFC 3339; default now).
    pub to: Option<DateTime<Utc>>,
}

/// The inventory's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialStats {
    /// Live materials.
    pub total_materials: i64,
    /// Of which active.
    pub active_materials: i64,
    /// Σ current stock × unit cost, in cents.
    pub stock_value: i64,
    /// At or below their reorder point.
    pub low_stock: i64,
    /// Past their expiry date.
    pub expired: i64,
    /// The period of the consumption figures.
    pub from: DateTime<Utc>,
    /// End of the period.
    pub to: DateTime<Utc>,
    /// Consumption rows recorded in the period.
    pub consumption_records: i64,
    /// Their cost, in cents.
    pub consumption_cost: i64,
    /// Their waste cost, in cents (waste × unit cost).
    pub waste_cost: i64,
}

/// Stock value, low and expired counts, consumption over a period (staff).
#[utoipa::path(
    get,
    path = "/materials/stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "The figures", body = ApiResponse<MaterialStats>),
        (status = 400, description = "`VALIDATION_ERROR`: `from` after `to`", body = ErrorEnvelope),
    )
)]
pub async fn material_stats(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Query(query): Query<StatsQuery>,
) -> Result<ApiResponse<MaterialStats>> {
    let to = query.to.unwrap_or_else(Utc::now);
    let from = query.from.unwrap_or(to - chrono::TimeDelta::days(30));
    if from > to {
        return Err(Error::invalid("from", "must not be after `to`"));
    }
    let day = today().format("%Y-%m-%d").to_string();
    let mut conn = state.db.acquire().await?;
    let (total, active, value, low, expired): (i64, i64, f64, i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(SUM(CASE WHEN is_active THEN 1 ELSE 0 END), 0), COALESCE(SUM(current_stock * unit_cost), 0.0), \
         COALESCE(SUM(CASE WHEN current_stock <= reorder_point THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN expiry_date < $1 THEN 1 ELSE 0 END), 0) \
         FROM materials WHERE deleted_at IS NULL",
    )
    .bind(&day)
    .fetch_one(&mut *conn)
    .await?;
    let (records, cost, waste): (i64, i64, f64) = sqlx::query_as(
        "SELECT count(*), CAST(COALESCE(SUM(total_cost), 0) AS BIGINT), COALESCE(SUM(waste_quantity * unit_cost), 0.0) \
         FROM material_consumption WHERE recorded_at >= $1 AND recorded_at <= $2",
    )
    .bind(from.timestamp_millis())
    .bind(to.timestamp_millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok(ApiResponse::ok(MaterialStats {
        total_materials: total,
        active_materials: active,
        stock_value: value.round() as i64,
        low_stock: low,
        expired,
        from,
        to,
        consumption_records: records,
        consumption_cost: cost,
        waste_cost: waste.round() as i64,
    }))
}
