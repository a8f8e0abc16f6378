//! The native transport on reqwest and tokio, and the file helpers that use the local file
//! system: uploads from paths, bytes and readers; downloads to paths and writers; a session's
//! outputs saved into a folder.

mod files;
mod transport;

pub use files::{SavedOutput, local_file_name};
pub use transport::{NativeBody, NativeTransport, Upload};

use crate::config::ClientConfig;
use crate::core::Client;
use crate::error::Error;

/// A client over the native transport.
pub type NativeClient = Client<NativeTransport>;

impl Client<NativeTransport> {
    /// A client with these settings over a new native transport.
    ///
    /// ```no_run
    /// use managed_agents_client::{ClientConfig, NativeClient};
    ///
    /// let config = ClientConfig::with_api_key("sk-…").with_base_url("http://127.0.0.1:4010");
    /// let client = NativeClient::new(config)?;
    /// # Ok::<(), managed_agents_client::Error>(())
    /// ```
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let transport = NativeTransport::new(config.connect_timeout)?;
        Self::with_transport(config, transport)
    }

    /// A client configured from `ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN` and
    /// `ANTHROPIC_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }
}
