//! The pure description of every endpoint: method, path, query, the beta values it needs, the
//! body, and the type its answer decodes to. Transports only move the bytes.
//!
//! Each function validates its parameters first, so a request that breaks a documented rule
//! never leaves the client, and puts IDs into paths only after checking their prefix and
//! percent-encoding them as one segment.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::{DecodeError, decode_json};
use crate::files::FileUploadParams;
use crate::ids::IdError;
use crate::pagination::Cursor;
use crate::validation::{Validate, ValidationError};

/// The `anthropic-version` every request carries.
pub const API_VERSION: &str = "2023-06-01";

/// The beta values endpoints need, for the `anthropic-beta` header.
pub mod beta {
    /// Environments, sessions, session resources, agents, vaults, and `scope_id` on files.
    pub const MANAGED_AGENTS: &str = "managed-agents-2026-04-01";
    /// Memory stores (older servers take [`MANAGED_AGENTS`] instead).
    pub const AGENT_MEMORY: &str = "agent-memory-2026-07-22";
    /// The Files API's old beta; no longer needed, still accepted.
    pub const FILES_API: &str = "files-api-2025-04-14";
}

/// Joins beta values into one `anthropic-beta` value: comma-joined, de-duplicated, order kept,
/// the endpoint's own values first. `None` when there are none.
pub fn merge_betas<'a>(
    endpoint: &[&'a str],
    extra: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut merged: Vec<&str> = Vec::new();
    let split = |value: &'a str| {
        value
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
    };
    for value in endpoint
        .iter()
        .copied()
        .flat_map(split)
        .chain(extra.into_iter().flat_map(split))
    {
        if !merged.contains(&value) {
            merged.push(value);
        }
    }
    (!merged.is_empty()).then(|| merged.join(","))
}

/// An HTTP method used by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

/// The body of a request. Its `Debug` shows only the kind and size, so that a logged request
/// never carries a token.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON body (`content-type: application/json`).
    Json(Vec<u8>),
    /// A `multipart/form-data` upload with one part named `file`; the transport supplies the
    /// content (see [`crate::files::MultipartEnvelope`]).
    Multipart(FileUploadParams),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Json(bytes) => write!(f, "Json({} bytes)", bytes.len()),
            Self::Multipart(params) => write!(f, "Multipart({:?})", params.filename),
        }
    }
}

/// A request, described without any I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path, starting with `/v1/`, IDs already encoded.
    pub path: String,
    /// Query pairs, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Beta values the endpoint needs.
    pub betas: Vec<&'static str>,
    /// The body.
    pub body: Body,
}

impl Request {
    fn new(method: Method, path: String, betas: &[&'static str]) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            betas: betas.to_vec(),
            body: Body::Empty,
        }
    }

    /// The path and the encoded query, with `beta=true` appended as the official SDKs do.
    pub fn path_and_query(&self) -> String {
        let mut url = self.path.clone();
        let beta = [("beta".to_owned(), "true".to_owned())];
        for (index, (key, value)) in self.query.iter().chain(&beta).enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&encode_query_part(key, true));
            url.push('=');
            url.push_str(&encode_query_part(value, false));
        }
        url
    }

    /// The `anthropic-beta` value: the endpoint's betas merged with the caller's.
    pub fn beta_header<'a>(&'a self, extra: impl IntoIterator<Item = &'a str>) -> Option<String> {
        merge_betas(&self.betas, extra)
    }

    fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    fn query_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    fn cursor(self, cursor: Option<&Cursor>) -> Self {
        match cursor {
            Some(cursor) => {
                let (key, value) = cursor.query_pair();
                self.query(key, value)
            }
            None => self,
        }
    }

    fn json<B: Serialize + Validate>(mut self, body: &B) -> Result<Self, ValidationError> {
        body.validate()?;
        let bytes = serde_json::to_vec(body)
            .map_err(|error| ValidationError::field("", error.to_string()))?;
        self.body = Body::Json(bytes);
        Ok(self)
    }
}

fn encode_query_part(value: &str, is_key: bool) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    const KEY: &AsciiSet = &VALUE.remove(b'[').remove(b']');
    utf8_percent_encode(value, if is_key { KEY } else { VALUE }).to_string()
}

/// A request together with how to decode its answer into `T`.
#[derive(Debug, Clone)]
pub struct Endpoint<T> {
    /// The request to send.
    pub request: Request,
    /// What an empty success body means, for endpoints that may answer 204.
    empty_body: Option<serde_json::Value>,
    output: PhantomData<fn() -> T>,
}

impl<T> Endpoint<T> {
    /// The answer an empty success body stands for (the confirmation of a delete answered
    /// with 204), for callers that keep answers as JSON instead of decoding them.
    pub fn empty_body(&self) -> Option<&serde_json::Value> {
        self.empty_body.as_ref()
    }
}

impl<T: DeserializeOwned> Endpoint<T> {
    fn new(request: Request) -> Self {
        Self {
            request,
            empty_body: None,
            output: PhantomData,
        }
    }

    /// Decodes a success body; a decode error names the JSON path of the failing field.
    pub fn decode(&self, body: &[u8]) -> Result<T, DecodeError> {
        match &self.empty_body {
            Some(fallback) if body.iter().all(u8::is_ascii_whitespace) => {
                serde_json::from_value(fallback.clone())
                    .map_err(|error| DecodeError::new(".", error.to_string()))
            }
            _ => decode_json(body),
        }
    }
}

fn segment(field: &str, id: Result<String, IdError>) -> Result<String, ValidationError> {
    id.map_err(|error| ValidationError::field(field, error.to_string()))
}

macro_rules! simple_object_endpoints {
    (
        $(#[$meta:meta])* mod $module:ident {
            path: $path:literal, id: $id:ty, id_field: $id_field:literal, beta: $beta:expr,
            object: $object:ty, create: $create:ty, update: $update:ty, list: $list:ty,
            max_limit: $max:expr,
        }
    ) => {
        $(#[$meta])*
        pub mod $module {
            use super::*;
            use crate::pagination::Page;

            const BETAS: &[&str] = &[$beta];

            fn item_path(id: &$id) -> Result<String, ValidationError> {
                Ok(format!(concat!($path, "/{}"), segment($id_field, id.path_segment())?))
            }

            /// `POST` to the collection: creates an object.
            pub fn create(params: &$create) -> Result<Endpoint<$object>, ValidationError> {
                Ok(Endpoint::new(Request::new(Method::Post, $path.to_owned(), BETAS).json(params)?))
            }

            /// `GET` on the collection: one page of objects.
            pub fn list(params: &$list) -> Result<Endpoint<Page<$object>>, ValidationError> {
                crate::validation::check_limit(params.limit, $max)?;
                let request = Request::new(Method::Get, $path.to_owned(), BETAS)
                    .query_opt("limit", params.limit)
                    .cursor(params.cursor.as_ref())
                    .query_opt("include_archived", params.include_archived);
                Ok(Endpoint::new(request))
            }

            /// `GET` on one object.
            pub fn retrieve(id: &$id) -> Result<Endpoint<$object>, ValidationError> {
                Ok(Endpoint::new(Request::new(Method::Get, item_path(id)?, BETAS)))
            }

            /// `POST` on one object: updates it.
            pub fn update(
                id: &$id,
                params: &$update,
            ) -> Result<Endpoint<$object>, ValidationError> {
                Ok(Endpoint::new(Request::new(Method::Post, item_path(id)?, BETAS).json(params)?))
            }

            /// `POST …/archive`: archives the object; archiving is terminal.
            pub fn archive(id: &$id) -> Result<Endpoint<$object>, ValidationError> {
                let path = format!("{}/archive", item_path(id)?);
                Ok(Endpoint::new(Request::new(Method::Post, path, BETAS)))
            }
        }
    };
}

simple_object_endpoints! {
    /// `/v1/environments` (spec section 3).
    mod environments {
        path: "/v1/environments", id: crate::ids::EnvironmentId, id_field: "environment_id",
        beta: beta::MANAGED_AGENTS, object: crate::environments::Environment,
        create: crate::environments::EnvironmentCreateParams,
        update: crate::environments::EnvironmentUpdateParams,
        list: crate::environments::EnvironmentListParams, max_limit: 1000,
    }
}

simple_object_endpoints! {
    /// `/v1/agents` (spec section 4). Agents cannot be deleted.
    mod agents {
        path: "/v1/agents", id: crate::ids::AgentId, id_field: "agent_id",
        beta: beta::MANAGED_AGENTS, object: crate::agents::Agent,
        create: crate::agents::AgentCreateParams, update: crate::agents::AgentUpdateParams,
        list: crate::agents::AgentListParams, max_limit: 100,
    }
}

simple_object_endpoints! {
    /// `/v1/vaults` (spec section 5).
    mod vaults {
        path: "/v1/vaults", id: crate::ids::VaultId, id_field: "vault_id",
        beta: beta::MANAGED_AGENTS, object: crate::vaults::Vault,
        create: crate::vaults::VaultCreateParams, update: crate::vaults::VaultUpdateParams,
        list: crate::vaults::VaultListParams, max_limit: 100,
    }
}

simple_object_endpoints! {
    /// `/v1/memory_stores` (spec section 5).
    mod memory_stores {
        path: "/v1/memory_stores", id: crate::ids::MemoryStoreId, id_field: "memory_store_id",
        beta: beta::AGENT_MEMORY, object: crate::memory_stores::MemoryStore,
        create: crate::memory_stores::MemoryStoreCreateParams,
        update: crate::memory_stores::MemoryStoreUpdateParams,
        list: crate::memory_stores::MemoryStoreListParams, max_limit: 100,
    }
}

/// A delete that may answer 204 with no body, or 200 with a confirmation; both decode to
/// [`Deleted`](crate::common::Deleted).
fn delete_answering_204(
    collection: &str,
    segment: String,
    id: &str,
    beta: &'static str,
    deleted_type: &str,
) -> Endpoint<crate::common::Deleted> {
    let path = format!("{collection}/{segment}");
    let mut endpoint = Endpoint::new(Request::new(Method::Delete, path, &[beta]));
    endpoint.empty_body = Some(serde_json::json!({ "id": id, "type": deleted_type }));
    endpoint
}

/// Deleting an environment: 204 with no body, or 200 with a confirmation.
pub fn delete_environment(
    id: &crate::ids::EnvironmentId,
) -> Result<Endpoint<crate::common::Deleted>, ValidationError> {
    let segment = segment("environment_id", id.path_segment())?;
    let kind = "environment_deleted";
    Ok(delete_answering_204(
        "/v1/environments",
        segment,
        id.as_str(),
        beta::MANAGED_AGENTS,
        kind,
    ))
}

/// Deleting a vault.
pub fn delete_vault(
    id: &crate::ids::VaultId,
) -> Result<Endpoint<crate::common::Deleted>, ValidationError> {
    let segment = segment("vault_id", id.path_segment())?;
    Ok(delete_answering_204(
        "/v1/vaults",
        segment,
        id.as_str(),
        beta::MANAGED_AGENTS,
        "vault_deleted",
    ))
}

/// Deleting a memory store.
pub fn delete_memory_store(
    id: &crate::ids::MemoryStoreId,
) -> Result<Endpoint<crate::common::Deleted>, ValidationError> {
    let segment = segment("memory_store_id", id.path_segment())?;
    let kind = "memory_store_deleted";
    Ok(delete_answering_204(
        "/v1/memory_stores",
        segment,
        id.as_str(),
        beta::AGENT_MEMORY,
        kind,
    ))
}

/// `/v1/sessions` (spec section 6).
pub mod sessions {
    use super::*;
    use crate::common::Deleted;
    use crate::ids::SessionId;
    use crate::pagination::Page;
    use crate::sessions::{Session, SessionCreateParams, SessionListParams, SessionUpdateParams};

    const BETAS: &[&str] = &[beta::MANAGED_AGENTS];

    pub(super) fn item_path(id: &SessionId) -> Result<String, ValidationError> {
        Ok(format!(
            "/v1/sessions/{}",
            segment("session_id", id.path_segment())?
        ))
    }

    /// `POST /v1/sessions`: creates a session once every reference checks out.
    pub fn create(params: &SessionCreateParams) -> Result<Endpoint<Session>, ValidationError> {
        Ok(Endpoint::new(
            Request::new(Method::Post, "/v1/sessions".to_owned(), BETAS).json(params)?,
        ))
    }

    /// `GET /v1/sessions`: one page of sessions.
    pub fn list(params: &SessionListParams) -> Result<Endpoint<Page<Session>>, ValidationError> {
        crate::validation::check_limit(params.limit, 1000)?;
        let mut request = Request::new(Method::Get, "/v1/sessions".to_owned(), BETAS)
            .query_opt("limit", params.limit)
            .cursor(params.cursor.as_ref())
            .query_opt("order", params.order.map(|order| order.as_str()))
            .query_opt("include_archived", params.include_archived)
            .query_opt("agent_id", params.agent_id.as_ref())
            .query_opt("created_at[gte]", params.created_at_gte.as_ref())
            .query_opt("created_at[gt]", params.created_at_gt.as_ref())
            .query_opt("created_at[lte]", params.created_at_lte.as_ref())
            .query_opt("created_at[lt]", params.created_at_lt.as_ref());
        for status in &params.statuses {
            request = request.query("statuses[]", status);
        }
        Ok(Endpoint::new(request))
    }

    /// `GET /v1/sessions/{session_id}`.
    pub fn retrieve(id: &SessionId) -> Result<Endpoint<Session>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Get,
            item_path(id)?,
            BETAS,
        )))
    }

    /// `POST /v1/sessions/{session_id}`: title and metadata.
    pub fn update(
        id: &SessionId,
        params: &SessionUpdateParams,
    ) -> Result<Endpoint<Session>, ValidationError> {
        Ok(Endpoint::new(
            Request::new(Method::Post, item_path(id)?, BETAS).json(params)?,
        ))
    }

    /// `POST /v1/sessions/{session_id}/archive`.
    pub fn archive(id: &SessionId) -> Result<Endpoint<Session>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Post,
            format!("{}/archive", item_path(id)?),
            BETAS,
        )))
    }

    /// `DELETE /v1/sessions/{session_id}`.
    pub fn delete(id: &SessionId) -> Result<Endpoint<Deleted>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Delete,
            item_path(id)?,
            BETAS,
        )))
    }
}

/// `/v1/sessions/{session_id}/resources` (spec section 7.3).
pub mod session_resources {
    use super::*;
    use crate::common::Deleted;
    use crate::ids::{SessionId, SessionResourceId};
    use crate::pagination::Page;
    use crate::resources::{
        ResourceParams, SessionResource, SessionResourceListParams, SessionResourceUpdateParams,
    };

    const BETAS: &[&str] = &[beta::MANAGED_AGENTS];

    fn collection(session: &SessionId) -> Result<String, ValidationError> {
        Ok(format!(
            "{}/resources",
            super::sessions::item_path(session)?
        ))
    }

    fn item_path(
        session: &SessionId,
        resource: &SessionResourceId,
    ) -> Result<String, ValidationError> {
        let resource = segment("resource_id", resource.path_segment())?;
        Ok(format!("{}/{resource}", collection(session)?))
    }

    /// `GET …/resources`: one page of the session's resources (all of them without `limit`).
    pub fn list(
        session: &SessionId,
        params: &SessionResourceListParams,
    ) -> Result<Endpoint<Page<SessionResource>>, ValidationError> {
        crate::validation::check_limit(params.limit, 1000)?;
        let request = Request::new(Method::Get, collection(session)?, BETAS)
            .query_opt("limit", params.limit)
            .cursor(params.cursor.as_ref());
        Ok(Endpoint::new(request))
    }

    /// `POST …/resources`: mounts a file into a running session. Only files can be added.
    pub fn add(
        session: &SessionId,
        params: &ResourceParams,
    ) -> Result<Endpoint<SessionResource>, ValidationError> {
        crate::validation::check_added_resource(params)?;
        let body = serde_json::to_vec(params)
            .map_err(|error| ValidationError::field("", error.to_string()))?;
        let mut request = Request::new(Method::Post, collection(session)?, BETAS);
        request.body = Body::Json(body);
        Ok(Endpoint::new(request))
    }

    /// `GET …/resources/{resource_id}`.
    pub fn retrieve(
        session: &SessionId,
        resource: &SessionResourceId,
    ) -> Result<Endpoint<SessionResource>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Get,
            item_path(session, resource)?,
            BETAS,
        )))
    }

    /// `POST …/resources/{resource_id}`: rotates a repository's token; the answer never
    /// carries it.
    pub fn update(
        session: &SessionId,
        resource: &SessionResourceId,
        params: &SessionResourceUpdateParams,
    ) -> Result<Endpoint<SessionResource>, ValidationError> {
        Ok(Endpoint::new(
            Request::new(Method::Post, item_path(session, resource)?, BETAS).json(params)?,
        ))
    }

    /// `DELETE …/resources/{resource_id}`.
    pub fn delete(
        session: &SessionId,
        resource: &SessionResourceId,
    ) -> Result<Endpoint<Deleted>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Delete,
            item_path(session, resource)?,
            BETAS,
        )))
    }
}

/// `/v1/files` (spec section 8).
pub mod files {
    use super::*;
    use crate::common::Deleted;
    use crate::files::{FileListParams, FileObject};
    use crate::ids::FileId;
    use crate::pagination::Page;

    fn item_path(id: &FileId) -> Result<String, ValidationError> {
        Ok(format!(
            "/v1/files/{}",
            segment("file_id", id.path_segment())?
        ))
    }

    /// `POST /v1/files`: a multipart upload; the transport streams the content.
    pub fn upload(params: &FileUploadParams) -> Result<Endpoint<FileObject>, ValidationError> {
        if params.filename.contains(['\r', '\n', '\0']) {
            return Err(ValidationError::field(
                "filename",
                "must not contain CR, LF or NUL",
            ));
        }
        if let Some(mime_type) = &params.mime_type {
            crate::validation::check_mime_type(mime_type)
                .map_err(|message| ValidationError::field("mime_type", message))?;
        }
        let mut request = Request::new(Method::Post, "/v1/files".to_owned(), &[]);
        request.body = Body::Multipart(params.clone());
        Ok(Endpoint::new(request))
    }

    /// `GET /v1/files`: one page of files; with `scope_id`, exactly one session's files.
    pub fn list(params: &FileListParams) -> Result<Endpoint<Page<FileObject>>, ValidationError> {
        crate::validation::check_limit(params.limit, 1000)?;
        let betas: &[&str] = if params.scope_id.is_some() {
            &[beta::MANAGED_AGENTS]
        } else {
            &[]
        };
        if let Some(scope) = &params.scope_id {
            crate::validation::check_session_id("scope_id", scope)?;
        }
        let request = Request::new(Method::Get, "/v1/files".to_owned(), betas)
            .query_opt("limit", params.limit)
            .cursor(params.cursor.as_ref())
            .query_opt("scope_id", params.scope_id.as_ref());
        Ok(Endpoint::new(request))
    }

    /// `GET /v1/files/{file_id}`: the file's metadata.
    pub fn retrieve(id: &FileId) -> Result<Endpoint<FileObject>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Get,
            item_path(id)?,
            &[],
        )))
    }

    /// `GET /v1/files/{file_id}/content`: the raw bytes, streamed by the transport.
    pub fn download(id: &FileId) -> Result<Request, ValidationError> {
        Ok(Request::new(
            Method::Get,
            format!("{}/content", item_path(id)?),
            &[],
        ))
    }

    /// `DELETE /v1/files/{file_id}`.
    pub fn delete(id: &FileId) -> Result<Endpoint<Deleted>, ValidationError> {
        Ok(Endpoint::new(Request::new(
            Method::Delete,
            item_path(id)?,
            &[],
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{EnvironmentId, FileId, SessionId};

    #[test]
    fn betas_merge_in_order_without_duplicates() {
        assert_eq!(
            merge_betas(
                &[beta::MANAGED_AGENTS],
                ["x-1, managed-agents-2026-04-01", "x-2", "x-1"]
            ),
            Some("managed-agents-2026-04-01,x-1,x-2".to_owned())
        );
        assert_eq!(merge_betas(&[], []), None);
    }

    #[test]
    fn list_queries_are_encoded() {
        let params = crate::sessions::SessionListParams {
            limit: Some(5),
            statuses: vec![crate::sessions::SessionStatus::Idle, "running".into()],
            created_at_gte: Some("2026-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        let endpoint = sessions::list(&params).unwrap();
        assert_eq!(
            endpoint.request.path_and_query(),
            concat!(
                "/v1/sessions?limit=5&created_at[gte]=2026-01-01T00%3A00%3A00Z",
                "&statuses[]=idle&statuses[]=running&beta=true"
            )
        );
    }

    #[test]
    fn files_need_the_beta_only_with_scope_id() {
        let plain = files::list(&Default::default()).unwrap();
        assert!(plain.request.betas.is_empty());
        let scoped = files::list(&crate::files::FileListParams {
            scope_id: Some(SessionId::new("sesn_1").unwrap()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(scoped.request.betas, vec![beta::MANAGED_AGENTS]);
        let bad: SessionId = serde_json::from_str(r#""env_1""#).unwrap();
        let error = files::list(&crate::files::FileListParams {
            scope_id: Some(bad),
            ..Default::default()
        });
        assert_eq!(error.unwrap_err().errors[0].path, "scope_id");
    }

    #[test]
    fn unchecked_ids_never_reach_a_path() {
        let id: FileId = serde_json::from_str(r#""../admin""#).unwrap();
        let error = files::retrieve(&id).unwrap_err();
        assert_eq!(error.errors[0].path, "file_id");
        assert!(
            environments::list(&crate::environments::EnvironmentListParams {
                limit: Some(0),
                ..Default::default()
            })
            .is_err()
        );
    }

    #[test]
    fn environment_delete_accepts_204_and_200() {
        let id = EnvironmentId::new("env_1").unwrap();
        let endpoint = delete_environment(&id).unwrap();
        assert_eq!(
            endpoint.decode(b"").unwrap().object_type,
            "environment_deleted"
        );
        let body = br#"{"id":"env_1","type":"environment_deleted"}"#;
        assert_eq!(endpoint.decode(body).unwrap().id, "env_1");
    }
}
