//! Vaults, as sessions refer to them (spec section 5).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Metadata, MetadataPatch, Timestamp};
use crate::ids::VaultId;

/// A vault, as the API returns it. The credentials inside are out of scope here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Vault {
    /// The vault's ID (`vlt_…`).
    pub id: VaultId,
    /// Always `vault`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "vault"))]
    pub object_type: String,
    /// The display name.
    pub display_name: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// When the vault was archived, or null.
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// The body of `POST /v1/vaults`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VaultCreateParams {
    /// The display name: 1 to 255 characters.
    pub display_name: String,
    /// Metadata to store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// The body of `POST /v1/vaults/{vault_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VaultUpdateParams {
    /// A new display name; it cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub display_name: Option<String>,
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

/// The query of `GET /v1/vaults`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VaultListParams {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// Whether archived vaults are listed too.
    pub include_archived: Option<bool>,
}
