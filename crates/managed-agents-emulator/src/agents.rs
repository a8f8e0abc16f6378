//! Agents (spec section 4): versioned on every change, archived agents start no session.

use axum::Json;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use managed_agents_types::agents::{
    Agent, AgentCreateParams, AgentUpdateParams, ModelConfig, ModelParam,
};
use managed_agents_types::{AgentId, ErrorType, Page};

use crate::error::ApiError;
use crate::gateway::AppStateRef;
use crate::http::{CreatedFilter, JsonObject, ListRules, Query, paginate, valid_body};
use crate::objects;
use crate::store::{Db, Kind, new_id, now};

/// Loads an agent (its latest version) or answers 404.
pub(crate) fn load(db: &Db<'_>, id: &str) -> Result<Agent, ApiError> {
    objects::load(db, Kind::Agent, "agent", id)
}

/// Loads one version of an agent, or answers 404.
pub(crate) fn load_version(db: &Db<'_>, id: &str, version: u64) -> Result<Agent, ApiError> {
    db.get(Kind::AgentVersion, &version_key(id, version))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("agent `{id}` has no version {version}"),
            )
        })
}

fn version_key(id: &str, version: u64) -> String {
    format!("{id}@{version}")
}

fn model_config(model: ModelParam) -> ModelConfig {
    match model {
        ModelParam::Name(id) => ModelConfig {
            id,
            speed: None,
            effort: None,
        },
        ModelParam::Config(config) => config,
    }
}

fn save_version(db: &Db<'_>, agent: &Agent) -> Result<(), ApiError> {
    db.insert(
        Kind::AgentVersion,
        &version_key(agent.id.as_str(), agent.version),
        Some(agent.id.as_str()),
        agent,
        None,
    )
}

/// `POST /v1/agents`.
pub(crate) async fn create(
    state: AppStateRef,
    JsonObject(body): JsonObject,
) -> Result<Json<Agent>, ApiError> {
    let params: AgentCreateParams = valid_body(&body, &state.limits())?;
    let timestamp = now();
    let agent = Agent {
        id: AgentId::new(new_id("agent_")).map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "agent".to_owned(),
        name: params.name,
        description: params.description,
        system: params.system,
        model: model_config(params.model),
        tools: params.tools.unwrap_or_default(),
        mcp_servers: params.mcp_servers.unwrap_or_default(),
        metadata: params.metadata.unwrap_or_default(),
        version: 1,
        archived_at: None,
        created_at: timestamp.clone(),
        updated_at: timestamp,
    };
    state.store.write(|db| {
        db.insert(Kind::Agent, agent.id.as_str(), None, &agent, None)?;
        save_version(db, &agent)
    })?;
    Ok(Json(agent))
}

/// `GET /v1/agents`.
pub(crate) async fn list(
    state: AppStateRef,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<Agent>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let mut rows = objects::list::<Agent>(&state, &query, Kind::Agent)?;
    let created = CreatedFilter::parse(&query)?;
    rows.retain(|row| created.keeps(&row.value.created_at));
    Ok(Json(paginate(rows, &query, ListRules::new(100))?))
}

/// `GET /v1/agents/{agent_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Agent>, ApiError> {
    state.store.read(|db| load(db, &id)).map(Json)
}

/// `POST /v1/agents/{agent_id}`: `version` must be the current one.
pub(crate) async fn update(
    state: AppStateRef,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Agent>, ApiError> {
    let params: AgentUpdateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        let stored = load(db, &id)?;
        objects::refuse_archived(&stored, "agent", &id)?;
        if params.version != stored.version {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "version: agent `{id}` is at version {}, not {}",
                    stored.version, params.version
                ),
            )
            .with_type(ErrorType::Conflict)
            .with_header("x-should-retry", "false"));
        }
        let mut agent = stored.clone();
        if let Some(name) = params.name {
            agent.name = name;
        }
        if let Some(model) = params.model {
            agent.model = model_config(model);
        }
        params.system.apply_to(&mut agent.system);
        params.description.apply_to(&mut agent.description);
        if let Some(tools) = params.tools {
            agent.tools = tools;
        }
        if let Some(servers) = params.mcp_servers {
            agent.mcp_servers = servers;
        }
        objects::patch_metadata(&mut agent.metadata, params.metadata)?;
        if agent != stored {
            agent.version += 1;
            agent.updated_at = now();
            db.update(&id, &agent)?;
            save_version(db, &agent)?;
        }
        Ok(Json(agent))
    })
}

/// `POST /v1/agents/{agent_id}/archive`.
pub(crate) async fn archive(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Agent>, ApiError> {
    objects::archive_stored(&state, &id, load).map(Json)
}
