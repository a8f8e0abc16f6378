//! Resources mounted into a session (spec section 7): building them from request params with
//! their defaults and checks, and the session resources API.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, RawQuery};
use managed_agents_types::common::Deleted;
use managed_agents_types::memory_stores::{MemoryStore, mount_path as memory_mount_path};
use managed_agents_types::resources::{
    DEFAULT_UPLOAD_MOUNT_DIR, FileResource, GithubRepositoryResource, MemoryAccess,
    MemoryStoreResource, OUTPUTS_DIR, ResourceParams, SessionResource, SessionResourceUpdateParams,
};
use managed_agents_types::validation::{check_added_resource, check_github_url};
use managed_agents_types::{Page, SessionResourceId};

use crate::error::ApiError;
use crate::gateway::{AppState, AppStateRef};
use crate::http::{JsonObject, ListRules, Query, paginate, strict_body, valid_body};
use crate::store::{Db, Kind, Row, new_id, now};
use crate::{files, sandbox, sessions};

/// A resource ready to store, with the repository token kept apart from it.
pub(crate) struct NewResource {
    pub(crate) resource: SessionResource,
    pub(crate) token: Option<String>,
}

fn resource_id() -> Result<SessionResourceId, ApiError> {
    SessionResourceId::new(new_id("sesrsc_")).map_err(|e| ApiError::internal(e.to_string()))
}

/// The mount path of a stored resource.
pub(crate) fn mount_path(resource: &SessionResource) -> Option<&str> {
    match resource {
        SessionResource::File(file) => Some(&file.mount_path),
        SessionResource::GithubRepository(repository) => Some(&repository.mount_path),
        SessionResource::MemoryStore(store) => Some(&store.mount_path),
        SessionResource::Unknown(_) => None,
    }
}

/// Builds a resource from its params after checking what it refers to; `used` holds the mount
/// paths already taken in the session.
pub(crate) fn build(
    db: &Db<'_>,
    field: &str,
    params: ResourceParams,
    used: &mut HashSet<String>,
) -> Result<NewResource, ApiError> {
    let timestamp = now();
    let (resource, token) = match params {
        ResourceParams::File(file) => {
            files::load(db, file.file_id.as_str()).map_err(|error| ApiError {
                message: format!("{field}.file_id: {}", error.message),
                ..error
            })?;
            let mount_path = file
                .mount_path
                .unwrap_or_else(|| format!("{DEFAULT_UPLOAD_MOUNT_DIR}/{}", file.file_id));
            let resource = SessionResource::File(FileResource {
                id: resource_id()?,
                file_id: file.file_id,
                mount_path,
                created_at: timestamp.clone(),
                updated_at: timestamp,
            });
            (resource, None)
        }
        ResourceParams::GithubRepository(repository) => {
            let name = check_github_url(&repository.url)
                .map_err(|message| ApiError::invalid(format!("{field}.url: {message}")))?;
            let mount_path = repository
                .mount_path
                .unwrap_or_else(|| format!("/workspace/{name}"));
            let resource = SessionResource::GithubRepository(GithubRepositoryResource {
                id: resource_id()?,
                url: repository.url,
                mount_path,
                checkout: repository.checkout,
                created_at: timestamp.clone(),
                updated_at: timestamp,
            });
            (
                resource,
                Some(repository.authorization_token.expose().to_owned()),
            )
        }
        ResourceParams::MemoryStore(params) => {
            let id = params.memory_store_id.as_str();
            let store: MemoryStore = db
                .get(Kind::MemoryStore, id)?
                .ok_or_else(|| ApiError::not_found("memory store", id))?;
            if store.archived_at.is_some() {
                return Err(ApiError::invalid(format!(
                    "{field}.memory_store_id: memory store `{id}` is archived"
                )));
            }
            let resource = SessionResource::MemoryStore(MemoryStoreResource {
                id: Some(resource_id()?),
                memory_store_id: params.memory_store_id,
                access: params.access.unwrap_or(MemoryAccess::ReadWrite),
                instructions: params.instructions,
                mount_path: memory_mount_path(&store.name, &store.id),
                name: store.name,
                description: store.description,
                created_at: Some(timestamp.clone()),
                updated_at: Some(timestamp),
            });
            (resource, None)
        }
        ResourceParams::Unknown(_) => {
            return Err(ApiError::invalid(format!(
                "{field}.type: unknown resource type"
            )));
        }
    };
    let path = mount_path(&resource).unwrap_or_default().to_owned();
    if path == OUTPUTS_DIR || path.starts_with(&format!("{OUTPUTS_DIR}/")) {
        return Err(ApiError::invalid(format!(
            "{field}.mount_path: `{path}` is inside {OUTPUTS_DIR}, where the agent writes"
        )));
    }
    if !used.insert(path.clone()) {
        return Err(ApiError::invalid(format!(
            "{field}.mount_path: `{path}` is used by another resource of the session"
        )));
    }
    Ok(NewResource { resource, token })
}

/// Stores a built resource and places it in the session's sandbox.
pub(crate) fn attach(
    db: &Db<'_>,
    state: &AppState,
    session_id: &str,
    new: &NewResource,
) -> Result<(), ApiError> {
    let Some(id) = new.resource.id() else {
        return Err(ApiError::internal("a resource has no ID"));
    };
    db.insert(
        Kind::Resource,
        id.as_str(),
        Some(session_id),
        &new.resource,
        new.token.as_deref(),
    )?;
    let root = state.store.root();
    match &new.resource {
        SessionResource::File(file) => sandbox::mount_file(
            &state.store,
            session_id,
            file.file_id.as_str(),
            &file.mount_path,
        ),
        SessionResource::GithubRepository(repository) => {
            sandbox::mount_folder(root, session_id, &repository.mount_path)
        }
        SessionResource::MemoryStore(store) => {
            sandbox::mount_folder(root, session_id, &store.mount_path)
        }
        SessionResource::Unknown(_) => Ok(()),
    }
}

/// The resources of a session, in the order they were attached.
pub(crate) fn of_session(
    db: &Db<'_>,
    session_id: &str,
) -> Result<Vec<Row<SessionResource>>, ApiError> {
    db.list(Kind::Resource, Some(session_id))
}

fn find(db: &Db<'_>, session_id: &str, resource_id: &str) -> Result<SessionResource, ApiError> {
    sessions::load_stored(db, session_id)?;
    of_session(db, session_id)?
        .into_iter()
        .find(|row| row.id == resource_id)
        .map(|row| row.value)
        .ok_or_else(|| ApiError::not_found("session resource", resource_id))
}

/// `GET /v1/sessions/{session_id}/resources`: every resource when `limit` is absent.
pub(crate) async fn list(
    state: AppStateRef,
    Path(session_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<SessionResource>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let rows = state.store.read(|db| {
        sessions::load_stored(db, &session_id)?;
        of_session(db, &session_id)
    })?;
    let rules = ListRules {
        default_limit: None,
        max_limit: 1000,
        descending: false,
    };
    Ok(Json(paginate(rows, &query, rules)?))
}

/// `POST /v1/sessions/{session_id}/resources`: only files.
pub(crate) async fn add(
    state: AppStateRef,
    Path(session_id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<SessionResource>, ApiError> {
    let params: ResourceParams = strict_body(&body)?;
    check_added_resource(&params)?;
    state.store.write(|db| {
        let session = sessions::load_stored(db, &session_id)?;
        if session.archived_at.is_some() {
            return Err(ApiError::invalid(format!(
                "session `{session_id}` is archived"
            )));
        }
        let existing = of_session(db, &session_id)?;
        let files = existing
            .iter()
            .filter(|row| matches!(row.value, SessionResource::File(_)))
            .count();
        if files >= state.max_file_resources {
            return Err(ApiError::invalid(format!(
                "resources: at most {} file resources per session",
                state.max_file_resources
            )));
        }
        let mut used = existing
            .iter()
            .filter_map(|row| mount_path(&row.value).map(str::to_owned))
            .collect();
        let new = build(db, "resource", params, &mut used)?;
        attach(db, &state, &session_id, &new)?;
        Ok(Json(new.resource))
    })
}

/// `GET /v1/sessions/{session_id}/resources/{resource_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path((session_id, resource_id)): Path<(String, String)>,
) -> Result<Json<SessionResource>, ApiError> {
    state
        .store
        .read(|db| find(db, &session_id, &resource_id))
        .map(Json)
}

/// `POST /v1/sessions/{session_id}/resources/{resource_id}`: rotates a repository's token.
pub(crate) async fn update(
    state: AppStateRef,
    Path((session_id, resource_id)): Path<(String, String)>,
    JsonObject(body): JsonObject,
) -> Result<Json<SessionResource>, ApiError> {
    let params: SessionResourceUpdateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        let resource = find(db, &session_id, &resource_id)?;
        let SessionResource::GithubRepository(mut repository) = resource else {
            return Err(ApiError::invalid(format!(
                "only `github_repository` resources can be updated; `{resource_id}` is a `{}`",
                resource.type_name()
            )));
        };
        repository.updated_at = now();
        let resource = SessionResource::GithubRepository(repository);
        db.update(&resource_id, &resource)?;
        db.set_secret(&resource_id, params.authorization_token.expose())?;
        Ok(Json(resource))
    })
}

/// `DELETE /v1/sessions/{session_id}/resources/{resource_id}`: files only, since repositories
/// and memory stores stay for the life of the session.
pub(crate) async fn delete(
    state: AppStateRef,
    Path((session_id, resource_id)): Path<(String, String)>,
) -> Result<Json<Deleted>, ApiError> {
    let resource = state.store.write(|db| {
        let resource = find(db, &session_id, &resource_id)?;
        if !matches!(resource, SessionResource::File(_)) {
            return Err(ApiError::invalid(format!(
                "`{}` resources stay attached for the life of the session",
                resource.type_name()
            )));
        }
        db.delete(&resource_id)?;
        Ok(resource)
    })?;
    if let SessionResource::File(file) = resource {
        sandbox::unmount_file(state.store.root(), &session_id, &file.mount_path);
    }
    Ok(Json(Deleted {
        id: resource_id,
        object_type: "session_resource_deleted".to_owned(),
    }))
}
