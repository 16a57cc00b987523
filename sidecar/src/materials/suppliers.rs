//! `/materials/suppliers`: who the workshop buys from. Staff read them; supervisors and admins
//! create and change them.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Authorized, Managers, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::stored::{Millis, StoredId};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;
use crate::validate::{self, Checks, normalize_email};

/// A supplier.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Supplier {
    /// Id.
    #[sqlx(try_from = "StoredId")]
    pub id: Uuid,
    /// Name, unique.
    pub name: String,
    /// Contact.
    pub contact_person: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Still bought from.
    #[sqlx(try_from = "crate::db::stored::Flag")]
    pub is_active: bool,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, name, contact_person, email, phone, website, notes, is_active, created_at, updated_at";

/// A supplier's fields; on update, absent fields stay and `""` clears a text.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierFields {
    /// Name (1–200 characters, unique); required on create.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// Contact.
    #[schema(max_length = 200)]
    pub contact_person: Option<String>,
    /// Email.
    #[schema(
        max_length = 254,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub email: Option<String>,
    /// Phone.
    #[schema(
        max_length = 20,
        pattern = r"^([\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*|[0-9+\-() ]{7,20})$"
    )]
    pub phone: Option<String>,
    /// Website.
    #[schema(max_length = 200)]
    pub website: Option<String>,
    /// Notes.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Still bought from (default `true`).
    pub is_active: Option<bool>,
}

crate::create_request! {
    /// A new supplier: [`SupplierFields`] with its name.
    NewSupplier: SupplierFields { "name": Type::String }
}

impl SupplierFields {
    fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        match self.name.as_deref().map(str::trim) {
            Some(name) => checks.check(
                "name",
                (1..=200).contains(&name.chars().count()),
                "must be 1 to 200 characters",
            ),
            None => checks.check("name", !creating, "is required"),
        };
        if let Some(email) = self.email.as_deref().and_then(text) {
            checks.rule("email", validate::email(&normalize_email(&email)));
        }
        if let Some(phone) = self.phone.as_deref().and_then(text) {
            checks.rule("phone", validate::phone(&phone));
        }
        for (field, value, max) in [
            ("contact_person", &self.contact_person, 200),
            ("website", &self.website, 200),
            ("notes", &self.notes, 2000),
        ] {
            checks.check(
                field,
                value.as_ref().is_none_or(|v| v.chars().count() <= max),
                &format!("must be at most {max} characters"),
            );
        }
        checks.finish()
    }
}

fn name_taken(error: sqlx::Error) -> Error {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => Error::Conflict {
            message: "a supplier has this name".into(),
            details: Some(serde_json::json!({ "field": "name" })),
        },
        _ => error.into(),
    }
}

async fn find(conn: &mut sqlx::AnyConnection, id: Uuid) -> Result<Supplier> {
    let sql = format!("SELECT {COLUMNS} FROM suppliers WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.hyphenated().to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound("no such supplier".into()))
}

/// The suppliers by name (staff).
#[utoipa::path(
    get,
    path = "/materials/suppliers",
    responses((status = 200, description = "Every supplier", body = ApiResponse<Vec<Supplier>>))
)]
pub async fn list_suppliers(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<Supplier>>> {
    let sql = format!("SELECT {COLUMNS} FROM suppliers ORDER BY name COLLATE NOCASE, id");
    Ok(ApiResponse::ok(
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&state.db)
            .await?,
    ))
}

/// Create a supplier (supervisor, admin).
#[utoipa::path(
    post,
    path = "/materials/suppliers",
    request_body = NewSupplier,
    responses(
        (status = 201, description = "The new supplier", body = ApiResponse<Supplier>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the name is taken", body = ErrorEnvelope),
    )
)]
pub async fn create_supplier(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(fields): Json<SupplierFields>,
) -> Result<(StatusCode, ApiResponse<Supplier>)> {
    fields.validate(true)?;
    let id = Uuid::new_v4();
    let now = now_ms();
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    let mut tx = write_transaction(&state.writer).await?;
    sqlx::query(
        "INSERT INTO suppliers (id, name, contact_person, email, phone, website, notes, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.hyphenated().to_string())
    .bind(fields.name.as_deref().map(str::trim))
    .bind(opt(&fields.contact_person))
    .bind(opt(&fields.email).map(|e| normalize_email(&e)))
    .bind(opt(&fields.phone))
    .bind(opt(&fields.website))
    .bind(opt(&fields.notes))
    .bind(fields.is_active.unwrap_or(true))
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(name_taken)?;
    let supplier = find(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(supplier)))
}

/// Change a supplier (supervisor, admin).
#[utoipa::path(
    patch,
    path = "/materials/suppliers/{id}",
    params(("id" = Uuid, Path, description = "Supplier id")),
    request_body = SupplierFields,
    responses(
        (status = 200, description = "The supplier", body = ApiResponse<Supplier>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the name is taken", body = ErrorEnvelope),
    )
)]
pub async fn update_supplier(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<SupplierFields>,
) -> Result<ApiResponse<Supplier>> {
    fields.validate(false)?;
    let mut tx = write_transaction(&state.writer).await?;
    let before = find(&mut tx, id).await?;
    let keep = |new: &Option<String>, old: &Option<String>| match new {
        Some(value) => text(value),
        None => old.clone(),
    };
    sqlx::query(
        "UPDATE suppliers SET name = $1, contact_person = $2, email = $3, phone = $4, website = $5, notes = $6, \
         is_active = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(fields.name.as_deref().map(str::trim).unwrap_or(&before.name))
    .bind(keep(&fields.contact_person, &before.contact_person))
    .bind(keep(&fields.email, &before.email).map(|e| normalize_email(&e)))
    .bind(keep(&fields.phone, &before.phone))
    .bind(keep(&fields.website, &before.website))
    .bind(keep(&fields.notes, &before.notes))
    .bind(fields.is_active.unwrap_or(before.is_active))
    .bind(now_ms())
    .bind(id.hyphenated().to_string())
    .execute(&mut *tx)
    .await
    .map_err(name_taken)?;
    let supplier = find(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(supplier))
}
