//! Typed start-up configuration: every option is a flag and an `RPMA_*` environment variable.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Default port of the sidecar (`make serve`, the browser frontend's `VITE_API_URL`).
pub const DEFAULT_PORT: u16 = 1430;

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log shippers and the shell's log file.
    Json,
}

/// Configuration of one sidecar process.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "rpma-sidecar",
    version,
    about = "RPMA business server: REST API under /api/v1 on SQLite (one desk) or PostgreSQL (a team server)"
)]
pub struct Config {
    /// Address to listen on. Keep the loopback default unless you know why.
    #[arg(long, env = "RPMA_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free port (read it from the `listening` line on stdout).
    #[arg(long, env = "RPMA_PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,

    /// Folder for the database, keys and uploads; created if missing.
    #[arg(long, env = "RPMA_DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,

    /// Database URL; defaults to `sqlite://<data-dir>/rpma.db`.
    #[arg(long, env = "RPMA_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Path of the desktop shell's socket (named pipe on Windows), used to drive the window.
    #[arg(long, env = "RPMA_SHELL_SOCKET")]
    pub shell_socket: Option<PathBuf>,

    /// Token for the shell's socket; the desktop shell sets it. Never logged.
    #[arg(long, env = "RPMA_SHELL_TOKEN", hide = true, hide_env_values = true)]
    pub shell_token: Option<Secret>,

    /// Exit when the process with this id is gone (the shell passes its own pid).
    #[arg(long, env = "RPMA_PARENT_PID")]
    pub parent_pid: Option<u32>,

    /// Log line format on stderr.
    #[arg(long, env = "RPMA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Extra origin allowed by CORS (repeatable; comma-separated in the env var).
    #[arg(long = "cors-origin", env = "RPMA_CORS_ORIGIN", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Extra name (and port) a request's `Host` may give, e.g. `rpma.example:1430` behind a
    /// proxy (repeatable). The loopback names and the listening address are always allowed.
    #[arg(
        long = "allowed-host",
        env = "RPMA_ALLOWED_HOST",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,

    /// PEM certificate chain (leaf first): serve HTTPS, for a team server desktops reach over the
    /// network without a proxy. Needs `--tls-key`.
    #[arg(long, env = "RPMA_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key of `--tls-cert` (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "RPMA_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "RPMA_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Time a request may take before it is answered with `TIMEOUT`, in milliseconds.
    #[arg(long, env = "RPMA_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,

    /// A one-off command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The sidecar's one-off commands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Move this desk's data (the data dir's SQLite, or the `--database-url` given before the
    /// command) into a team server's PostgreSQL, in one transaction checked by row counts and
    /// checksums per table. Safe to run again.
    MigrateTo {
        /// The team server's database, `postgres://user@host:port/database`.
        #[arg(long = "database-url", env = "RPMA_TEAM_DATABASE_URL")]
        target: String,
    },
}

/// A value that must not appear in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl Config {
    /// The configuration of a bare command line (defaults and any `RPMA_*` variables) with the given data dir.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Self::parse_from(["rpma-sidecar"]);
        config.data_dir = data_dir.into();
        config
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("rpma.db").display()))
    }

    /// The request timeout as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}
