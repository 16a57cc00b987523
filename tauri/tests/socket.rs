//! The shell's socket API on a real socket file, with the recording controller.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use rpma_shell::socket::{self, BindError, RecordingController};
use rpma_shell_protocol::{ShellToken, WindowAction};
use serde_json::{Value, json};

const TOKEN: &str = "test-token-0123456789";

struct Server {
    dir: tempfile::TempDir,
    controller: Arc<RecordingController>,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("rpma").join("shell.sock")
    }

    async fn shutdown(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap().unwrap();
    }
}

async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    start_in(dir).await
}

async fn start_in(dir: tempfile::TempDir) -> Server {
    let controller = Arc::new(RecordingController::default());
    let listener = socket::bind(&dir.path().join("rpma").join("shell.sock")).unwrap();
    let router = socket::router(controller.clone(), &ShellToken::new(TOKEN));
    let (stop, mut rx) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(socket::serve(listener, router, async move {
        let _ = rx.wait_for(|s| *s).await;
    }));
    Server {
        dir,
        controller,
        stop,
        task,
    }
}

/// One HTTP/1 exchange over the socket.
async fn request(
    path: &Path,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let stream = tokio::net::UnixStream::connect(path).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "shell");
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let response = sender
        .send_request(builder.body(Full::new(Bytes::from(body))).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn socket_and_folder_are_private() {
    let server = start().await;
    let path = server.path();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    server.shutdown().await;
    assert!(!path.exists(), "the socket file is removed on shutdown");
}

#[tokio::test]
async fn requests_without_the_token_are_refused() {
    let server = start().await;
    for token in [None, Some("wrong"), Some("")] {
        for (method, uri) in [
            (Method::GET, "/health"),
            (Method::GET, "/window"),
            (Method::POST, "/window"),
        ] {
            let (status, body) = request(
                &server.path(),
                method.clone(),
                uri,
                token,
                Some(json!({ "action": "maximize" })),
            )
            .await;
            assert_eq!(status, 401, "{method} {uri} with {token:?}");
            assert_eq!(body["error"]["code"], "AUTH_ERROR");
        }
    }
    assert!(
        server.controller.recorded().commands.is_empty(),
        "nothing reached the window"
    );
    let (status, body) = request(&server.path(), Method::GET, "/health", Some(TOKEN), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["status"], "ok");
    server.shutdown().await;
}

#[tokio::test]
async fn every_window_action_reaches_the_controller() {
    let server = start().await;
    let path = server.path();
    for action in WindowAction::ALL {
        let value = match action {
            WindowAction::SetAlwaysOnTop => Some(true),
            WindowAction::Fullscreen => Some(false),
            _ => None,
        };
        let mut body = json!({ "action": action });
        if let Some(value) = value {
            body["value"] = json!(value);
        }
        let (status, reply) =
            request(&path, Method::POST, "/window", Some(TOKEN), Some(body)).await;
        assert_eq!(status, 200, "{action:?}: {reply}");
        assert_eq!(reply["success"], true);
    }
    let recorded = server.controller.recorded();
    let actions: Vec<WindowAction> = recorded.commands.iter().map(|c| c.action).collect();
    assert_eq!(actions, WindowAction::ALL);
    assert!(recorded.state.always_on_top);

    // State follows: maximize, then toggle back.
    let (_, reply) = request(
        &path,
        Method::POST,
        "/window",
        Some(TOKEN),
        Some(json!({ "action": "maximize" })),
    )
    .await;
    assert_eq!(reply["data"]["maximized"], true);
    let (_, reply) = request(
        &path,
        Method::POST,
        "/window",
        Some(TOKEN),
        Some(json!({ "action": "toggle" })),
    )
    .await;
    assert_eq!(reply["data"]["maximized"], false);
    let (status, reply) = request(&path, Method::GET, "/window", Some(TOKEN), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        reply["data"]["size"],
        json!({ "width": 1100, "height": 720 })
    );
    server.shutdown().await;
}

#[tokio::test]
async fn bad_requests_get_the_envelope_and_change_nothing() {
    let server = start().await;
    let path = server.path();
    for body in [
        json!({ "action": "explode" }),
        json!({ "action": "set_always_on_top" }),
        json!({ "action": "maximize", "value": true }),
        json!({}),
    ] {
        let (status, reply) = request(
            &path,
            Method::POST,
            "/window",
            Some(TOKEN),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(reply["error"]["code"], "VALIDATION_ERROR", "{body}");
    }
    let (status, reply) = request(
        &path,
        Method::POST,
        "/notify",
        Some(TOKEN),
        Some(json!({ "title": "" })),
    )
    .await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (400, Some("VALIDATION_ERROR"))
    );
    let (status, reply) = request(&path, Method::GET, "/nope", Some(TOKEN), None).await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    assert!(server.controller.recorded().commands.is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn notifications_and_tray_updates_are_delivered() {
    let server = start().await;
    let path = server.path();
    let (status, _) = request(
        &path,
        Method::POST,
        "/notify",
        Some(TOKEN),
        Some(json!({ "title": "Intervention finalised", "body": "Task 20261122-001" })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = request(
        &path,
        Method::POST,
        "/tray",
        Some(TOKEN),
        Some(json!({ "status": "syncing", "tooltip": "RPMA — syncing" })),
    )
    .await;
    assert_eq!(status, 200);
    let recorded = server.controller.recorded();
    assert_eq!(recorded.notifications[0].title, "Intervention finalised");
    assert_eq!(recorded.tray[0].status.as_deref(), Some("syncing"));
    server.shutdown().await;
}

#[tokio::test]
async fn a_stale_socket_file_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rpma").join("shell.sock");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // A socket file nobody listens on, as a crashed shell leaves behind.
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let server = start_in(dir).await;
    let (status, _) = request(&server.path(), Method::GET, "/health", Some(TOKEN), None).await;
    assert_eq!(status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn a_live_socket_is_never_taken_over() {
    let server = start().await;
    let path = server.path();
    match socket::bind(&path) {
        Err(BindError::InUse(p)) => assert_eq!(p, path),
        other => panic!("expected InUse, got {other:?}"),
    }
    // The first server still answers.
    let (status, _) = request(&path, Method::GET, "/health", Some(TOKEN), None).await;
    assert_eq!(status, 200);
    server.shutdown().await;
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// A folder where another user could reach the socket is refused; `bind_or_private` then serves
/// from a fresh private folder of its own, and removes it afterwards.
fn refused_then_private(path: &Path, why: &str) {
    match socket::bind(path) {
        Err(BindError::UnsafeFolder { dir, reason }) => {
            assert_eq!(dir, path.parent().unwrap());
            assert!(reason.contains(why), "{reason}");
        }
        other => panic!("expected UnsafeFolder ({why}), got {other:?}"),
    }
    let listener = socket::bind_or_private(path).unwrap();
    let private = listener.path().to_owned();
    assert_ne!(private, path);
    assert_eq!(mode(&private), 0o600);
    assert_eq!(mode(private.parent().unwrap()), 0o700);
    drop(listener);
    assert!(!private.parent().unwrap().exists());
}

#[test]
fn a_symlinked_socket_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("rpma")).unwrap();
    refused_then_private(&dir.path().join("rpma").join("shell.sock"), "symbolic link");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_socket_folder_of_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("rpma");
    if nix::unistd::geteuid().is_root() {
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
        std::os::unix::fs::chown(&folder, Some(65534), None).unwrap();
        refused_then_private(&folder.join("shell.sock"), "belongs to uid 65534");
        // Left as it was: not ours to change.
        assert_eq!(mode(&folder), 0o777);
    } else {
        // Not root: a folder root owns stands for another user's.
        refused_then_private(Path::new("/shell.sock"), "belongs to uid 0");
    }
}

#[test]
fn our_own_socket_folder_open_to_others_is_made_private() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("rpma");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    let listener = socket::bind(&folder.join("shell.sock")).unwrap();
    assert_eq!(listener.path(), folder.join("shell.sock"));
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(listener.path()), 0o600);
}
