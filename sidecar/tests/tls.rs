//! HTTPS for a team server: the real `rpma-sidecar` with `--tls-cert`/`--tls-key` (a certificate
//! made here), spoken to with rustls. A client that trusts the certificate gets its answers; one
//! that does not, or that speaks plain HTTP, gets none and does not stop the server; a key that
//! does not fit its certificate stops the start with a message naming both files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::process::{BIN, Sidecar};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A self-signed certificate for `localhost` and 127.0.0.1: its PEM files in `dir`, and its DER.
fn certificate(
    dir: &Path,
    name: &str,
) -> (PathBuf, PathBuf, rustls::pki_types::CertificateDer<'static>) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (cert, key) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key, made.cert.der().clone())
}

/// A TLS client that trusts `roots` only.
fn client(roots: &[rustls::pki_types::CertificateDer<'static>]) -> tokio_rustls::TlsConnector {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add(root.clone()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(store)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// `GET path` over TLS to `addr` as `localhost`: the raw answer, or the handshake's error.
async fn get(
    connector: &tokio_rustls::TlsConnector,
    addr: &str,
    path: &str,
) -> std::io::Result<String> {
    let tcp = TcpStream::connect(addr).await?;
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await?;
    let port = addr.rsplit(':').next().unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await?;
    Ok(answer)
}

#[tokio::test]
async fn a_team_server_speaks_https_with_its_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, der) = certificate(dir.path(), "server");
    let server = Sidecar::start_with(
        &dir.path().join("data"),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let trusting = client(&[der]);

    let answer = get(&trusting, &server.addr, "/api/v1/health")
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""database_kind":"sqlite""#), "{answer}");

    // A client that does not trust the certificate gets nothing at all.
    let (_, _, stranger) = certificate(dir.path(), "stranger");
    let error = get(&client(&[stranger]), &server.addr, "/api/v1/health")
        .await
        .expect_err("an untrusted certificate is refused");
    assert!(error.to_string().contains("certificate"), "{error}");

    // Plain HTTP to the HTTPS port: no answer, the connection closed.
    let mut plain = TcpStream::connect(&server.addr).await.unwrap();
    plain
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut heard = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        plain.read_to_end(&mut heard),
    )
    .await
    .expect("the server closes a plain HTTP connection");
    assert!(
        !String::from_utf8_lossy(&heard).contains("200 OK"),
        "{heard:?}"
    );

    // Neither stopped the server.
    let answer = get(&trusting, &server.addr, "/api/v1/health")
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(server.stop().success());
}

#[test]
fn a_key_that_does_not_fit_its_certificate_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, _, _) = certificate(dir.path(), "server");
    let (_, other_key, _) = certificate(dir.path(), "other");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(BIN)
            .args(["--port", "0", "--data-dir"])
            .arg(dir.path().join("data"))
            .args(args)
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    };

    let out = run(&[
        "--tls-cert".as_ref(),
        cert.as_os_str(),
        "--tls-key".as_ref(),
        other_key.as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing listened: {:?}", out.stdout);
    assert!(said.contains("does not fit the certificate"), "{said}");
    assert!(said.contains(&*other_key.to_string_lossy()), "{said}");

    let missing = dir.path().join("missing.pem");
    let out = run(&[
        "--tls-cert".as_ref(),
        missing.as_os_str(),
        "--tls-key".as_ref(),
        other_key.as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains("cannot read the TLS certificate"), "{said}");

    // One without the other is a usage error.
    let out = run(&["--tls-cert".as_ref(), cert.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-key"));
}
