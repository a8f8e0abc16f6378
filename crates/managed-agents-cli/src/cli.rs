//! The command line, as clap parses it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Work with the Managed Agents API: environments, sessions and their resources, files and
/// session outputs, agents, vaults and memory stores.
///
/// Credentials come from ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) and the address from
/// ANTHROPIC_BASE_URL; `--emulator` sends everything to an embedded local emulator instead.
#[derive(Debug, Parser)]
#[command(name = "managed-agents", version)]
pub(crate) struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// Log to stderr: -v info, -vv debug, -vvv trace (never keys, tokens or bodies).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Settings shared by every command.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Use the embedded emulator, keeping its state in DIR (default: the user's data folder);
    /// the folder is given only as `--emulator=DIR`.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        num_args = 0..=1,
        require_equals = true,
        conflicts_with = "base_url"
    )]
    pub(crate) emulator: Option<Option<PathBuf>>,
    /// The API's base URL (overrides ANTHROPIC_BASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Retries per request (default 2, at most 100).
    #[arg(
        long,
        global = true,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(..=i64::from(MAX_RETRIES))
    )]
    pub(crate) max_retries: Option<u32>,
    /// Seconds each attempt may take (default 600; from 0.001 to 86400).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub(crate) timeout: Option<Duration>,
}

/// The most retries `--max-retries` takes: with backoff capped at a few seconds, more would
/// keep a failing command going for hours.
pub(crate) const MAX_RETRIES: u32 = 100;

/// The shortest `--timeout`, in seconds: one millisecond, so that the duration is never zero.
pub(crate) const MIN_TIMEOUT_SECONDS: f64 = 0.001;

/// The longest `--timeout`, in seconds: one day.
pub(crate) const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;

/// Reads `--timeout`: a finite number of seconds from one millisecond to one day, so that the
/// duration is always representable and a request can succeed at all.
pub(crate) fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(MIN_TIMEOUT_SECONDS..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        return Err(format!(
            "`{text}` must be a number of seconds from {MIN_TIMEOUT_SECONDS} to \
             {MAX_TIMEOUT_SECONDS}"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the spec's worked flow end to end against a fresh embedded emulator (or, with
    /// --base-url and ANTHROPIC_API_KEY, against that server), checking every step.
    Quickstart,
    /// Serve the local emulator until interrupted.
    Emulator(EmulatorArgs),
    /// Reusable container templates.
    #[command(subcommand, visible_alias = "env")]
    Environments(EnvironmentCommand),
    /// Uploaded files and session outputs.
    #[command(subcommand)]
    Files(FileCommand),
    /// Sessions.
    #[command(subcommand)]
    Sessions(SessionCommand),
    /// Resources mounted into a session.
    #[command(subcommand)]
    Resources(ResourceCommand),
    /// Agents.
    #[command(subcommand)]
    Agents(AgentCommand),
    /// Vaults.
    #[command(subcommand)]
    Vaults(VaultCommand),
    /// Memory stores.
    #[command(subcommand, name = "memory-stores")]
    MemoryStores(MemoryStoreCommand),
}

/// `emulator` flags.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
    /// The address to bind, instead of 127.0.0.1:PORT.
    #[arg(long)]
    pub(crate) bind: Option<std::net::SocketAddr>,
    /// Keep state in this folder across restarts (default: the folder of `--emulator[=DIR]`
    /// when given, else a temporary folder).
    #[arg(long)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Read the API key the emulator requires from this environment variable (default: a
    /// generated key, printed at start).
    #[arg(
        long,
        value_name = "VAR",
        default_value = "MANAGED_AGENTS_EMULATOR_API_KEY"
    )]
    pub(crate) api_key_env: String,
    /// File resources allowed per session.
    #[arg(long, default_value_t = 999)]
    pub(crate) max_file_resources: usize,
}

/// Options shared by list commands.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Stop after this many items (default: all).
    #[arg(long)]
    pub(crate) max_items: Option<usize>,
    /// Page size asked of the server (1 to 1000; some lists take at most 100).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) page_size: Option<u32>,
}

/// `KEY=VALUE` metadata flags.
#[derive(Debug, Args)]
pub(crate) struct MetadataArgs {
    /// Metadata to set, as KEY=VALUE (repeatable; an empty VALUE deletes the key on update).
    #[arg(long = "metadata", value_name = "KEY=VALUE")]
    pub(crate) metadata: Vec<String>,
}

/// Networking policies, as flags name them.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum NetworkingKind {
    /// Full egress except a legal block list.
    Unrestricted,
    /// Deny by default; see --allowed-host, --allow-package-managers, --allow-mcp-servers.
    Limited,
    /// Package registries plus --allowed-host hosts.
    PackageManagersAndCustom,
}

/// How an environment's configuration is given on the command line.
#[derive(Debug, Args)]
pub(crate) struct EnvironmentConfigArgs {
    /// A self-hosted container (no networking or packages).
    #[arg(
        long,
        conflicts_with_all = [
            "networking", "allowed_hosts", "pip", "npm", "apt", "cargo", "gem", "go",
        ]
    )]
    pub(crate) self_hosted: bool,
    /// The egress policy.
    #[arg(long, value_enum)]
    pub(crate) networking: Option<NetworkingKind>,
    /// A host the container may reach (repeatable).
    #[arg(long = "allowed-host", value_name = "HOST")]
    pub(crate) allowed_hosts: Vec<String>,
    /// Let a `limited` container reach package registries (needed for packages).
    #[arg(long)]
    pub(crate) allow_package_managers: bool,
    /// Let a `limited` container reach the agent's MCP servers.
    #[arg(long)]
    pub(crate) allow_mcp_servers: bool,
    /// A Python package to install (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) pip: Vec<String>,
    /// An npm package (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) npm: Vec<String>,
    /// A Debian package (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) apt: Vec<String>,
    /// A Rust crate (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) cargo: Vec<String>,
    /// A Ruby gem (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) gem: Vec<String>,
    /// A Go module (repeatable).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) go: Vec<String>,
}

/// `environments` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum EnvironmentCommand {
    /// Create an environment from flags or from a JSON/YAML file of create parameters.
    Create {
        /// The name, unique in the organisation (overrides the file's).
        #[arg(long, required_unless_present = "from_file")]
        name: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// A JSON or YAML file holding the create parameters.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
        /// The configuration.
        #[command(flatten)]
        config: EnvironmentConfigArgs,
        /// Metadata.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// List environments.
    List {
        /// Include archived environments.
        #[arg(long)]
        include_archived: bool,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one environment.
    Get {
        /// The environment's ID.
        id: String,
    },
    /// Change an environment (new sessions only; running ones keep their configuration).
    Update {
        /// The environment's ID.
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long, conflicts_with = "clear_description")]
        description: Option<String>,
        /// Clear the description.
        #[arg(long)]
        clear_description: bool,
        /// A JSON or YAML file holding update parameters, applied before the flags.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
        /// Configuration changes (cloud environments).
        #[command(flatten)]
        config: EnvironmentConfigArgs,
        /// Metadata changes.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// Archive an environment: terminal, and it can start no new session.
    Archive {
        /// The environment's ID.
        id: String,
    },
    /// Delete an environment.
    Delete {
        /// The environment's ID.
        id: String,
    },
}

/// `files` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum FileCommand {
    /// Upload a file, with a progress bar on a terminal.
    Upload {
        /// The file to upload; its name is kept exactly.
        path: PathBuf,
        /// The content type (default: guessed from the name).
        #[arg(long)]
        mime_type: Option<String>,
    },
    /// List files.
    List {
        /// Only this session's files (its outputs).
        #[arg(long, value_name = "SESSION_ID")]
        scope_id: Option<String>,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show a file's metadata.
    Get {
        /// The file's ID.
        id: String,
    },
    /// Download a file, with a progress bar on a terminal.
    Download {
        /// The file's ID.
        id: String,
        /// Where to write it (default: its file name in the current folder). An existing
        /// file there is refused unless `--force` is given.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace the file at the destination if there is one.
        #[arg(long)]
        force: bool,
    },
    /// Delete a file.
    Delete {
        /// The file's ID.
        id: String,
    },
    /// Download every output of a session into a folder.
    PullOutputs {
        /// The session's ID.
        session_id: String,
        /// The folder to write into (created when missing). A file already there is never
        /// replaced: the output gets the next free ` (2)`, ` (3)` … name instead.
        #[arg(short, long, default_value = ".")]
        dir: PathBuf,
    },
}

/// Where a repository token comes from: never from the command line itself.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Read the GitHub token from this environment variable.
    #[arg(long, value_name = "VAR", default_value = "GITHUB_TOKEN")]
    pub(crate) token_env: String,
    /// Read the GitHub token from the first line of standard input instead.
    #[arg(long)]
    pub(crate) token_stdin: bool,
}

/// `sessions` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum SessionCommand {
    /// Start a session; references are checked before anything is created.
    Create {
        /// The agent's ID.
        #[arg(long)]
        agent: String,
        /// Pin this agent version (default: the latest).
        #[arg(long)]
        agent_version: Option<u64>,
        /// The environment's ID.
        #[arg(long)]
        environment: String,
        /// Mount a file: FILE_ID or FILE_ID:/absolute/mount/path (repeatable).
        #[arg(long = "file", value_name = "FILE_ID[:PATH]")]
        files: Vec<String>,
        /// Clone a repository: URL, URL@BRANCH or URL#SHA, optionally followed by
        /// =/mount/path (repeatable; the token comes from --token-env or --token-stdin).
        #[arg(long = "repo", value_name = "URL[@BRANCH|#SHA][=PATH]")]
        repos: Vec<String>,
        /// Attach a memory store: ID or ID:read_only (repeatable).
        #[arg(long = "memory-store", value_name = "ID[:ACCESS]")]
        memory_stores: Vec<String>,
        /// A vault the session may use (repeatable).
        #[arg(long = "vault", value_name = "VAULT_ID")]
        vaults: Vec<String>,
        /// A title.
        #[arg(long)]
        title: Option<String>,
        /// Where repository tokens come from.
        #[command(flatten)]
        token: TokenArgs,
        /// Metadata.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// List sessions.
    List {
        /// Include archived sessions.
        #[arg(long)]
        include_archived: bool,
        /// Only this agent's sessions.
        #[arg(long)]
        agent: Option<String>,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one session.
    Get {
        /// The session's ID.
        id: String,
    },
    /// Change a session's title or metadata.
    Update {
        /// The session's ID.
        id: String,
        /// A new title.
        #[arg(long, conflicts_with = "clear_title")]
        title: Option<String>,
        /// Clear the title.
        #[arg(long)]
        clear_title: bool,
        /// Metadata changes.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// Archive a session.
    Archive {
        /// The session's ID.
        id: String,
    },
    /// Delete a session.
    Delete {
        /// The session's ID.
        id: String,
    },
}

/// The two positional IDs naming one resource of a session.
#[derive(Debug, Args)]
pub(crate) struct ResourceIdArgs {
    /// The session's ID.
    pub(crate) session_id: String,
    /// The resource's ID.
    pub(crate) resource_id: String,
}

/// `resources` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ResourceCommand {
    /// List a session's resources (tokens are never returned).
    List {
        /// The session's ID.
        session_id: String,
    },
    /// Mount another file into a running session.
    AddFile {
        /// The session's ID.
        session_id: String,
        /// The file's ID.
        file_id: String,
        /// Where to mount it (absolute; default /mnt/session/uploads/<file_id>).
        #[arg(long)]
        mount_path: Option<String>,
    },
    /// Show one resource.
    Get {
        /// Which resource.
        #[command(flatten)]
        ids: ResourceIdArgs,
    },
    /// Give a repository a new token (from the environment or stdin, never the command line).
    RotateToken {
        /// The session's ID.
        session_id: String,
        /// The repository resource's ID.
        resource_id: String,
        /// Where the token comes from.
        #[command(flatten)]
        token: TokenArgs,
        /// Anything after the IDs: refused without being shown, since a token given there
        /// would otherwise be echoed in the parser's error.
        #[arg(hide = true, num_args = 0.., allow_hyphen_values = true)]
        stray: Vec<String>,
    },
    /// Remove a resource from a session.
    Delete {
        /// Which resource.
        #[command(flatten)]
        ids: ResourceIdArgs,
    },
}

/// `agents` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum AgentCommand {
    /// Create an agent with the built-in toolset and one MCP toolset per --mcp-server.
    Create {
        /// The name.
        #[arg(long, required_unless_present = "from_file")]
        name: Option<String>,
        /// The model (default claude-opus-4-7).
        #[arg(long)]
        model: Option<String>,
        /// The system prompt.
        #[arg(long)]
        system: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// An MCP server as NAME=URL (repeatable).
        #[arg(long = "mcp-server", value_name = "NAME=URL")]
        mcp_servers: Vec<String>,
        /// A JSON or YAML file holding the create parameters.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
        /// Metadata.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// List agents.
    List {
        /// Include archived agents.
        #[arg(long)]
        include_archived: bool,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one agent.
    Get {
        /// The agent's ID.
        id: String,
    },
    /// Change an agent; VERSION must be its current version.
    Update {
        /// The agent's ID.
        id: String,
        /// The version being changed.
        #[arg(long)]
        version: u64,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new system prompt.
        #[arg(long)]
        system: Option<String>,
        /// A new model.
        #[arg(long)]
        model: Option<String>,
        /// Metadata changes.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// Archive an agent: it can start no new session.
    Archive {
        /// The agent's ID.
        id: String,
    },
}

/// `vaults` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum VaultCommand {
    /// Create a vault.
    Create {
        /// The display name.
        #[arg(long)]
        name: String,
        /// Metadata.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// List vaults.
    List {
        /// Include archived vaults.
        #[arg(long)]
        include_archived: bool,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one vault.
    Get {
        /// The vault's ID.
        id: String,
    },
    /// Rename a vault or change its metadata.
    Update {
        /// The vault's ID.
        id: String,
        /// A new display name.
        #[arg(long)]
        name: Option<String>,
        /// Metadata changes.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// Archive a vault.
    Archive {
        /// The vault's ID.
        id: String,
    },
    /// Delete a vault.
    Delete {
        /// The vault's ID.
        id: String,
    },
}

/// `memory-stores` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum MemoryStoreCommand {
    /// Create a memory store.
    Create {
        /// The name.
        #[arg(long)]
        name: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// Metadata.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// List memory stores.
    List {
        /// Include archived stores.
        #[arg(long)]
        include_archived: bool,
        /// Paging.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one memory store.
    Get {
        /// The store's ID.
        id: String,
    },
    /// Change a memory store.
    Update {
        /// The store's ID.
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// Metadata changes.
        #[command(flatten)]
        metadata: MetadataArgs,
    },
    /// Archive a memory store.
    Archive {
        /// The store's ID.
        id: String,
    },
    /// Delete a memory store.
    Delete {
        /// The store's ID.
        id: String,
    },
}
