//! Sessions: an agent running in an environment with mounted resources (spec section 6).

use futures_core::Stream;
use managed_agents_types::Page;
use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints::sessions as endpoints;
use managed_agents_types::ids::SessionId;
use managed_agents_types::sessions::{
    Session, SessionCreateParams, SessionListParams, SessionUpdateParams,
};

use crate::core::resource_group;
use crate::error::Error;
use crate::resources::SessionResources;
use crate::transport::{MaybeSend, Transport};

resource_group! {
    /// The `/v1/sessions` calls, from [`Client::sessions`](crate::Client::sessions).
    ///
    /// ```no_run
    /// # async fn example(client: managed_agents_client::NativeClient,
    /// #     session: managed_agents_types::SessionId)
    /// #     -> Result<(), managed_agents_client::Error> {
    /// let page = client.sessions().resources().list(&session, &Default::default()).await?;
    /// println!("{} resources", page.data.len());
    /// # Ok(()) }
    /// ```
    Sessions
}

impl<'a, T: Transport> Sessions<'a, T> {
    /// The resources mounted into sessions, with this handle's options.
    pub fn resources(&self) -> SessionResources<'a, T> {
        SessionResources::new(self.client, self.options.clone())
    }

    /// Creates a session; the server checks every reference before creating anything.
    pub async fn create(&self, params: &SessionCreateParams) -> Result<Session, Error> {
        self.client
            .call(endpoints::create(params)?, &self.options)
            .await
    }

    /// Retrieves a session.
    pub async fn retrieve(&self, id: &SessionId) -> Result<Session, Error> {
        self.client
            .call(endpoints::retrieve(id)?, &self.options)
            .await
    }

    /// Updates a session's title and metadata.
    pub async fn update(
        &self,
        id: &SessionId,
        params: &SessionUpdateParams,
    ) -> Result<Session, Error> {
        self.client
            .call(endpoints::update(id, params)?, &self.options)
            .await
    }

    /// Archives a session.
    pub async fn archive(&self, id: &SessionId) -> Result<Session, Error> {
        self.client
            .call(endpoints::archive(id)?, &self.options)
            .await
    }

    /// Deletes a session.
    pub async fn delete(&self, id: &SessionId) -> Result<Deleted, Error> {
        self.client
            .call(endpoints::delete(id)?, &self.options)
            .await
    }

    /// One page of sessions.
    pub async fn list(&self, params: &SessionListParams) -> Result<Page<Session>, Error> {
        self.client
            .call(endpoints::list(params)?, &self.options)
            .await
    }

    /// Every session matching `params`, fetching pages lazily.
    pub fn list_stream(
        &self,
        params: &SessionListParams,
    ) -> impl Stream<Item = Result<Session, Error>> + MaybeSend + 'static {
        crate::pagination::list_stream(self.client, &self.options, params, endpoints::list)
    }
}
