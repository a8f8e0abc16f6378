//! `managed-agents vaults …` and `managed-agents memory-stores …`.

use managed_agents_types::memory_stores::{
    MemoryStore, MemoryStoreCreateParams, MemoryStoreListParams, MemoryStoreUpdateParams,
};
use managed_agents_types::patch::Patch;
use managed_agents_types::vaults::{Vault, VaultCreateParams, VaultListParams, VaultUpdateParams};
use managed_agents_types::{MemoryStoreId, VaultId};

use super::collect;
use crate::cli::{MemoryStoreCommand, VaultCommand};
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer, or_dash};
use crate::target::Target;

const VAULT_COLUMNS: &[Column<Vault>] = &[
    ("id", |vault| vault.id.to_string()),
    ("display_name", |vault| vault.display_name.clone()),
    ("archived_at", |vault| or_dash(vault.archived_at.as_deref())),
    ("created_at", |vault| vault.created_at.clone()),
];

const MEMORY_STORE_COLUMNS: &[Column<MemoryStore>] = &[
    ("id", |store| store.id.to_string()),
    ("name", |store| store.name.clone()),
    ("mount_path", |store| {
        managed_agents_types::memory_stores::mount_path(&store.name, &store.id)
    }),
    ("archived_at", |store| or_dash(store.archived_at.as_deref())),
];

/// Runs one vaults command.
pub(crate) async fn run_vaults(
    target: &Target,
    printer: Printer,
    command: VaultCommand,
) -> Result<(), CliError> {
    let vaults = target.client.vaults();
    match command {
        VaultCommand::Create { name, metadata } => {
            let params = VaultCreateParams {
                display_name: name,
                metadata: input::metadata(&metadata)?,
            };
            printer.object(&vaults.create(&params).await?);
        }
        VaultCommand::List {
            include_archived,
            list,
        } => {
            let params = VaultListParams {
                limit: list.page_size,
                include_archived: include_archived.then_some(true),
                ..Default::default()
            };
            printer.list(
                &collect(vaults.list_stream(&params), &list).await?,
                VAULT_COLUMNS,
            );
        }
        VaultCommand::Get { id } => {
            let id: VaultId = input::id("vault ID", &id)?;
            printer.object(&vaults.retrieve(&id).await?);
        }
        VaultCommand::Update { id, name, metadata } => {
            let id: VaultId = input::id("vault ID", &id)?;
            let params = VaultUpdateParams {
                display_name: name,
                metadata: input::metadata_patch(&metadata)?,
            };
            printer.object(&vaults.update(&id, &params).await?);
        }
        VaultCommand::Archive { id } => {
            let id: VaultId = input::id("vault ID", &id)?;
            printer.object(&vaults.archive(&id).await?);
        }
        VaultCommand::Delete { id } => {
            let id: VaultId = input::id("vault ID", &id)?;
            printer.object(&vaults.delete(&id).await?);
        }
    }
    Ok(())
}

/// Runs one memory-stores command.
pub(crate) async fn run_memory_stores(
    target: &Target,
    printer: Printer,
    command: MemoryStoreCommand,
) -> Result<(), CliError> {
    let stores = target.client.memory_stores();
    match command {
        MemoryStoreCommand::Create {
            name,
            description,
            metadata,
        } => {
            let params = MemoryStoreCreateParams {
                name,
                description,
                metadata: input::metadata(&metadata)?,
            };
            printer.object(&stores.create(&params).await?);
        }
        MemoryStoreCommand::List {
            include_archived,
            list,
        } => {
            let params = MemoryStoreListParams {
                limit: list.page_size,
                include_archived: include_archived.then_some(true),
                ..Default::default()
            };
            printer.list(
                &collect(stores.list_stream(&params), &list).await?,
                MEMORY_STORE_COLUMNS,
            );
        }
        MemoryStoreCommand::Get { id } => {
            let id: MemoryStoreId = input::id("memory store ID", &id)?;
            printer.object(&stores.retrieve(&id).await?);
        }
        MemoryStoreCommand::Update {
            id,
            name,
            description,
            metadata,
        } => {
            let id: MemoryStoreId = input::id("memory store ID", &id)?;
            let params = MemoryStoreUpdateParams {
                name,
                description: description.map_or(Patch::Omitted, Patch::Value),
                metadata: input::metadata_patch(&metadata)?,
            };
            printer.object(&stores.update(&id, &params).await?);
        }
        MemoryStoreCommand::Archive { id } => {
            let id: MemoryStoreId = input::id("memory store ID", &id)?;
            printer.object(&stores.archive(&id).await?);
        }
        MemoryStoreCommand::Delete { id } => {
            let id: MemoryStoreId = input::id("memory store ID", &id)?;
            printer.object(&stores.delete(&id).await?);
        }
    }
    Ok(())
}
