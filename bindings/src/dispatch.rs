//! One entry point for every call that answers one object: the operation's name picks the
//! client core's method, the JSON arguments become the types crate's parameters.

use managed_agents_client::Client;
use managed_agents_fetch::FetchTransport;
use managed_agents_types::decode::decode_json;
use managed_agents_types::ids::{
    AgentId, EnvironmentId, FileId, MemoryStoreId, SessionId, SessionResourceId, VaultId,
};
use managed_agents_types::{Deleted, vaults};
use managed_agents_types::{IdError, agents, environments, memory_stores, resources, sessions};
use serde::Serialize;
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

/// The JSON text of an answer.
pub(crate) fn to_json(value: &impl Serialize) -> Result<String, BindingError> {
    serde_json::to_string(value).map_err(|error| BindingError::argument("response", error))
}

fn client_error(error: managed_agents_client::Error) -> BindingError {
    BindingError::Client(error)
}

/// The calls environments, agents, vaults and memory stores share; `delete` where the group
/// has one.
macro_rules! object_group {
    (
        $client:expr, $call:expr, $action:expr, $group:ident, $id:ty, $field:literal,
        $create:ty, $update:ty $(, delete: $delete:ident)?
    ) => {{
        let group = $client.$group().with_options(request_options($call.options)?);
        match $action {
            "create" => {
                let params = $call.params::<$create>()?;
                to_json(&group.create(&params).await.map_err(client_error)?)
            }
            "retrieve" => {
                let id = $call.id($field, <$id>::new)?;
                to_json(&group.retrieve(&id).await.map_err(client_error)?)
            }
            "update" => {
                let id = $call.id($field, <$id>::new)?;
                let params = $call.params::<$update>()?;
                to_json(&group.update(&id, &params).await.map_err(client_error)?)
            }
            "archive" => {
                let id = $call.id($field, <$id>::new)?;
                to_json(&group.archive(&id).await.map_err(client_error)?)
            }
            $("delete" => {
                let id = $call.id($field, <$id>::new)?;
                let deleted: Deleted = group.$delete(&id).await.map_err(client_error)?;
                to_json(&deleted)
            })?
            other => Err(unknown(stringify!($group), other)),
        }
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
) -> Result<String, BindingError> {
    let (group, action) = call
        .operation
        .rsplit_once('.')
        .ok_or_else(|| BindingError::argument("operation", "expected `group.action`"))?;
    match group {
        "environments" => object_group!(
            client, call, action, environments, EnvironmentId, "environment_id",
            environments::EnvironmentCreateParams, environments::EnvironmentUpdateParams,
            delete: delete
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
            vaults::VaultCreateParams, vaults::VaultUpdateParams, delete: delete
        ),
        "memoryStores" => object_group!(
            client, call, action, memory_stores, MemoryStoreId, "memory_store_id",
            memory_stores::MemoryStoreCreateParams, memory_stores::MemoryStoreUpdateParams,
            delete: delete
        ),
        "sessions" => object_group!(
            client, call, action, sessions, SessionId, "session_id",
            sessions::SessionCreateParams, sessions::SessionUpdateParams, delete: delete
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
) -> Result<String, BindingError> {
    let resources = client
        .sessions()
        .resources()
        .with_options(request_options(call.options)?);
    let session = call.session_id()?;
    let resource = || call.id("resource_id", SessionResourceId::new);
    match action {
        "add" => {
            let params = call.params::<resources::ResourceParams>()?;
            to_json(
                &resources
                    .add(&session, &params)
                    .await
                    .map_err(client_error)?,
            )
        }
        "retrieve" => {
            let answer = resources.retrieve(&session, &resource()?).await;
            to_json(&answer.map_err(client_error)?)
        }
        "update" => {
            let params = call.params::<resources::SessionResourceUpdateParams>()?;
            let answer = resources.update(&session, &resource()?, &params).await;
            to_json(&answer.map_err(client_error)?)
        }
        "delete" => {
            let answer = resources.delete(&session, &resource()?).await;
            to_json(&answer.map_err(client_error)?)
        }
        other => Err(unknown("sessions.resources", other)),
    }
}

/// `files.*`: metadata and deletion (uploads, downloads and lists have their own exports).
async fn file(
    client: &Client<FetchTransport>,
    call: Call<'_>,
    action: &str,
) -> Result<String, BindingError> {
    let files = client.files().with_options(request_options(call.options)?);
    let id = call.id("file_id", FileId::new)?;
    match action {
        "retrieveMetadata" => to_json(&files.retrieve(&id).await.map_err(client_error)?),
        "delete" => to_json(&files.delete(&id).await.map_err(client_error)?),
        other => Err(unknown("files", other)),
    }
}
