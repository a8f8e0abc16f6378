//! The resources mounted into a session: list, add files, rotate repository tokens, remove
//! (spec section 7.3).

use futures_core::Stream;
use managed_agents_types::Page;
use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints::session_resources as endpoints;
use managed_agents_types::ids::{SessionId, SessionResourceId};
use managed_agents_types::resources::{
    ResourceParams, SessionResource, SessionResourceListParams, SessionResourceUpdateParams,
};

use crate::core::resource_group;
use crate::error::Error;
use crate::transport::{MaybeSend, Transport};

resource_group! {
    /// The `/v1/sessions/{session_id}/resources` calls, from
    /// [`Sessions::resources`](crate::sessions::Sessions::resources).
    SessionResources
}

impl<T: Transport> SessionResources<'_, T> {
    /// One page of a session's resources (all of them when `params.limit` is unset).
    pub async fn list(
        &self,
        session: &SessionId,
        params: &SessionResourceListParams,
    ) -> Result<Page<SessionResource>, Error> {
        self.client
            .call(endpoints::list(session, params)?, &self.options)
            .await
    }

    /// Every resource of a session, fetching pages lazily.
    pub fn list_stream(
        &self,
        session: &SessionId,
        params: &SessionResourceListParams,
    ) -> impl Stream<Item = Result<SessionResource, Error>> + MaybeSend + 'static {
        let session = session.clone();
        crate::pagination::list_stream(self.client, &self.options, params, move |params| {
            endpoints::list(&session, params)
        })
    }

    /// Mounts a file into a session; only files can be added after creation.
    pub async fn add(
        &self,
        session: &SessionId,
        params: &ResourceParams,
    ) -> Result<SessionResource, Error> {
        self.client
            .call(endpoints::add(session, params)?, &self.options)
            .await
    }

    /// Retrieves one resource.
    pub async fn retrieve(
        &self,
        session: &SessionId,
        resource: &SessionResourceId,
    ) -> Result<SessionResource, Error> {
        let endpoint = endpoints::retrieve(session, resource)?;
        self.client.call(endpoint, &self.options).await
    }

    /// Rotates a repository's token; the answer never carries it.
    pub async fn update(
        &self,
        session: &SessionId,
        resource: &SessionResourceId,
        params: &SessionResourceUpdateParams,
    ) -> Result<SessionResource, Error> {
        let endpoint = endpoints::update(session, resource, params)?;
        self.client.call(endpoint, &self.options).await
    }

    /// Removes a resource from a session.
    pub async fn delete(
        &self,
        session: &SessionId,
        resource: &SessionResourceId,
    ) -> Result<Deleted, Error> {
        let endpoint = endpoints::delete(session, resource)?;
        self.client.call(endpoint, &self.options).await
    }
}
