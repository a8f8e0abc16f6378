//! Memory stores, as sessions mount them (spec section 5).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Metadata, MetadataPatch, Timestamp};
use crate::ids::MemoryStoreId;
use crate::patch::Patch;

/// A memory store, as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemoryStore {
    /// The store's ID (`memstore_…`).
    pub id: MemoryStoreId,
    /// Always `memory_store`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "memory_store"))]
    pub object_type: String,
    /// The name; need not be unique.
    pub name: String,
    /// The description; `""` when unset.
    #[serde(default)]
    pub description: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// When the store was archived, or null.
    #[serde(default)]
    pub archived_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// The body of `POST /v1/memory_stores`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemoryStoreCreateParams {
    /// The name: 1 to 255 characters.
    pub name: String,
    /// A description of at most 1024 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata to store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// The body of `POST /v1/memory_stores/{memory_store_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemoryStoreUpdateParams {
    /// A new name; it cannot be `null`.
    #[serde(
        default,
        deserialize_with = "crate::patch::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// A new description; `null` resets it to `""`.
    #[serde(default, skip_serializing_if = "Patch::is_omitted")]
    pub description: Patch<String>,
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

/// The query of `GET /v1/memory_stores`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryStoreListParams {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// Whether archived stores are listed too.
    pub include_archived: Option<bool>,
}

/// The slug a memory store is mounted under: the name lower-cased, every run of
/// non-alphanumeric characters turned into one `-`, with none at either end (spec section 5).
/// A name without a letter or a digit (`"!!!"`) would give an empty slug, which would mount the
/// store at `/mnt/memory/` itself, the parent of every store; the spec is silent there, so the
/// store's ID stands in for the slug.
pub fn mount_slug(name: &str, id: &MemoryStoreId) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_dash = false;
    for character in name.chars() {
        if character.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(character.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        return id.as_str().to_owned();
    }
    slug
}

/// Where a memory store is mounted in a session's container: `/mnt/memory/<slug>`, with the
/// slug of [`mount_slug`].
pub fn mount_path(name: &str, id: &MemoryStoreId) -> String {
    format!("/mnt/memory/{}", mount_slug(name, id))
}

#[cfg(test)]
mod tests {
    use crate::ids::MemoryStoreId;

    #[test]
    fn slugs_follow_the_spec() {
        let id = MemoryStoreId::new("memstore_011CabcDEF").unwrap();
        assert_eq!(
            super::mount_slug("User Preferences", &id),
            "user-preferences"
        );
        assert_eq!(super::mount_slug("  a__b!!c  ", &id), "a-b-c");
        assert_eq!(super::mount_path("Notes", &id), "/mnt/memory/notes");
    }

    #[test]
    fn a_name_without_letters_or_digits_mounts_under_the_id() {
        let id = MemoryStoreId::new("memstore_011CabcDEF").unwrap();
        for name in ["!!!", " ", "-_-"] {
            assert_eq!(
                super::mount_slug(name, &id),
                "memstore_011CabcDEF",
                "{name:?}"
            );
            assert_eq!(
                super::mount_path(name, &id),
                "/mnt/memory/memstore_011CabcDEF"
            );
        }
    }
}
