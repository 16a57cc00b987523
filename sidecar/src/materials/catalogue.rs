//! `/materials`, `/materials/{id}` and `/materials/by-sku/{sku}`: the catalogue — create (with
//! its first stock as a ledger row), read, change and soft delete. The list is in
//! [`search`](super::search).

use axum::extract::State;
use axum::http::StatusCode;
use sqlx::AnyConnection;

use crate::db::Sql;
use uuid::Uuid;

use crate::auth::{Authorized, Managers, WorkshopStaff};
use crate::clock::{now_ms, today};
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::live::{Audience, EventKind};
use crate::materials::fields::{MaterialFields, opt_date, opt_id};
use crate::materials::ledger::{self, Move};
use crate::materials::model::{COLUMNS, Material, TransactionType};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::text;

/// `category_id` and `supplier_id` must name existing rows.
async fn check_links(conn: &mut AnyConnection, fields: &MaterialFields) -> Result<()> {
    if let Some(category) = fields.category_id.as_deref().and_then(text) {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM material_categories WHERE id = $1")
                .bind(&category)
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            return Err(Error::invalid("category_id", "no such category"));
        }
    }
    if let Some(Some(supplier)) = opt_id(&fields.supplier_id) {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM suppliers WHERE id = $1")
            .bind(supplier.hyphenated().to_string())
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(Error::invalid("supplier_id", "no such supplier"));
        }
    }
    Ok(())
}

/// `CONFLICT` when another live material has `sku`.
async fn sku_free(conn: &mut AnyConnection, sku: &str, except: Option<Uuid>) -> Result<()> {
    let other: Option<String> = sqlx::query_scalar(
        "SELECT id FROM materials WHERE sku = $1 AND deleted_at IS NULL AND id <> $2",
    )
    .bind(sku)
    .bind(
        except
            .map(|id| id.hyphenated().to_string())
            .unwrap_or_default(),
    )
    .fetch_optional(&mut *conn)
    .await?;
    match other {
        Some(_) => Err(Error::Conflict {
            message: format!("the SKU `{sku}` is taken").into(),
            details: Some(serde_json::json!({ "field": "sku" })),
        }),
        None => Ok(()),
    }
}

/// Create a material (staff). A positive `initial_stock` is its first ledger row (`stock_in`).
#[utoipa::path(
    post,
    path = "/materials",
    request_body = crate::materials::fields::NewMaterial,
    responses(
        (status = 201, description = "The new material", body = ApiResponse<Material>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the SKU is taken", body = ErrorEnvelope),
    )
)]
pub async fn create_material(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Json(fields): Json<MaterialFields>,
) -> Result<(StatusCode, ApiResponse<Material>)> {
    fields.validate(true)?;
    let by = caller.user.id();
    let now = now_ms();
    let id = Uuid::new_v4();
    let sku = fields
        .sku
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let mut tx = write_transaction(&state.writer).await?;
    check_links(&mut tx, &fields).await?;
    sku_free(&mut tx, &sku, None).await?;
    let opt = |v: &Option<String>| v.as_deref().and_then(text);
    sqlx::query(
        "INSERT INTO materials (id, sku, name, description, material_type, category_id, brand, model, \
         unit_of_measure, minimum_stock, maximum_stock, reorder_point, unit_cost, currency, supplier_id, \
         expiry_date, batch_number, storage_location, is_active, is_discontinued, created_at, updated_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
    )
    .bind(id.hyphenated().to_string())
    .bind(&sku)
    .bind(fields.name.as_deref().map(str::trim))
    .bind(opt(&fields.description))
    .bind(fields.material_type)
    .bind(opt(&fields.category_id))
    .bind(opt(&fields.brand))
    .bind(opt(&fields.model))
    .bind(fields.unit_of_measure)
    .bind(fields.minimum_stock.unwrap_or(0.0))
    .bind(fields.maximum_stock)
    .bind(fields.reorder_point.unwrap_or(0.0))
    .bind(fields.unit_cost.unwrap_or(0))
    .bind(fields.currency.clone().unwrap_or_else(|| "EUR".into()))
    .bind(opt_id(&fields.supplier_id).flatten().map(|s| s.hyphenated().to_string()))
    .bind(opt_date(&fields.expiry_date).flatten().map(|day| day.to_string()))
    .bind(opt(&fields.batch_number))
    .bind(opt(&fields.storage_location))
    .bind(fields.is_active.unwrap_or(true))
    .bind(fields.is_discontinued.unwrap_or(false))
    .bind(now)
    .bind(now)
    .bind(by.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    if let Some(stock) = fields.initial_stock.filter(|s| *s > 0.0) {
        let mv = Move {
            kind: TransactionType::StockIn,
            quantity: crate::materials::model::thousandths(stock),
            reference_number: None,
            reference_type: Some("initial_stock".into()),
            notes: Some("Stock when the material was created".into()),
            intervention_id: None,
            step_id: None,
        };
        ledger::apply(&mut tx, id, mv, by, now).await?;
    }
    let material = ledger::find(&mut tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::MaterialCreated,
        Audience::Staff,
        Some(by),
        &material,
    );
    Ok((StatusCode::CREATED, ApiResponse::ok(material)))
}

/// One material (staff).
#[utoipa::path(
    get,
    path = "/materials/{id}",
    params(("id" = Uuid, Path, description = "Material id")),
    responses(
        (status = 200, description = "The material", body = ApiResponse<Material>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_material(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Material>> {
    Ok(ApiResponse::ok(
        ledger::find(&mut *state.db.acquire().await?, id).await?,
    ))
}

/// The live material with this SKU (staff).
#[utoipa::path(
    get,
    path = "/materials/by-sku/{sku}",
    params(("sku" = String, Path, description = "SKU", max_length = 50)),
    responses(
        (status = 200, description = "The material", body = ApiResponse<Material>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_material_by_sku(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(sku): Path<String>,
) -> Result<ApiResponse<Material>> {
    let sql = format!("SELECT {COLUMNS} FROM materials WHERE sku = $1 AND deleted_at IS NULL");
    let material: Material = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(sku.trim())
        .fetch_optional(&state.db)
        .await?
        .ok_or_else(|| Error::NotFound("no material has this SKU".into()))?;
    Ok(ApiResponse::ok(material.dated(today())))
}

/// Change a material (staff). Absent fields stay; `""` clears a text. The stock changes only
/// through `POST /materials/{id}/stock`.
#[utoipa::path(
    patch,
    path = "/materials/{id}",
    params(("id" = Uuid, Path, description = "Material id")),
    request_body = MaterialFields,
    responses(
        (status = 200, description = "The material after the change", body = ApiResponse<Material>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the SKU is taken", body = ErrorEnvelope),
    )
)]
pub async fn update_material(
    caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(fields): Json<MaterialFields>,
) -> Result<ApiResponse<Material>> {
    fields.validate(false)?;
    let mut tx = write_transaction(&state.writer).await?;
    let before = ledger::find(&mut tx, id).await?;
    check_links(&mut tx, &fields).await?;
    let min = fields.minimum_stock.unwrap_or(before.minimum_stock);
    if let Some(max) = fields.maximum_stock.or(before.maximum_stock)
        && max < min
    {
        return Err(Error::invalid(
            "maximum_stock",
            "must be at least minimum_stock",
        ));
    }
    let mut query = Sql::new("UPDATE materials SET updated_at = ");
    query.push_bind(now_ms());
    if let Some(sku) = &fields.sku {
        sku_free(&mut tx, sku.trim(), Some(id)).await?;
        query.push(", sku = ").push_bind(sku.trim().to_owned());
    }
    if let Some(name) = &fields.name {
        query.push(", name = ").push_bind(name.trim().to_owned());
    }
    for (column, value) in [
        ("description", &fields.description),
        ("category_id", &fields.category_id),
        ("brand", &fields.brand),
        ("model", &fields.model),
        ("batch_number", &fields.batch_number),
        ("storage_location", &fields.storage_location),
    ] {
        if let Some(value) = value {
            query.push(format!(", {column} = ")).push_bind(text(value));
        }
    }
    if let Some(kind) = fields.material_type {
        query.push(", material_type = ").push_bind(kind);
    }
    if let Some(unit) = fields.unit_of_measure {
        query.push(", unit_of_measure = ").push_bind(unit);
    }
    for (column, value) in [
        ("minimum_stock", fields.minimum_stock),
        ("maximum_stock", fields.maximum_stock),
        ("reorder_point", fields.reorder_point),
    ] {
        if let Some(value) = value {
            query.push(format!(", {column} = ")).push_bind(value);
        }
    }
    if let Some(cost) = fields.unit_cost {
        query.push(", unit_cost = ").push_bind(cost);
    }
    if let Some(currency) = &fields.currency {
        query.push(", currency = ").push_bind(currency.clone());
    }
    if let Some(supplier) = opt_id(&fields.supplier_id) {
        query
            .push(", supplier_id = ")
            .push_bind(supplier.map(|s| s.hyphenated().to_string()));
    }
    if let Some(expiry) = opt_date(&fields.expiry_date) {
        query
            .push(", expiry_date = ")
            .push_bind(expiry.map(|day| day.to_string()));
    }
    for (column, value) in [
        ("is_active", fields.is_active),
        ("is_discontinued", fields.is_discontinued),
    ] {
        if let Some(value) = value {
            query.push(format!(", {column} = ")).push_bind(value);
        }
    }
    query
        .push(" WHERE id = ")
        .push_bind(id.hyphenated().to_string())
        .push(" AND deleted_at IS NULL");
    query.build().execute(&mut *tx).await?;
    let material = ledger::find(&mut tx, id).await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::MaterialUpdated,
        Audience::Staff,
        Some(caller.user.id()),
        &material,
    );
    Ok(ApiResponse::ok(material))
}

/// Delete a material (supervisor, admin): soft delete; its ledger and consumption stay, and
/// its SKU is free again.
#[utoipa::path(
    delete,
    path = "/materials/{id}",
    params(("id" = Uuid, Path, description = "Material id")),
    responses(
        (status = 200, description = "The deleted material", body = ApiResponse<Material>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn delete_material(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<Material>> {
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let material = ledger::find(&mut tx, id).await?;
    sqlx::query(
        "UPDATE materials SET deleted_at = $1, deleted_by = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(now)
    .bind(caller.user.id().hyphenated().to_string())
    .bind(now)
    .bind(id.hyphenated().to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.live.publish(
        EventKind::MaterialDeleted,
        Audience::Staff,
        Some(caller.user.id()),
        &material,
    );
    Ok(ApiResponse::ok(material))
}
