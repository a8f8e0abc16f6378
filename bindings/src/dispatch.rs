//! One entry point for every call that answers one object: the operation's name picks the
//! client core's method, the JSON arguments become the types crate's parameters.

use managed_agents_client::{Client, RawJson, RequestOptions};
use managed_agents_fetch::FetchTransport;
use managed_agents_types::decode::decode_json;
use managed_agents_types::endpoints::{self, Endpoint};
use managed_agents_types::ids::{
    AgentId, EnvironmentId, FileId, MemoryStoreId, SessionId, SessionResourceId, VaultId,
};
use managed_agents_types::{IdError, ValidationError, vaults};
use managed_agents_types::{agents, environments, memory_stores, resources, sessions};
use serde::de::DeserializeOwned;

use crate::error::BindingError;
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

/// Sends `endpoint` (built and validated by the types crate) and returns the server's JSON.
async fn send<O>(
    client: &Client<FetchTransport>,
    endpoint: Result<Endpoint<O>, ValidationError>,
    options: &RequestOptions,
) -> Result<RawJson, BindingError> {
    let endpoint = endpoint.map_err(|error| BindingError::Client(error.into()))?;
    client
        .call_raw(&endpoint, options)
        .await
        .map_err(BindingError::Client)
}

/// The calls environments, agents, vaults and memory stores share; `delete` where the group
/// has one.
macro_rules! object_group {
    (
        $client:expr, $call:expr, $action:expr, $group:ident, $id:ty, $field:literal,
        $create:ty, $update:ty $(, delete: $delete:path)?
    ) => {{
        let options = request_options($call.options)?;
        let endpoint = match $action {
            "create" => endpoints::$group::create(&$call.params::<$create>()?),
            "retrieve" => endpoints::$group::retrieve(&$call.id($field, <$id>::new)?),
            "update" => {
                let id = $call.id($field, <$id>::new)?;
                endpoints::$group::update(&id, &$call.params::<$update>()?)
            }
            "archive" => endpoints::$group::archive(&$call.id($field, <$id>::new)?),
            $("delete" => {
                let id = $call.id($field, <$id>::new)?;
                return send($client, $delete(&id), &options).await;
            })?
            other => return Err(unknown(stringify!($group), other)),
        };
        send($client, endpoint, &options).await
    }};
}

fn unknown(group: &str, action: &str) -> BindingError {
    BindingError::argument(
        "operation",
        format!("`{group}.{action}` is not an operation"),
    )
}

/// Runs one call and returns the answer's JSON text.
pub(crate) async fn call(
    client: &Client<FetchTransport>,
    call: Call<'_>,
) -> Result<RawJson, BindingError> {
    let (group, action) = call
        .operation
        .rsplit_once('.')
        .ok_or_else(|| BindingError::argument("operation", "expected `group.action`"))?;
    match group {
        "environments" => object_group!(
            client, call, action, environments, EnvironmentId, "environment_id",
            environments::EnvironmentCreateParams, environments::EnvironmentUpdateParams,
            delete: endpoints::delete_environment
        ),
        "agents" => object_group!(
            client,
            call,
            action,
            agents,
            AgentId,
            "agent_id",
            agents::AgentCreateParams,
            agents::AgentUpdateParams
        ),
        "vaults" => object_group!(
            client, call, action, vaults, VaultId, "vault_id",
            vaults::VaultCreateParams, vaults::VaultUpdateParams,
            delete: endpoints::delete_vault
        ),
        "memoryStores" => object_group!(
            client, call, action, memory_stores, MemoryStoreId, "memory_store_id",
            memory_stores::MemoryStoreCreateParams, memory_stores::MemoryStoreUpdateParams,
            delete: endpoints::delete_memory_store
        ),
        "sessions" => object_group!(
            client, call, action, sessions, SessionId, "session_id",
            sessions::SessionCreateParams, sessions::SessionUpdateParams,
            delete: endpoints::sessions::delete
        ),
        "sessions.resources" => session_resource(client, call, action).await,
        "files" => file(client, call, action).await,
        other => Err(unknown(other, action)),
    }
}

/// `sessions.resources.*`: the resource calls, which take the session ID besides their own.
async fn session_resource(
    client: &Client<FetchTransport>,
    call: Call<'_>,
    action: &str,
) -> Result<RawJson, BindingError> {
    use endpoints::session_resources as resource_endpoints;

    let options = request_options(call.options)?;
    let session = call.session_id()?;
    let resource = || call.id("resource_id", SessionResourceId::new);
    match action {
        "add" => {
            let params = call.params::<resources::ResourceParams>()?;
            send(client, resource_endpoints::add(&session, &params), &options).await
        }
        "retrieve" => {
            let endpoint = resource_endpoints::retrieve(&session, &resource()?);
            send(client, endpoint, &options).await
        }
        "update" => {
            let params = call.params::<resources::SessionResourceUpdateParams>()?;
            let endpoint = resource_endpoints::update(&session, &resource()?, &params);
            send(client, endpoint, &options).await
        }
        "delete" => {
            let endpoint = resource_endpoints::delete(&session, &resource()?);
            send(client, endpoint, &options).await
        }
        other => Err(unknown("sessions.resources", other)),
    }
}

/// `files.*`: metadata and deletion (uploads, downloads and lists have their own exports).
async fn file(
    client: &Client<FetchTransport>,
    call: Call<'_>,
    action: &str,
) -> Result<RawJson, BindingError> {
    let options = request_options(call.options)?;
    let id = call.id("file_id", FileId::new)?;
    match action {
        "retrieveMetadata" => send(client, endpoints::files::retrieve(&id), &options).await,
        "delete" => send(client, endpoints::files::delete(&id), &options).await,
        other => Err(unknown("files", other)),
    }
}
