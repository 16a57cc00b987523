//! RPMA's sidecar: the business server behind the desktop app and curl.
//!
//! [`app`] builds the router (so tests can call it without a socket) and [`serve`] runs it on a
//! listener until a shutdown future resolves.

pub mod auth;
pub mod calendar;
pub mod clients;
pub mod clock;
pub mod config;
pub mod db;
pub mod desktop;
pub mod error;
pub mod extract;
pub mod interventions;
pub mod list;
pub mod live;
pub mod materials;
pub mod middleware;
pub mod openapi;
pub mod ops;
pub mod pdf;
pub mod quotes;
pub mod response;
pub mod routing;
pub mod scheduling;
pub mod security;
pub mod seed;
pub mod settings;
pub mod shutdown;
pub mod spreadsheet;
pub mod state;
pub mod system;
pub mod tasks;
pub mod telemetry;
pub mod tls;
pub mod users;
pub mod validate;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::{Extension, Router};
use sqlx::migrate::Migrator;
use tower::ServiceBuilder;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use middleware::{CORRELATION_ID, NewCorrelationId, RequestLog, RequestSpan};

pub use config::Config;
pub use error::{Error, Result};
pub use response::ApiResponse;
pub use state::AppState;

/// The SQLite migrations in `migrations/sqlite/`, embedded in the binary; applied at start-up.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");

/// The PostgreSQL migrations in `migrations/postgres/`, one beside each SQLite one and checked
/// to give the same schema (`tests/schema.rs`).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// After a shutdown signal, in-flight requests get this long before the server stops anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The whole HTTP application: API routes, docs, fallbacks and middleware.
pub fn app(state: AppState) -> Router {
    with_layers(routes(), state)
}

/// The API's routes, the docs and the fallbacks, before they are given a state. The routes are
/// built without their document (`openapi::routes_only`): declared with it, they took 16-32 ms
/// of a cold start here (timers around each step, release build, 2 cores), more than opening
/// and migrating the database (8-11 ms). `rpma-sidecar` still builds them on a thread of their
/// own while the database opens (see `main.rs`).
pub fn routes() -> Router<AppState> {
    let (api, _) = openapi::routes_only();
    Router::new()
        .merge(api)
        .merge(openapi::docs())
        .fallback(middleware::no_route)
        .method_not_allowed_fallback(middleware::wrong_method)
}

/// `routes` given `state` and wrapped in the middleware: what [`app`] and [`serve`] run.
pub fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
    let config = state.config.clone();
    let state_for_hosts = state.clone();
    let routes = routes.with_state(state);
    // The stack wraps the router once rather than every route (`Router::layer`), so a request
    // pays for each layer once and clones the cheap router, not a boxed route per layer.
    let timeout = config.request_timeout();
    let stack = ServiceBuilder::new()
        .layer(middleware::compression())
        .layer(middleware::cors(&config.cors_origins))
        .map_request(middleware::drop_unusable_correlation_id)
        .layer(SetRequestIdLayer::new(CORRELATION_ID, NewCorrelationId))
        .layer(PropagateRequestIdLayer::new(CORRELATION_ID))
        .map_response(middleware::plain_body)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_request(())
                .on_response(RequestLog)
                .on_failure(()),
        )
        .map_response(middleware::envelope(timeout))
        .layer(axum::middleware::from_fn_with_state(
            state_for_hosts,
            middleware::allowed_host,
        ))
        .layer(middleware::catch_panic())
        .layer(middleware::timeout(timeout))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(Extension(extract::BodyLimit(config.max_body_bytes)))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// Announce the bound address on stdout as one JSON line, for a parent that passed `--port 0`.
pub fn announce(addr: SocketAddr) {
    use std::io::Write;
    // A struct, not `json!`, so the keys keep this order: `{"event":"listening","addr":...}`.
    #[derive(serde::Serialize)]
    struct Listening {
        event: &'static str,
        addr: SocketAddr,
    }
    let line = serde_json::to_string(&Listening {
        event: "listening",
        addr,
    })
    .unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        tracing::warn!("cannot write the listening line to stdout");
    }
}

/// Serve `routes` (from [`routes`]) with `state` on `listener` (a [`tokio::net::TcpListener`], or a
/// [`tls::TlsListener`] for HTTPS) until `shutdown` resolves, then let in-flight requests finish
/// (for at most a few seconds) and close the database pools.
pub async fn serve<L>(
    listener: L,
    routes: Router<AppState>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let (db, streams, writer) = (
        state.db.clone(),
        state.streams.clone(),
        state.writer.clone(),
    );
    let bus = state.live.clone();
    let _ = state.listening.set(listener.local_addr()?);
    let sweeper = tokio::spawn(security::retention::run(state.writer.clone()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        // Open event streams end now, or they would hold the graceful shutdown to its limit.
        bus.close();
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let server = axum::serve(listener, with_layers(routes, state))
        .with_graceful_shutdown(stopped(stop_rx.clone()));
    let grace_expired = async {
        stopped(stop_rx).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server.into_future() => result?,
        () = grace_expired => tracing::warn!("requests still running after the grace period; stopping anyway"),
    }
    sweeper.abort();
    // The writer last: the last connection to close folds the WAL into the database file, and a
    // read-only one cannot.
    db.close().await;
    streams.close().await;
    writer.close().await;
    tracing::info!("stopped");
    Ok(())
}
