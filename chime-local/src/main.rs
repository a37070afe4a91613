//! `chime-local`: run a local Amazon Chime service; see `chime-local --help`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = chime_local::cli::Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("chime-local: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(chime_local::cli::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("chime-local: {error:#}");
            ExitCode::FAILURE
        }
    }
}
