//! Agents, as sessions need them (spec section 4). Agents cannot be deleted.

use managed_agents_types::agents::{Agent, AgentCreateParams, AgentListParams, AgentUpdateParams};
use managed_agents_types::ids::AgentId;

use crate::core::{object_calls, resource_group};

resource_group! {
    /// The `/v1/agents` calls, from [`Client::agents`](crate::Client::agents).
    Agents
}

object_calls! {
    group: Agents,
    endpoints: managed_agents_types::endpoints::agents,
    id: AgentId,
    object: Agent,
    create: AgentCreateParams,
    update: AgentUpdateParams,
    list: AgentListParams,
    noun: "an agent",
}
