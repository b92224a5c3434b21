use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = praxis::cli::Cli::parse();
    ExitCode::from(praxis::run(cli))
}
