//! One entry point for every call that answers one object: the operation's name picks the
//! types crate's endpoint, the JSON arguments become its parameters (validated there), and the
//! client core sends it. Everything before sending is synchronous, so one small future serves
//! every operation. Each resource group is compiled in only with its cargo feature.

// With a group left out, helpers only its calls use are unused.
#![cfg_attr(groups_left_out, allow(dead_code, unused_imports, unused_macros))]

use managed_agents_client::{RawRequest, RequestOptions};
use managed_agents_types as types;
use managed_agents_types::decode::decode_json;
use managed_agents_types::endpoints::{self, Body, Endpoint};
use managed_agents_types::ids::{self, SessionId};
use managed_agents_types::{IdError, ValidationError};
use serde::de::DeserializeOwned;

use crate::error::BindingError;
use crate::fields;
use crate::options::request_options;

/// The arguments of one call, as the JS glue passes them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// `group.action`, for example `environments.create` or `sessions.resources.update`.
    pub(crate) operation: &'a str,
    /// The ID in the path (the object's own).
    pub(crate) id: Option<&'a str>,
    /// The session ID of a session resource call.
    pub(crate) session_id: Option<&'a str>,
    /// The JSON text of the body.
    pub(crate) params: Option<&'a str>,
    /// The JSON text of the per-call options.
    pub(crate) options: Option<&'a str>,
}

impl Call<'_> {
    /// The body, decoded into the operation's parameter type; a missing body is an error.
    fn params<P: DeserializeOwned>(&self) -> Result<P, BindingError> {
        let json = self
            .params
            .ok_or_else(|| BindingError::argument("params", "this call needs parameters"))?;
        // An array would decode into a struct by position; only named fields are taken.
        if !json.trim_start().starts_with('{') {
            return Err(BindingError::argument("params", "must be an object"));
        }
        decode_json(json.as_bytes())
            .map_err(|error| BindingError::argument(format!("params{}", error.path), error.message))
    }

    /// The path ID, checked by `make` (its prefix).
    fn id<I>(
        &self,
        field: &str,
        make: impl FnOnce(String) -> Result<I, IdError>,
    ) -> Result<I, BindingError> {
        let id = self
            .id
            .ok_or_else(|| BindingError::argument(field, "this call needs an ID"))?;
        make(id.to_owned()).map_err(|error| BindingError::id(field, error))
    }

    /// The session ID of a session resource call.
    fn session_id(&self) -> Result<SessionId, BindingError> {
        let id = self
            .session_id
            .ok_or_else(|| BindingError::argument("session_id", "this call needs a session ID"))?;
        SessionId::new(id).map_err(|error| BindingError::id("session_id", error))
    }
}

/// The request of an operation, ready to send, and its per-call options.
pub(crate) type Prepared = (RawRequest, RequestOptions);

/// The request of `endpoint`, or the validation error that keeps it from being sent.
fn raw<O>(endpoint: Result<Endpoint<O>, ValidationError>) -> Result<RawRequest, BindingError> {
    endpoint
        .map(RawRequest::from)
        .map_err(|error| BindingError::Client(error.into()))
}

/// The calls environments, agents, vaults and memory stores share; `delete` where the group
/// has one.
macro_rules! object_group {
    (
        $call:expr, $action:expr, $group:ident, $id:ty, $field:literal,
        $create:ty, $update:ty $(, delete: $delete:path)?
    ) => {{
        match $action {
            "create" => raw(endpoints::$group::create(&$call.params::<$create>()?)),
            "retrieve" => raw(endpoints::$group::retrieve(&$call.id($field, <$id>::new)?)),
            "update" => {
                let id = $call.id($field, <$id>::new)?;
                raw(endpoints::$group::update(&id, &$call.params::<$update>()?))
            }
            "archive" => raw(endpoints::$group::archive(&$call.id($field, <$id>::new)?)),
            $("delete" => raw($delete(&$call.id($field, <$id>::new)?)),)?
            other => Err(unknown(stringify!($group), other)),
        }
    }};
}

/// Every resource group as JavaScript names it, the cargo feature that compiles it in and
/// whether that feature is on.
const GROUPS: &[(&str, &str, bool)] = &[
    (
        "environments",
        "environments",
        cfg!(feature = "environments"),
    ),
    ("sessions", "sessions", cfg!(feature = "sessions")),
    ("sessions.resources", "sessions", cfg!(feature = "sessions")),
    ("files", "files", cfg!(feature = "files")),
    ("agents", "agents", cfg!(feature = "agents")),
    ("vaults", "vaults", cfg!(feature = "vaults")),
    (
        "memoryStores",
        "memory-stores",
        cfg!(feature = "memory-stores"),
    ),
];

/// The error of a call to `group` when that group was left out of this build.
pub(crate) fn unavailable(group: &str) -> Option<BindingError> {
    // Lets the default build, where every group is in, leave this out entirely
    // (`groups_left_out` is set by `build.rs`).
    if cfg!(not(groups_left_out)) {
        return None;
    }
    GROUPS
        .iter()
        .find(|&&(name, _, on)| name == group && !on)
        .map(|&(group, feature, _)| BindingError::Unavailable { group, feature })
}

/// The error of `group.action` when no compiled-in code takes it: the group was left out of
/// this build, or there is no such operation.
fn unknown(group: &str, action: &str) -> BindingError {
    unavailable(group).unwrap_or_else(|| {
        BindingError::argument(
            "operation",
            format!("`{group}.{action}` is not an operation"),
        )
    })
}

/// The request of one call and its options; nothing is sent yet. A field of the parameters
/// that the request body leaves out (one no parameter type takes) is an error.
pub(crate) fn prepare(call: Call<'_>) -> Result<Prepared, BindingError> {
    let options = request_options(call.options)?;
    let request = build(call)?;
    if let (Some(given), Body::Json(sent)) = (call.params, &request.request.body) {
        // Asking again goes through this same code, so the check adds no code per type.
        let resend = |params: &str| {
            let call = Call {
                params: Some(params),
                ..call
            };
            match build(call).ok()?.request.body {
                Body::Json(sent) => Some(sent),
                _ => None,
            }
        };
        fields::check(given, sent, &resend)?;
    }
    Ok((request, options))
}

/// The request of one call, its parameters decoded and validated.
fn build(call: Call<'_>) -> Result<RawRequest, BindingError> {
    let (group, action) = call
        .operation
        .rsplit_once('.')
        .ok_or_else(|| BindingError::argument("operation", "expected `group.action`"))?;
    match group {
        #[cfg(feature = "environments")]
        "environments" => object_group!(
            call, action, environments, ids::EnvironmentId, "environment_id",
            types::environments::EnvironmentCreateParams,
            types::environments::EnvironmentUpdateParams,
            delete: endpoints::delete_environment
        ),
        #[cfg(feature = "agents")]
        "agents" => object_group!(
            call,
            action,
            agents,
            ids::AgentId,
            "agent_id",
            types::agents::AgentCreateParams,
            types::agents::AgentUpdateParams
        ),
        #[cfg(feature = "vaults")]
        "vaults" => object_group!(
            call, action, vaults, ids::VaultId, "vault_id",
            types::vaults::VaultCreateParams, types::vaults::VaultUpdateParams,
            delete: endpoints::delete_vault
        ),
        #[cfg(feature = "memory-stores")]
        "memoryStores" => object_group!(
            call, action, memory_stores, ids::MemoryStoreId, "memory_store_id",
            types::memory_stores::MemoryStoreCreateParams,
            types::memory_stores::MemoryStoreUpdateParams,
            delete: endpoints::delete_memory_store
        ),
        #[cfg(feature = "sessions")]
        "sessions" => object_group!(
            call, action, sessions, ids::SessionId, "session_id",
            types::sessions::SessionCreateParams, types::sessions::SessionUpdateParams,
            delete: endpoints::sessions::delete
        ),
        #[cfg(feature = "sessions")]
        "sessions.resources" => session_resource(call, action),
        #[cfg(feature = "files")]
        "files" => file(call, action),
        other => Err(unknown(other, action)),
    }
}

/// `sessions.resources.*`: the resource calls, which take the session ID besides their own.
#[cfg(feature = "sessions")]
fn session_resource(call: Call<'_>, action: &str) -> Result<RawRequest, BindingError> {
    use endpoints::session_resources as resource_endpoints;

    let session = call.session_id()?;
    let resource = || call.id("resource_id", ids::SessionResourceId::new);
    match action {
        "add" => {
            let params = call.params::<types::resources::ResourceParams>()?;
            raw(resource_endpoints::add(&session, &params))
        }
        "retrieve" => raw(resource_endpoints::retrieve(&session, &resource()?)),
        "update" => {
            let params = call.params::<types::resources::SessionResourceUpdateParams>()?;
            raw(resource_endpoints::update(&session, &resource()?, &params))
        }
        "delete" => raw(resource_endpoints::delete(&session, &resource()?)),
        other => Err(unknown("sessions.resources", other)),
    }
}

/// `files.*`: metadata and deletion (uploads, downloads and lists have their own exports).
#[cfg(feature = "files")]
fn file(call: Call<'_>, action: &str) -> Result<RawRequest, BindingError> {
    let id = call.id("file_id", ids::FileId::new)?;
    match action {
        "retrieveMetadata" => raw(endpoints::files::retrieve(&id)),
        "delete" => raw(endpoints::files::delete(&id)),
        other => Err(unknown("files", other)),
    }
}
