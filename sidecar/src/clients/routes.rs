//! `/clients` and `/clients/{id}`: list with search and sort, create, read (optionally with the
//! client's latest tasks), change and soft delete. Counts are in [`stats`](super::stats).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized, Workshop, WorkshopStaff};
use crate::clients::model::{CLIENT_COLUMNS, Client, ClientFields, CustomerType, text};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::tasks::Task;
use crate::tasks::columns::select_list;
use crate::tasks::store as task_store;
use crate::validate::normalize_email;

/// A live client by id.
pub async fn find(db: &sqlx::AnyPool, id: Uuid) -> Result<Client> {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1 AND deleted_at IS NULL");
    sqlx::query_as::<_, Client>(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(db)
        .await?
        .ok_or_else(|| Error::NotFound("no such client".into()))
}

/// Filters and paging of the client list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientListQuery {
    /// Text in name, email, phone or company.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only persons or only companies.
    pub customer_type: Option<CustomerType>,
    /// `name`, `-name`, `created_at`, `-created_at` (default), `total_tasks`, `-total_tasks`, `-last_task_date`.
    #[param(schema_with = sorts)]
    pub sort: Option<String>,
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
}

/// Each `sort` of the client list and its SQL order.
const ORDERS: [(&str, &str); 7] = [
    ("name", "name COLLATE NOCASE ASC, id"),
    ("-name", "name COLLATE NOCASE DESC, id"),
    ("created_at", "created_at ASC, id"),
    ("-created_at", "created_at DESC, id"),
    ("total_tasks", "total_tasks ASC, id"),
    ("-total_tasks", "total_tasks DESC, id"),
    ("-last_task_date", "last_task_date DESC, id"),
];

fn sorts() -> utoipa::openapi::Object {
    crate::validate::one_of(ORDERS.map(|(sort, _)| sort))
}

fn order_by(sort: Option<&str>) -> Result<&'static str> {
    crate::validate::lookup("sort", &ORDERS, sort.unwrap_or("-created_at"))
}

/// List clients (workshop roles).
#[utoipa::path(
    get,
    path = "/clients",
    params(ClientListQuery),
    responses((status = 200, description = "A page of clients", body = ApiResponse<Page<Client>>))
)]
pub async fn list_clients(
    _caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Query(query): Query<ClientListQuery>,
) -> Result<ApiResponse<Page<Client>>> {
    let bounds = list::bounds(query.limit, query.offset)?;
    let order = order_by(query.sort.as_deref())?;
    let filter = |q: &mut Sql| {
        q.push(" FROM clients WHERE deleted_at IS NULL");
        if let Some(kind) = query.customer_type {
            q.push(" AND customer_type = ").push_bind(kind);
        }
        if let Some(text) = &query.q {
            list::push_search(q, &["name", "email", "phone", "company_name"], text);
        }
    };
    let page: Page<Client> = list::fetch_page(
        &mut *state.db.acquire().await?,
        CLIENT_COLUMNS,
        filter,
        order,
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page))
}

fn business_needs_company(kind: CustomerType, company: Option<&str>) -> Result<()> {
    if kind == CustomerType::Business && company.is_none_or(|c| c.trim().is_empty()) {
        return Err(Error::invalid(
            "company_name",
            "is required for business clients",
        ));
    }
    Ok(())
}

/// Create a client (admin, supervisor, technician).
#[utoipa::path(
    post,
    path = "/clients",
    request_body = crate::clients::model::NewClient,
    responses(
        (status = 201, description = "The new client", body = ApiResponse<Client>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
    )
)]
pub async fn create_client(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Json(fields): Json<ClientFields>,
) -> Result<(StatusCode, ApiResponse<Client>)> {
    fields.validate(true)?;
    let kind = fields.customer_type.unwrap_or_default();
    business_needs_company(kind, fields.company_name.as_deref())?;
    let id = Uuid::new_v4();
    let now = now_ms();
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    sqlx::query(
        "INSERT INTO clients (id, name, email, phone, customer_type, address_street, address_city, address_state, \
         address_zip, address_country, tax_id, company_name, contact_person, notes, tags, created_at, updated_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(id.hyphenated().to_string())
    .bind(fields.name.as_deref().map(str::trim))
    .bind(fields.email.as_deref().and_then(text).map(|e| normalize_email(&e)))
    .bind(opt(&fields.phone))
    .bind(kind)
    .bind(opt(&fields.address_street))
    .bind(opt(&fields.address_city))
    .bind(opt(&fields.address_state))
    .bind(opt(&fields.address_zip))
    .bind(opt(&fields.address_country).unwrap_or_else(|| "France".into()))
    .bind(opt(&fields.tax_id))
    .bind(opt(&fields.company_name))
    .bind(opt(&fields.contact_person))
    .bind(opt(&fields.notes))
    .bind(serde_json::to_string(&clean_tags(fields.tags.unwrap_or_default())).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .bind(now)
    .bind(caller.user.id().hyphenated().to_string())
    .execute(&state.writer)
    .await?;
    let client = find(&state.db, id).await?;
    state.live.publish(
        EventKind::ClientCreated,
        Audience::Workshop,
        Some(caller.user.id()),
        &client,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(client)))
}

fn clean_tags(tags: Vec<String>) -> Vec<String> {
    let mut clean: Vec<String> = tags.into_iter().map(|t| t.trim().to_owned()).collect();
    clean.dedup();
    clean
}

/// What to add to a client.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// `tasks`: add the client's latest tasks (up to 100, newest date first; a technician gets
    /// only their own). The full list is `GET /tasks?client_id=`.
    #[param(
        max_length = 20,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(tasks)?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub include: Option<String>,
}

/// A client, with its tasks when asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientDetail {
    /// The client.
    #[serde(flatten)]
    pub client: Client,
    /// With `include=tasks`: the latest tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
}

/// Tasks shown with a client.
const CLIENT_TASKS: i64 = 100;

/// One client, optionally with its tasks (workshop roles).
#[utoipa::path(
    get,
    path = "/clients/{id}",
    params(("id" = Uuid, Path, description = "Client id"), ClientQuery),
    responses(
        (status = 200, description = "The client", body = ApiResponse<ClientDetail>),
        (status = 400, description = "`VALIDATION_ERROR`: unknown `include`", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_client(
    caller: Authorized<Workshop>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<ClientQuery>,
) -> Result<ApiResponse<ClientDetail>> {
    let with_tasks = match query.include.as_deref().map(str::trim) {
        None | Some("") => false,
        Some("tasks") => true,
        Some(other) => {
            return Err(Error::invalid(
                "include",
                format!("`{other}` cannot be included; use `tasks`"),
            ));
        }
    };
    let client = find(&state.db, id).await?;
    let tasks = if with_tasks {
        let mut sql = Sql::new(format!(
            "SELECT {} FROM tasks WHERE deleted_at IS NULL AND client_id = ",
            select_list()
        ));
        sql.push_bind(id.hyphenated().to_string());
        if let Some(me) = task_store::scope(&caller.user) {
            sql.push(" AND technician_id = ")
                .push_bind(me.hyphenated().to_string());
        }
        sql.push(" ORDER BY scheduled_date DESC, task_number DESC LIMIT ")
            .push_bind(CLIENT_TASKS);
        Some(sql.build_query_as().fetch_all(&state.db).await?)
    } else {
        None
    };
    Ok(ApiResponse::ok(ClientDetail { client, tasks }))
}

/// Change a client (admin, supervisor, technician). Absent fields stay; `""` clears a text field.
#[utoipa::path(
    patch,
    path = "/clients/{id}",
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = ClientFields,
    responses(
        (status = 200, description = "The client after the change", body = ApiResponse<Client>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn update_client(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<ClientFields>,
) -> Result<ApiResponse<Client>> {
    fields.validate(false)?;
    let current = find(&state.db, id).await?;
    let kind = fields.customer_type.unwrap_or(current.customer_type);
    let company = match &fields.company_name {
        Some(company) => text(company),
        None => current.company_name.clone(),
    };
    business_needs_company(kind, company.as_deref())?;

    let mut query = Sql::new("UPDATE clients SET updated_at = ");
    query.push_bind(now_ms());
    if let Some(name) = &fields.name {
        query.push(", name = ").push_bind(name.trim().to_owned());
    }
    if let Some(email) = &fields.email {
        query
            .push(", email = ")
            .push_bind(text(email).map(|e| normalize_email(&e)));
    }
    if let Some(kind) = fields.customer_type {
        query.push(", customer_type = ").push_bind(kind);
    }
    let texts = [
        ("phone", &fields.phone),
        ("address_street", &fields.address_street),
        ("address_city", &fields.address_city),
        ("address_state", &fields.address_state),
        ("address_zip", &fields.address_zip),
        ("tax_id", &fields.tax_id),
        ("company_name", &fields.company_name),
        ("contact_person", &fields.contact_person),
        ("notes", &fields.notes),
    ];
    for (column, value) in texts {
        if let Some(value) = value {
            query.push(format!(", {column} = ")).push_bind(text(value));
        }
    }
    if let Some(country) = &fields.address_country {
        query
            .push(", address_country = ")
            .push_bind(text(country).unwrap_or_else(|| "France".into()));
    }
    if let Some(tags) = &fields.tags {
        let tags = serde_json::to_string(&clean_tags(tags.clone())).unwrap_or_else(|_| "[]".into());
        query.push(", tags = ").push_bind(tags);
    }
    query
        .push(" WHERE id = ")
        .push_bind(id.hyphenated().to_string())
        .push(" AND deleted_at IS NULL");
    query.build().execute(&state.writer).await?;
    let client = find(&state.db, id).await?;
    state.live.publish(
        EventKind::ClientUpdated,
        Audience::Workshop,
        Some(caller.user.id()),
        &client,
    );
    Ok(ApiResponse::ok(client))
}

/// Delete a client (admin): soft delete; the client leaves lists and lookups.
#[utoipa::path(
    delete,
    path = "/clients/{id}",
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The deleted client", body = ApiResponse<Client>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn delete_client(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Client>> {
    let client = find(&state.db, id).await?;
    let now = now_ms();
    sqlx::query("UPDATE clients SET deleted_at = $1, deleted_by = $2, updated_at = $3 WHERE id = $4 AND deleted_at IS NULL")
        .bind(now)
        .bind(caller.user.id().hyphenated().to_string())
        .bind(now)
        .bind(id.hyphenated().to_string())
        .execute(&state.writer)
        .await?;
    state.live.publish(
        EventKind::ClientDeleted,
        Audience::Workshop,
        Some(caller.user.id()),
        &client,
    );
    Ok(ApiResponse::ok(client))
}
