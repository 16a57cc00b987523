//! A step's photos: uploaded as multipart, checked by their content (JPEG, PNG or WebP, decoded
//! whole), stored re-encoded as JPEG, which leaves their EXIF (GPS included) behind, under the
//! data dir by the SHA-256 of the stored bytes, with a thumbnail; fetched, listed and deleted.
//! Each step counts its photos against its limit.

use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Authorized, WorkshopStaff};
use crate::clock::{now_ms, to_datetime};
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Path, Query};
use crate::interventions::model::InterventionStatus;
use crate::interventions::store;
use crate::response::ApiResponse;
use crate::state::AppState;

mod prepare;

pub(super) use prepare::file;
use prepare::{prepare, write_file};

/// Largest photo accepted, bytes.
pub const MAX_PHOTO_BYTES: usize = 15 * 1024 * 1024;
/// A stored photo.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Photo {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Its intervention.
    #[sqlx(try_from = "StoredId")]
    pub intervention_id: Uuid,
    /// Its step.
    #[sqlx(try_from = "StoredId")]
    pub step_id: Uuid,
    /// SHA-256 of the stored bytes (hex).
    pub sha256: String,
    /// Stored type (always `image/jpeg`).
    pub content_type: String,
    /// Pixels.
    pub width: i64,
    /// Pixels.
    pub height: i64,
    /// Stored size.
    pub bytes: i64,
    /// The name it was uploaded with.
    pub file_name: Option<String>,
    /// Uploaded.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// By.
    #[sqlx(try_from = "StoredOptId")]
    pub created_by: Option<Uuid>,
}

const PHOTO_COLUMNS: &str = "id, intervention_id, step_id, sha256, content_type, width, height, bytes, file_name, created_at, created_by";

/// The multipart form of an upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // the document's description of the form; the handler reads the parts
pub struct PhotoUpload {
    /// The image: JPEG, PNG or WebP, at most 15 MB.
    #[schema(value_type = String, format = Binary)]
    photo: Vec<u8>,
}

/// Read the `photo` part of the form (and its file name).
async fn read_part(mut form: Multipart) -> Result<(Vec<u8>, Option<String>)> {
    let bad = |message: String| Error::invalid("photo", message);
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        if field.name() != Some("photo") {
            continue;
        }
        let name = field.file_name().map(|n| n.chars().take(200).collect());
        let bytes = field.bytes().await.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge {
                limit: Some(MAX_PHOTO_BYTES),
            },
            _ => bad(e.body_text()),
        })?;
        return Ok((bytes.to_vec(), name));
    }
    Err(bad(
        "is required: a multipart form with a `photo` file".into()
    ))
}

/// Upload a photo of a step (staff; a technician on their own interventions). The image is
/// checked by its content, not its name, and stored without its EXIF; the step counts it
/// against its limit (`INTERVENTION_INVALID_STATE` once full, or when the job is over).
#[utoipa::path(
    post,
    path = "/interventions/{id}/steps/{step_id}/photos",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored photo", body = ApiResponse<Photo>),
        (status = 400, description = "`VALIDATION_ERROR`: not an image, or no `photo` part", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: the step is full, or the job is over", body = ErrorEnvelope),
        (status = 413, description = "`PAYLOAD_TOO_LARGE`: over 15 MB", body = ErrorEnvelope),
    )
)]
pub async fn upload_photo(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step_id)): Path<(Uuid, Uuid)>,
    form: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, ApiResponse<Photo>)> {
    let form = form.map_err(|e| Error::UnsupportedMediaType(e.body_text().into()))?;
    let (bytes, file_name) = read_part(form).await?;
    let prepared = tokio::task::spawn_blocking(move || prepare(&bytes))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|message| Error::invalid("photo", message))?;
    let by = caller.user.id();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let intervention = store::find_for(&mut *tx, id, &caller.user).await?;
    if !matches!(
        intervention.status,
        InterventionStatus::InProgress | InterventionStatus::Paused | InterventionStatus::Pending
    ) {
        return Err(Error::InterventionInvalidState(
            format!(
                "the intervention is {}: no more photos",
                intervention.status
            )
            .into(),
        ));
    }
    let steps = store::steps(&mut *tx, id).await?;
    let step = steps
        .iter()
        .find(|s| s.id == step_id)
        .ok_or_else(|| Error::NotFound("no such step in this intervention".into()))?;
    if step.photo_count >= step.max_photos_allowed {
        return Err(Error::InterventionInvalidState(
            format!(
                "step {} holds its {} photos already: delete one first",
                step.step_number, step.max_photos_allowed
            )
            .into(),
        ));
    }
    let photo = Photo {
        id: Uuid::new_v4(),
        intervention_id: id,
        step_id,
        sha256: prepared.sha256.clone(),
        content_type: "image/jpeg".into(),
        width: i64::from(prepared.width),
        height: i64::from(prepared.height),
        bytes: prepared.jpeg.len() as i64,
        file_name,
        created_at: to_datetime(now),
        created_by: Some(by),
    };
    sqlx::query(
        "INSERT INTO intervention_photos (id, intervention_id, step_id, sha256, content_type, width, height, bytes, file_name, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(photo.id.hyphenated().to_string())
    .bind(id.hyphenated().to_string())
    .bind(step_id.hyphenated().to_string())
    .bind(&photo.sha256)
    .bind(&photo.content_type)
    .bind(photo.width)
    .bind(photo.height)
    .bind(photo.bytes)
    .bind(&photo.file_name)
    .bind(now)
    .bind(by.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    count(&mut tx, step_id, now).await?;
    // The files are written once the upload is known to be accepted, and before the row that
    // names them is committed: a refused upload leaves no file, a stored row always has one.
    write_file(
        &file(&state.config.data_dir, &photo.sha256, false),
        &prepared.jpeg,
    )
    .await?;
    write_file(
        &file(&state.config.data_dir, &photo.sha256, true),
        &prepared.thumb,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(photo)))
}

/// Set the step's `photo_count` from its rows.
async fn count(conn: &mut sqlx::AnyConnection, step: Uuid, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE intervention_steps SET photo_count = \
         (SELECT count(*) FROM intervention_photos WHERE step_id = $1), updated_at = $2 WHERE id = $1",
    )
    .bind(step.hyphenated().to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The photos of a step, oldest first.
#[utoipa::path(
    get,
    path = "/interventions/{id}/steps/{step_id}/photos",
    params(("id" = Uuid, Path, description = "Intervention id"), ("step_id" = Uuid, Path, description = "Step id")),
    responses(
        (status = 200, description = "The photos", body = ApiResponse<Vec<Photo>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn list_photos(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, step_id)): Path<(Uuid, Uuid)>,
) -> Result<ApiResponse<Vec<Photo>>> {
    let mut conn = state.db.acquire().await?;
    store::find_for(&mut *conn, id, &caller.user).await?;
    let sql = format!(
        "SELECT {PHOTO_COLUMNS} FROM intervention_photos WHERE intervention_id = $1 AND step_id = $2 ORDER BY created_at, id"
    );
    let photos = sqlx::query_as::<_, Photo>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .bind(step_id.hyphenated().to_string())
        .fetch_all(&mut *conn)
        .await?;
    Ok(ApiResponse::ok(photos))
}

/// The photos of an intervention, in the order of its steps, oldest first within a step.
pub(super) async fn of_intervention(
    conn: &mut sqlx::AnyConnection,
    id: Uuid,
) -> Result<Vec<Photo>> {
    let sql = format!(
        "SELECT {} FROM intervention_photos p JOIN intervention_steps s ON s.id = p.step_id \
         WHERE p.intervention_id = $1 ORDER BY s.step_number, p.created_at, p.id",
        PHOTO_COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(sqlx::query_as::<_, Photo>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_all(conn)
        .await?)
}

async fn find_photo(
    db: impl sqlx::AnyExecutor<'_>,
    intervention: Uuid,
    photo: Uuid,
) -> Result<Photo> {
    let sql = format!(
        "SELECT {PHOTO_COLUMNS} FROM intervention_photos WHERE id = $1 AND intervention_id = $2"
    );
    sqlx::query_as::<_, Photo>(sqlx::AssertSqlSafe(sql))
        .bind(photo.hyphenated().to_string())
        .bind(intervention.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such photo".into()))
}

/// Which file of a photo to fetch.
#[derive(Debug, Default, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoSize {
    /// The stored photo.
    #[default]
    Full,
    /// The thumbnail (at most 320 pixels a side).
    Thumb,
}

/// The query of a photo fetch.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoQuery {
    /// `full` (default) or `thumb`.
    #[param(inline)]
    pub size: Option<PhotoSize>,
}

/// A photo's bytes (`image/jpeg`), full or thumbnail.
#[utoipa::path(
    get,
    path = "/interventions/{id}/photos/{photo_id}",
    params(("id" = Uuid, Path, description = "Intervention id"), ("photo_id" = Uuid, Path, description = "Photo id"), PhotoQuery),
    responses(
        (status = 200, description = "The JPEG", content_type = "image/jpeg", body = [u8]),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_photo(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, photo)): Path<(Uuid, Uuid)>,
    Query(query): Query<PhotoQuery>,
) -> Result<Response> {
    let photo = {
        let mut conn = state.db.acquire().await?;
        store::find_for(&mut *conn, id, &caller.user).await?;
        find_photo(&mut *conn, id, photo).await?
    };
    let thumb = matches!(query.size, Some(PhotoSize::Thumb));
    let path = file(&state.config.data_dir, &photo.sha256, thumb);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| Error::NotFound("the photo's file is missing".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Delete a photo; the step counts one fewer. The file goes when no photo holds it any more.
#[utoipa::path(
    delete,
    path = "/interventions/{id}/photos/{photo_id}",
    params(("id" = Uuid, Path, description = "Intervention id"), ("photo_id" = Uuid, Path, description = "Photo id")),
    responses(
        (status = 200, description = "The deleted photo", body = ApiResponse<Photo>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INTERVENTION_INVALID_STATE`: the job is over", body = ErrorEnvelope),
    )
)]
pub async fn delete_photo(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path((id, photo)): Path<(Uuid, Uuid)>,
) -> Result<ApiResponse<Photo>> {
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let intervention = store::find_for(&mut *tx, id, &caller.user).await?;
    if !intervention.status.is_active() {
        return Err(Error::InterventionInvalidState(
            format!(
                "the intervention is {}: its photos are kept",
                intervention.status
            )
            .into(),
        ));
    }
    let photo = find_photo(&mut *tx, id, photo).await?;
    sqlx::query("DELETE FROM intervention_photos WHERE id = $1")
        .bind(photo.id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    count(&mut tx, photo.step_id, now).await?;
    let crate::db::stored::Flag(still_used) =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM intervention_photos WHERE sha256 = $1)")
            .bind(&photo.sha256)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    if !still_used {
        for thumb in [false, true] {
            let _ =
                tokio::fs::remove_file(file(&state.config.data_dir, &photo.sha256, thumb)).await;
        }
    }
    Ok(ApiResponse::ok(photo))
}
