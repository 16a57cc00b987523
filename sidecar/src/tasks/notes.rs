//! Notes on a task: read by whoever may see the task, added by staff.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Workshop, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::stored::{Millis, StoredId, StoredOptId};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::model::text;
use crate::tasks::store::{self};

/// A note on a task.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct TaskNote {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Task.
    #[sqlx(try_from = "StoredId")]
    pub task_id: Uuid,
    /// Text.
    pub body: String,
    /// When.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Author.
    #[sqlx(try_from = "StoredOptId")]
    pub created_by: Option<Uuid>,
    /// Author's name.
    pub author_name: Option<String>,
}

const NOTE_SELECT: &str = "SELECT n.id, n.task_id, n.body, n.created_at, n.created_by, \
    u.first_name || ' ' || u.last_name AS author_name \
    FROM task_notes n LEFT JOIN users u ON u.id = n.created_by";

/// A task's notes, oldest first (workshop roles; a technician their own tasks).
#[utoipa::path(
    get,
    path = "/tasks/{id}/notes",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The notes", body = ApiResponse<Vec<TaskNote>>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn list_notes(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Vec<TaskNote>>> {
    store::find_for(&state.db, id, &caller.user).await?;
    let rows: Vec<TaskNote> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{NOTE_SELECT} WHERE n.task_id = $1 ORDER BY n.created_at, n.rowid"
    )))
    .bind(id.hyphenated().to_string())
    .fetch_all(&state.db)
    .await?;
    Ok(ApiResponse::ok(rows.into_iter().collect()))
}

/// A new note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"[^\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    /// Text (1–2,000 characters).
    pub body: String,
}

/// Add a note to a task (admin, supervisor; a technician to their own tasks).
#[utoipa::path(
    post,
    path = "/tasks/{id}/notes",
    params(("id" = Uuid, Path, description = "Task id")),
    request_body = NoteRequest,
    responses(
        (status = 201, description = "The note", body = ApiResponse<TaskNote>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn add_note(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(request): Json<NoteRequest>,
) -> Result<(StatusCode, ApiResponse<TaskNote>)> {
    let body = text(&request.body).unwrap_or_default();
    let len = body.chars().count();
    if !(1..=2000).contains(&len) {
        return Err(Error::invalid("body", "must be 1 to 2000 characters"));
    }
    let task = store::find_for(&state.db, id, &caller.user).await?;
    let note = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO task_notes (id, task_id, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(note.hyphenated().to_string())
    .bind(id.hyphenated().to_string())
    .bind(&body)
    .bind(now_ms())
    .bind(caller.user.id().hyphenated().to_string())
    .execute(&state.writer)
    .await?;
    let row: TaskNote = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{NOTE_SELECT} WHERE n.id = $1"
    )))
    .bind(note.hyphenated().to_string())
    .fetch_one(&state.db)
    .await?;
    let note = row;
    state.live.publish(
        EventKind::TaskNoteAdded,
        Audience::task([task.technician_id]),
        Some(caller.user.id()),
        &note,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(note)))
}
