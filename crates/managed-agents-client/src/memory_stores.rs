//! Memory stores, which sessions mount (spec section 5).

use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints;
use managed_agents_types::ids::MemoryStoreId;
use managed_agents_types::memory_stores::{
    MemoryStore, MemoryStoreCreateParams, MemoryStoreListParams, MemoryStoreUpdateParams,
};

use crate::core::{object_calls, resource_group};
use crate::error::Error;
use crate::transport::Transport;

resource_group! {
    /// The `/v1/memory_stores` calls, from [`Client::memory_stores`](crate::Client::memory_stores).
    MemoryStores
}

object_calls! {
    group: MemoryStores,
    endpoints: managed_agents_types::endpoints::memory_stores,
    id: MemoryStoreId,
    object: MemoryStore,
    create: MemoryStoreCreateParams,
    update: MemoryStoreUpdateParams,
    list: MemoryStoreListParams,
    noun: "a memory store",
}

impl<T: Transport> MemoryStores<'_, T> {
    /// Deletes a memory store.
    pub async fn delete(&self, id: &MemoryStoreId) -> Result<Deleted, Error> {
        let endpoint = endpoints::delete_memory_store(id)?;
        self.client.call(endpoint, &self.options).await
    }
}
