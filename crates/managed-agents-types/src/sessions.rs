//! Sessions (spec section 6).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::agents::{McpServer, ModelConfig, Tool};
use crate::common::{Metadata, MetadataPatch, Order, Timestamp};
use crate::ids::{AgentId, EnvironmentId, SessionId, VaultId};
use crate::patch::Patch;
use crate::resources::{ResourceParams, SessionResource};

/// The agent a session runs: an ID (the latest version), or a reference with a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AgentRef {
    /// The latest version of this agent.
    Id(AgentId),
    /// A reference that may pin a version.
    Reference(AgentReference),
}

impl From<AgentId> for AgentRef {
    fn from(id: AgentId) -> Self {
        Self::Id(id)
    }
}

impl AgentRef {
    /// The agent's ID.
    pub fn id(&self) -> &AgentId {
        match self {
            Self::Id(id) => id,
            Self::Reference(reference) => &reference.id,
        }
    }

    /// The pinned version, if any.
    pub fn version(&self) -> Option<u64> {
        match self {
            Self::Id(_) => None,
            Self::Reference(reference) => reference.version,
        }
    }
}

/// `{"type":"agent","id":…,"version"?:…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgentReference {
    /// Always `agent`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "agent"))]
    pub object_type: String,
    /// The agent's ID.
    pub id: AgentId,
    /// The version to run; the latest when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

open_enum! {
    /// What a session is doing.
    pub enum SessionStatus {
        /// Waiting for input.
        Idle = "idle",
        /// Working.
        Running = "running",
        /// Being moved to another container.
        Rescheduling = "rescheduling",
        /// Ended.
        Terminated = "terminated",
    }
}

/// The agent a session runs, as it was when the session started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionAgent {
    /// The agent's ID.
    pub id: AgentId,
    /// Always `agent`.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The agent version the session runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The description, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The system prompt, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelConfig>,
    /// The tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// The MCP servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
}

/// Counters about a session; every field is optional, unknown fields are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionStats {
    /// Seconds the session spent working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_seconds: Option<f64>,
    /// Seconds since the session started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// Token usage of a session; every field is optional, unknown fields are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionUsage {
    /// Input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input tokens read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// A session, as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Session {
    /// The session's ID (`sesn_…`).
    pub id: SessionId,
    /// Always `session`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "session"))]
    pub object_type: String,
    /// What the session is doing.
    pub status: SessionStatus,
    /// A snapshot of the agent.
    pub agent: SessionAgent,
    /// The environment the session runs in.
    pub environment_id: EnvironmentId,
    /// The mounted resources, never with a token.
    #[serde(default)]
    pub resources: Vec<SessionResource>,
    /// The vaults; `[]` when none.
    #[serde(default)]
    pub vault_ids: Vec<VaultId>,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// The title, or null.
    #[serde(default)]
    pub title: Option<String>,
    /// When the session was archived, or null.
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
    /// Counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<SessionStats>,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<SessionUsage>,
}

/// The body of `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionCreateParams {
    /// The agent to run.
    pub agent: AgentRef,
    /// The environment to run in; it must not be archived.
    pub environment_id: EnvironmentId,
    /// Resources to mount: at most 999 files and 8 memory stores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<ResourceParams>>,
    /// Vaults the session may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault_ids: Option<Vec<VaultId>>,
    /// Metadata to store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// A title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The body of `POST /v1/sessions/{session_id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionUpdateParams {
    /// A new title; `null` clears it.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub title: Patch<String>,
    /// A metadata patch: a key set to `null` or `""` is deleted, others are upserted. The whole
    /// field cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MetadataPatch")]
    pub metadata: Option<MetadataPatch>,
}

/// The query of `GET /v1/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionListParams {
    /// Page size.
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// `desc` (newest first, the default) or `asc`.
    pub order: Option<Order>,
    /// Whether archived sessions are listed too.
    pub include_archived: Option<bool>,
    /// Only sessions of this agent.
    pub agent_id: Option<AgentId>,
    /// Only sessions in one of these states.
    pub statuses: Vec<SessionStatus>,
    /// Only sessions created at or after this time (`created_at[gte]`).
    pub created_at_gte: Option<Timestamp>,
    /// Only sessions created after this time (`created_at[gt]`).
    pub created_at_gt: Option<Timestamp>,
    /// Only sessions created at or before this time (`created_at[lte]`).
    pub created_at_lte: Option<Timestamp>,
    /// Only sessions created before this time (`created_at[lt]`).
    pub created_at_lt: Option<Timestamp>,
}
