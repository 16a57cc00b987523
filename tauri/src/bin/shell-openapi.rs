//! `rpma-shell-openapi`: print the shell socket API's OpenAPI document (`openapi/shell.json`).

fn main() -> std::process::ExitCode {
    match serde_json::to_string_pretty(&rpma_shell::socket::document()) {
        Ok(json) => {
            println!("{json}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rpma-shell-openapi: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
