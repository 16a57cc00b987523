//! `rpma-seed`: fill a data dir's database with demo technicians, clients and tasks (`make seed`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use rpma_sidecar::{Config, ops, seed};

/// Fill the sidecar's database with realistic demo data: technicians, clients, tasks and their
/// history. Refuses a database that already has tasks unless `--force`.
#[derive(Debug, Parser)]
#[command(name = "rpma-seed", version)]
struct Cli {
    /// Folder of the database (`<data-dir>/rpma.db`), as the sidecar's `--data-dir`; created and
    /// migrated when needed.
    #[arg(long, env = "RPMA_DATA_DIR", default_value = ".data")]
    data_dir: PathBuf,

    /// Load the demo plant (plant operations) instead of the workshop's demo data: on an empty
    /// plant only.
    #[arg(long)]
    ops_demo: bool,

    /// Days of line telemetry in the demo plant (`--ops-demo`; 1–400, the bench uses 365).
    #[arg(long, default_value_t = 7, requires = "ops_demo")]
    telemetry_days: i64,

    #[command(flatten)]
    options: seed::Options,
}

async fn ops_demo(cli: &Cli) -> anyhow::Result<()> {
    let config = Config::with_data_dir(&cli.data_dir);
    let db = rpma_sidecar::db::connect(&config).await?;
    let result = async {
        let mut tx = rpma_sidecar::db::write_transaction(&db.write).await?;
        let loaded = ops::demo::load(&mut tx, cli.telemetry_days, "rpma-seed").await?;
        tx.commit().await?;
        anyhow::Ok(loaded)
    }
    .await;
    db.close().await;
    let p = result?;
    println!(
        "demo plant: {} runbooks, {} stages, {} lines, {} telemetry intervals, {} inventory items, {} packs, {} open exceptions into {}",
        p.runbooks,
        p.stages,
        p.lines,
        p.telemetry,
        p.inventory,
        p.packs,
        p.exceptions,
        config.database_url()
    );
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if cli.ops_demo {
        return ops_demo(&cli).await;
    }
    let config = Config::with_data_dir(&cli.data_dir);
    let db = rpma_sidecar::db::connect(&config).await?;
    let result = seed::seed(&db.write, &cli.options).await;
    db.close().await;
    let summary = result?;
    println!("{summary} into {}", config.database_url());
    if let Some(password) = &summary.generated_password {
        let who = summary
            .technician_emails
            .first()
            .map_or(String::new(), |email| {
                format!(" (sign in as {email}, for one)")
            });
        println!("technician password: {password}{who}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rpma-seed: {e}");
            ExitCode::FAILURE
        }
    }
}
