//! Managing accounts as records: `/users` and `/users/{id}` list, create, read, edit the profile
//! of and soft delete users. What an account may do and how it signs in (role, ban, password) is
//! in [`access`](super::access).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::db::Sql;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::session::{self, RevokeReason};
use crate::auth::{AdminOnly, Authorized, CurrentUser, Managers, Role};
use crate::clock::now_ms;
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::{Json, Path, Query};
use crate::list::{self, Page};
use crate::middleware::CorrelationId;
use crate::response::ApiResponse;
use crate::security::{SecurityEvent, SecurityEventKind};
use crate::state::AppState;
use crate::users::guard::{ensure_can_manage, guarded_update};
use crate::users::model::{USER_COLUMNS, User};
use crate::users::{InsertIf, NewAccount, create_account, find};
use crate::validate::{self, Checks, normalize_email};

/// Filters and paging of the user list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Page size (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 2147483647)]
    pub offset: Option<u32>,
    /// Only this role.
    pub role: Option<Role>,
    /// Only active (`true`) or inactive (`false`) accounts.
    pub active: Option<bool>,
    /// Text in email, username or names.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `created_at`, `-created_at` (default), `email`, `username`, `last_login_at`, `-last_login_at`.
    #[param(schema_with = sorts)]
    pub sort: Option<String>,
}

/// Each `sort` of the user list and its SQL order.
const ORDERS: [(&str, &str); 6] = [
    ("created_at", "u.created_at ASC"),
    ("-created_at", "u.created_at DESC"),
    ("email", "u.email ASC"),
    ("username", "u.username COLLATE NOCASE ASC"),
    ("last_login_at", "u.last_login_at ASC"),
    ("-last_login_at", "u.last_login_at DESC"),
];

fn sorts() -> utoipa::openapi::Object {
    validate::one_of(ORDERS.map(|(sort, _)| sort))
}

fn order_by(sort: Option<&str>) -> Result<&'static str> {
    validate::lookup("sort", &ORDERS, sort.unwrap_or("-created_at"))
}

fn push_filters(query: &mut Sql, filters: &UserListQuery) {
    query.push(" FROM users u WHERE u.deleted_at IS NULL");
    if let Some(role) = filters.role {
        query.push(" AND u.role = ").push_bind(role);
    }
    if let Some(active) = filters.active {
        query.push(" AND u.is_active = ").push_bind(active);
    }
    if let Some(q) = &filters.q {
        list::push_search(
            query,
            &["u.email", "u.username", "u.first_name", "u.last_name"],
            q,
        );
    }
}

/// List users (admin, supervisor).
#[utoipa::path(
    get,
    path = "/users",
    params(UserListQuery),
    responses((status = 200, description = "A page of users", body = ApiResponse<Page<User>>))
)]
pub async fn list_users(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Query(filters): Query<UserListQuery>,
) -> Result<ApiResponse<Page<User>>> {
    let bounds = list::bounds(filters.limit, filters.offset)?;
    let order = format!("{}, u.id", order_by(filters.sort.as_deref())?);
    let page = list::fetch_page(
        &mut *state.db.acquire().await?,
        USER_COLUMNS,
        |q| push_filters(q, &filters),
        &order,
        bounds,
    )
    .await?;
    Ok(ApiResponse::ok(page))
}

/// A new user with a role.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    /// Identity and password.
    #[serde(flatten)]
    pub account: NewAccount,
    /// Role (supervisors may give `technician` or `viewer` only).
    pub role: Role,
}

/// Create a user (admin; supervisors may create technicians and viewers).
#[utoipa::path(
    post,
    path = "/users",
    request_body = NewUser,
    responses(
        (status = 201, description = "The new user", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: email or username taken", body = ErrorEnvelope),
    )
)]
pub async fn create_user(
    caller: Authorized<Managers>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Json(request): Json<NewUser>,
) -> Result<(StatusCode, ApiResponse<User>)> {
    ensure_can_manage(&caller.user, request.role)?;
    let user = create_account(
        &state.writer,
        request.account,
        request.role,
        InsertIf::Always,
    )
    .await?;
    SecurityEvent::new(SecurityEventKind::UserCreated, &correlation_id)
        .user(user.id)
        .actor(caller.user.id())
        .details(serde_json::json!({ "role": user.role }))
        .record(&state.writer)
        .await?;
    Ok((StatusCode::CREATED, ApiResponse::ok(user)))
}

/// One user (admin, supervisor; anyone for their own account).
#[utoipa::path(
    get,
    path = "/users/{id}",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = ApiResponse<User>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
    )
)]
pub async fn get_user(
    caller: CurrentUser,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<User>> {
    if id != caller.id() && !matches!(caller.role(), Role::Admin | Role::Supervisor) {
        return Err(Error::Forbidden(
            "you may only view your own account".into(),
        ));
    }
    find(&state.db, id).await.map(ApiResponse::ok)
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// New email.
    #[schema(
        max_length = 254,
        pattern = r"^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub email: Option<String>,
    /// New username.
    #[schema(min_length = 3, max_length = 50, pattern = r"^[A-Za-z0-9_-]{3,50}$")]
    pub username: Option<String>,
    /// New given name.
    #[schema(
        min_length = 2,
        max_length = 100,
        pattern = r"^[\p{L}' -]*[\p{L}'-][\p{L}' -]*[\p{L}'-][\p{L}' -]*$"
    )]
    pub first_name: Option<String>,
    /// New family name.
    #[schema(
        min_length = 2,
        max_length = 100,
        pattern = r"^[\p{L}' -]*[\p{L}'-][\p{L}' -]*[\p{L}'-][\p{L}' -]*$"
    )]
    pub last_name: Option<String>,
    /// New phone number (empty string clears it).
    #[schema(max_length = 20, pattern = r"^([0-9+\-() ]{7,20})?$")]
    pub phone: Option<String>,
    /// Activate or deactivate the account (admin only; deactivating ends its sessions).
    pub is_active: Option<bool>,
}

impl UserUpdate {
    fn validate(&self) -> Result<()> {
        let mut checks = Checks::default();
        if let Some(email) = &self.email {
            checks.rule("email", validate::email(&normalize_email(email)));
        }
        if let Some(username) = &self.username {
            checks.rule("username", validate::username(username));
        }
        if let Some(name) = &self.first_name {
            checks.rule("first_name", validate::name(name));
        }
        if let Some(name) = &self.last_name {
            checks.rule("last_name", validate::name(name));
        }
        if let Some(phone) = self.phone.as_deref().filter(|p| !p.is_empty()) {
            checks.rule("phone", validate::phone(phone));
        }
        checks.finish()
    }
}

/// Change a user's profile (own account; admin, or a supervisor for technicians and viewers).
#[utoipa::path(
    patch,
    path = "/users/{id}",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UserUpdate,
    responses(
        (status = 200, description = "The user after the change", body = ApiResponse<User>),
        (status = 400, description = "`VALIDATION_ERROR` with field details", body = ErrorEnvelope),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: email or username taken, or last admin", body = ErrorEnvelope),
    )
)]
pub async fn update_user(
    caller: CurrentUser,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
    Json(update): Json<UserUpdate>,
) -> Result<ApiResponse<User>> {
    let target = find(&state.db, id).await?;
    if id != caller.id() {
        ensure_can_manage(&caller, target.role)?;
    }
    if update.is_active.is_some() && caller.role() != Role::Admin {
        return Err(Error::Forbidden(
            "only admins may activate or deactivate accounts".into(),
        ));
    }
    update.validate()?;

    // Deactivating must not leave the install without an active admin; other edits may touch one.
    let deactivating = update.is_active == Some(false);
    guarded_update(
        &state,
        id,
        deactivating,
        |query| {
            if let Some(email) = &update.email {
                query.push(", email = ").push_bind(normalize_email(email));
            }
            if let Some(username) = &update.username {
                query
                    .push(", username = ")
                    .push_bind(username.trim().to_owned());
            }
            if let Some(name) = &update.first_name {
                query
                    .push(", first_name = ")
                    .push_bind(name.trim().to_owned());
            }
            if let Some(name) = &update.last_name {
                query
                    .push(", last_name = ")
                    .push_bind(name.trim().to_owned());
            }
            if let Some(phone) = &update.phone {
                query
                    .push(", phone = ")
                    .push_bind(Some(phone.trim().to_owned()).filter(|p| !p.is_empty()));
            }
            if let Some(active) = update.is_active {
                query.push(", is_active = ").push_bind(active);
            }
        },
        "deactivated",
    )
    .await?;
    if deactivating {
        session::revoke_all(&state, id, RevokeReason::RevokedByAdmin, None).await?;
    }
    SecurityEvent::new(SecurityEventKind::UserUpdated, &correlation_id)
        .user(id)
        .actor(caller.id())
        .details(serde_json::json!({ "is_active": update.is_active }))
        .record(&state.writer)
        .await?;
    find(&state.db, id).await.map(ApiResponse::ok)
}

/// Delete a user (admin): soft delete, their sessions end at once. Not the last active admin,
/// not yourself.
#[utoipa::path(
    delete,
    path = "/users/{id}",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The deleted user", body = ApiResponse<User>),
        (status = 404, description = "`NOT_FOUND`", body = ErrorEnvelope),
        (status = 409, description = "`CONFLICT`: yourself, or the last active admin", body = ErrorEnvelope),
    )
)]
pub async fn delete_user(
    caller: Authorized<AdminOnly>,
    State(state): State<AppState>,
    correlation_id: CorrelationId,
    Path(id): Path<Uuid>,
) -> Result<ApiResponse<User>> {
    if id == caller.user.id() {
        return Err(Error::Conflict {
            message: "you cannot delete your own account".into(),
            details: None,
        });
    }
    let user = find(&state.db, id).await?;
    let deleted_by = caller.user.id().hyphenated().to_string();
    guarded_update(
        &state,
        id,
        true,
        |q| {
            q.push(", deleted_at = ")
                .push_bind(now_ms())
                .push(", deleted_by = ")
                .push_bind(deleted_by);
        },
        "deleted",
    )
    .await?;
    session::revoke_all(&state, id, RevokeReason::UserDeleted, None).await?;
    SecurityEvent::new(SecurityEventKind::UserDeleted, &correlation_id)
        .user(id)
        .actor(caller.user.id())
        .record(&state.writer)
        .await?;
    Ok(ApiResponse::ok(user))
}
