//! Environments: reusable templates for the container a session runs in (spec section 3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Metadata, MetadataPatch, Timestamp};
use crate::ids::EnvironmentId;
use crate::patch::Patch;

open_union! {
    /// The container configuration of an environment, tagged by `type`.
    pub enum EnvironmentConfig {
        /// A container run by the service.
        Cloud(CloudConfig) = "cloud",
        /// A container run on the customer's own infrastructure.
        SelfHosted(SelfHostedConfig) = "self_hosted",
    }
}

/// A cloud container's configuration. Responses always carry both fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CloudConfig {
    /// The egress policy; `unrestricted` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub networking: Option<Networking>,
    /// Packages installed in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
}

/// A self-hosted container's configuration: it has no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SelfHostedConfig {}

open_union! {
    /// The egress policy of a cloud container, tagged by `type`.
    pub enum Networking {
        /// Full egress except a legal block list; the default.
        Unrestricted(UnrestrictedNetworking) = "unrestricted",
        /// Deny by default: only the listed hosts, and optionally package registries and MCP
        /// servers.
        Limited(LimitedNetworking) = "limited",
        /// The original design's restricted policy: package registries plus the listed hosts.
        PackageManagersAndCustom(PackageManagersAndCustomNetworking) =
            "package_managers_and_custom",
    }
}

/// Unrestricted networking has no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnrestrictedNetworking {}

/// Limited networking: deny by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LimitedNetworking {
    /// Hosts the container may reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_hosts: Option<Vec<String>>,
    /// Whether package registries are reachable (false when unset). Packages need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_package_managers: Option<bool>,
    /// Whether the agent's MCP servers are reachable (false when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_mcp_servers: Option<bool>,
}

/// Package registries plus the listed hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PackageManagersAndCustomNetworking {
    /// Hosts the container may reach besides the package registries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_hosts: Option<Vec<String>>,
}

/// Packages to install, per package manager, in each manager's own version syntax
/// (`pandas==2.2.0`); an unpinned name means the latest version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Packages {
    /// Always `packages` when present.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// Debian packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apt: Option<Vec<String>>,
    /// Rust crates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo: Option<Vec<String>>,
    /// Ruby gems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gem: Option<Vec<String>>,
    /// Go modules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go: Option<Vec<String>>,
    /// npm packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npm: Option<Vec<String>>,
    /// Python packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pip: Option<Vec<String>>,
}

impl Packages {
    /// The package lists by manager name, unset lists left out.
    pub fn lists(&self) -> [(&'static str, Option<&Vec<String>>); 6] {
        [
            ("apt", self.apt.as_ref()),
            ("cargo", self.cargo.as_ref()),
            ("gem", self.gem.as_ref()),
            ("go", self.go.as_ref()),
            ("npm", self.npm.as_ref()),
            ("pip", self.pip.as_ref()),
        ]
    }

    /// True when no list names any package.
    pub fn is_empty(&self) -> bool {
        self.lists()
            .iter()
            .all(|(_, list)| list.is_none_or(|list| list.is_empty()))
    }
}

open_enum! {
    /// Who can use an environment.
    pub enum EnvironmentScope {
        /// Everyone in the organisation.
        Organization = "organization",
        /// Only the account that created it.
        Account = "account",
    }
}

/// An environment, as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Environment {
    /// The environment's ID (`env_…`).
    pub id: EnvironmentId,
    /// Always `environment`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "environment"))]
    pub object_type: String,
    /// The name, unique within the organisation.
    pub name: String,
    /// The description; null when unset.
    #[serde(default)]
    pub description: Option<String>,
    /// The container configuration.
    pub config: EnvironmentConfig,
    /// Metadata; `{}` when unset.
    #[serde(default)]
    pub metadata: Metadata,
    /// Who can use the environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<EnvironmentScope>,
    /// When the environment was archived; null while it is active.
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// The body of `POST /v1/environments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EnvironmentCreateParams {
    /// The name: 1 to 256 characters, unique within the organisation.
    pub name: String,
    /// The container configuration; a cloud container with unrestricted networking when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<EnvironmentConfig>,
    /// A description of at most 1024 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata to store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Who can use the environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<EnvironmentScope>,
}

/// The body of `POST /v1/environments/{environment_id}`: every field optional; omitted keeps
/// the stored value, `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EnvironmentUpdateParams {
    /// A new name; it cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// A new description; `null` clears it, `""` stores an empty string.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub description: Patch<String>,
    /// A partial configuration: omitted inner fields keep their values; `type` cannot change.
    /// It cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "EnvironmentConfigUpdate")]
    pub config: Option<EnvironmentConfigUpdate>,
    /// A metadata patch: a key set to `null` or `""` is deleted, others are upserted. The whole
    /// field cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MetadataPatch")]
    pub metadata: Option<MetadataPatch>,
    /// A new scope; `null` clears it (the environment then carries no `scope`).
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub scope: Patch<EnvironmentScope>,
}

open_union! {
    /// A partial configuration in an environment update, tagged by `type`.
    pub enum EnvironmentConfigUpdate {
        /// Changes to a cloud container's configuration.
        Cloud(CloudConfigUpdate) = "cloud",
        /// A self-hosted configuration has nothing to change.
        SelfHosted(SelfHostedConfig) = "self_hosted",
    }
}

/// Changes to a cloud configuration: omitted fields keep their values, `null` resets them to
/// the default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CloudConfigUpdate {
    /// A new egress policy.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub networking: Patch<Networking>,
    /// New package lists, replacing the stored ones.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub packages: Patch<Packages>,
}

/// The query of `GET /v1/environments`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvironmentListParams {
    /// Page size, 1 to 1000 (default 20).
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// Whether archived environments are listed too (default false).
    pub include_archived: Option<bool>,
}
