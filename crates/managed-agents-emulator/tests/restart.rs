//! Durability: state written through one emulator process, killed with SIGKILL, is read back
//! byte for byte by the next one started on the same `--data-dir`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "sk-restart-test";

struct Process {
    child: Child,
    base_url: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(data_dir: &std::path::Path) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_managed-agents-emulator"))
        .args(["--port", "0", "--data-dir"])
        .arg(data_dir)
        .env("MANAGED_AGENTS_EMULATOR_API_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let base_url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    std::thread::spawn(move || for _ in lines {});
    Process { child, base_url }
}

async fn call(
    http: &reqwest::Client,
    process: &Process,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = http
        .request(method, format!("{}{path}", process.base_url))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "managed-agents-2026-04-01");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn state_survives_sigkill() {
    let data_dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let output: Vec<u8> = (0..50_000u32).map(|i| (i * 13 % 256) as u8).collect();

    let first = spawn(data_dir.path());
    let environment = call(
        &http,
        &first,
        Method::POST,
        "/v1/environments",
        Some(json!({"name": "durable", "metadata": {"k": "v"}})),
    )
    .await;
    let agent = call(
        &http,
        &first,
        Method::POST,
        "/v1/agents",
        Some(json!({"name": "a", "model": "claude-opus-4-7"})),
    )
    .await;
    let part = reqwest::multipart::Part::bytes(content.clone())
        .file_name("blob.bin")
        .mime_str("application/octet-stream")
        .unwrap();
    let upload: Value = http
        .post(format!("{}/v1/files", first.base_url))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = call(&http, &first, Method::POST, "/v1/sessions", Some(json!({
        "agent": agent["id"], "environment_id": environment["id"],
        "resources": [
            {"type": "file", "file_id": upload["id"], "mount_path": "/data/blob.bin"},
            {"type": "github_repository", "url": "https://github.com/o/r", "authorization_token": "t"},
        ]}))).await;
    let session_id = session["id"].as_str().unwrap().to_owned();
    let written: Value = http
        .put(format!(
            "{}/_emulator/sessions/{session_id}/outputs/out.bin",
            first.base_url
        ))
        .header("x-api-key", KEY)
        .body(output.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    drop(first);

    let second = spawn(data_dir.path());
    let environment_again = call(
        &http,
        &second,
        Method::GET,
        &format!("/v1/environments/{}", environment["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(environment_again, environment);
    let session_again = call(
        &http,
        &second,
        Method::GET,
        &format!("/v1/sessions/{session_id}"),
        None,
    )
    .await;
    assert_eq!(session_again, session);
    let file_again = call(
        &http,
        &second,
        Method::GET,
        &format!("/v1/files/{}", upload["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(file_again, upload);
    let mounted = data_dir
        .path()
        .join("sessions")
        .join(&session_id)
        .join("data/blob.bin");
    assert_eq!(std::fs::read(mounted).unwrap(), content);
    let downloaded = http
        .get(format!(
            "{}/v1/files/{}/content",
            second.base_url,
            written["id"].as_str().unwrap()
        ))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&downloaded[..], &output[..]);
    let scoped = call(
        &http,
        &second,
        Method::GET,
        &format!("/v1/files?scope_id={session_id}"),
        None,
    )
    .await;
    assert_eq!(
        scoped["data"].as_array().unwrap().len(),
        1,
        "no output captured twice"
    );
}
