//! `managed-agents emulator`: serves the local emulator until interrupted.

use std::net::{Ipv4Addr, SocketAddr};

use managed_agents_emulator::{Emulator, EmulatorConfig, StopSignals};

use crate::cli::EmulatorArgs;
use crate::error::CliError;

/// Serves until Ctrl-C or SIGTERM.
pub(crate) async fn serve(args: EmulatorArgs) -> Result<(), CliError> {
    let bind = args
        .bind
        .unwrap_or(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)));
    let api_key = std::env::var(&args.api_key_env)
        .ok()
        .filter(|key| !key.is_empty());
    let config = EmulatorConfig {
        bind,
        api_key,
        data_dir: args.data_dir,
        max_file_resources: args.max_file_resources,
        ..EmulatorConfig::default()
    };
    // Handlers first: a signal right after the address is printed still shuts down cleanly.
    let stop = StopSignals::install().map_err(|error| CliError::Emulator(error.to_string()))?;
    let emulator = Emulator::start(config)
        .await
        .map_err(|error| CliError::emulator(&error))?;
    crate::output::out!("listening on {}", emulator.base_url());
    if emulator.generated_api_key() {
        crate::output::out!("api key: {}", emulator.api_key());
    }
    crate::output::out!("data in {}", emulator.data_dir().display());
    stop.wait().await;
    emulator.shutdown().await;
    Ok(())
}
