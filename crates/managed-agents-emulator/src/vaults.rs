//! Vaults (spec section 5), as sessions refer to them by `vault_ids`.

use axum::Json;
use axum::extract::{Path, RawQuery};
use managed_agents_types::common::Deleted;
use managed_agents_types::vaults::{Vault, VaultCreateParams, VaultUpdateParams};
use managed_agents_types::{Page, VaultId};

use crate::error::ApiError;
use crate::gateway::AppStateRef;
use crate::http::{JsonObject, ListRules, Query, paginate, valid_body};
use crate::objects;
use crate::store::{Db, Kind, new_id, now};

/// Loads a vault or answers 404.
pub(crate) fn load(db: &Db<'_>, id: &str) -> Result<Vault, ApiError> {
    objects::load(db, Kind::Vault, "vault", id)
}

/// `POST /v1/vaults`.
pub(crate) async fn create(
    state: AppStateRef,
    JsonObject(body): JsonObject,
) -> Result<Json<Vault>, ApiError> {
    let params: VaultCreateParams = valid_body(&body, &state.limits())?;
    let timestamp = now();
    let vault = Vault {
        id: VaultId::new(new_id("vlt_")).map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "vault".to_owned(),
        display_name: params.display_name,
        metadata: params.metadata.unwrap_or_default(),
        archived_at: None,
        created_at: timestamp.clone(),
        updated_at: timestamp,
    };
    state
        .store
        .write(|db| db.insert(Kind::Vault, vault.id.as_str(), None, &vault, None))?;
    Ok(Json(vault))
}

/// `GET /v1/vaults`.
pub(crate) async fn list(
    state: AppStateRef,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<Vault>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let rows = objects::list::<Vault>(&state, &query, Kind::Vault)?;
    Ok(Json(paginate(rows, &query, ListRules::new(100))?))
}

/// `GET /v1/vaults/{vault_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Vault>, ApiError> {
    state.store.read(|db| load(db, &id)).map(Json)
}

/// `POST /v1/vaults/{vault_id}`.
pub(crate) async fn update(
    state: AppStateRef,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Vault>, ApiError> {
    let params: VaultUpdateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        let mut vault = load(db, &id)?;
        objects::refuse_archived(&vault, "vault", &id)?;
        if let Some(name) = params.display_name {
            vault.display_name = name;
        }
        objects::patch_metadata(&mut vault.metadata, params.metadata)?;
        vault.updated_at = now();
        db.update(&id, &vault)?;
        Ok(Json(vault))
    })
}

/// `DELETE /v1/vaults/{vault_id}`.
pub(crate) async fn delete(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    objects::delete(&state, &id, load)?;
    Ok(Json(Deleted {
        id,
        object_type: "vault_deleted".to_owned(),
    }))
}

/// `POST /v1/vaults/{vault_id}/archive`.
pub(crate) async fn archive(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Vault>, ApiError> {
    objects::archive_stored(&state, &id, load).map(Json)
}
