//! Memory stores (spec section 5), as sessions mount them.

use axum::Json;
use axum::extract::{Path, RawQuery};
use managed_agents_types::common::Deleted;
use managed_agents_types::memory_stores::{
    MemoryStore, MemoryStoreCreateParams, MemoryStoreUpdateParams,
};
use managed_agents_types::patch::Patch;
use managed_agents_types::{MemoryStoreId, Page};

use crate::error::ApiError;
use crate::gateway::AppStateRef;
use crate::http::{CreatedFilter, JsonObject, ListRules, Query, paginate, valid_body};
use crate::objects;
use crate::store::{Db, Kind, new_id, now};

/// Loads a memory store or answers 404.
pub(crate) fn load(db: &Db<'_>, id: &str) -> Result<MemoryStore, ApiError> {
    objects::load(db, Kind::MemoryStore, "memory_store", id)
}

/// `POST /v1/memory_stores`.
pub(crate) async fn create(
    state: AppStateRef,
    JsonObject(body): JsonObject,
) -> Result<Json<MemoryStore>, ApiError> {
    let params: MemoryStoreCreateParams = valid_body(&body, &state.limits())?;
    let timestamp = now();
    let store = MemoryStore {
        id: MemoryStoreId::new(new_id("memstore_"))
            .map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "memory_store".to_owned(),
        name: params.name,
        description: params.description.unwrap_or_default(),
        metadata: params.metadata.unwrap_or_default(),
        archived_at: None,
        created_at: timestamp.clone(),
        updated_at: timestamp,
    };
    state
        .store
        .write(|db| db.insert(Kind::MemoryStore, store.id.as_str(), None, &store, None))?;
    Ok(Json(store))
}

/// `GET /v1/memory_stores`.
pub(crate) async fn list(
    state: AppStateRef,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<MemoryStore>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let mut rows = objects::list::<MemoryStore>(&state, &query, Kind::MemoryStore)?;
    let created = CreatedFilter::parse(&query)?;
    rows.retain(|row| created.keeps(&row.value.created_at));
    Ok(Json(paginate(rows, &query, ListRules::new(100))?))
}

/// `GET /v1/memory_stores/{memory_store_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<MemoryStore>, ApiError> {
    state.store.read(|db| load(db, &id)).map(Json)
}

/// `POST /v1/memory_stores/{memory_store_id}`.
pub(crate) async fn update(
    state: AppStateRef,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<MemoryStore>, ApiError> {
    let params: MemoryStoreUpdateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        let mut store = load(db, &id)?;
        objects::refuse_archived(&store, "memory store", &id)?;
        if let Some(name) = params.name {
            store.name = name;
        }
        match params.description {
            Patch::Omitted => {}
            Patch::Null => store.description = String::new(),
            Patch::Value(description) => store.description = description,
        }
        objects::patch_metadata(&mut store.metadata, params.metadata)?;
        store.updated_at = now();
        db.update(&id, &store)?;
        Ok(Json(store))
    })
}

/// `DELETE /v1/memory_stores/{memory_store_id}`.
pub(crate) async fn delete(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    objects::delete(&state, &id, load)?;
    Ok(Json(Deleted {
        id,
        object_type: "memory_store_deleted".to_owned(),
    }))
}

/// `POST /v1/memory_stores/{memory_store_id}/archive`.
pub(crate) async fn archive(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<MemoryStore>, ApiError> {
    objects::archive_stored(&state, &id, load).map(Json)
}
