//! `managed-agents environments …`.

use managed_agents_types::EnvironmentId;
use managed_agents_types::environments::{
    Environment, EnvironmentConfig, EnvironmentConfigUpdate, EnvironmentCreateParams,
    EnvironmentListParams, EnvironmentUpdateParams, Networking,
};
use managed_agents_types::patch::Patch;

use super::collect;
use crate::cli::EnvironmentCommand;
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer, or_dash};
use crate::target::Target;

/// The table columns of an environment.
pub(crate) const COLUMNS: &[Column<Environment>] = &[
    ("id", |environment| environment.id.to_string()),
    ("name", |environment| environment.name.clone()),
    ("config", describe_config),
    ("archived_at", |environment| {
        or_dash(environment.archived_at.as_deref())
    }),
    ("created_at", |environment| environment.created_at.clone()),
];

/// A short description of an environment's configuration.
pub(crate) fn describe_config(environment: &Environment) -> String {
    match &environment.config {
        EnvironmentConfig::Cloud(cloud) => {
            let networking = cloud
                .networking
                .as_ref()
                .map_or("unrestricted", Networking::type_name);
            let packages = cloud.packages.as_ref().map_or(0, |packages| {
                packages
                    .lists()
                    .iter()
                    .filter_map(|(_, list)| *list)
                    .map(Vec::len)
                    .sum()
            });
            format!("cloud, {networking}, {packages} packages")
        }
        other => other.type_name().to_owned(),
    }
}

/// Runs one environments command.
pub(crate) async fn run(
    target: &Target,
    printer: Printer,
    command: EnvironmentCommand,
) -> Result<(), CliError> {
    let environments = target.client.environments();
    match command {
        EnvironmentCommand::Create {
            name,
            description,
            from_file,
            config,
            metadata,
        } => {
            let mut params = match &from_file {
                Some(path) => input::from_file::<EnvironmentCreateParams>(path)?,
                None => EnvironmentCreateParams::default(),
            };
            if let Some(name) = name {
                params.name = name;
            }
            if description.is_some() {
                params.description = description;
            }
            if let Some(config) = input::environment_config(&config)? {
                params.config = Some(config);
            }
            if let Some(metadata) = input::metadata(&metadata)? {
                params.metadata.get_or_insert_default().extend(metadata);
            }
            printer.object(&environments.create(&params).await?);
        }
        EnvironmentCommand::List {
            include_archived,
            list,
        } => {
            let params = EnvironmentListParams {
                limit: list.page_size,
                include_archived: include_archived.then_some(true),
                ..Default::default()
            };
            let items = collect(environments.list_stream(&params), &list).await?;
            printer.list(&items, COLUMNS);
        }
        EnvironmentCommand::Get { id } => {
            let id: EnvironmentId = input::id("environment ID", &id)?;
            printer.object(&environments.retrieve(&id).await?);
        }
        EnvironmentCommand::Update {
            id,
            name,
            description,
            clear_description,
            from_file,
            config,
            metadata,
        } => {
            let id: EnvironmentId = input::id("environment ID", &id)?;
            let mut params = match &from_file {
                Some(path) => input::from_file::<EnvironmentUpdateParams>(path)?,
                None => EnvironmentUpdateParams::default(),
            };
            if name.is_some() {
                params.name = name;
            }
            if clear_description {
                params.description = Patch::Null;
            } else if let Some(description) = description {
                params.description = Patch::Value(description);
            }
            if let Some(cloud) = input::environment_config_update(&config)? {
                params.config = Some(EnvironmentConfigUpdate::Cloud(cloud));
            }
            if let Some(patch) = input::metadata_patch(&metadata)? {
                params.metadata.get_or_insert_default().extend(patch);
            }
            if params == EnvironmentUpdateParams::default() {
                return Err(CliError::usage(
                    "nothing to update: give at least one change",
                ));
            }
            printer.object(&environments.update(&id, &params).await?);
        }
        EnvironmentCommand::Archive { id } => {
            let id: EnvironmentId = input::id("environment ID", &id)?;
            printer.object(&environments.archive(&id).await?);
        }
        EnvironmentCommand::Delete { id } => {
            let id: EnvironmentId = input::id("environment ID", &id)?;
            printer.object(&environments.delete(&id).await?);
        }
    }
    Ok(())
}
