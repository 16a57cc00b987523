//! The socket API's routes: token check, window state and actions, notifications, tray.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rpma_shell_protocol::{
    Notification, ShellError, ShellErrorEnvelope, ShellHealth, ShellResponse, ShellToken,
    TrayUpdate, WindowAction, WindowCommand, WindowState,
};
use subtle::ConstantTimeEq;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::controller::{ControlError, WindowController};

/// What the handlers share.
#[derive(Clone)]
pub struct SocketState {
    controller: Arc<dyn WindowController>,
    token: Arc<ShellToken>,
}

/// A failed socket request, as the envelope.
#[derive(Debug)]
pub struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ShellErrorEnvelope {
            success: false,
            error: ShellError {
                code: self.1.into(),
                message: self.2,
            },
        };
        (self.0, Json(body)).into_response()
    }
}

impl From<ControlError> for ApiError {
    fn from(error: ControlError) -> Self {
        match error {
            ControlError::NoWindow | ControlError::Busy(_) => ApiError(
                StatusCode::SERVICE_UNAVAILABLE,
                "WINDOW_UNAVAILABLE",
                error.to_string(),
            ),
            ControlError::Failed(message) => {
                ApiError(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", message)
            }
        }
    }
}

fn invalid(message: &str) -> ApiError {
    ApiError(
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
        message.to_owned(),
    )
}

type Reply<T> = Result<Json<ShellResponse<T>>, ApiError>;

fn ok<T>(data: T) -> Reply<T> {
    Ok(Json(ShellResponse {
        success: true,
        data,
    }))
}

/// Parse a JSON body into the envelope's error on failure (never axum's plain-text rejection).
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| invalid(&format!("invalid JSON body: {e}")))
}

/// Refuse requests without the shell's token (constant-time comparison).
async fn require_token(State(state): State<SocketState>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if presented.is_empty()
        || !bool::from(presented.as_bytes().ct_eq(state.token.expose().as_bytes()))
    {
        return ApiError(
            StatusCode::UNAUTHORIZED,
            "AUTH_ERROR",
            "missing or wrong shell token".into(),
        )
        .into_response();
    }
    next.run(request).await
}

/// The shell answers.
#[utoipa::path(get, path = "/health", responses((status = 200, description = "The shell is up", body = ShellResponse<ShellHealth>)))]
async fn get_health() -> Reply<ShellHealth> {
    ok(ShellHealth {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// The main window's state.
#[utoipa::path(
    get,
    path = "/window",
    responses(
        (status = 200, description = "The window's state", body = ShellResponse<WindowState>),
        (status = 503, description = "`WINDOW_UNAVAILABLE`", body = ShellErrorEnvelope),
    )
)]
async fn get_window(State(state): State<SocketState>) -> Reply<WindowState> {
    let controller = state.controller.clone();
    let window = tokio::task::spawn_blocking(move || controller.state())
        .await
        .map_err(join_error)??;
    ok(window)
}

/// Act on the main window; answers with its state afterwards.
#[utoipa::path(
    post,
    path = "/window",
    request_body = WindowCommand,
    responses(
        (status = 200, description = "The window's state afterwards", body = ShellResponse<WindowState>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ShellErrorEnvelope),
        (status = 503, description = "`WINDOW_UNAVAILABLE`", body = ShellErrorEnvelope),
    )
)]
async fn post_window(
    State(state): State<SocketState>,
    body: axum::body::Bytes,
) -> Reply<WindowState> {
    let command: WindowCommand = parse(&body)?;
    if let Some(problem) = command.problem() {
        return Err(invalid(problem));
    }
    let controller = state.controller.clone();
    let window = tokio::task::spawn_blocking(move || {
        let before = controller.state()?;
        controller.apply(command)?;
        settle(controller.as_ref(), command, before)
    })
    .await
    .map_err(join_error)??;
    ok(window)
}

/// Longest wait for the window manager to carry out an action before answering.
const SETTLE_DEADLINE: Duration = Duration::from_millis(500);

/// The state once the action shows in it (window managers apply changes asynchronously), or
/// the latest state when the deadline passes.
fn settle(
    controller: &dyn WindowController,
    command: WindowCommand,
    before: WindowState,
) -> Result<WindowState, ControlError> {
    let deadline = Instant::now() + SETTLE_DEADLINE;
    loop {
        let now = controller.state()?;
        if shows(command, &before, &now) || Instant::now() >= deadline {
            return Ok(now);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `now` reflects `command` applied to `before`.
fn shows(command: WindowCommand, before: &WindowState, now: &WindowState) -> bool {
    match command.action {
        WindowAction::Maximize => now.maximized,
        WindowAction::Unmaximize => !now.maximized,
        WindowAction::Toggle => now.maximized != before.maximized,
        WindowAction::Minimize => now.minimized,
        WindowAction::Restore => now.visible && !now.minimized && !now.maximized,
        WindowAction::Show => now.visible,
        WindowAction::Hide => !now.visible,
        WindowAction::Focus => now.visible && !now.minimized,
        WindowAction::Center => true,
        WindowAction::Fullscreen => now.fullscreen == command.value.unwrap_or(!before.fullscreen),
        WindowAction::SetAlwaysOnTop => Some(now.always_on_top) == command.value,
    }
}

/// Show a desktop notification.
#[utoipa::path(
    post,
    path = "/notify",
    request_body = Notification,
    responses(
        (status = 200, description = "The notification shown", body = ShellResponse<Notification>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ShellErrorEnvelope),
    )
)]
async fn post_notify(
    State(state): State<SocketState>,
    body: axum::body::Bytes,
) -> Reply<Notification> {
    let notification: Notification = parse(&body)?;
    if let Some(problem) = notification.problem() {
        return Err(invalid(problem));
    }
    let controller = state.controller.clone();
    let shown = notification.clone();
    tokio::task::spawn_blocking(move || controller.notify(&shown))
        .await
        .map_err(join_error)??;
    ok(notification)
}

/// Set the tray's status line and tooltip.
#[utoipa::path(
    post,
    path = "/tray",
    request_body = TrayUpdate,
    responses(
        (status = 200, description = "The tray's new text", body = ShellResponse<TrayUpdate>),
        (status = 400, description = "`VALIDATION_ERROR`", body = ShellErrorEnvelope),
    )
)]
async fn post_tray(State(state): State<SocketState>, body: axum::body::Bytes) -> Reply<TrayUpdate> {
    let update: TrayUpdate = parse(&body)?;
    if let Some(problem) = update.problem() {
        return Err(invalid(problem));
    }
    let controller = state.controller.clone();
    let applied = update.clone();
    tokio::task::spawn_blocking(move || controller.set_tray(&applied))
        .await
        .map_err(join_error)??;
    ok(update)
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        format!("control task failed: {e}"),
    )
}

async fn no_route() -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no such route on the shell socket".into(),
    )
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "RPMA shell socket API",
        description = "Served by the desktop shell on a Unix socket (`$XDG_RUNTIME_DIR/rpma/shell.sock`) or a \
            named pipe; called by the sidecar. Every request needs `Authorization: Bearer <RPMA_SHELL_TOKEN>`."
    ),
    modifiers(&TokenScheme),
    security(("shell_token" = []))
)]
struct ShellApi;

struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        components.add_security_scheme("shell_token", SecurityScheme::Http(scheme));
    }
}

fn api() -> OpenApiRouter<SocketState> {
    OpenApiRouter::with_openapi(ShellApi::openapi())
        .routes(routes!(get_health))
        .routes(routes!(get_window, post_window))
        .routes(routes!(post_notify))
        .routes(routes!(post_tray))
}

/// The socket API, as `make openapi` writes it to `openapi/shell.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// The socket API's router over a controller, guarded by `token`.
pub fn router(controller: Arc<dyn WindowController>, token: &ShellToken) -> axum::Router {
    let state = SocketState {
        controller,
        token: Arc::new(token.clone()),
    };
    let (router, _) = api().split_for_parts();
    router
        .fallback(no_route)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_token,
        ))
        .with_state(state)
}
