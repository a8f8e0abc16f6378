//! `managed-agents agents …`.

use managed_agents_types::AgentId;
use managed_agents_types::agents::{
    Agent, AgentCreateParams, AgentListParams, AgentToolset, AgentUpdateParams, McpServer,
    McpToolset, ModelParam, Tool, ToolDefaultConfig, UrlMcpServer,
};
use managed_agents_types::patch::Patch;

use super::collect;
use crate::cli::AgentCommand;
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer, or_dash};
use crate::target::Target;

/// The model agents get when none is named.
pub(crate) const DEFAULT_MODEL: &str = "claude-opus-4-7";

/// The table columns of an agent.
pub(crate) const COLUMNS: &[Column<Agent>] = &[
    ("id", |agent| agent.id.to_string()),
    ("name", |agent| agent.name.clone()),
    ("model", |agent| agent.model.id.clone()),
    ("version", |agent| agent.version.to_string()),
    ("tools", |agent| agent.tools.len().to_string()),
    ("archived_at", |agent| or_dash(agent.archived_at.as_deref())),
];

/// The tools of an agent built from flags: the built-in toolset, and one MCP toolset per
/// server so that every server is used.
pub(crate) fn default_tools(servers: &[McpServer]) -> Vec<Tool> {
    let mut tools = vec![Tool::AgentToolset20260401(AgentToolset {
        default_config: Some(ToolDefaultConfig {
            enabled: Some(true),
            permission_policy: None,
        }),
        configs: None,
    })];
    for server in servers {
        if let McpServer::Url(server) = server {
            tools.push(Tool::McpToolset(McpToolset {
                mcp_server_name: server.name.clone(),
                default_config: None,
                configs: None,
            }));
        }
    }
    tools
}

fn mcp_server(spec: &str) -> Result<McpServer, CliError> {
    let (name, url) = spec
        .split_once('=')
        .filter(|(name, url)| !name.is_empty() && !url.is_empty())
        .ok_or_else(|| CliError::usage(format!("--mcp-server `{spec}`: expected NAME=URL")))?;
    Ok(McpServer::Url(UrlMcpServer {
        name: name.to_owned(),
        url: url.to_owned(),
    }))
}

/// Runs one agents command.
pub(crate) async fn run(
    target: &Target,
    printer: Printer,
    command: AgentCommand,
) -> Result<(), CliError> {
    let agents = target.client.agents();
    match command {
        AgentCommand::Create {
            name,
            model,
            system,
            description,
            mcp_servers,
            from_file,
            metadata,
        } => {
            let mut params = match &from_file {
                Some(path) => input::from_file::<AgentCreateParams>(path)?,
                None => AgentCreateParams {
                    name: String::new(),
                    model: ModelParam::from(DEFAULT_MODEL),
                    system: None,
                    description: None,
                    mcp_servers: None,
                    tools: None,
                    metadata: None,
                },
            };
            if let Some(name) = name {
                params.name = name;
            }
            if let Some(model) = model {
                params.model = ModelParam::Name(model);
            }
            params.system = system.or(params.system);
            params.description = description.or(params.description);
            if !mcp_servers.is_empty() {
                let servers = mcp_servers
                    .iter()
                    .map(|spec| mcp_server(spec))
                    .collect::<Result<Vec<_>, _>>()?;
                params.tools = Some(default_tools(&servers));
                params.mcp_servers = Some(servers);
            } else if params.tools.is_none() {
                params.tools = Some(default_tools(&[]));
            }
            if let Some(metadata) = input::metadata(&metadata)? {
                params.metadata.get_or_insert_default().extend(metadata);
            }
            printer.object(&agents.create(&params).await?);
        }
        AgentCommand::List {
            include_archived,
            list,
        } => {
            let params = AgentListParams {
                limit: list.page_size,
                include_archived: include_archived.then_some(true),
                ..Default::default()
            };
            let items = collect(agents.list_stream(&params), &list).await?;
            printer.list(&items, COLUMNS);
        }
        AgentCommand::Get { id } => {
            let id: AgentId = input::id("agent ID", &id)?;
            printer.object(&agents.retrieve(&id).await?);
        }
        AgentCommand::Update {
            id,
            version,
            name,
            system,
            model,
            metadata,
        } => {
            let id: AgentId = input::id("agent ID", &id)?;
            let params = AgentUpdateParams {
                version,
                name,
                model: model.map(ModelParam::Name),
                system: system.map_or(Patch::Omitted, Patch::Value),
                description: Patch::Omitted,
                mcp_servers: None,
                tools: None,
                metadata: input::metadata_patch(&metadata)?,
            };
            printer.object(&agents.update(&id, &params).await?);
        }
        AgentCommand::Archive { id } => {
            let id: AgentId = input::id("agent ID", &id)?;
            printer.object(&agents.archive(&id).await?);
        }
    }
    Ok(())
}
