//! `rpma-seed`: fill a data dir's database with demo technicians, clients and tasks (`make seed`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use rpma_sidecar::{Config, seed};

/// Fill the sidecar's database with realistic demo data: technicians, clients, tasks and their
/// history. Refuses a database that already has tasks unless `--force`.
#[derive(Debug, Parser)]
#[command(name = "rpma-seed", version)]
struct Cli {
    /// Folder of the database (`<data-dir>/rpma.db`), as the sidecar's `--data-dir`; created and
    /// migrated when needed.
    #[arg(long, env = "RPMA_DATA_DIR", default_value = ".data")]
    data_dir: PathBuf,

    #[command(flatten)]
    options: seed::Options,
}

async fn run(cli: Cli) -> anyhow::Result<()> {
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
