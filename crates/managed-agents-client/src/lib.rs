//! A client for the Managed Agents API: a runtime-agnostic core over a small
//! [`Transport`] trait, and (feature `native`, on by default) a native
//! transport on reqwest and tokio.
//!
//! The core builds every request with the types crate's
//! [`endpoints`](managed_agents_types::endpoints) (which validates parameters before anything is
//! sent), adds the version, beta and credential headers, retries as the API's retry hints and
//! spec section 9 say, walks lists lazily as streams, and decodes answers into the types
//! crate's objects. It reads no clock and spawns nothing: time, sleep and randomness come from
//! the transport, so the same code runs in a browser over a fetch transport.
//!
//! ```no_run
//! # async fn example() -> Result<(), managed_agents_client::Error> {
//! use futures_util::TryStreamExt;
//! use managed_agents_client::NativeClient;
//! use managed_agents_types::environments::EnvironmentCreateParams;
//!
//! let client = NativeClient::from_env()?;
//! let params = EnvironmentCreateParams { name: "python-dev".into(), ..Default::default() };
//! let environment = client.environments().create(&params).await?;
//! let all: Vec<_> = client.environments().list_stream(&Default::default()).try_collect().await?;
//! let file = client.files().upload_path("data.csv", None).await?;
//! # Ok(()) }
//! ```

mod core;
mod pagination;

pub mod agents;
pub mod config;
pub mod environments;
pub mod error;
pub mod files;
pub mod memory_stores;
pub mod raw;
pub mod resources;
pub mod retry;
pub mod sessions;
pub mod transport;
pub mod vaults;

#[cfg(feature = "native")]
pub mod native;

pub use crate::config::{ClientConfig, Credentials, RequestOptions};
pub use crate::core::Client;
pub use crate::error::{ApiError, ConfigError, Error};
#[cfg(feature = "native")]
pub use crate::native::{NativeClient, NativeTransport, Upload, local_file_name};
pub use crate::raw::{RawJson, RawRequest};

use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// Environments (`/v1/environments`).
    pub fn environments(&self) -> environments::Environments<'_, T> {
        environments::Environments::new(self, RequestOptions::default())
    }

    /// Sessions (`/v1/sessions`) and, through them, session resources.
    pub fn sessions(&self) -> sessions::Sessions<'_, T> {
        sessions::Sessions::new(self, RequestOptions::default())
    }

    /// Files (`/v1/files`) and session outputs.
    pub fn files(&self) -> files::Files<'_, T> {
        files::Files::new(self, RequestOptions::default())
    }

    /// Agents (`/v1/agents`).
    pub fn agents(&self) -> agents::Agents<'_, T> {
        agents::Agents::new(self, RequestOptions::default())
    }

    /// Vaults (`/v1/vaults`).
    pub fn vaults(&self) -> vaults::Vaults<'_, T> {
        vaults::Vaults::new(self, RequestOptions::default())
    }

    /// Memory stores (`/v1/memory_stores`).
    pub fn memory_stores(&self) -> memory_stores::MemoryStores<'_, T> {
        memory_stores::MemoryStores::new(self, RequestOptions::default())
    }
}
