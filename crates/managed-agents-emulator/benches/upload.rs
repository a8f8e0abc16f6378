//! Streams a large upload (1 GiB by default) into an in-process emulator, writes a session
//! output of the same size and downloads it, and prints the throughputs and the process's peak
//! memory, which stays far below the file size because both directions stream through disk.
//!
//! Run with `cargo bench -p managed-agents-emulator --bench upload`; set `UPLOAD_BENCH_BYTES` to
//! change the size.

use std::time::Instant;

use futures_util::StreamExt;
use managed_agents_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

const CHUNK: usize = 1 << 20;
const VERSION: &str = managed_agents_types::endpoints::API_VERSION;
const BETA: &str = managed_agents_types::endpoints::beta::MANAGED_AGENTS;

fn peak_rss_kib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or("?")
        .to_owned()
}

/// A streamed body of `size` bytes, made one chunk at a time.
fn body(size: u64) -> reqwest::Body {
    let chunks = size.div_ceil(CHUNK as u64);
    let stream = futures_util::stream::iter(0..chunks).map(move |index| {
        let seed = (index % 251) as u8;
        let length = (size - index * CHUNK as u64).min(CHUNK as u64) as usize;
        let chunk: Vec<u8> = (0..length).map(|i| seed.wrapping_add(i as u8)).collect();
        Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))
    });
    reqwest::Body::wrap_stream(stream)
}

async fn post(
    http: &reqwest::Client,
    emulator: &RunningEmulator,
    path: &str,
    body: Value,
) -> Value {
    http.post(format!("{}{path}", emulator.base_url()))
        .header("x-api-key", emulator.api_key())
        .header("anthropic-version", VERSION)
        .header("anthropic-beta", BETA)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let size: u64 = std::env::var("UPLOAD_BENCH_BYTES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1 << 30);
    let emulator = Emulator::start(EmulatorConfig {
        max_file_size: size,
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts");
    let http = reqwest::Client::new();
    let mib = size as f64 / (1 << 20) as f64;
    println!("peak RSS at start: {} KiB", peak_rss_kib());

    let part = reqwest::multipart::Part::stream_with_length(body(size), size)
        .file_name("large.bin")
        .mime_str("application/octet-stream")
        .unwrap();
    let started = Instant::now();
    let file: Value = http
        .post(format!("{}/v1/files", emulator.base_url()))
        .header("x-api-key", emulator.api_key())
        .header("anthropic-version", VERSION)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("the upload is answered")
        .json()
        .await
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(file["size_bytes"], size, "{file}");
    println!(
        "upload:   {mib:.0} MiB in {seconds:.2} s ({:.0} MiB/s)",
        mib / seconds
    );

    let environment = post(
        &http,
        &emulator,
        "/v1/environments",
        json!({"name": "bench"}),
    )
    .await;
    let agent = post(
        &http,
        &emulator,
        "/v1/agents",
        json!({"name": "bench", "model": "claude-opus-4-7"}),
    )
    .await;
    let session = post(
        &http,
        &emulator,
        "/v1/sessions",
        json!({"agent": agent["id"], "environment_id": environment["id"]}),
    )
    .await;
    let started = Instant::now();
    let output: Value = http
        .put(format!(
            "{}/_emulator/sessions/{}/outputs/large.bin",
            emulator.base_url(),
            session["id"].as_str().unwrap()
        ))
        .header("x-api-key", emulator.api_key())
        .body(body(size))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!("output:   {mib:.0} MiB written in {seconds:.2} s (outputs folder and file store)");

    let started = Instant::now();
    let response = http
        .get(format!(
            "{}/v1/files/{}/content",
            emulator.base_url(),
            output["id"].as_str().unwrap()
        ))
        .header("x-api-key", emulator.api_key())
        .header("anthropic-version", VERSION)
        .send()
        .await
        .unwrap();
    assert_eq!(response.content_length(), Some(size));
    let mut received = 0u64;
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        received += chunk.unwrap().len() as u64;
    }
    assert_eq!(received, size);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "download: {mib:.0} MiB in {seconds:.2} s ({:.0} MiB/s)",
        mib / seconds
    );
    println!(
        "peak RSS at the end: {} KiB (client and emulator in one process)",
        peak_rss_kib()
    );
    emulator.shutdown().await;
}
