//! `json-local`: run a local DynamoDB, CloudWatch Logs, CloudWatch or Stations; see
//! `json-local --help`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = json_local::cli::Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("json-local: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(json_local::cli::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("json-local: {error:#}");
            ExitCode::FAILURE
        }
    }
}
