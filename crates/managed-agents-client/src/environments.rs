//! Environments: reusable templates for the container a session runs in (spec section 3).

use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints;
use managed_agents_types::environments::{
    Environment, EnvironmentCreateParams, EnvironmentListParams, EnvironmentUpdateParams,
};
use managed_agents_types::ids::EnvironmentId;

use crate::core::{object_calls, resource_group};
use crate::error::Error;
use crate::transport::Transport;

resource_group! {
    /// The `/v1/environments` calls, from [`Client::environments`](crate::Client::environments).
    ///
    /// ```no_run
    /// # async fn example(client: managed_agents_client::NativeClient)
    /// #     -> Result<(), managed_agents_client::Error> {
    /// use managed_agents_types::environments::EnvironmentCreateParams;
    ///
    /// let params = EnvironmentCreateParams { name: "python-dev".into(), ..Default::default() };
    /// let environment = client.environments().create(&params).await?;
    /// println!("{}", environment.id);
    /// # Ok(()) }
    /// ```
    Environments
}

object_calls! {
    group: Environments,
    endpoints: managed_agents_types::endpoints::environments,
    id: EnvironmentId,
    object: Environment,
    create: EnvironmentCreateParams,
    update: EnvironmentUpdateParams,
    list: EnvironmentListParams,
    noun: "an environment",
}

impl<T: Transport> Environments<'_, T> {
    /// Deletes an environment; servers answering 204 and 200 both give a [`Deleted`].
    pub async fn delete(&self, id: &EnvironmentId) -> Result<Deleted, Error> {
        let endpoint = endpoints::delete_environment(id)?;
        self.client.call(endpoint, &self.options).await
    }
}
