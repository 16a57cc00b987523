//! `/api/v1/settings`: application-wide settings (admin).

use crate::routing::routes;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::{AdminOnly, Authorized};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::Result;
use crate::extract::Json;
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;

/// Application settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AppSettings {
    /// Whether `POST /auth/signup` may create `viewer` accounts.
    pub signup_enabled: bool,
}

/// Settings to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppSettingsUpdate {
    /// Whether `POST /auth/signup` may create `viewer` accounts.
    pub signup_enabled: Option<bool>,
}

/// Current settings (defaults for keys never set).
pub async fn load(db: &sqlx::AnyPool) -> Result<AppSettings> {
    let enabled: Option<String> =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'signup_enabled'")
            .fetch_optional(db)
            .await?;
    Ok(AppSettings {
        signup_enabled: enabled.is_some_and(|v| v == "true"),
    })
}

/// Application settings.
#[utoipa::path(
    get,
    path = "/settings",
    responses((status = 200, description = "Settings", body = ApiResponse<AppSettings>))
)]
pub async fn get_settings(
    _admin: Authorized<AdminOnly>,
    State(state): State<AppState>,
) -> Result<ApiResponse<AppSettings>> {
    load(&state.db).await.map(ApiResponse::ok)
}

/// Change application settings.
#[utoipa::path(
    patch,
    path = "/settings",
    request_body = AppSettingsUpdate,
    responses((status = 200, description = "Settings after the change", body = ApiResponse<AppSettings>))
)]
pub async fn update_settings(
    admin: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(update): Json<AppSettingsUpdate>,
) -> Result<ApiResponse<AppSettings>> {
    let mut tx = write_transaction(&state.writer).await?;
    if let Some(enabled) = update.signup_enabled {
        sqlx::query(
            "INSERT INTO app_settings (key, value, updated_at, updated_by) VALUES ('signup_enabled', $1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(enabled.to_string())
        .bind(now_ms())
        .bind(admin.user.id().hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    }
    SecurityEvent::new(SecurityEventKind::SettingsChanged, &correlation_id)
        .actor(admin.user.id())
        .details(serde_json::json!({ "signup_enabled": update.signup_enabled }))
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    load(&state.db).await.map(ApiResponse::ok)
}

/// Routes of the settings area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, update_settings))
}
