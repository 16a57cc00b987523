//! The real `rpma-sidecar` under attack, over real TCP: a web page's foreign `Host` (DNS
//! rebinding), a burst of parallel sign-ins (memory stays bounded), and the modes of the files
//! it keeps.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use common::process::{Sidecar, request, request_as};
use serde_json::{Value, json};

/// `POST path` with a JSON body and no token.
fn post(sidecar: &Sidecar, path: &str, body: &Value) -> (u16, Value) {
    request(&sidecar.addr, "POST", path, None, Some(body)).unwrap()
}

/// The process's peak resident memory so far, in KiB.
fn peak_kib(sidecar: &Sidecar) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", sidecar.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
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
        let (status, body) =
            request_as(&sidecar.addr, &host, "GET", "/api/v1/health", None, None).unwrap();
        assert_eq!(status, 200, "{host}: {body}");
    }
    // A page on evil.example that rebound its name to 127.0.0.1 sends its own name.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        "localhost".to_owned(),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let (status, body) =
            request_as(&sidecar.addr, &host, "GET", "/api/v1/health", None, None).unwrap();
        assert_eq!(status, 421, "{host}: {body}");
        assert_eq!(body["error"]["code"], "HOST_NOT_ALLOWED", "{host}: {body}");
        // Sign-in is refused the same way: nothing past the check runs.
        let login = json!({ "email": "admin@example.com", "password": "Admin1234" });
        let (status, _) = request_as(
            &sidecar.addr,
            &host,
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&login),
        )
        .unwrap();
        assert_eq!(status, 421, "{host}");
    }
}

#[test]
fn sixty_four_parallel_sign_ins_keep_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let sidecar = Sidecar::start(dir.path());
    sidecar.admin_token();
    let before = peak_kib(&sidecar);
    // 64 different emails, so the lockout refuses none: each one hashes (19 MiB of Argon2id).
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let sidecar = &sidecar;
        let handles: Vec<_> = (0..64)
            .map(|i| {
                scope.spawn(move || {
                    let login = json!({ "email": format!("guess{i}@example.com"), "password": "Wrong1234" });
                    post(sidecar, "/api/v1/auth/login", &login).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let grown_mib = (peak_kib(&sidecar).saturating_sub(before)) / 1024;
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
    Sidecar::start(&data).admin_token();
    std::fs::set_permissions(data.join("rpma.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let sidecar = Sidecar::start(&data);
    sidecar.admin_token();
    assert_eq!(mode(&data), 0o700, "data dir");
    for file in ["rpma.db", "rpma.db-wal", "rpma.db-shm", "secret.key"] {
        let path = data.join(file);
        assert!(path.exists(), "{file}");
        assert_eq!(mode(&path), 0o600, "{file}");
    }
    drop(sidecar);
}
