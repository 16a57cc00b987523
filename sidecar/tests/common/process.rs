//! The real `rpma-sidecar` binary for tests that need the process (crashes, restarts): start it
//! on a free port over a data dir, speak plain HTTP/1.1 to it over TCP, end it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_rpma-sidecar");
const STARTUP_DEADLINE: Duration = Duration::from_secs(20);
const REPLY_DEADLINE: Duration = Duration::from_secs(10);

/// A running sidecar; killed (if still running) when dropped.
pub struct Sidecar {
    pub child: Child,
    /// `127.0.0.1:PORT`, from its `listening` line.
    pub addr: String,
}

impl Sidecar {
    /// Start it on port 0 over `data_dir` and wait for its `listening` line.
    pub fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// [`Self::start`] with more arguments (`--database-url …`).
    pub fn start_with(data_dir: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .args(args)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            // Not read: a full pipe would stall the process's logging.
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn rpma-sidecar");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(STARTUP_DEADLINE)
            .expect("listening line on stdout");
        let event: Value = serde_json::from_str(&line).expect("a JSON line");
        assert_eq!(event["event"], "listening", "{line}");
        let addr = event["addr"].as_str().expect("addr").to_owned();
        Self { child, addr }
    }

    /// `kill -9`: no handler runs, nothing is flushed or closed.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, and its exit status (within 10 s).
    pub fn stop(mut self) -> ExitStatus {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).expect("pid"));
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running 10 s after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Bootstrap the first admin (when there is none) and sign in as them; the access token.
    pub fn admin_token(&self) -> String {
        let admin = json!({
            "email": "crash@example.com", "username": "crash", "first_name": "Crash",
            "last_name": "Test", "password": "Crash1234",
        });
        let _ = request(
            &self.addr,
            "POST",
            "/api/v1/auth/bootstrap-admin",
            None,
            Some(&admin),
        );
        let credentials = json!({ "email": admin["email"], "password": admin["password"] });
        let (status, body) = request(
            &self.addr,
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&credentials),
        )
        .expect("sign in");
        assert_eq!(status, 200, "{body}");
        body["data"]["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on its own connection; the status and the JSON body. An error when the
/// connection fails or the reply is cut short (no complete JSON body).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    request_as(addr, addr, method, path, token, body)
}

/// [`request`] with `Host: host`, as a page that reached the server under another name sends.
pub fn request_as(
    addr: &str,
    host: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(REPLY_DEADLINE))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "reply cut short");
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(cut)?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(cut)?;
    let body = serde_json::from_str(body).map_err(|_| cut())?;
    Ok((status, body))
}
