//! Where the desktop's backend is: "this computer" (its own sidecar, the default) or "a team
//! server" (a URL several desktops attach to). Kept in `connection.json` in the app's config
//! folder; the page reads and changes it from Settings (`get_connection`, `set_connection`) and
//! the shell switches at once. `RPMA_BACKEND_URL` still overrides it (a developer's own sidecar).
//!
//! A team server is reached over `https`, its certificate checked against the system's trust
//! store (the shell's health check through rustls' platform verifier, the page by the webview,
//! which trusts the same store), so a certificate either works for both or is refused with the
//! reason. Plain `http` is allowed to this machine only (`127.0.0.1` or `localhost`: a
//! trial with `make team-server`), never across the network, where it would carry passwords in
//! clear. Pinning a self-signed certificate on first use is not offered: install the workshop's
//! CA in the system store instead (README, "A team server").

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The file in the app's config folder.
pub const FILE: &str = "connection.json";

/// Longest URL accepted.
const MAX_URL: usize = 2048;

/// Where the backend is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Connection {
    /// The shell starts and supervises its own sidecar on this computer's SQLite file.
    #[default]
    ThisComputer,
    /// The shell attaches to a team server and health-checks it.
    TeamServer {
        /// Base URL, e.g. `https://rpma.workshop.lan:1431` (no path).
        url: String,
    },
}

impl Connection {
    /// What the tray's status line calls the backend.
    pub fn label(&self) -> &'static str {
        match self {
            Self::ThisComputer => "Backend",
            Self::TeamServer { .. } => "Team server",
        }
    }
}

/// The saved connection; "this computer" when there is none or it cannot be read (logged).
pub fn load(dir: &Path) -> Connection {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Connection::default(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the connection; using this computer");
            return Connection::default();
        }
    };
    match serde_json::from_str::<Connection>(&text) {
        Ok(Connection::TeamServer { url }) => match check_url(&url) {
            Ok(url) => Connection::TeamServer { url },
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "bad team server URL; using this computer");
                Connection::default()
            }
        },
        Ok(connection) => connection,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "unreadable connection; using this computer");
            Connection::default()
        }
    }
}

/// Save `connection` (replacing the file whole, so a crash leaves the old one or the new one).
pub fn save(dir: &Path, connection: &Connection) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let text = serde_json::to_string_pretty(connection).map_err(std::io::Error::other)?;
    let temporary = dir.join(format!("{FILE}.tmp"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, dir.join(FILE))
}

/// A team server's base URL as given, checked and normalised (no trailing slash), or why not.
pub fn check_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("enter the team server's URL, e.g. https://rpma.workshop.lan:1431".into());
    }
    if raw.len() > MAX_URL {
        return Err(format!("the URL is longer than {MAX_URL} characters"));
    }
    let url = tauri::Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    let host = url
        .host_str()
        .ok_or_else(|| "the URL has no host".to_owned())?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(
                "a team server on another machine must use https (plain http would send passwords in clear)"
                    .into(),
            );
        }
        other => return Err(format!("the URL must start with https:// (not {other}://)")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the URL must not hold a user name or password".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("give the server's address only, without a path (…/api/v1 is added)".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// This machine, as the page's content security policy allows it over plain http.
fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost")
}

/// What a team server says about itself (`GET /api/v1/health`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerFacts {
    /// `sqlite` or `postgres`.
    pub database_kind: String,
    /// The server's version.
    pub version: String,
}

/// Ask `url`'s health endpoint within `timeout`: its facts, or why it cannot be used (no
/// answer, an untrusted certificate, not an RPMA server).
pub fn probe(url: &str, timeout: Duration) -> Result<ServerFacts, String> {
    let response = crate::supervisor::agent(timeout)
        .get(format!("{url}/api/v1/health"))
        .call()
        .map_err(|e| format!("{url} cannot be reached: {e}"))?;
    if response.status() != 200 {
        return Err(format!(
            "{url} answered {} to its health check: is it an RPMA server?",
            response.status()
        ));
    }
    let body: serde_json::Value = response
        .into_body()
        .read_json()
        .map_err(|_| format!("{url} is not an RPMA server (its health check is not JSON)"))?;
    let data = &body["data"];
    match (data["database_kind"].as_str(), data["version"].as_str()) {
        (Some(kind), Some(version)) => Ok(ServerFacts {
            database_kind: kind.to_owned(),
            version: version.to_owned(),
        }),
        _ => Err(format!(
            "{url} is not an RPMA server (its health check has no version)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_on_this_machine_only() {
        assert_eq!(
            check_url(" https://rpma.workshop.lan:1431/ "),
            Ok("https://rpma.workshop.lan:1431".into())
        );
        assert_eq!(
            check_url("http://127.0.0.1:1431"),
            Ok("http://127.0.0.1:1431".into())
        );
        assert_eq!(
            check_url("http://localhost:1431"),
            Ok("http://localhost:1431".into())
        );
        for (bad, says) in [
            ("", "enter"),
            ("rpma.lan", "not a URL"),
            ("http://192.168.1.10:1431", "must use https"),
            ("http://[::1]:1431", "must use https"),
            ("ftp://rpma.lan", "https://"),
            ("https://user:pw@rpma.lan", "user name"),
            ("https://rpma.lan/api/v1", "without a path"),
            ("https://rpma.lan/?x=1", "without a path"),
        ] {
            let error = check_url(bad).expect_err(bad);
            assert!(error.contains(says), "{bad}: {error}");
        }
        assert!(check_url(&format!("https://{}.lan", "a".repeat(MAX_URL))).is_err());
    }

    #[test]
    fn saved_connections_load_back_and_bad_files_mean_this_computer() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(load(dir.path()), Connection::ThisComputer, "no file yet");
        let team = Connection::TeamServer {
            url: "https://rpma.workshop.lan".into(),
        };
        save(dir.path(), &team)?;
        assert_eq!(load(dir.path()), team);
        assert!(!dir.path().join(format!("{FILE}.tmp")).exists());
        std::fs::write(dir.path().join(FILE), "{not json")?;
        assert_eq!(load(dir.path()), Connection::ThisComputer);
        std::fs::write(
            dir.path().join(FILE),
            r#"{"mode":"team_server","url":"http://10.0.0.2"}"#,
        )?;
        assert_eq!(
            load(dir.path()),
            Connection::ThisComputer,
            "http off this machine"
        );
        Ok(())
    }
}
