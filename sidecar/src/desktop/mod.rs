//! The desktop: `/api/v1/window` and `/api/v1/desktop/*`, forwarded to the shell over its
//! socket, and [`notify`] and [`attention`] for workflows that want a user's attention (over the
//! socket to this sidecar's own shell, or on the event stream to a team server's desktops).

mod shell;

use crate::routing::routes;
use axum::extract::State;
use rpma_shell_protocol::{DesktopRequest, Notification, WindowCommand, WindowState};
use utoipa_axum::router::OpenApiRouter;

pub use shell::{SHELL_DEADLINE, ShellClient};

use crate::auth::{Authorized, CurrentUser, Managers};
use crate::error::{Error, ErrorEnvelope, Result};
use crate::extract::Json;
use crate::live::{Audience, EventKind};
use crate::response::ApiResponse;
use crate::state::AppState;

fn shell(state: &AppState) -> Result<&ShellClient> {
    state.shell.as_deref().ok_or_else(|| {
        Error::ShellUnavailable(
            "no desktop shell is attached to this backend (it runs without the desktop app)".into(),
        )
    })
}

/// The desktop window's state (any signed-in user).
#[utoipa::path(
    get,
    path = "/window",
    responses(
        (status = 200, description = "The main window", body = ApiResponse<WindowState>),
        (status = 503, description = "`SHELL_UNAVAILABLE`: no desktop shell, or it did not answer in 1 s", body = ErrorEnvelope),
    )
)]
pub async fn get_window(
    _caller: CurrentUser,
    State(state): State<AppState>,
) -> Result<ApiResponse<WindowState>> {
    shell(&state)?.get("/window").await.map(ApiResponse::ok)
}

/// Act on the desktop window: maximize, unmaximize, toggle, minimize, restore, show, hide,
/// focus, center, fullscreen, set_always_on_top (any signed-in user).
#[utoipa::path(
    post,
    path = "/window",
    request_body = WindowCommand,
    responses(
        (status = 200, description = "The window after the action", body = ApiResponse<WindowState>),
        (status = 400, description = "`VALIDATION_ERROR`: unknown action or bad value", body = ErrorEnvelope),
        (status = 503, description = "`SHELL_UNAVAILABLE`: no desktop shell, or it did not answer in 1 s", body = ErrorEnvelope),
    )
)]
pub async fn post_window(
    _caller: CurrentUser,
    State(state): State<AppState>,
    Json(command): Json<WindowCommand>,
) -> Result<ApiResponse<WindowState>> {
    if let Some(problem) = command.problem() {
        return Err(Error::invalid("value", problem));
    }
    shell(&state)?
        .post("/window", &command)
        .await
        .map(ApiResponse::ok)
}

/// Show a desktop notification (admin, supervisor).
#[utoipa::path(
    post,
    path = "/desktop/notify",
    request_body = Notification,
    responses(
        (status = 200, description = "Shown", body = ApiResponse<Notification>),
        (status = 400, description = "`VALIDATION_ERROR`: empty or too long", body = ErrorEnvelope),
        (status = 503, description = "`SHELL_UNAVAILABLE`", body = ErrorEnvelope),
    )
)]
pub async fn post_notify(
    _caller: Authorized<Managers>,
    State(state): State<AppState>,
    Json(notification): Json<Notification>,
) -> Result<ApiResponse<Notification>> {
    if let Some(problem) = notification.problem() {
        return Err(Error::invalid("title", problem));
    }
    shell(&state)?
        .post("/notify", &notification)
        .await
        .map(ApiResponse::ok)
}

/// Tell the desktop user something from a workflow, after its commit. Never delays or fails the
/// workflow.
///
/// A sidecar with a shell (its own desktop's) asks it over the socket, in the background;
/// without an answer the notice is logged and dropped. A sidecar with no shell (a team server,
/// with desktops attached from other machines) puts it on the event stream at once, as a
/// `desktop.request` for `audience`: each attached page whose user it admits hands it to its own
/// shell, and a page in a browser ignores it.
pub fn notify(state: &AppState, audience: Audience, title: &str, body: &str) {
    request(state, audience, title, body, false);
}

/// Ask for the desktop user's attention from a workflow: a notification, then the window
/// brought forward (shown, unminimised, raised and focused). Like [`notify`], never delays or
/// fails the workflow, and reaches a team server's desktops through the event stream.
pub fn attention(state: &AppState, audience: Audience, title: &str, body: &str) {
    request(state, audience, title, body, true);
}

fn request(state: &AppState, audience: Audience, title: &str, body: &str, forward: bool) {
    let notification = Notification {
        title: title.to_owned(),
        body: body.to_owned(),
    };
    let Some(shell) = state.shell.clone() else {
        let request = DesktopRequest {
            notification,
            bring_forward: forward,
        };
        state
            .live
            .publish(EventKind::DesktopRequest, audience, None, &request);
        return;
    };
    tokio::spawn(async move {
        let title = &notification.title;
        if let Err(e) = shell
            .post::<_, Notification>("/notify", &notification)
            .await
        {
            tracing::info!(title, reason = %e, "desktop notification not shown");
        }
        if forward {
            let command = WindowCommand {
                action: rpma_shell_protocol::WindowAction::Focus,
                value: None,
            };
            if let Err(e) = shell.post::<_, WindowState>("/window", &command).await {
                tracing::info!(title, reason = %e, "window not brought forward");
            }
        }
    });
}

/// Routes of the desktop area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_window, post_window))
        .routes(routes!(post_notify))
}
