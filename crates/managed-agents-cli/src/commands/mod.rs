//! Running a parsed command line: one module per command group.

use futures_util::{Stream, StreamExt};

use crate::cli::{Cli, Command, ListArgs};
use crate::error::CliError;
use crate::output::Printer;
use crate::target::Target;

pub(crate) mod agents;
mod emulator;
mod environments;
mod files;
mod resources;
mod sessions;
mod stores;

/// Runs the command line.
pub(crate) async fn run(cli: Cli) -> Result<(), CliError> {
    let printer = Printer {
        json: cli.global.json,
    };
    match cli.command {
        Command::Quickstart => return crate::quickstart::run(&cli.global, printer).await,
        Command::Emulator(args) => {
            return emulator::serve(args, cli.global.emulator.clone()).await;
        }
        _ => {}
    }
    let target = Target::connect(&cli.global).await?;
    let result = match cli.command {
        Command::Environments(command) => environments::run(&target, printer, command).await,
        Command::Files(command) => files::run(&target, printer, command).await,
        Command::Sessions(command) => sessions::run(&target, printer, command).await,
        Command::Resources(command) => resources::run(&target, printer, command).await,
        Command::Agents(command) => agents::run(&target, printer, command).await,
        Command::Vaults(command) => stores::run_vaults(&target, printer, command).await,
        Command::MemoryStores(command) => {
            stores::run_memory_stores(&target, printer, command).await
        }
        Command::Quickstart | Command::Emulator(_) => unreachable!("handled above"),
    };
    target.close().await;
    result
}

/// Collects a list stream, stopping after `--max-items`.
pub(crate) async fn collect<T>(
    stream: impl Stream<Item = Result<T, managed_agents_client::Error>>,
    list: &ListArgs,
) -> Result<Vec<T>, CliError> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while list.max_items.is_none_or(|max| items.len() < max) {
        match stream.next().await {
            Some(item) => items.push(item?),
            None => break,
        }
    }
    Ok(items)
}
