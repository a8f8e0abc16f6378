//! `cargo xtask bench-files`: the client's 1 GiB upload and download against the emulator on
//! 127.0.0.1, with the client's peak memory measured in its own process and its throughput
//! next to curl's in the same run, and the client's request overhead next to a bare reqwest
//! call on the same endpoint.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use serde_json::Value;

/// The size of the file moved each way.
const FILE_SIZE: u64 = 1 << 30;
/// The peak memory the client may use while moving it.
const MEMORY_BUDGET_MIB: f64 = 64.0;
/// Requests timed for the overhead figure.
const OVERHEAD_REQUESTS: &str = "300";

/// Runs the benchmark and prints its figures.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    crate::ci::run(
        root,
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "managed-agents-client",
            "--example",
            "bench_files",
        ],
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let program = target.join("release/examples/bench_files");
    let work = WorkFolder::create()?;
    let source = work.0.join("source.bin");
    println!("\n==> writing a {} MiB file", FILE_SIZE >> 20);
    write_pseudo_random(&source, FILE_SIZE)?;

    let server = Server::start(&program)?;
    let (url, key) = (server.base_url.as_str(), server.api_key.as_str());
    let source_arg = source.to_string_lossy().into_owned();

    println!("==> uploading with the client, then with curl");
    let upload = run_json(&program, &["upload", url, key, &source_arg])?;
    let curl_upload = curl(&[
        "-o",
        "/dev/null",
        "-H",
        &format!("x-api-key: {key}"),
        "-H",
        "anthropic-version: 2023-06-01",
        "-F",
        &format!("file=@{source_arg};type=application/octet-stream"),
        &format!("{url}/v1/files"),
    ])?;

    println!("==> downloading with the client, then with curl");
    let output = run_json(&program, &["prepare-output", url, key, &source_arg])?;
    let file_id = output["file_id"].as_str().ok_or("no output file ID")?;
    let client_copy = work.0.join("client.bin");
    let curl_copy = work.0.join("curl.bin");
    let download = run_json(
        &program,
        &[
            "download",
            url,
            key,
            file_id,
            &client_copy.to_string_lossy(),
        ],
    )?;
    let curl_download = curl(&[
        "-o",
        &curl_copy.to_string_lossy(),
        "-H",
        &format!("x-api-key: {key}"),
        "-H",
        "anthropic-version: 2023-06-01",
        &format!("{url}/v1/files/{file_id}/content"),
    ])?;
    let identical = same_content(&source, &client_copy)?;

    println!("==> request overhead");
    let overhead = run_json(&program, &["overhead", url, key, OVERHEAD_REQUESTS])?;
    drop(server);

    let mib = |value: &Value| value.as_f64().unwrap_or(0.0) / 1024.0;
    let rate = |seconds: f64| FILE_SIZE as f64 / (1 << 20) as f64 / seconds;
    let upload_peak = mib(&upload["peak_kib"]);
    let download_peak = mib(&download["peak_kib"]);
    let seconds = |value: &Value| value["seconds"].as_f64().unwrap_or(f64::NAN);
    println!(
        "\nbench-files: {} MiB each way, emulator on 127.0.0.1",
        FILE_SIZE >> 20
    );
    println!("| | client | curl | client peak memory |");
    println!("|---|---|---|---|");
    println!(
        "| upload | {:.0} MiB/s | {:.0} MiB/s | {upload_peak:.1} MiB |",
        rate(seconds(&upload)),
        rate(curl_upload)
    );
    println!(
        "| download | {:.0} MiB/s | {:.0} MiB/s | {download_peak:.1} MiB |",
        rate(seconds(&download)),
        rate(curl_download)
    );
    println!(
        "request overhead, GET /v1/environments over {} calls: client median {:.0} µs \
         (mean {:.0}), bare reqwest median {:.0} µs (mean {:.0})",
        overhead["count"],
        overhead["client_median_us"].as_f64().unwrap_or(f64::NAN),
        overhead["client_mean_us"].as_f64().unwrap_or(f64::NAN),
        overhead["reqwest_median_us"].as_f64().unwrap_or(f64::NAN),
        overhead["reqwest_mean_us"].as_f64().unwrap_or(f64::NAN),
    );
    println!("downloaded copy identical to the source: {identical}");

    let over_budget = upload_peak.max(download_peak) > MEMORY_BUDGET_MIB;
    match (identical, over_budget) {
        (true, false) => Ok(()),
        (false, _) => Err("the downloaded copy differs from the source".to_owned()),
        (_, true) => Err(format!("client peak memory above {MEMORY_BUDGET_MIB} MiB")),
    }
}

/// A temporary folder removed when dropped.
struct WorkFolder(PathBuf);

impl WorkFolder {
    fn create() -> Result<Self, String> {
        let path =
            std::env::temp_dir().join(format!("managed-agents-bench-{}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for WorkFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The emulator process; it stops when its standard input closes, or is killed when dropped.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    base_url: String,
    api_key: String,
}

impl Server {
    fn start(program: &Path) -> Result<Self, String> {
        let mut child = Command::new(program)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start the emulator: {error}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no emulator stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|error| format!("cannot read the emulator's address: {error}"))?;
        let ready: Value = serde_json::from_str(&line)
            .map_err(|error| format!("unexpected emulator output `{line}`: {error}"))?;
        let field = |name: &str| ready[name].as_str().unwrap_or_default().to_owned();
        Ok(Self {
            base_url: field("base_url"),
            api_key: field("api_key"),
            child,
            stdin,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the benchmark program and parses the JSON line it prints.
fn run_json(program: &Path, args: &[&str]) -> Result<Value, String> {
    let output = Command::new(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run {}: {error}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`bench_files {}` failed ({})",
            args[0], output.status
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| format!("bench_files output: {error}"))
}

/// Runs curl and returns its total time in seconds; fails on an HTTP error.
fn curl(args: &[&str]) -> Result<f64, String> {
    let output = Command::new("curl")
        .args(["-sS", "--fail", "-w", "%{time_total}"])
        .args(args)
        .output()
        .map_err(|error| format!("cannot run curl (is it installed?): {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "curl failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .map_err(|_| format!("unexpected curl output `{text}`"))
}

/// Writes `size` bytes from a xorshift generator, so the content does not compress.
fn write_pseudo_random(path: &Path, size: u64) -> Result<(), String> {
    let mut file = File::create(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() as u64 {
        for word in chunk.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        file.write_all(&chunk)
            .map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}

/// True when both files hold the same bytes.
fn same_content(left: &Path, right: &Path) -> Result<bool, String> {
    let open = |path: &Path| {
        File::open(path)
            .map(BufReader::new)
            .map_err(|error| format!("{}: {error}", path.display()))
    };
    let (mut left, mut right) = (open(left)?, open(right)?);
    let (mut a, mut b) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let read = left.read(&mut a).map_err(|error| error.to_string())?;
        if read == 0 {
            let rest = right.read(&mut b).map_err(|error| error.to_string())?;
            return Ok(rest == 0);
        }
        if right.read_exact(&mut b[..read]).is_err() || a[..read] != b[..read] {
            return Ok(false);
        }
    }
}
