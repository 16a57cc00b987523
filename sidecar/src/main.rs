//! `rpma-sidecar`: parse the configuration, open the database, serve until told to stop.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use rpma_sidecar::{AppState, Config, announce, serve, shutdown, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let _logs = telemetry::init(config.log_format);
    let addr = SocketAddr::new(config.host, config.port);
    // Before anything slow, so a stop request during start-up is honoured once serving begins.
    let stop = shutdown::signal(config.parent_pid);

    let state = match AppState::connect(config).await {
        Ok(state) => state,
        Err(e) => return fail(&e),
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    match listener.local_addr() {
        Ok(bound) => announce(bound),
        Err(e) => return fail(&e),
    }
    match serve(listener, state, stop).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    tracing::error!("{error}");
    eprintln!("rpma-sidecar: {error}");
    ExitCode::FAILURE
}
