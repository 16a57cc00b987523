//! `rpma-sidecar`: parse the configuration, open the database, serve until told to stop.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use rpma_sidecar::config::Command;
use rpma_sidecar::{AppState, Config, announce, serve, shutdown, telemetry};

/// jemalloc instead of glibc's malloc, for Rust and for SQLite (unprefixed `malloc`). sqlx copies
/// every value of a row on its connection thread and hands the row to the request's task, so a
/// big read allocates on one thread and frees on another, and glibc fights over its arena lock
/// on every value (half the export's time in `perf`). The 100,000-task CSV export took 2.2 s
/// with glibc and 1.0 s with jemalloc (`make bench`, same machine); freed pages go back to the
/// system at once, so memory stays as it was (see `.cargo/config.toml`). mimalloc was tried:
/// 0.9 s, but it kept 33 MiB at idle and 53 MiB during the export.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let _logs = telemetry::init(config.log_format);
    if let Some(Command::MigrateTo { target }) = &config.command {
        return migrate_to(&config, target).await;
    }
    let addr = SocketAddr::new(config.host, config.port);
    // Before anything slow, so a stop request during start-up is honoured once serving begins.
    let stop = shutdown::signal(config.parent_pid);

    // The routes take a few milliseconds to build (see `routes`); on a thread of their own that
    // overlaps opening the database.
    let routes = tokio::task::spawn_blocking(rpma_sidecar::routes);
    let state = match AppState::connect(config).await {
        Ok(state) => state,
        Err(e) => return fail(&e),
    };
    let routes = match routes.await {
        Ok(routes) => routes,
        Err(e) => return fail(&e),
    };
    // Before binding: a bad certificate or key is told at once, and nothing listens.
    let tls = match (&state.config.tls_cert, &state.config.tls_key) {
        (Some(cert), Some(key)) => match rpma_sidecar::tls::server_config(cert, key) {
            Ok(tls) => Some(tls),
            Err(e) => return fail(&e),
        },
        _ => None,
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => return fail(&bind_error(addr, &e)),
    };
    match listener.local_addr() {
        Ok(bound) => announce(bound),
        Err(e) => return fail(&e),
    }
    let served = match tls {
        Some(tls) => match rpma_sidecar::tls::TlsListener::new(listener, tls) {
            Ok(listener) => {
                tracing::info!("serving HTTPS");
                serve(listener, routes, state, stop).await
            }
            Err(e) => Err(e),
        },
        None => serve(listener, routes, state, stop).await,
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// What to tell the user when the address cannot be bound: for a taken port, which port and
/// the way out.
fn bind_error(addr: SocketAddr, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "cannot listen on {addr}: port {} on {} is already in use by another program; \
             stop it, or choose another port with --port or RPMA_PORT (0 picks a free one)",
            addr.port(),
            addr.ip()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "cannot listen on {addr}: permission denied (ports below 1024 need privileges); \
             choose another port with --port or RPMA_PORT"
        ),
        _ => format!("cannot listen on {addr}: {error}"),
    }
}

/// `migrate-to`: move, then print each table's rows and checksum (equal on both sides) and the
/// time it took.
async fn migrate_to(config: &Config, target: &str) -> ExitCode {
    match rpma_sidecar::db::moving::migrate_to(config, target).await {
        Ok(moved) => {
            println!(
                "{:<32} {:>9}  checksum (sha-256, equal on both)",
                "table", "rows"
            );
            for table in &moved.tables {
                println!("{:<32} {:>9}  {}", table.table, table.rows, table.checksum);
            }
            let rows: u64 = moved.tables.iter().map(|t| t.rows).sum();
            println!(
                "moved {rows} rows of {} tables in {:.2} s",
                moved.tables.len(),
                moved.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    tracing::error!("{error}");
    eprintln!("rpma-sidecar: {error}");
    ExitCode::FAILURE
}
