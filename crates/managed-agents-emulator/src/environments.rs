//! Environments (spec section 3): unique names, partial config updates, terminal archive.

use axum::Json;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use managed_agents_types::common::apply_metadata_patch;
use managed_agents_types::environments::{
    CloudConfig, Environment, EnvironmentConfig, EnvironmentConfigUpdate, EnvironmentCreateParams,
    EnvironmentUpdateParams, LimitedNetworking, Networking, Packages, UnrestrictedNetworking,
};
use managed_agents_types::patch::Patch;
use managed_agents_types::validation::Validate;
use managed_agents_types::{EnvironmentId, Page};

use crate::error::ApiError;
use crate::gateway::{AppStateRef, conflict};
use crate::http::{JsonObject, ListRules, Query, paginate, valid_body};
use crate::objects;
use crate::store::{Db, Kind, new_id, now};

/// Loads an environment or answers 404.
pub(crate) fn load(db: &Db<'_>, id: &str) -> Result<Environment, ApiError> {
    objects::load(db, Kind::Environment, "environment", id)
}

fn check_unique_name(db: &Db<'_>, name: &str, except: Option<&str>) -> Result<(), ApiError> {
    let taken = db
        .list::<Environment>(Kind::Environment, None)?
        .into_iter()
        .any(|row| row.value.name == name && Some(row.id.as_str()) != except);
    if taken {
        return Err(conflict(format!(
            "an environment named `{name}` already exists"
        )));
    }
    Ok(())
}

/// Fills in what responses always carry: networking and every package list.
fn normalize(config: EnvironmentConfig) -> EnvironmentConfig {
    match config {
        EnvironmentConfig::Cloud(cloud) => EnvironmentConfig::Cloud(CloudConfig {
            networking: Some(normalize_networking(cloud.networking)),
            packages: Some(normalize_packages(cloud.packages)),
        }),
        other => other,
    }
}

fn normalize_networking(networking: Option<Networking>) -> Networking {
    match networking {
        None => Networking::Unrestricted(UnrestrictedNetworking {}),
        Some(Networking::Limited(limited)) => Networking::Limited(LimitedNetworking {
            allowed_hosts: Some(limited.allowed_hosts.unwrap_or_default()),
            allow_package_managers: Some(limited.allow_package_managers.unwrap_or(false)),
            allow_mcp_servers: Some(limited.allow_mcp_servers.unwrap_or(false)),
        }),
        Some(Networking::PackageManagersAndCustom(mut custom)) => {
            custom.allowed_hosts.get_or_insert_with(Vec::new);
            Networking::PackageManagersAndCustom(custom)
        }
        Some(other) => other,
    }
}

fn normalize_packages(packages: Option<Packages>) -> Packages {
    let packages = packages.unwrap_or_default();
    Packages {
        object_type: Some("packages".to_owned()),
        apt: Some(packages.apt.unwrap_or_default()),
        cargo: Some(packages.cargo.unwrap_or_default()),
        gem: Some(packages.gem.unwrap_or_default()),
        go: Some(packages.go.unwrap_or_default()),
        npm: Some(packages.npm.unwrap_or_default()),
        pip: Some(packages.pip.unwrap_or_default()),
    }
}

/// `POST /v1/environments`.
pub(crate) async fn create(
    state: AppStateRef,
    JsonObject(body): JsonObject,
) -> Result<Json<Environment>, ApiError> {
    let params: EnvironmentCreateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        check_unique_name(db, &params.name, None)?;
        let timestamp = now();
        let config = params
            .config
            .unwrap_or(EnvironmentConfig::Cloud(CloudConfig::default()));
        let environment = Environment {
            id: EnvironmentId::new(new_id("env_"))
                .map_err(|e| ApiError::internal(e.to_string()))?,
            object_type: "environment".to_owned(),
            name: params.name,
            description: params.description,
            config: normalize(config),
            metadata: params.metadata.unwrap_or_default(),
            scope: params.scope,
            archived_at: None,
            created_at: timestamp.clone(),
            updated_at: timestamp,
        };
        db.insert(
            Kind::Environment,
            environment.id.as_str(),
            None,
            &environment,
            None,
        )?;
        Ok(Json(environment))
    })
}

/// `GET /v1/environments`.
pub(crate) async fn list(
    state: AppStateRef,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<Environment>>, ApiError> {
    let query = Query::parse(query.as_deref());
    let rows = objects::list::<Environment>(&state, &query, Kind::Environment)?;
    Ok(Json(paginate(rows, &query, ListRules::new(1000))?))
}

/// `GET /v1/environments/{environment_id}`.
pub(crate) async fn retrieve(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Environment>, ApiError> {
    state.store.read(|db| load(db, &id)).map(Json)
}

/// `POST /v1/environments/{environment_id}`.
pub(crate) async fn update(
    state: AppStateRef,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Environment>, ApiError> {
    let params: EnvironmentUpdateParams = valid_body(&body, &state.limits())?;
    state.store.write(|db| {
        let mut environment = load(db, &id)?;
        if environment.archived_at.is_some() {
            return Err(ApiError::invalid(format!(
                "environment_archived: environment `{id}` is archived and read-only"
            )));
        }
        if let Some(name) = params.name {
            check_unique_name(db, &name, Some(&id))?;
            environment.name = name;
        }
        params.description.apply_to(&mut environment.description);
        if let Some(patch) = params.metadata {
            apply_metadata_patch(&mut environment.metadata, patch);
        }
        params.scope.apply_to(&mut environment.scope);
        if let Some(update) = params.config {
            environment.config = merge_config(environment.config, update)?;
        }
        let merged = EnvironmentCreateParams {
            name: environment.name.clone(),
            config: Some(environment.config.clone()),
            description: environment.description.clone(),
            metadata: Some(environment.metadata.clone()),
            scope: None,
        };
        merged.validate_with(&state.limits())?;
        environment.updated_at = now();
        db.update(&id, &environment)?;
        Ok(Json(environment))
    })
}

fn merge_config(
    stored: EnvironmentConfig,
    update: EnvironmentConfigUpdate,
) -> Result<EnvironmentConfig, ApiError> {
    match (stored, update) {
        (EnvironmentConfig::Cloud(mut cloud), EnvironmentConfigUpdate::Cloud(changes)) => {
            match changes.networking {
                Patch::Omitted => {}
                Patch::Null => cloud.networking = None,
                Patch::Value(networking) => cloud.networking = Some(networking),
            }
            match changes.packages {
                Patch::Omitted => {}
                Patch::Null => cloud.packages = None,
                Patch::Value(packages) => cloud.packages = Some(packages),
            }
            Ok(normalize(EnvironmentConfig::Cloud(cloud)))
        }
        (stored @ EnvironmentConfig::SelfHosted(_), EnvironmentConfigUpdate::SelfHosted(_)) => {
            Ok(stored)
        }
        (stored, update) => Err(ApiError::invalid(format!(
            "config.type: cannot change from `{}` to `{}`",
            stored.type_name(),
            update.type_name()
        ))),
    }
}

/// `DELETE /v1/environments/{environment_id}`: 204 without a body.
pub(crate) async fn delete(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    objects::delete(&state, &id, load)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /v1/environments/{environment_id}/archive`.
pub(crate) async fn archive(
    state: AppStateRef,
    Path(id): Path<String>,
) -> Result<Json<Environment>, ApiError> {
    objects::archive_stored(&state, &id, load).map(Json)
}
