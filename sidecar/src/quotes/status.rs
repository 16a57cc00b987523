//! A quote's moves: `POST /quotes/{id}/status` by the state machine of domain facts (send,
//! accept, reject, ask for changes, back to draft, expire by hand), and `POST
//! /quotes/{id}/convert`, which makes an accepted quote's task in the same transaction.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Managers, Role};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::{Audience, EventKind};
use crate::quotes::model::{ItemKind, QuoteStatus};
use crate::quotes::store::{self, QuoteDetail};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::{Task, TaskFields, TaskStatus};
use crate::validate::text;

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteTransition {
    /// Where to: `sent`, `accepted`, `rejected`, `changes_requested`, `draft`, `expired`
    /// (admins only); `converted` is `POST /quotes/{id}/convert`.
    pub to: QuoteStatus,
    /// Why (the client's answer, the changes asked).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

fn refused(from: QuoteStatus, to: QuoteStatus) -> Error {
    Error::InvalidTransition {
        from: from.to_string(),
        to: to.to_string(),
        allowed: from.targets().iter().map(|s| s.to_string()).collect(),
    }
}

/// Move a quote (supervisor, admin; expiring by hand is for admins). A quote with no lines
/// cannot be sent; a quote past its last day has expired and moves no more.
#[utoipa::path(
    post,
    path = "/quotes/{id}/status",
    params(("id" = Uuid, Path, description = "Quote id")),
    request_body = QuoteTransition,
    responses(
        (status = 200, description = "The quote after the move", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: no lines to send, or a long reason", body = ErrorEnvelope),
        (status = 403, description = "`AUTHORIZATION_ERROR`: expiring by hand is for admins", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION` with the allowed moves", body = ErrorEnvelope),
    )
)]
pub async fn transition_quote(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<QuoteTransition>,
) -> Result<ApiResponse<QuoteDetail>> {
    let reason = body.reason.as_deref().and_then(text);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(Error::invalid("reason", "must be at most 500 characters"));
    }
    if body.to == QuoteStatus::Expired && caller.user.role() != Role::Admin {
        return Err(Error::Forbidden(
            "only an admin expires a quote by hand".into(),
        ));
    }
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    store::expire_due_in(&mut tx).await?;
    let quote = store::find(&mut tx, id).await?;
    if body.to == QuoteStatus::Converted || !quote.status.targets().contains(&body.to) {
        return Err(refused(quote.status, body.to));
    }
    if body.to == QuoteStatus::Sent && store::items(&mut tx, id).await?.is_empty() {
        return Err(Error::invalid(
            "items",
            "a quote with no lines cannot be sent",
        ));
    }
    let now = now_ms();
    // The moment of the move, stamped once more where the status names one.
    let stamp = match body.to {
        QuoteStatus::Sent => ", sent_at = $2",
        QuoteStatus::Accepted | QuoteStatus::Rejected | QuoteStatus::ChangesRequested => {
            ", answered_at = $2"
        }
        _ => "",
    };
    let sql = format!("UPDATE quotes SET status = $1, updated_at = $2{stamp} WHERE id = $3");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(body.to)
        .bind(now)
        .bind(id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    store::history(
        &mut tx,
        id,
        quote.status,
        body.to,
        reason.as_deref(),
        Some(by),
    )
    .await?;
    let detail = store::detail(&mut tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::QuoteStatusChanged,
        Audience::Workshop,
        Some(by),
        &detail.quote,
    );
    Ok(ApiResponse::ok(detail))
}

/// What the task of a converted quote needs beyond the quote.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertQuote {
    /// The day of the job, `YYYY-MM-DD`.
    #[schema(max_length = 10)]
    pub scheduled_date: String,
    /// Start, `HH:MM` (with `end_time`).
    #[schema(max_length = 5)]
    pub start_time: Option<String>,
    /// End, `HH:MM`.
    #[schema(max_length = 5)]
    pub end_time: Option<String>,
    /// The technician (the task is then `assigned`, else `pending`).
    pub technician_id: Option<Uuid>,
    /// The vehicle's plate, when the quote has none.
    #[schema(max_length = 20)]
    pub vehicle_plate: Option<String>,
    /// The vehicle's model, when the quote has none.
    #[schema(max_length = 100)]
    pub vehicle_model: Option<String>,
    /// The zones, when the quote has none.
    #[schema(schema_with = crate::validate::extra_zones_schema)]
    pub ppf_zones: Option<Vec<String>>,
}

/// A converted quote and its new task.
#[derive(Debug, Serialize, ToSchema)]
pub struct Converted {
    /// The quote, now `converted` and linked to the task.
    pub quote: QuoteDetail,
    /// The task made from it.
    pub task: Task,
}

/// Convert an accepted quote into a task (supervisor, admin), in one transaction: the client,
/// vehicle and zones become the task's (the request gives what the quote lacks), the labour lines its description and estimated time;
/// the quote is `converted` and links to the task.
#[utoipa::path(
    post,
    path = "/quotes/{id}/convert",
    params(("id" = Uuid, Path, description = "Quote id")),
    request_body = ConvertQuote,
    responses(
        (status = 201, description = "The quote and its task", body = ApiResponse<Converted>),
        (status = 400, description = "`VALIDATION_ERROR`: what the task needs (plate, model, zones, day)", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`INVALID_TRANSITION`: the quote is not accepted; `CONFLICT`: the technician is busy", body = ErrorEnvelope),
    )
)]
pub async fn convert_quote(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<ConvertQuote>,
) -> Result<(StatusCode, ApiResponse<Converted>)> {
    let by = caller.user.id();
    let mut tx = write_transaction(&state.writer).await?;
    store::expire_due_in(&mut tx).await?;
    let before = store::detail(&mut tx, id).await?;
    let quote = &before.quote;
    if quote.status != QuoteStatus::Accepted {
        return Err(refused(quote.status, QuoteStatus::Converted));
    }
    let labour: Vec<_> = before
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Labor)
        .collect();
    let hours: f64 = labour.iter().map(|i| i.qty).sum();
    let mut description: Vec<String> = quote.description.iter().cloned().collect();
    description.extend(
        labour
            .iter()
            .map(|i| format!("- {} ({} h)", i.label, i.qty)),
    );
    let fields = TaskFields {
        title: Some(
            format!(
                "{} {}",
                quote.quote_number,
                quote.description.as_deref().unwrap_or("")
            )
            .trim()
            .chars()
            .take(100)
            .collect(),
        ),
        description: Some(description.join("\n").chars().take(1000).collect()),
        vehicle_plate: quote.vehicle_plate.clone().or(body.vehicle_plate.clone()),
        vehicle_model: quote.vehicle_model.clone().or(body.vehicle_model.clone()),
        vehicle_make: quote.vehicle_make.clone(),
        vehicle_year: quote.vehicle_year.clone(),
        vin: quote.vehicle_vin.clone(),
        ppf_zones: Some(if quote.ppf_zones.is_empty() {
            body.ppf_zones.clone().unwrap_or_default()
        } else {
            quote.ppf_zones.clone()
        }),
        status: Some(if body.technician_id.is_some() {
            TaskStatus::Assigned
        } else {
            TaskStatus::Pending
        }),
        technician_id: body.technician_id,
        scheduled_date: Some(body.scheduled_date.clone()),
        start_time: body.start_time.clone(),
        end_time: body.end_time.clone(),
        client_id: Some(quote.client_id),
        notes: quote.notes.clone(),
        estimated_duration: (hours > 0.0).then(|| (hours * 60.0).round() as i64),
        ..TaskFields::default()
    };
    let task = crate::tasks::create(&mut tx, &fields, by).await?;
    let now = now_ms();
    sqlx::query("UPDATE quotes SET status = 'converted', task_id = $1, converted_at = $2, updated_at = $3 WHERE id = $4")
        .bind(task.id.hyphenated().to_string())
        .bind(now)
        .bind(now)
        .bind(id.hyphenated().to_string())
        .execute(&mut *tx)
        .await?;
    store::history(
        &mut tx,
        id,
        QuoteStatus::Accepted,
        QuoteStatus::Converted,
        Some(&task.task_number),
        Some(by),
    )
    .await?;
    let quote = store::detail(&mut tx, id).await?;
    tx.commit().await?;
    crate::tasks::publish_created(&state, &task, by);
    state.live.publish(
        EventKind::QuoteConverted,
        Audience::Workshop,
        Some(by),
        &quote.quote,
    );
    Ok((
        StatusCode::CREATED,
        ApiResponse::ok(Converted { quote, task }),
    ))
}
