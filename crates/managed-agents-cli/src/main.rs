//! `managed-agents`: the command-line tool for the Managed Agents API.
//!
//! Every subcommand talks to the real API (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`) or, with
//! `--emulator`, to the embedded emulator; `quickstart` runs the whole worked flow of the spec
//! against a fresh embedded emulator and checks every step.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod error;
mod input;
mod output;
mod quickstart;
mod target;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", error.report());
            ExitCode::from(error.exit_code())
        }
    }
}

/// Logs go to stderr and only with `-v`; the client never logs keys, tokens or bodies.
fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::new(level);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
