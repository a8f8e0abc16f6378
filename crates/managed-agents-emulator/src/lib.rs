//! A local emulator of the Managed Agents API, served over HTTP on 127.0.0.1.
//!
//! It answers every endpoint of the contract (environments, agents, vaults, memory stores,
//! sessions, session resources, files), enforces its rules with the types crate's validation,
//! keeps its state in SQLite with file contents on disk, simulates an agent writing session
//! outputs, and can inject faults so that clients can test their retries.
//!
//! ```no_run
//! # async fn demo() -> Result<(), managed_agents_emulator::EmulatorError> {
//! use managed_agents_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("{} with key {}", emulator.base_url(), emulator.api_key());
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod agents;
mod connection;
mod control;
mod cors;
mod drain;
mod environments;
mod error;
mod faults;
mod files;
mod gateway;
mod http;
mod memory_stores;
mod objects;
mod resources;
mod sandbox;
mod server;
mod sessions;
mod signals;
mod store;
mod vaults;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use managed_agents_types::SessionId;

pub use error::EmulatorError;
pub use faults::{DropWhen, Fault, FaultPlan, FaultRule};
pub use signals::StopSignals;

/// How an emulator is started.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The address to listen on; `127.0.0.1:0` (a free port) by default.
    pub bind: SocketAddr,
    /// The API key every request must carry; generated at start when `None`.
    pub api_key: Option<String>,
    /// Where state lives; a temporary folder removed at shutdown when `None`.
    pub data_dir: Option<PathBuf>,
    /// File resources allowed per session (999 by default).
    pub max_file_resources: usize,
    /// The largest file accepted, in bytes (500,000,000 by default).
    pub max_file_size: u64,
    /// Faults to inject from the start.
    pub faults: FaultPlan,
    /// The seed of the fault plan's random draws when the plan gives none.
    pub seed: u64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: None,
            data_dir: None,
            max_file_resources: 999,
            max_file_size: managed_agents_types::files::MAX_FILE_SIZE,
            faults: FaultPlan::default(),
            seed: 0,
        }
    }
}

/// Starts emulators.
#[derive(Debug, Clone, Copy)]
pub struct Emulator;

impl Emulator {
    /// Opens the store, binds the address and starts serving in the background.
    pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
        let (temp_dir, data_dir) = match &config.data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| EmulatorError::Io {
                    context: format!("cannot create the data folder {}", dir.display()),
                    source,
                })?;
                (None, dir.clone())
            }
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("managed-agents-emulator-")
                    .tempdir()
                    .map_err(|source| EmulatorError::Io {
                        context: "cannot create a temporary data folder".to_owned(),
                        source,
                    })?;
                let path = temp.path().to_path_buf();
                (Some(temp), path)
            }
        };
        let data_dir = std::fs::canonicalize(&data_dir).unwrap_or(data_dir);
        let generated_key = config.api_key.is_none();
        let api_key = config
            .api_key
            .clone()
            .unwrap_or_else(store::generate_api_key);
        let store = store::Store::open(&data_dir)?;
        let state = Arc::new(gateway::AppState {
            store,
            api_key: api_key.clone(),
            max_file_resources: config.max_file_resources,
            max_file_size: config.max_file_size,
            faults: faults::FaultState::new(config.faults.clone(), config.seed),
            capture_lock: tokio::sync::Mutex::new(()),
        });
        let server = server::Server::bind(config.bind, state).await?;
        Ok(RunningEmulator {
            server,
            api_key,
            generated_key,
            data_dir,
            _temp_dir: temp_dir,
        })
    }
}

/// A serving emulator; stop it with [`RunningEmulator::shutdown`] (dropping it also stops it).
#[derive(Debug)]
pub struct RunningEmulator {
    server: server::Server,
    api_key: String,
    generated_key: bool,
    data_dir: PathBuf,
    _temp_dir: Option<tempfile::TempDir>,
}

impl RunningEmulator {
    /// The base URL to give clients, such as `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.local_addr())
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The API key every request must carry.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// True when the key was generated at start rather than configured.
    pub fn generated_api_key(&self) -> bool {
        self.generated_key
    }

    /// The folder holding the database, the file contents and the session sandboxes.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The folder that stands for `/mnt/session/outputs` in a session's sandbox: files placed
    /// there become session-scoped, downloadable files on the next file list or session
    /// retrieve.
    pub fn session_outputs_dir(&self, session: &SessionId) -> PathBuf {
        sandbox::outputs_dir(&self.data_dir, session.as_str())
    }

    /// Stops serving, closes every connection and, for a temporary data folder, removes it.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
