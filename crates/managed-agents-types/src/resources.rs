//! Resources mounted into a session: what a request gives (spec section 7.1) and what the API
//! returns (section 7.2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::Timestamp;
use crate::ids::{FileId, MemoryStoreId, SessionResourceId};
use crate::secret::Secret;

/// Where uploaded files are mounted when a request gives no `mount_path`.
pub const DEFAULT_UPLOAD_MOUNT_DIR: &str = "/mnt/session/uploads";
/// Where a session's outputs are written and captured from.
pub const OUTPUTS_DIR: &str = "/mnt/session/outputs";

open_union! {
    /// A resource to mount, as given in `resources[]` at session creation or to the session
    /// resources API, tagged by `type`.
    pub enum ResourceParams {
        /// An uploaded file.
        File(FileResourceParams) = "file",
        /// A GitHub repository.
        GithubRepository(GithubRepositoryResourceParams) = "github_repository",
        /// A memory store.
        MemoryStore(MemoryStoreResourceParams) = "memory_store",
    }
}

/// A file to mount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileResourceParams {
    /// The uploaded file.
    pub file_id: FileId,
    /// An absolute, normalised path; `/mnt/session/uploads/<file_id>` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
}

/// A GitHub repository to clone into the container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GithubRepositoryResourceParams {
    /// `https://github.com/<owner>/<repo>`.
    pub url: String,
    /// A GitHub token: write-only, never returned and never placed in the container.
    pub authorization_token: Secret,
    /// Where to clone; `/workspace/<repo>` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// What to check out; the default branch when unset or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<Checkout>,
}

/// A memory store to mount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemoryStoreResourceParams {
    /// The memory store.
    pub memory_store_id: MemoryStoreId,
    /// `read_write` (the default) or `read_only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<MemoryAccess>,
    /// Instructions for the agent on using the store: at most 4096 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

open_union! {
    /// What to check out of a repository, tagged by `type`.
    pub enum Checkout {
        /// A branch.
        Branch(BranchCheckout) = "branch",
        /// A commit.
        Commit(CommitCheckout) = "commit",
    }
}

/// A branch to check out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BranchCheckout {
    /// The branch name.
    pub name: String,
}

/// A commit to check out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitCheckout {
    /// The full 40-character SHA.
    pub sha: String,
}

open_enum! {
    /// How an agent may use a memory store.
    pub enum MemoryAccess {
        /// Read and write (the default).
        ReadWrite = "read_write",
        /// Read only.
        ReadOnly = "read_only",
    }
}

open_union! {
    /// A resource mounted into a session, as the API returns it, tagged by `type`.
    pub enum SessionResource {
        /// A mounted file.
        File(FileResource) = "file",
        /// A cloned repository (never with its token).
        GithubRepository(GithubRepositoryResource) = "github_repository",
        /// A mounted memory store.
        MemoryStore(MemoryStoreResource) = "memory_store",
    }
}

impl SessionResource {
    /// The resource's ID, when it has one.
    pub fn id(&self) -> Option<&SessionResourceId> {
        match self {
            Self::File(file) => Some(&file.id),
            Self::GithubRepository(repository) => Some(&repository.id),
            Self::MemoryStore(store) => store.id.as_ref(),
            Self::Unknown(_) => None,
        }
    }
}

/// A mounted file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileResource {
    /// The resource's ID (`sesrsc_…`).
    pub id: SessionResourceId,
    /// The mounted file; may be a session-scoped copy of the upload.
    pub file_id: FileId,
    /// Where the file is mounted.
    pub mount_path: String,
    /// When it was mounted.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// A cloned repository. The token is never returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GithubRepositoryResource {
    /// The resource's ID (`sesrsc_…`).
    pub id: SessionResourceId,
    /// The repository URL.
    pub url: String,
    /// Where it is cloned.
    pub mount_path: String,
    /// What is checked out; null for the default branch.
    #[serde(default)]
    pub checkout: Option<Checkout>,
    /// When it was attached.
    pub created_at: Timestamp,
    /// When it was last changed (a token rotation counts).
    pub updated_at: Timestamp,
}

/// A mounted memory store, with a snapshot of its name and description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemoryStoreResource {
    /// The resource's ID, when the server gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SessionResourceId>,
    /// The memory store.
    pub memory_store_id: MemoryStoreId,
    /// How the agent may use it.
    pub access: MemoryAccess,
    /// Instructions for the agent, or null.
    #[serde(default)]
    pub instructions: Option<String>,
    /// The store's name when it was mounted.
    pub name: String,
    /// The store's description when it was mounted.
    #[serde(default)]
    pub description: String,
    /// `/mnt/memory/<slug>`.
    pub mount_path: String,
    /// When it was mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

/// The body of `POST /v1/sessions/{session_id}/resources/{resource_id}`: a new token for a
/// GitHub repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionResourceUpdateParams {
    /// The new GitHub token.
    pub authorization_token: Secret,
}

/// The query of `GET /v1/sessions/{session_id}/resources`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionResourceListParams {
    /// Page size, 1 to 1000; all resources when unset.
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
}
