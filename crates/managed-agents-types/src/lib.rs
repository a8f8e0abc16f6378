//! The wire model of the Managed Agents API: serde types and JSON Schema for every request and
//! response, the pure description of every endpoint, and pure validation.
//!
//! This crate does no I/O and needs no async runtime; it builds for `wasm32-unknown-unknown`.
//! Clients describe a request with [`endpoints`], send [`endpoints::Request`] with whatever
//! transport they have, and decode the answer with [`endpoints::Endpoint::decode`].
//!
//! Responses are forward compatible: unknown fields are ignored, unknown string values are kept
//! (`Other`), and unknown kinds of a tagged union are kept as raw JSON (`Unknown`) and
//! serialize back unchanged.
//!
//! ```
//! use managed_agents_types::endpoints;
//! use managed_agents_types::environments::{EnvironmentCreateParams, Environment};
//!
//! let params = EnvironmentCreateParams { name: "python-dev".into(), ..Default::default() };
//! let endpoint = endpoints::environments::create(&params).unwrap();
//! assert_eq!(endpoint.request.path, "/v1/environments");
//! let body = br#"{"id":"env_1","type":"environment","name":"python-dev",
//!   "config":{"type":"cloud","networking":{"type":"unrestricted"}},
//!   "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#;
//! let environment: Environment = endpoint.decode(body).unwrap();
//! assert_eq!(environment.name, "python-dev");
//! ```

#[macro_use]
mod macros;
mod union;

pub mod agents;
pub mod common;
pub mod decode;
pub mod endpoints;
pub mod environments;
pub mod error;
pub mod files;
pub mod ids;
pub mod memory_stores;
pub mod pagination;
pub mod patch;
pub mod resources;
pub mod schema;
pub mod secret;
pub mod sessions;
pub mod validation;
pub mod vaults;

pub use common::{Deleted, Metadata, MetadataPatch, Order, Timestamp};
pub use decode::DecodeError;
pub use error::{ErrorResponse, ErrorType};
pub use ids::{
    AgentId, EnvironmentId, FileId, IdError, MemoryStoreId, RequestId, SessionId,
    SessionResourceId, VaultId,
};
pub use pagination::{Cursor, ListParams, Page, PageWalker, PaginationError};
pub use patch::Patch;
pub use secret::Secret;
pub use validation::{Validate, ValidationError};
