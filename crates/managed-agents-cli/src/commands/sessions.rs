//! `managed-agents sessions …`.

use managed_agents_types::environments::{EnvironmentConfig, Networking};
use managed_agents_types::sessions::{
    AgentRef, AgentReference, Session, SessionCreateParams, SessionListParams, SessionUpdateParams,
};
use managed_agents_types::{AgentId, EnvironmentId, Patch, SessionId, VaultId};

use super::collect;
use crate::cli::SessionCommand;
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer, or_dash};
use crate::target::Target;

/// The table columns of a session.
pub(crate) const COLUMNS: &[Column<Session>] = &[
    ("id", |session| session.id.to_string()),
    ("status", |session| session.status.to_string()),
    ("agent", |session| session.agent.id.to_string()),
    ("environment", |session| session.environment_id.to_string()),
    ("resources", |session| session.resources.len().to_string()),
    ("title", |session| or_dash(session.title.as_deref())),
];

/// Runs one sessions command.
pub(crate) async fn run(
    target: &Target,
    printer: Printer,
    command: SessionCommand,
) -> Result<(), CliError> {
    let sessions = target.client.sessions();
    match command {
        SessionCommand::Create {
            agent,
            agent_version,
            environment,
            files,
            repos,
            memory_stores,
            vaults,
            title,
            token,
            metadata,
        } => {
            let agent_id: AgentId = input::id("--agent", &agent)?;
            let agent = match agent_version {
                Some(version) => AgentRef::Reference(AgentReference {
                    object_type: "agent".to_owned(),
                    id: agent_id.clone(),
                    version: Some(version),
                }),
                None => AgentRef::Id(agent_id.clone()),
            };
            let environment_id: EnvironmentId = input::id("--environment", &environment)?;
            let mut resources = Vec::new();
            for spec in &files {
                resources.push(input::file_resource(spec)?);
            }
            if !repos.is_empty() {
                let token = input::token(&token)?;
                for spec in &repos {
                    resources.push(input::repository_resource(spec, &token)?);
                }
            }
            for spec in &memory_stores {
                resources.push(input::memory_store_resource(spec)?);
            }
            let vault_ids = vaults
                .iter()
                .map(|vault| input::id::<VaultId>("--vault", vault))
                .collect::<Result<Vec<_>, _>>()?;
            let params = SessionCreateParams {
                agent,
                environment_id: environment_id.clone(),
                resources: (!resources.is_empty()).then_some(resources),
                vault_ids: (!vault_ids.is_empty()).then_some(vault_ids),
                metadata: input::metadata(&metadata)?,
                title,
            };
            warn_about_unreachable_mcp_servers(target, &agent_id, &environment_id).await;
            printer.object(&sessions.create(&params).await?);
        }
        SessionCommand::List {
            include_archived,
            agent,
            list,
        } => {
            let params = SessionListParams {
                limit: list.page_size,
                include_archived: include_archived.then_some(true),
                agent_id: agent
                    .map(|agent| input::id("--agent", &agent))
                    .transpose()?,
                ..Default::default()
            };
            let items = collect(sessions.list_stream(&params), &list).await?;
            printer.list(&items, COLUMNS);
        }
        SessionCommand::Get { id } => {
            let id: SessionId = input::id("session ID", &id)?;
            printer.object(&sessions.retrieve(&id).await?);
        }
        SessionCommand::Update {
            id,
            title,
            clear_title,
            metadata,
        } => {
            let id: SessionId = input::id("session ID", &id)?;
            let params = SessionUpdateParams {
                title: match (clear_title, title) {
                    (true, _) => Patch::Null,
                    (false, Some(title)) => Patch::Value(title),
                    (false, None) => Patch::Omitted,
                },
                metadata: input::metadata_patch(&metadata)?,
            };
            if params == SessionUpdateParams::default() {
                return Err(CliError::usage(
                    "nothing to update: give --title, --clear-title or --metadata",
                ));
            }
            printer.object(&sessions.update(&id, &params).await?);
        }
        SessionCommand::Archive { id } => {
            let id: SessionId = input::id("session ID", &id)?;
            printer.object(&sessions.archive(&id).await?);
        }
        SessionCommand::Delete { id } => {
            let id: SessionId = input::id("session ID", &id)?;
            printer.object(&sessions.delete(&id).await?);
        }
    }
    Ok(())
}

/// With restricted networking, MCP servers the environment cannot reach make the agent's tools
/// fail silently (spec section 3): say so before the session starts. Lookup failures are left
/// to the create call to report.
async fn warn_about_unreachable_mcp_servers(
    target: &Target,
    agent: &AgentId,
    environment: &EnvironmentId,
) {
    let (Ok(agent), Ok(environment)) = (
        target.client.agents().retrieve(agent).await,
        target.client.environments().retrieve(environment).await,
    ) else {
        return;
    };
    let EnvironmentConfig::Cloud(cloud) = &environment.config else {
        return;
    };
    let allowed: Vec<String> = match &cloud.networking {
        Some(Networking::Limited(limited)) if limited.allow_mcp_servers == Some(true) => return,
        Some(Networking::Limited(limited)) => limited.allowed_hosts.clone().unwrap_or_default(),
        Some(Networking::PackageManagersAndCustom(custom)) => {
            custom.allowed_hosts.clone().unwrap_or_default()
        }
        _ => return,
    };
    for server in &agent.mcp_servers {
        let managed_agents_types::agents::McpServer::Url(server) = server else {
            continue;
        };
        let host = server
            .url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next());
        if host.is_some_and(|host| !allowed.iter().any(|allowed| allowed == host)) {
            eprintln!(
                "warning: environment {} restricts networking and does not allow {} (MCP server \
                 `{}`); the agent's tools from it will fail silently",
                environment.id,
                host.unwrap_or_default(),
                server.name
            );
        }
    }
}
