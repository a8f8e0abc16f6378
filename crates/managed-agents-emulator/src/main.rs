//! The `managed-agents-emulator` binary: serves the emulator until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use managed_agents_emulator::{Emulator, EmulatorConfig, FaultPlan, StopSignals};

/// A local emulator of the Managed Agents API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: SocketAddr,
    /// The port to listen on (overrides the port of `--bind`; 0 picks a free one).
    #[arg(long)]
    port: Option<u16>,
    /// The API key clients must send; read from MANAGED_AGENTS_EMULATOR_API_KEY when unset, and
    /// generated and printed when neither is given.
    #[arg(long, env = "MANAGED_AGENTS_EMULATOR_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Keeps state in this folder across restarts (a temporary folder otherwise).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// File resources allowed per session.
    #[arg(long, default_value_t = 999)]
    max_file_resources: usize,
    /// The largest file accepted, in bytes.
    #[arg(long, default_value_t = managed_agents_types::files::MAX_FILE_SIZE)]
    max_file_size: u64,
    /// A fault plan (JSON) to apply from the start.
    #[arg(long)]
    faults: Option<PathBuf>,
    /// The seed of the fault plan's random draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MANAGED_AGENTS_EMULATOR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = std::error::Error::source(&*error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let faults = match &args.faults {
        None => FaultPlan::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let plan: FaultPlan = serde_json::from_str(&text)
                .map_err(|error| format!("{} is not a fault plan: {error}", path.display()))?;
            plan.check()
                .map_err(|error| format!("{}: {error}", path.display()))?;
            plan
        }
    };
    let mut bind = args.bind;
    if let Some(port) = args.port {
        bind.set_port(port);
    }
    let config = EmulatorConfig {
        bind,
        api_key: args.api_key.filter(|key| !key.is_empty()),
        data_dir: args.data_dir,
        max_file_resources: args.max_file_resources,
        max_file_size: args.max_file_size,
        faults,
        seed: args.seed,
    };
    // Handlers first: a signal that arrives right after the address is printed must still
    // shut down cleanly (and remove the temporary data folder).
    let stop = StopSignals::install()?;
    let emulator = Emulator::start(config).await?;
    println!("listening on {}", emulator.base_url());
    if emulator.generated_api_key() {
        println!("api key: {}", emulator.api_key());
    }
    use std::io::Write as _;
    std::io::stdout().flush()?;
    tracing::info!(data_dir = %emulator.data_dir().display(), "serving");
    stop.wait().await;
    emulator.shutdown().await;
    Ok(())
}
