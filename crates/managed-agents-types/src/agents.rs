//! Agents, as far as sessions need them (spec section 4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Metadata, MetadataPatch, Timestamp};
use crate::ids::AgentId;
use crate::patch::Patch;

/// The model an agent runs on, as a create or update body gives it: a model name, or the
/// object form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ModelParam {
    /// A model name such as `claude-opus-4-7`.
    Name(String),
    /// The object form.
    Config(ModelConfig),
}

impl From<&str> for ModelParam {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

/// A model with its settings; responses always use this form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelConfig {
    /// The model name.
    pub id: String,
    /// `standard` or `fast`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<ModelSpeed>,
    /// How much effort the model spends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
}

open_enum! {
    /// How fast a model answers.
    pub enum ModelSpeed {
        /// The normal speed.
        Standard = "standard",
        /// The faster mode.
        Fast = "fast",
    }
}

open_union! {
    /// An MCP server an agent can call, tagged by `type`.
    pub enum McpServer {
        /// A server reached over HTTP.
        Url(UrlMcpServer) = "url",
    }
}

/// An MCP server reached by URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UrlMcpServer {
    /// The server's name, unique within the agent; `mcp_toolset` tools refer to it.
    pub name: String,
    /// The server's URL.
    pub url: String,
}

open_union! {
    /// A tool an agent can use, tagged by `type`.
    pub enum Tool {
        /// The built-in agent toolset.
        AgentToolset20260401(AgentToolset) = "agent_toolset_20260401",
        /// The tools of one MCP server.
        McpToolset(McpToolset) = "mcp_toolset",
        /// A tool the caller implements.
        Custom(CustomTool) = "custom",
    }
}

/// The built-in toolset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgentToolset {
    /// The setting for tools not named in `configs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_config: Option<ToolDefaultConfig>,
    /// Settings for named tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configs: Option<Vec<ToolConfig>>,
}

/// The tools of one MCP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct McpToolset {
    /// The `name` of an entry in the agent's `mcp_servers`.
    pub mcp_server_name: String,
    /// The setting for tools not named in `configs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_config: Option<ToolDefaultConfig>,
    /// Settings for named tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configs: Option<Vec<ToolConfig>>,
}

/// The default setting of a toolset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToolDefaultConfig {
    /// Whether tools are enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The permission policy, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<serde_json::Value>,
}

/// The setting of one named tool in a toolset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToolConfig {
    /// The tool's name.
    pub name: String,
    /// Whether the tool is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The permission policy, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<serde_json::Value>,
}

/// A tool the caller implements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomTool {
    /// The tool's name.
    pub name: String,
    /// What the tool does, for the model.
    pub description: String,
    /// The JSON Schema of the tool's input.
    pub input_schema: serde_json::Value,
}

/// An agent, as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Agent {
    /// The agent's ID (`agent_…`).
    pub id: AgentId,
    /// Always `agent`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "agent"))]
    pub object_type: String,
    /// The name.
    pub name: String,
    /// The description, or null.
    #[serde(default)]
    pub description: Option<String>,
    /// The system prompt, or null.
    #[serde(default)]
    pub system: Option<String>,
    /// The model, always in object form.
    pub model: ModelConfig,
    /// The tools.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// The MCP servers.
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// The version: 1 at creation, one more per change.
    pub version: u64,
    /// When the agent was archived, or null.
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// The body of `POST /v1/agents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgentCreateParams {
    /// The name: 1 to 256 characters.
    pub name: String,
    /// The model.
    pub model: ModelParam,
    /// The system prompt: at most 100,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// A description of at most 2048 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// At most 20 MCP servers with unique names, each used by an `mcp_toolset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
    /// At most 128 tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Metadata to store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// The body of `POST /v1/agents/{agent_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgentUpdateParams {
    /// The version being changed; it must be the current one (409 otherwise).
    pub version: u64,
    /// A new name; it cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// A new model; it cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ModelParam")]
    pub model: Option<ModelParam>,
    /// A new system prompt; `null` clears it.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub system: Patch<String>,
    /// A new description; `null` clears it.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub description: Patch<String>,
    /// New MCP servers, replacing the stored list; `[]` removes them all, `null` is refused.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<McpServer>")]
    pub mcp_servers: Option<Vec<McpServer>>,
    /// New tools, replacing the stored list; `[]` removes them all, `null` is refused.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<Tool>")]
    pub tools: Option<Vec<Tool>>,
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

/// The query of `GET /v1/agents`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentListParams {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// Whether archived agents are listed too.
    pub include_archived: Option<bool>,
}
