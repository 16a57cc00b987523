//! The intervention report: a PDF of the whole job (domain facts' `ReportViewModel`: summary,
//! client, vehicle, conditions, steps with their checkpoints and data, materials, photos,
//! quality, the customer's validation and signature), numbered `INT-YYYY-NNNN`, stored under
//! the data dir and listed in `intervention_reports`. Made when an intervention is finalised,
//! and on demand.
//!
//! The PDF is written directly with `pdf-writer`: text in the standard Helvetica (no font to
//! embed), photos as the JPEG bytes of their thumbnails (no decoding or re-encoding), the
//! signature's strokes as PDF paths.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Path;
use crate::interventions::photos;
use crate::interventions::store;
use crate::materials::consumption;
use crate::response::ApiResponse;
use crate::state::AppState;

/// A generated report.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct InterventionReport {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// The intervention.
    #[sqlx(try_from = "StoredId")]
    pub intervention_id: Uuid,
    /// `INT-YYYY-NNNN`.
    #[schema(example = "INT-2026-0001")]
    pub report_number: String,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub generated_at: DateTime<Utc>,
    /// `pdf`.
    pub format: String,
    /// By.
    #[sqlx(try_from = "StoredOptId")]
    pub generated_by: Option<Uuid>,
}

mod pdf;

use pdf::render;

/// Make a report of intervention `id` now: numbered, stored and listed.
pub async fn generate(state: &AppState, id: Uuid, by: Uuid) -> Result<InterventionReport> {
    let (intervention, steps, materials, photos) = {
        let mut conn = state.db.acquire().await?;
        let intervention = store::find(&mut *conn, id).await?;
        let steps = store::steps(&mut *conn, id).await?;
        let materials = consumption::of_intervention(&mut conn, id).await?;
        let photos = photos::of_intervention(&mut conn, id).await?;
        (intervention, steps, materials, photos)
    };
    let mut files = Vec::with_capacity(photos.len());
    for photo in photos {
        let path = photos::file(&state.config.data_dir, &photo.sha256, true);
        if let Ok(jpeg) = tokio::fs::read(&path).await {
            files.push((photo, jpeg));
        }
    }
    let now = now_ms();
    let year = to_datetime(now).year();
    let mut tx = write_transaction(&state.writer).await?;
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO intervention_report_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = intervention_report_counters.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    let number = format!("INT-{year}-{last:04}");
    let pdf = {
        let number = number.clone();
        tokio::task::spawn_blocking(move || {
            render(&number, &intervention, &steps, &materials, files)
        })
        .await
        .map_err(anyhow::Error::from)?
    };
    let relative = format!("reports/{number}.pdf");
    let path = state.config.data_dir.join(&relative);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(anyhow::Error::from)?;
    }
    tokio::fs::write(&path, &pdf)
        .await
        .map_err(anyhow::Error::from)?;
    let report = InterventionReport {
        id: Uuid::new_v4(),
        intervention_id: id,
        report_number: number,
        generated_at: to_datetime(now),
        format: "pdf".into(),
        generated_by: Some(by),
    };
    sqlx::query(
        "INSERT INTO intervention_reports (id, intervention_id, report_number, generated_at, file_path, format, status, generated_by) \
         VALUES ($1, $2, $3, $4, $5, 'pdf', 'generated', $6)",
    )
    .bind(report.id.hyphenated().to_string())
    .bind(id.hyphenated().to_string())
    .bind(&report.report_number)
    .bind(now)
    .bind(&relative)
    .bind(by.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Make the intervention's report now (staff; a technician on their own interventions).
#[utoipa::path(
    post,
    path = "/interventions/{id}/report",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 201, description = "The new report", body = ApiResponse<InterventionReport>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn create_report(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<(StatusCode, ApiResponse<InterventionReport>)> {
    store::find_for(&mut *state.db.acquire().await?, id, &caller.user).await?;
    let report = generate(&state, id, caller.user.id()).await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(report)))
}

/// The intervention's latest report, as a PDF download.
#[utoipa::path(
    get,
    path = "/interventions/{id}/report.pdf",
    params(("id" = Uuid, Path, description = "Intervention id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = [u8]),
        (status = 404, description = "`NOT_FOUND`: no such intervention, or no report yet", body = ErrorEnvelope),
    )
)]
pub async fn download_report(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    store::find_for(&mut *conn, id, &caller.user).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT report_number, file_path FROM intervention_reports WHERE intervention_id = $1 \
         ORDER BY generated_at DESC, report_number DESC LIMIT 1",
    )
    .bind(id.hyphenated().to_string())
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    let (number, relative) = row.ok_or_else(|| Error::NotFound("no report yet".into()))?;
    let bytes = tokio::fs::read(state.config.data_dir.join(relative))
        .await
        .map_err(|_| Error::NotFound("the report's file is missing".into()))?;
    let disposition = format!("attachment; filename=\"{number}.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
