//! The client side of `cargo xtask bench-files`: each mode runs in its own process so that its
//! peak memory (`VmHWM`) is the client's alone, and prints one line of JSON with its figures.
//!
//! - `serve`: starts an emulator on 127.0.0.1 accepting large files, prints
//!   `{"base_url","api_key"}`, and stops when its standard input closes.
//! - `upload URL KEY PATH`: uploads the file with the client.
//! - `prepare-output URL KEY PATH`: makes a session and plays its agent writing the file as an
//!   output (so it can be downloaded); prints the file's ID.
//! - `download URL KEY FILE_ID PATH`: downloads the file with the client.
//! - `overhead URL KEY COUNT`: times `GET /v1/environments` through the client and through a
//!   bare reqwest call with the same headers.

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

use std::time::{Duration, Instant};

use managed_agents_client::{ClientConfig, NativeClient};
use managed_agents_emulator::{Emulator, EmulatorConfig};
use managed_agents_types::endpoints::API_VERSION;
use tokio::io::AsyncReadExt;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let arg = |index: usize| -> Result<&str> {
        args.get(index)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {index}; see the module docs").into())
    };
    match arg(0)? {
        "serve" => runtime.block_on(serve()),
        "upload" => runtime.block_on(upload(client(arg(1)?, arg(2)?)?, arg(3)?)),
        "prepare-output" => runtime.block_on(prepare_output(arg(1)?, arg(2)?, arg(3)?)),
        "download" => runtime.block_on(download(client(arg(1)?, arg(2)?)?, arg(3)?, arg(4)?)),
        "overhead" => runtime.block_on(overhead(arg(1)?, arg(2)?, arg(3)?.parse()?)),
        other => Err(format!("unknown mode `{other}`").into()),
    }
}

fn client(base_url: &str, api_key: &str) -> Result<NativeClient> {
    let config = ClientConfig::with_api_key(api_key).with_base_url(base_url);
    Ok(NativeClient::new(config)?)
}

/// The process's peak resident memory in KiB, from `/proc/self/status`.
fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn serve() -> Result<()> {
    let emulator = Emulator::start(EmulatorConfig {
        max_file_size: 4 << 30,
        ..Default::default()
    })
    .await?;
    let ready = serde_json::json!({"base_url": emulator.base_url(), "api_key": emulator.api_key()});
    println!("{ready}");
    let mut stdin = tokio::io::stdin();
    let mut buffer = [0u8; 64];
    while stdin.read(&mut buffer).await? > 0 {}
    emulator.shutdown().await;
    Ok(())
}

async fn upload(client: NativeClient, path: &str) -> Result<()> {
    let started = Instant::now();
    let file = client.files().upload_path(path, None).await?;
    let seconds = started.elapsed().as_secs_f64();
    let report = serde_json::json!({"file_id": file.id, "bytes": file.size_bytes,
        "seconds": seconds, "peak_kib": peak_memory_kib()});
    println!("{report}");
    Ok(())
}

async fn download(client: NativeClient, file_id: &str, path: &str) -> Result<()> {
    let started = Instant::now();
    let bytes = client
        .files()
        .download_to_path(&file_id.parse()?, path)
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let report =
        serde_json::json!({"bytes": bytes, "seconds": seconds, "peak_kib": peak_memory_kib()});
    println!("{report}");
    Ok(())
}

async fn prepare_output(base_url: &str, api_key: &str, path: &str) -> Result<()> {
    let client = client(base_url, api_key)?;
    let environment = client
        .environments()
        .create(&serde_json::from_value(
            serde_json::json!({"name": "bench"}),
        )?)
        .await?;
    let agent = client
        .agents()
        .create(&serde_json::from_value(
            serde_json::json!({"name": "bench", "model": "claude-opus-4-7"}),
        )?)
        .await?;
    let session = client
        .sessions()
        .create(&serde_json::from_value(serde_json::json!({
            "agent": agent.id, "environment_id": environment.id
        }))?)
        .await?;
    let file = tokio::fs::File::open(path).await?;
    let length = file.metadata().await?.len();
    let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
    let response = reqwest::Client::new()
        .put(format!(
            "{base_url}/_emulator/sessions/{}/outputs/bench.bin",
            session.id
        ))
        .header("x-api-key", api_key)
        .header("anthropic-version", API_VERSION)
        .header("content-length", length)
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let output: serde_json::Value = serde_json::from_slice(&response.bytes().await?)?;
    println!("{}", serde_json::json!({"file_id": output["id"]}));
    Ok(())
}

async fn overhead(base_url: &str, api_key: &str, count: usize) -> Result<()> {
    let client = client(base_url, api_key)?;
    let bare = reqwest::Client::new();
    let url = format!("{base_url}/v1/environments?beta=true");
    let bare_call = || async {
        let response = bare
            .get(&url)
            .header("x-api-key", api_key)
            .header("anthropic-version", API_VERSION)
            .header("anthropic-beta", "managed-agents-2026-04-01")
            .send()
            .await?
            .error_for_status()?;
        let page: managed_agents_types::Page<serde_json::Value> =
            serde_json::from_slice(&response.bytes().await?)?;
        Ok::<_, Box<dyn std::error::Error>>(page.data.len())
    };
    for _ in 0..20 {
        client.environments().list(&Default::default()).await?;
        bare_call().await?;
    }
    let mut with_client = Vec::with_capacity(count);
    let mut with_reqwest = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        client.environments().list(&Default::default()).await?;
        with_client.push(started.elapsed());
        let started = Instant::now();
        bare_call().await?;
        with_reqwest.push(started.elapsed());
    }
    let report = serde_json::json!({
        "count": count,
        "client_median_us": median_us(&mut with_client),
        "reqwest_median_us": median_us(&mut with_reqwest),
        "client_mean_us": mean_us(&with_client),
        "reqwest_mean_us": mean_us(&with_reqwest),
    });
    println!("{report}");
    Ok(())
}

fn median_us(samples: &mut [Duration]) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e6
}

fn mean_us(samples: &[Duration]) -> f64 {
    samples.iter().map(Duration::as_secs_f64).sum::<f64>() / samples.len() as f64 * 1e6
}
