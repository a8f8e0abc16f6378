//! Streams a large upload (1 GiB by default) into an in-process emulator and back out, and
//! prints the throughput and the process's peak memory, which stays far below the file size
//! because both directions stream through disk.
//!
//! Run with `cargo bench -p managed-agents-emulator --bench upload`; set `UPLOAD_BENCH_BYTES` to
//! change the size.

use std::time::Instant;

use futures_util::StreamExt;
use managed_agents_emulator::{Emulator, EmulatorConfig};

const CHUNK: usize = 1 << 20;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn pattern(index: u64) -> bytes::Bytes {
    let seed = (index % 251) as u8;
    bytes::Bytes::from(
        (0..CHUNK)
            .map(|i| seed.wrapping_add(i as u8))
            .collect::<Vec<u8>>(),
    )
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
    let before = peak_rss_kib();

    let chunks = size.div_ceil(CHUNK as u64);
    let stream = futures_util::stream::iter(0..chunks).map(move |index| {
        let mut chunk = pattern(index);
        let remaining = size - index * CHUNK as u64;
        if remaining < CHUNK as u64 {
            chunk.truncate(remaining as usize);
        }
        Ok::<_, std::io::Error>(chunk)
    });
    let part =
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name("large.bin")
            .mime_str("application/octet-stream")
            .unwrap();
    let started = Instant::now();
    let response = http
        .post(format!("{}/v1/files", emulator.base_url()))
        .header("x-api-key", emulator.api_key())
        .header("anthropic-version", "2023-06-01")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("the upload is answered");
    assert!(response.status().is_success(), "{}", response.status());
    let file: serde_json::Value = response.json().await.unwrap();
    let upload_seconds = started.elapsed().as_secs_f64();
    assert_eq!(file["size_bytes"], size);

    let mib = size as f64 / (1 << 20) as f64;
    println!(
        "upload:   {mib:.0} MiB in {upload_seconds:.2} s ({:.0} MiB/s)",
        mib / upload_seconds
    );
    println!(
        "peak RSS: {} KiB before, {} KiB after (client and emulator in one process)",
        before.map_or("?".to_owned(), |kib| kib.to_string()),
        peak_rss_kib().map_or("?".to_owned(), |kib| kib.to_string()),
    );
    emulator.shutdown().await;
}
