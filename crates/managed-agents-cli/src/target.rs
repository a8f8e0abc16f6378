//! Where commands are sent: the real API from the environment, or the embedded emulator.

use std::path::PathBuf;

use managed_agents_client::{ClientConfig, NativeClient};
use managed_agents_emulator::{Emulator, EmulatorConfig, RunningEmulator};

use crate::cli::GlobalArgs;
use crate::error::CliError;

/// A client, and the embedded emulator it talks to when there is one (kept alive as long as
/// the client is used).
pub(crate) struct Target {
    /// The client.
    pub(crate) client: NativeClient,
    /// The embedded emulator, when `--emulator` was given.
    pub(crate) emulator: Option<RunningEmulator>,
}

impl Target {
    /// Connects as the global flags say.
    pub(crate) async fn connect(global: &GlobalArgs) -> Result<Self, CliError> {
        match &global.emulator {
            Some(dir) => {
                let data_dir = dir.clone().unwrap_or_else(default_emulator_dir);
                std::fs::create_dir_all(&data_dir).map_err(|error| {
                    CliError::io(format!("creating {}", data_dir.display()), error)
                })?;
                let config = EmulatorConfig {
                    data_dir: Some(data_dir),
                    ..EmulatorConfig::default()
                };
                Self::embedded(config, global).await
            }
            None => {
                let mut config = ClientConfig::from_env().map_err(|error| {
                    CliError::usage(format!("{error}, or pass --emulator to work offline"))
                })?;
                if let Some(base_url) = &global.base_url {
                    config = config.with_base_url(base_url.clone());
                }
                let client = NativeClient::new(tuned(config, global))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
        }
    }

    /// Starts an embedded emulator with `config` and a client for it.
    pub(crate) async fn embedded(
        config: EmulatorConfig,
        global: &GlobalArgs,
    ) -> Result<Self, CliError> {
        let emulator = Emulator::start(config)
            .await
            .map_err(|error| CliError::emulator(&error))?;
        let config = ClientConfig::with_api_key(emulator.api_key().to_owned())
            .with_base_url(emulator.base_url());
        let client = NativeClient::new(tuned(config, global))?;
        Ok(Self {
            client,
            emulator: Some(emulator),
        })
    }

    /// Stops the embedded emulator, if any.
    pub(crate) async fn close(self) {
        if let Some(emulator) = self.emulator {
            emulator.shutdown().await;
        }
    }
}

fn tuned(mut config: ClientConfig, global: &GlobalArgs) -> ClientConfig {
    if let Some(retries) = global.max_retries {
        config = config.with_max_retries(retries);
    }
    if let Some(timeout) = global.timeout {
        config = config.with_timeout(timeout);
    }
    config
}

/// Where `--emulator` keeps its state when no folder is given, so that one command sees what
/// the previous one created.
pub(crate) fn default_emulator_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("managed-agents").join("emulator")
}
