//! `rpma-openapi`: print the sidecar's OpenAPI document (`make openapi` writes it to `openapi/`).

fn main() -> std::process::ExitCode {
    match serde_json::to_string_pretty(&rpma_sidecar::openapi::document()) {
        Ok(json) => {
            println!("{json}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rpma-openapi: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
