//! Sessions (spec section 6): every reference checked before anything is created, a snapshot
//! of the agent, a sandbox per session, list filters and the `prev_page` envelope.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, RawQuery};
use managed_agents_types::agents::Agent;
use managed_agents_types::common::Deleted;
use managed_agents_types::resources::SessionResource;
use managed_agents_types::sessions::{
    Session, SessionAgent, SessionCreateParams, SessionStats, SessionStatus, SessionUpdateParams,
    SessionUsage,
};
use managed_agents_types::{Page, SessionId};

use crate::error::ApiError;
use crate::gateway::{AppState, AppStateRef};
use crate::http::{CreatedFilter, JsonObject, ListRules, Query, json_body, paginate, valid_body};
use crate::objects;
use crate::resources::{self, NewResource};
use crate::store::{Db, Kind, new_id, now};
use crate::{agents, environments, sandbox, vaults};

/// Loads a stored session (without its resources) or answers 404.
pub(crate) fn load_stored(db: &Db<'_>, id: &str) -> Result<Session, ApiError> {
    objects::load(db, Kind::Session, "session", id)
}

/// A stored session with its current resources.
fn render(db: &Db<'_>, mut session: Session) -> Result<Session, ApiError> {
    session.resources = resources::of_session(db, session.id.as_str())?
        .into_iter()
        .map(|row| row.value)
        .collect();
    Ok(session)
}

fn snapshot(agent: Agent) -> SessionAgent {
    SessionAgent {
        id: agent.id,
        object_type: "agent".to_owned(),
        version: Some(agent.version),
        name: Some(agent.name),
        description: agent.description,
        system: agent.system,
        model: Some(agent.model),
        tools: Some(agent.tools),
        mcp_servers: Some(agent.mcp_servers),
    }
}

/// Checks every reference of a create body and builds the session and its resources.
fn prepare(
    db: &Db<'_>,
    params: SessionCreateParams,
) -> Result<(Session, Vec<NewResource>), ApiError> {
    let agent_id = params.agent.id().as_str();
    let latest = agents::load(db, agent_id)?;
    if latest.archived_at.is_some() {
        return Err(ApiError::invalid(format!(
            "agent: agent `{agent_id}` is archived and cannot start sessions"
        )));
    }
    let agent = match params.agent.version() {
        Some(version) => agents::load_version(db, agent_id, version)?,
        None => latest,
    };
    let environment = environments::load(db, params.environment_id.as_str())?;
    if environment.archived_at.is_some() {
        return Err(ApiError::invalid(format!(
            "environment_id: environment `{}` is archived and cannot start sessions",
            environment.id
        )));
    }
    let vault_ids = params.vault_ids.unwrap_or_default();
    for vault in &vault_ids {
        vaults::load(db, vault.as_str())?;
    }
    let mut used = HashSet::new();
    let mut built = Vec::new();
    for (index, resource) in params.resources.into_iter().flatten().enumerate() {
        built.push(resources::build(
            db,
            &format!("resources[{index}]"),
            resource,
            &mut used,
        )?);
    }
    let timestamp = now();
    let session = Session {
        id: SessionId::new(new_id("sesn_")).map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "session".to_owned(),
        status: SessionStatus::Idle,
        agent: snapshot(agent),
        environment_id: environment.id,
        resources: Vec::new(),
        vault_ids,
        metadata: params.metadata.unwrap_or_default(),
        title: params.title,
        archived_at: None,
        created_at: timestamp.clone(),
        updated_at: timestamp,
        stats: Some(SessionStats::default()),
        usage: Some(SessionUsage::default()),
    };
    Ok((session, built))
}

/// `POST /v1/sessions`: answers once every resource is in place.
pub(crate) async fn create(
    state: AppStateRef,
    JsonObject(body): JsonObject,
) -> Result<Json<Session>, ApiError> {
    let params: SessionCreateParams = valid_body(&body, &state.limits())?;
    let mut created = None;
    let result = state.store.write(|db| {
        let (session, built) = prepare(db, params)?;
        let id = session.id.as_str().to_owned();
        created = Some(id.clone());
        db.insert(Kind::Session, &id, None, &session, None)?;
        sandbox::create(state.store.root(), &id)?;
        for new in &built {
            resources::attach(db, &state, &id, new)?;
        }
        render(db, session)
    });
    if result.is_err()
        && let Some(id) = created
    {
        sandbox::remove(state.store.root(), &id);
    }
    result.map(Json)
}

/// `GET /v1/sessions`.
pub(crate) async fn list(
    state: AppStateRef,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<Session>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let include_archived = query.bool("include_archived")?;
    let descending = match query.get("order") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "order: must be `asc` or `desc`, got `{other}`"
            )));
        }
    };
    let agent_id = query.get("agent_id");
    let statuses: Vec<SessionStatus> = query.all("statuses").into_iter().map(Into::into).collect();
    let agent_version = query
        .get("agent_version")
        .map(|raw| {
            raw.parse::<u64>().map_err(|_| {
                ApiError::invalid(format!("agent_version: must be an integer, got `{raw}`"))
            })
        })
        .transpose()?;
    let memory_store_id = query.get("memory_store_id");
    let created = CreatedFilter::parse(&query)?;
    let rows = state.store.read(|db| {
        let mut rows = db.list::<Session>(Kind::Session, None)?;
        rows.retain(|row| {
            let session = &row.value;
            (include_archived || session.archived_at.is_none())
                && agent_id.is_none_or(|id| session.agent.id.as_str() == id)
                && agent_version.is_none_or(|version| session.agent.version == Some(version))
                && (statuses.is_empty() || statuses.contains(&session.status))
                && created.keeps(&session.created_at)
        });
        let mut rendered = Vec::with_capacity(rows.len());
        for mut row in rows {
            row.value = render(db, row.value)?;
            let mounts_store = memory_store_id.is_none_or(|wanted| {
                row.value.resources.iter().any(|resource| {
                    matches!(resource, SessionResource::MemoryStore(store)
                        if store.memory_store_id.as_str() == wanted)
                })
            });
            if mounts_store {
                rendered.push(row);
            }
        }
        Ok(rendered)
    })?;
    let rules = ListRules {
        descending,
        ..ListRules::new(1000)
    };
    Ok(Json(paginate(rows, &query, rules)?))
}

/// `GET /v1/sessions/{session_id}`; captures new outputs first.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Session>, ApiError> {
    state.store.read(|db| load_stored(db, &id))?;
    sandbox::capture_outputs(&state, &id).await?;
    state
        .store
        .read(|db| render(db, load_stored(db, &id)?))
        .map(Json)
}

/// `POST /v1/sessions/{session_id}`: `title` and a metadata patch; `vault_ids` is refused.
pub(crate) async fn update(
    state: AppStateRef,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Session>, ApiError> {
    let raw: serde_json::Value = json_body(&body)?;
    if raw.get("vault_ids").is_some() {
        return Err(ApiError::invalid(
            "vault_ids: cannot be changed after the session is created",
        ));
    }
    let params: SessionUpdateParams = valid_body(&body, &state.limits())?;
    state
        .store
        .write(|db| {
            let mut session = load_stored(db, &id)?;
            objects::refuse_archived(&session, "session", &id)?;
            params.title.apply_to(&mut session.title);
            objects::patch_metadata(&mut session.metadata, params.metadata)?;
            session.updated_at = now();
            db.update(&id, &session)?;
            render(db, session)
        })
        .map(Json)
}

/// `POST /v1/sessions/{session_id}/archive`.
pub(crate) async fn archive(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Session>, ApiError> {
    state
        .store
        .write(|db| {
            let session = objects::archive(db, &id, load_stored(db, &id)?)?;
            render(db, session)
        })
        .map(Json)
}

/// `DELETE /v1/sessions/{session_id}`: its outputs stay as files.
pub(crate) async fn delete(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    state.store.read(|db| load_stored(db, &id))?;
    sandbox::capture_outputs(&state, &id).await?;
    state.store.write(|db| {
        load_stored(db, &id)?;
        db.delete_children(&id)?;
        db.delete(&id)
    })?;
    sandbox::remove(state.store.root(), &id);
    Ok(Json(Deleted {
        id,
        object_type: "session_deleted".to_owned(),
    }))
}

/// Checks that a session exists, for the control endpoints.
pub(crate) fn exists(state: &AppState, id: &str) -> Result<(), ApiError> {
    state.store.read(|db| load_stored(db, id)).map(|_| ())
}
