//! `/quotes` and `/quotes/{id}`: the list with status filters, create (with its lines), read
//! with the server's totals, change a draft, and soft delete (admins).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::db::Sql;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized, Managers, Workshop};
use crate::clock::now_ms;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::{Audience, EventKind};
use crate::quotes::fields::{QuoteFields, day};
use crate::quotes::items::insert_item;
use crate::quotes::model::{CLIENT_NAME, COLUMNS, FROM, Quote, QuoteStatus};
use crate::quotes::store::{self, QuoteDetail};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// Filters and paging of the quote list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteListQuery {
    /// Only this status.
    pub status: Option<QuoteStatus>,
    /// Only this client's.
    pub client_id: Option<Uuid>,
    /// Text in the number, the client's name, the plate or the description.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `-created_at` (default), `created_at`, `-total`, `total`, `valid_until`, `-quote_number`.
    #[param(schema_with = sorts)]
    pub sort: Option<String>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

const ORDERS: [(&str, &str); 6] = [
    // The tie-break follows the main order's direction, so a page is read off its index in order.
    ("-created_at", "q.created_at DESC, q.id DESC"),
    ("created_at", "q.created_at ASC, q.id ASC"),
    ("-total", "q.total DESC, q.id DESC"),
    ("total", "q.total ASC, q.id ASC"),
    ("valid_until", "q.valid_until ASC, q.id"),
    ("-quote_number", "q.quote_number DESC"),
];

fn sorts() -> utoipa::openapi::Object {
    crate::validate::one_of(ORDERS.map(|(sort, _)| sort))
}

/// List quotes (everyone in the workshop), with their totals.
#[utoipa::path(
    get,
    path = "/quotes",
    params(QuoteListQuery),
    responses(
        (status = 200, description = "A page of quotes", body = ApiResponse<Page<Quote>>),
        (status = 400, description = "`VALIDATION_ERROR`: a bad filter or sort", body = ErrorEnvelope),
    )
)]
pub async fn list_quotes(
    _caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<QuoteListQuery>,
) -> Result<ApiResponse<Page<Quote>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let order = crate::validate::lookup(
        "sort",
        &ORDERS,
        query.sort.as_deref().unwrap_or("-created_at"),
    )?;
    store::expire_due(&state).await?;
    let filter = |q: &mut Sql| {
        q.push(FROM).push(" WHERE q.deleted_at IS NULL");
        if let Some(status) = query.status {
            q.push(" AND q.status = ").push_bind(status);
        }
        if let Some(client) = query.client_id {
            q.push(" AND q.client_id = ")
                .push_bind(client.hyphenated().to_string());
        }
        if let Some(text) = &query.q {
            list::push_search(
                q,
                &[
                    "q.quote_number",
                    CLIENT_NAME,
                    "q.vehicle_plate",
                    "q.description",
                ],
                text,
            );
        }
    };
    let page = list::fetch_page(
        &mut *state.db.acquire().await?,
        COLUMNS,
        filter,
        order,
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page))
}

/// `client_id` and `task_id` must name live rows.
async fn check_links(conn: &mut AnyConnection, fields: &QuoteFields) -> Result<()> {
    if let Some(client) = fields.client_id {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM clients WHERE id = $1 AND deleted_at IS NULL")
                .bind(client.hyphenated().to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(Error::invalid("client_id", "no such client"));
        }
    }
    if let Some(task) = fields.task_id {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM tasks WHERE id = $1 AND deleted_at IS NULL")
                .bind(task.hyphenated().to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(Error::invalid("task_id", "no such task"));
        }
    }
    Ok(())
}

/// A draft, or `CONFLICT`: only drafts are edited.
pub fn editable(quote: &Quote) -> Result<()> {
    if quote.status != QuoteStatus::Draft {
        return Err(Error::Conflict {
            message: format!(
                "only a draft quote can be changed; {} is {} (move it back to draft first where allowed)",
                quote.quote_number, quote.status
            )
            .into(),
            details: Some(serde_json::json!({ "status": quote.status })),
        });
    }
    Ok(())
}

/// Create a quote, with its lines (supervisor, admin). Numbered `DEV-NNNNN`; totals by the server.
#[utoipa::path(
    post,
    path = "/quotes",
    request_body = crate::quotes::fields::NewQuote,
    responses(
        (status = 201, description = "The new quote with its lines and totals", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
    )
)]
pub async fn create_quote(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(fields): Json<QuoteFields>,
) -> Result<(StatusCode, ApiResponse<QuoteDetail>)> {
    fields.validate(true)?;
    let by = caller.user.id();
    let now = now_ms();
    let id = Uuid::new_v4();
    let valid_until = match fields.valid_until.as_deref().and_then(day) {
        Some(day) => day,
        None => crate::clock::today() + chrono::TimeDelta::days(30),
    };
    let mut tx = write_transaction(&state.writer).await?;
    check_links(&mut tx, &fields).await?;
    let number = store::allocate_number(&mut tx).await?;
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    let zones: Vec<String> = fields
        .ppf_zones
        .iter()
        .flatten()
        .map(|z| z.trim().to_owned())
        .collect();
    let discount_type = fields
        .discount_type
        .filter(|_| fields.discount_value.unwrap_or(0) > 0);
    sqlx::query(
        "INSERT INTO quotes (id, quote_number, client_id, task_id, status, valid_until, description, notes, terms, \
         vehicle_plate, vehicle_make, vehicle_model, vehicle_year, vehicle_vin, ppf_zones, discount_type, discount_value, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(id.hyphenated().to_string())
    .bind(&number)
    .bind(fields.client_id.map(|c| c.hyphenated().to_string()))
    .bind(fields.task_id.map(|t| t.hyphenated().to_string()))
    .bind(valid_until.to_string())
    .bind(opt(&fields.description))
    .bind(opt(&fields.notes))
    .bind(opt(&fields.terms))
    .bind(opt(&fields.vehicle_plate).map(|p| p.to_uppercase()))
    .bind(opt(&fields.vehicle_make))
    .bind(opt(&fields.vehicle_model))
    .bind(opt(&fields.vehicle_year))
    .bind(opt(&fields.vehicle_vin).map(|v| v.to_ascii_uppercase()))
    .bind(serde_json::to_string(&zones).map_err(anyhow::Error::from)?)
    .bind(discount_type)
    .bind(discount_type.and(fields.discount_value).unwrap_or(0))
    .bind(by.hyphenated().to_string())
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (n, item) in fields.items.iter().flatten().enumerate() {
        insert_item(&mut tx, id, item, n as i64 + 1).await?;
    }
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::QuoteCreated,
        Audience::Workshop,
        Some(by),
        &detail.quote,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(detail)))
}

/// One quote with its lines and totals (everyone in the workshop).
#[utoipa::path(
    get,
    path = "/quotes/{id}",
    params(("id" = Uuid, Path, description = "Quote id")),
    responses(
        (status = 200, description = "The quote", body = ApiResponse<QuoteDetail>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_quote(
    _caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<QuoteDetail>> {
    store::expire_due(&state).await?;
    Ok(ApiResponse::ok(
        store::detail(&mut *state.db.acquire().await?, id).await?,
    ))
}

/// Change a draft quote (supervisor, admin). Absent fields stay; `""` clears a text.
#[utoipa::path(
    patch,
    path = "/quotes/{id}",
    params(("id" = Uuid, Path, description = "Quote id")),
    request_body = QuoteFields,
    responses(
        (status = 200, description = "The quote after the change", body = ApiResponse<QuoteDetail>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the quote is not a draft", body = ErrorEnvelope),
    )
)]
pub async fn update_quote(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<QuoteFields>,
) -> Result<ApiResponse<QuoteDetail>> {
    fields.validate(false)?;
    let mut tx = write_transaction(&state.writer).await?;
    store::expire_due_in(&mut tx).await?;
    let before = store::find(&mut tx, id).await?;
    editable(&before)?;
    check_links(&mut tx, &fields).await?;
    let mut query = Sql::new("UPDATE quotes SET updated_at = ");
    query.push_bind(now_ms());
    if let Some(client) = fields.client_id {
        query
            .push(", client_id = ")
            .push_bind(client.hyphenated().to_string());
    }
    if let Some(task) = fields.task_id {
        query
            .push(", task_id = ")
            .push_bind(task.hyphenated().to_string());
    }
    if let Some(until) = fields.valid_until.as_deref().and_then(day) {
        query.push(", valid_until = ").push_bind(until.to_string());
    }
    for (column, value) in [
        ("description", &fields.description),
        ("notes", &fields.notes),
        ("terms", &fields.terms),
        ("vehicle_make", &fields.vehicle_make),
        ("vehicle_model", &fields.vehicle_model),
        ("vehicle_year", &fields.vehicle_year),
    ] {
        if let Some(value) = value {
            query.push(format!(", {column} = ")).push_bind(text(value));
        }
    }
    if let Some(plate) = &fields.vehicle_plate {
        query
            .push(", vehicle_plate = ")
            .push_bind(text(plate).map(|p| p.to_uppercase()));
    }
    if let Some(vin) = &fields.vehicle_vin {
        query
            .push(", vehicle_vin = ")
            .push_bind(text(vin).map(|v| v.to_ascii_uppercase()));
    }
    if let Some(zones) = &fields.ppf_zones {
        let zones: Vec<String> = zones.iter().map(|z| z.trim().to_owned()).collect();
        query
            .push(", ppf_zones = ")
            .push_bind(serde_json::to_string(&zones).map_err(anyhow::Error::from)?);
    }
    if fields.discount_type.is_some() || fields.discount_value.is_some() {
        let kind = fields.discount_type.or(before.discount_type);
        let value = fields.discount_value.unwrap_or(before.discount_value);
        if kind == Some(crate::quotes::model::DiscountType::Percentage) && value > 10_000 {
            return Err(Error::invalid(
                "discount_value",
                "a percentage is 0 to 10000 hundredths",
            ));
        }
        let kind = kind.filter(|_| value > 0);
        query.push(", discount_type = ").push_bind(kind);
        query
            .push(", discount_value = ")
            .push_bind(kind.map_or(0, |_| value));
    }
    query
        .push(" WHERE id = ")
        .push_bind(id.hyphenated().to_string());
    query.build().execute(&mut *tx).await?;
    let detail = store::store_totals(&mut tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::QuoteUpdated,
        Audience::Workshop,
        Some(caller.user.id()),
        &detail.quote,
    );
    Ok(ApiResponse::ok(detail))
}

/// Delete a quote (admin): soft delete.
#[utoipa::path(
    delete,
    path = "/quotes/{id}",
    params(("id" = Uuid, Path, description = "Quote id")),
    responses(
        (status = 200, description = "The deleted quote", body = ApiResponse<Quote>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn delete_quote(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Quote>> {
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let quote = store::find(&mut tx, id).await?;
    sqlx::query(
        "UPDATE quotes SET deleted_at = $1, deleted_by = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(now)
    .bind(caller.user.id().hyphenated().to_string())
    .bind(now)
    .bind(id.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::QuoteDeleted,
        Audience::Workshop,
        Some(caller.user.id()),
        &quote,
    );
    Ok(ApiResponse::ok(quote))
}
