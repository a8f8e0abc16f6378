//! `managed-agents emulator`: serves the local emulator until interrupted.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use managed_agents_emulator::{Emulator, EmulatorConfig, StopSignals};

use crate::cli::EmulatorArgs;
use crate::error::CliError;

/// Serves until Ctrl-C or SIGTERM. `global_emulator` is the global `--emulator[=DIR]` flag:
/// its folder is the data folder when `--data-dir` is not given.
pub(crate) async fn serve(
    args: EmulatorArgs,
    global_emulator: Option<Option<PathBuf>>,
) -> Result<(), CliError> {
    let data_dir = data_dir(args.data_dir, global_emulator)?;
    let bind = args
        .bind
        .unwrap_or(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)));
    let api_key = std::env::var(&args.api_key_env)
        .ok()
        .filter(|key| !key.is_empty());
    let config = EmulatorConfig {
        bind,
        api_key,
        data_dir,
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

/// The data folder: `--data-dir`, else the folder of `--emulator[=DIR]` (created if missing),
/// else none (the emulator then uses a temporary folder). Two different folders are refused.
fn data_dir(
    data_dir: Option<PathBuf>,
    global_emulator: Option<Option<PathBuf>>,
) -> Result<Option<PathBuf>, CliError> {
    let from_global = match global_emulator {
        None => return Ok(data_dir),
        Some(Some(dir)) => dir,
        Some(None) if data_dir.is_some() => return Ok(data_dir),
        Some(None) => crate::target::default_emulator_dir(),
    };
    if let Some(data_dir) = data_dir {
        if !same_folder(&data_dir, &from_global) {
            return Err(CliError::usage(format!(
                "--data-dir {} and --emulator={} name different folders: give one of them",
                data_dir.display(),
                from_global.display()
            )));
        }
        return Ok(Some(data_dir));
    }
    std::fs::create_dir_all(&from_global)
        .map_err(|error| CliError::io(format!("creating {}", from_global.display()), error))?;
    Ok(Some(from_global))
}

/// Whether two paths name the same folder: compared after resolving when both exist, as
/// written otherwise.
fn same_folder(one: &Path, other: &Path) -> bool {
    match (one.canonicalize(), other.canonicalize()) {
        (Ok(one), Ok(other)) => one == other,
        _ => one == other,
    }
}
