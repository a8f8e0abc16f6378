//! Small shapes shared by many objects: metadata, timestamps, deletion confirmations.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A string-to-string map stored on an object: at most 16 pairs, keys at most 64 characters,
/// values at most 512.
pub type Metadata = BTreeMap<String, String>;

/// A metadata patch in an update body: a key set to `null` or `""` is deleted, any other value
/// is stored.
pub type MetadataPatch = BTreeMap<String, Option<String>>;

/// An RFC 3339 timestamp, as the API sends it.
pub type Timestamp = String;

/// Applies a metadata patch to stored metadata.
pub fn apply_metadata_patch(stored: &mut Metadata, patch: MetadataPatch) {
    for (key, value) in patch {
        match value {
            Some(value) if !value.is_empty() => {
                stored.insert(key, value);
            }
            _ => {
                stored.remove(&key);
            }
        }
    }
}

/// The answer to a delete: the ID of the deleted object and a `type` such as
/// `session_deleted` or `file_deleted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Deleted {
    /// The ID of the deleted object.
    pub id: String,
    /// What was deleted: `environment_deleted`, `session_deleted`, `file_deleted`,
    /// `session_resource_deleted`, `vault_deleted` or `memory_store_deleted`.
    #[serde(rename = "type")]
    pub object_type: String,
}

/// The direction of a list ordered by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

impl Order {
    /// The value as it appears in a query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}
