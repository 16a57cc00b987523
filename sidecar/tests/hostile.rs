//! The real `rpma-sidecar` under attack, over real TCP: a web page's foreign `Host` (DNS
//! rebinding), a burst of parallel sign-ins (memory stays bounded), and the modes of the files
//! it keeps.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_rpma-sidecar");

/// The sidecar on a free port of 127.0.0.1, killed when dropped.
struct Sidecar {
    child: Child,
    addr: String,
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sidecar {
    fn start(data_dir: &Path) -> Self {
        let mut child = Command::new(BIN)
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let event: Value = serde_json::from_str(&line).unwrap();
        let addr = event["addr"].as_str().unwrap().to_owned();
        Self { child, addr }
    }

    /// One request with `Host: host`; returns the status and the JSON body.
    fn request(&self, method: &str, path: &str, host: &str, body: Option<&Value>) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").expect("HTTP response");
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.request("POST", path, &self.addr, Some(body))
    }

    /// The process's peak resident memory so far, in KiB.
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

fn admin(sidecar: &Sidecar) {
    let account = json!({
        "email": "admin@example.com", "username": "admin", "first_name": "Ada",
        "last_name": "Admin", "password": "Admin1234"
    });
    let (status, body) = sidecar.post("/api/v1/auth/bootstrap-admin", &account);
    assert_eq!(status, 201, "{body}");
}

#[test]
fn a_foreign_host_is_refused_and_loopback_names_answer() {
    let dir = tempfile::tempdir().unwrap();
    let sidecar = Sidecar::start(dir.path());
    let port = sidecar.addr.rsplit_once(':').unwrap().1.to_owned();
    for host in [
        sidecar.addr.clone(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        let (status, body) = sidecar.request("GET", "/api/v1/health", &host, None);
        assert_eq!(status, 200, "{host}: {body}");
    }
    // A page on evil.example that rebound its name to 127.0.0.1 sends its own name.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        "localhost".to_owned(),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let (status, body) = sidecar.request("GET", "/api/v1/health", &host, None);
        assert_eq!(status, 421, "{host}: {body}");
        assert_eq!(body["error"]["code"], "HOST_NOT_ALLOWED", "{host}: {body}");
        // Sign-in is refused the same way: nothing past the check runs.
        let login = json!({ "email": "admin@example.com", "password": "Admin1234" });
        let (status, _) = sidecar.request("POST", "/api/v1/auth/login", &host, Some(&login));
        assert_eq!(status, 421, "{host}");
    }
}

#[test]
fn sixty_four_parallel_sign_ins_keep_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let sidecar = Sidecar::start(dir.path());
    admin(&sidecar);
    let before = sidecar.peak_kib();
    // 64 different emails, so the lockout refuses none: each one hashes (19 MiB of Argon2id).
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let sidecar = &sidecar;
        let handles: Vec<_> = (0..64)
            .map(|i| {
                scope.spawn(move || {
                    let login = json!({ "email": format!("guess{i}@example.com"), "password": "Wrong1234" });
                    sidecar.post("/api/v1/auth/login", &login).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let grown_mib = (sidecar.peak_kib().saturating_sub(before)) / 1024;
    // At most one hash per core (4 at most) runs at once: 76 MiB; 64 at once would be 1.2 GiB.
    assert!(grown_mib < 160, "peak memory grew by {grown_mib} MiB");
}

#[cfg(unix)]
#[test]
fn the_data_dir_and_its_files_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A data dir and a database left readable by others (an older release, a copy, a umask).
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    {
        let sidecar = Sidecar::start(&data);
        admin(&sidecar);
    }
    std::fs::set_permissions(data.join("rpma.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let sidecar = Sidecar::start(&data);
    admin_sign_in(&sidecar);
    assert_eq!(mode(&data), 0o700, "data dir");
    for file in ["rpma.db", "rpma.db-wal", "rpma.db-shm", "secret.key"] {
        let path = data.join(file);
        assert!(path.exists(), "{file}");
        assert_eq!(mode(&path), 0o600, "{file}");
    }
    drop(sidecar);
}

fn admin_sign_in(sidecar: &Sidecar) {
    let login = json!({ "email": "admin@example.com", "password": "Admin1234" });
    let (status, body) = sidecar.post("/api/v1/auth/login", &login);
    assert_eq!(status, 200, "{body}");
}
