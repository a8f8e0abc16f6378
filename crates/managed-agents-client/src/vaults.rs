//! Vaults, which sessions refer to by `vault_ids` (spec section 5).

use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints;
use managed_agents_types::ids::VaultId;
use managed_agents_types::vaults::{Vault, VaultCreateParams, VaultListParams, VaultUpdateParams};

use crate::core::{object_calls, resource_group};
use crate::error::Error;
use crate::transport::Transport;

resource_group! {
    /// The `/v1/vaults` calls, from [`Client::vaults`](crate::Client::vaults).
    Vaults
}

object_calls! {
    group: Vaults,
    endpoints: managed_agents_types::endpoints::vaults,
    id: VaultId,
    object: Vault,
    create: VaultCreateParams,
    update: VaultUpdateParams,
    list: VaultListParams,
    noun: "a vault",
}

impl<T: Transport> Vaults<'_, T> {
    /// Deletes a vault.
    pub async fn delete(&self, id: &VaultId) -> Result<Deleted, Error> {
        self.client
            .call(endpoints::delete_vault(id)?, &self.options)
            .await
    }
}
