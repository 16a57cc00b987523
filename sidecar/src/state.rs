//! The state shared by every handler.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use sqlx::AnyPool;

use crate::auth::{Auth, Secrets};
use crate::config::Config;
use crate::db::{self, Pools, StartupError, VersionCache};
use crate::desktop::ShellClient;
use crate::live::LiveBus;
use crate::spreadsheet::Downloads;
use crate::system::DatabaseProbe;
use crate::tasks::PageCache;

/// Everything a handler may need; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The read-only connections: every query that changes nothing.
    pub db: AnyPool,
    /// The one write connection, in a fair queue: every insert, update and delete, and every
    /// `db::write_transaction` (see `db::Pools`). A write sent to `db` fails.
    pub writer: AnyPool,
    /// Read-only connections for streamed downloads only (see `db::Pools::stream`).
    pub streams: AnyPool,
    /// Task-list pages kept until a task changes.
    pub task_pages: Arc<PageCache>,
    /// The data versions the session cache and kept pages are checked against.
    pub versions: Arc<VersionCache>,
    /// The configuration the process started with.
    pub config: Arc<Config>,
    /// When the state was made, for `uptime_ms`.
    pub started_at: Instant,
    /// Shared database ping of the health checks.
    pub database_probe: Arc<DatabaseProbe>,
    /// Token keys, derived secrets and the session cache.
    pub auth: Arc<Auth>,
    /// The desktop shell, when this sidecar was started with its socket and token.
    pub shell: Option<Arc<ShellClient>>,
    /// The live bus: domain events for the `/events` stream.
    pub live: Arc<LiveBus>,
    /// The limits of streamed downloads (CSV exports).
    pub downloads: Arc<Downloads>,
    /// The address the server listens on, once bound: requests must name it in `Host`.
    pub listening: Arc<OnceLock<SocketAddr>>,
}

impl AppState {
    /// State over the database of an existing pool (tests pass the pool of a fresh database),
    /// with readers and a writer of its own as the server has them; reads or creates the data
    /// dir's secret.
    pub fn new(db: AnyPool, config: Config) -> Result<Self, StartupError> {
        Self::with_pools(Pools::over(&db), config)
    }

    /// State over the server's pools; reads or creates the data dir's secret.
    pub fn with_pools(pools: Pools, config: Config) -> Result<Self, StartupError> {
        let secrets =
            Secrets::load_or_create(&config.data_dir).map_err(|source| StartupError::Secret {
                path: config.data_dir.join("secret.key"),
                source,
            })?;
        let shell = match (&config.shell_socket, &config.shell_token) {
            (Some(socket), Some(token)) => {
                Some(Arc::new(ShellClient::new(socket.clone(), token.0.clone())))
            }
            _ => None,
        };
        let live = Arc::new(LiveBus::default());
        if db::Kind::of(&pools.write) == db::Kind::Postgres {
            crate::live::relay::start(&live, &pools.write);
        }
        Ok(Self {
            shell,
            task_pages: Arc::default(),
            versions: Arc::default(),
            db: pools.read,
            writer: pools.write,
            streams: pools.stream,
            config: Arc::new(config),
            started_at: Instant::now(),
            database_probe: Arc::default(),
            auth: Auth::new(secrets),
            live,
            downloads: Arc::default(),
            listening: Arc::default(),
        })
    }

    /// Open (or create) the database the configuration names, migrate it, and build the state.
    pub async fn connect(config: Config) -> Result<Self, StartupError> {
        let pools = db::connect(&config).await?;
        Self::with_pools(pools, config)
    }
}
