//! `/materials/categories`: the category tree (`parent_id`, `level`, `color`), seeded with five
//! roots (PPF, ADH, CLN, TLS, CON). Staff read it; supervisors and admins change it.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::auth::{Authorized, Managers, WorkshopStaff};
use crate::clock::now_ms;
use crate::db::stored::Millis;
use crate::db::write_transaction;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path};
use crate::response::ApiResponse;
use crate::state::AppState;
use crate::validate::Checks;
use crate::validate::text;

/// A material category.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Category {
    /// Id (`cat_ppf_films` for a seeded one, a UUID for one created here).
    pub id: String,
    /// Name.
    pub name: String,
    /// Short code, unique (`PPF`).
    pub code: String,
    /// The parent, for a subcategory.
    pub parent_id: Option<String>,
    /// 1 for a root, parent's + 1 below.
    pub level: i64,
    /// `#rrggbb`.
    pub color: Option<String>,
    /// Created.
    #[sqlx(try_from = "Millis")]
    pub created_at: DateTime<Utc>,
    /// Changed.
    #[sqlx(try_from = "Millis")]
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, name, code, parent_id, level, color, created_at, updated_at";

/// A category's fields; on update, absent fields stay.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryFields {
    /// Name (1–100 characters); required on create.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    /// Code (1–20 letters, digits, `_` or `-`, unique); required on create.
    #[schema(min_length = 1, max_length = 20, pattern = "^[A-Za-z0-9_-]+$")]
    pub code: Option<String>,
    /// Parent category (`""` makes it a root).
    #[schema(max_length = 50)]
    pub parent_id: Option<String>,
    /// `#rrggbb` (`""` clears).
    #[schema(max_length = 7, pattern = "^(#[0-9A-Fa-f]{6})?$")]
    pub color: Option<String>,
}

crate::create_request! {
    /// A new category: [`CategoryFields`] with its name and code.
    NewCategory: CategoryFields { "name": Type::String, "code": Type::String }
}

impl CategoryFields {
    fn validate(&self, creating: bool) -> Result<()> {
        let mut checks = Checks::default();
        match self.name.as_deref().map(str::trim) {
            Some(name) => checks.check(
                "name",
                (1..=100).contains(&name.chars().count()),
                "must be 1 to 100 characters",
            ),
            None => checks.check("name", !creating, "is required"),
        };
        match self.code.as_deref().map(str::trim) {
            Some(code) => checks.check(
                "code",
                (1..=20).contains(&code.len())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c)),
                "must be 1 to 20 letters, digits, `_` or `-`",
            ),
            None => checks.check("code", !creating, "is required"),
        };
        if let Some(color) = self.color.as_deref().and_then(text) {
            checks.check(
                "color",
                color.len() == 7
                    && color.starts_with('#')
                    && color[1..].chars().all(|c| c.is_ascii_hexdigit()),
                "must be #rrggbb",
            );
        }
        checks.check(
            "parent_id",
            self.parent_id
                .as_ref()
                .is_none_or(|p| p.chars().count() <= 50),
            "must be at most 50 characters",
        );
        checks.finish()
    }
}

async fn find(conn: &mut AnyConnection, id: &str) -> Result<Category> {
    let sql = format!("SELECT {COLUMNS} FROM material_categories WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound("no such category".into()))
}

/// The level of a child of `parent`, after checking the parent exists and is not `id` itself
/// or below it.
async fn level_under(conn: &mut AnyConnection, parent: Option<&str>, id: &str) -> Result<i64> {
    let Some(parent) = parent else { return Ok(1) };
    let mut at = find(conn, parent)
        .await
        .map_err(|_| Error::invalid("parent_id", "no such category"))?;
    let level = at.level + 1;
    loop {
        if at.id == id {
            return Err(Error::invalid(
                "parent_id",
                "a category cannot be under itself",
            ));
        }
        match at.parent_id.clone() {
            Some(up) => at = find(conn, &up).await?,
            None => break,
        }
    }
    if level > 10 {
        return Err(Error::invalid(
            "parent_id",
            "categories nest at most 10 deep",
        ));
    }
    Ok(level)
}

fn code_taken(error: sqlx::Error) -> Error {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => Error::Conflict {
            message: "this category code is taken".into(),
            details: Some(serde_json::json!({ "field": "code" })),
        },
        _ => error.into(),
    }
}

/// The categories, roots first, each level by name (staff).
#[utoipa::path(
    get,
    path = "/materials/categories",
    responses((status = 200, description = "Every category", body = ApiResponse<Vec<Category>>))
)]
pub async fn list_categories(
    _caller: Authorized<WorkshopStaff>,
    State(state): State<AppState>,
) -> Result<ApiResponse<Vec<Category>>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM material_categories ORDER BY level, name COLLATE NOCASE, id"
    );
    Ok(ApiResponse::ok(
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&state.db)
            .await?,
    ))
}

/// Create a category (supervisor, admin).
#[utoipa::path(
    post,
    path = "/materials/categories",
    request_body = NewCategory,
    responses(
        (status = 201, description = "The new category", body = ApiResponse<Category>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the code is taken", body = ErrorEnvelope),
    )
)]
pub async fn create_category(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(fields): Json<CategoryFields>,
) -> Result<(StatusCode, ApiResponse<Category>)> {
    fields.validate(true)?;
    let id = uuid::Uuid::new_v4().hyphenated().to_string();
    let now = now_ms();
    let mut tx = write_transaction(&state.writer).await?;
    let parent = fields.parent_id.as_deref().and_then(text);
    let level = level_under(&mut tx, parent.as_deref(), &id).await?;
    sqlx::query(
        "INSERT INTO material_categories (id, name, code, parent_id, level, color, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(fields.name.as_deref().map(str::trim))
    .bind(fields.code.as_deref().map(str::trim))
    .bind(parent)
    .bind(level)
    .bind(fields.color.as_deref().and_then(text))
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(code_taken)?;
    let category = find(&mut tx, &id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(category)))
}

/// Change a category (supervisor, admin); a new parent moves it (and its level).
#[utoipa::path(
    patch,
    path = "/materials/categories/{id}",
    params(("id" = String, Path, description = "Category id", max_length = 50)),
    request_body = CategoryFields,
    responses(
        (status = 200, description = "The category", body = ApiResponse<Category>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: the code is taken, or it has subcategories (a move)", body = ErrorEnvelope),
    )
)]
pub async fn update_category(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(fields): Json<CategoryFields>,
) -> Result<ApiResponse<Category>> {
    fields.validate(false)?;
    let mut tx = write_transaction(&state.writer).await?;
    let before = find(&mut tx, &id).await?;
    let (parent, level) = match &fields.parent_id {
        Some(parent) => {
            let parent = text(parent);
            let level = level_under(&mut tx, parent.as_deref(), &id).await?;
            let children: i64 =
                sqlx::query_scalar("SELECT count(*) FROM material_categories WHERE parent_id = $1")
                    .bind(&id)
                    .fetch_one(&mut *tx)
                    .await?;
            if children > 0 && level != before.level {
                return Err(Error::Conflict {
                    message: "move the subcategories first: a category with subcategories keeps its level".into(),
                    details: None,
                });
            }
            (parent, level)
        }
        None => (before.parent_id.clone(), before.level),
    };
    sqlx::query(
        "UPDATE material_categories SET name = $1, code = $2, parent_id = $3, level = $4, color = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(fields.name.as_deref().map(str::trim).unwrap_or(&before.name))
    .bind(fields.code.as_deref().map(str::trim).unwrap_or(&before.code))
    .bind(parent)
    .bind(level)
    .bind(match &fields.color {
        Some(color) => text(color),
        None => before.color.clone(),
    })
    .bind(now_ms())
    .bind(&id)
    .execute(&mut *tx)
    .await
    .map_err(code_taken)?;
    let category = find(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(category))
}
