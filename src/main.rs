use std::process::ExitCode;

use clap::Parser;

// A build makes and frees millions of small strings (template lookups, page
// contexts); mimalloc does that in fewer steps than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = praxis::cli::Cli::parse();
    ExitCode::from(praxis::run(cli))
}
