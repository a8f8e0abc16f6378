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
    let session = call(
        &http,
        &first,
        Method::POST,
        "/v1/sessions",
        Some(json!({
        "agent": agent["id"], "environment_id": environment["id"],
        "resources": [
            {"type": "file", "file_id": upload["id"], "mount_path": "/data/blob.bin"},
            {"type": "github_repository", "url": "https://github.com/o/r",
             "authorization_token": "t"},
        ]})),
    )
    .await;
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

#[tokio::test]
async fn sigkill_during_writes_loses_nothing_acknowledged() {
    let data_dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let first = spawn(data_dir.path());
    let base_url = first.base_url.clone();

    let mut writers = Vec::new();
    for writer in 0..4 {
        let http = http.clone();
        let base_url = base_url.clone();
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for index in 0.. {
                let body: Vec<u8> = vec![(writer * 31 + index) as u8; 64 * 1024 + index];
                let part = reqwest::multipart::Part::bytes(body)
                    .file_name(format!("w{writer}-{index}.bin"))
                    .mime_str("application/octet-stream")
                    .unwrap();
                let uploaded = http
                    .post(format!("{base_url}/v1/files"))
                    .header("x-api-key", KEY)
                    .header("anthropic-version", "2023-06-01")
                    .multipart(reqwest::multipart::Form::new().part("file", part))
                    .send()
                    .await;
                let Ok(response) = uploaded else { break };
                let Ok(file) = response.json::<Value>().await else {
                    break;
                };
                acknowledged.push((file["id"].as_str().unwrap().to_owned(), 64 * 1024 + index));
                let created = http
                    .post(format!("{base_url}/v1/environments"))
                    .header("x-api-key", KEY)
                    .header("anthropic-version", "2023-06-01")
                    .header("anthropic-beta", "managed-agents-2026-04-01")
                    .json(&json!({"name": format!("w{writer}-{index}")}))
                    .send()
                    .await;
                let Ok(response) = created else { break };
                let Ok(environment) = response.json::<Value>().await else {
                    break;
                };
                acknowledged.push((environment["id"].as_str().unwrap().to_owned(), 0));
            }
            acknowledged
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    drop(first);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(
        acknowledged.len() > 8,
        "the writers got going: {}",
        acknowledged.len()
    );

    let second = spawn(data_dir.path());
    for (id, size) in &acknowledged {
        let path = if id.starts_with("file_") {
            format!("/v1/files/{id}")
        } else {
            format!("/v1/environments/{id}")
        };
        let object = call(&http, &second, Method::GET, &path, None).await;
        assert_eq!(object["id"], id.as_str());
        if id.starts_with("file_") {
            assert_eq!(object["size_bytes"], *size as u64);
        }
    }
    let files = call(&http, &second, Method::GET, "/v1/files?limit=1000", None).await;
    for file in files["data"].as_array().unwrap() {
        let blob = data_dir
            .path()
            .join("files")
            .join(file["id"].as_str().unwrap());
        let length = std::fs::metadata(&blob)
            .expect("every listed file has its content")
            .len();
        assert_eq!(
            file["size_bytes"], length,
            "no half-written content is visible"
        );
    }
    let leftovers = std::fs::read_dir(data_dir.path().join("tmp"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0);
    let contents = std::fs::read_dir(data_dir.path().join("files"))
        .unwrap()
        .count();
    assert_eq!(
        contents,
        files["data"].as_array().unwrap().len(),
        "no orphan content"
    );
}

#[tokio::test]
async fn a_data_folder_serves_one_emulator_at_a_time() {
    let data_dir = tempfile::tempdir().unwrap();
    let config = || managed_agents_emulator::EmulatorConfig {
        data_dir: Some(data_dir.path().to_path_buf()),
        ..managed_agents_emulator::EmulatorConfig::default()
    };
    let first = managed_agents_emulator::Emulator::start(config())
        .await
        .expect("the first emulator starts");
    let pending = first.data_dir().join("tmp").join("upload-in-progress");
    std::fs::write(&pending, b"half an upload").unwrap();

    let refused = managed_agents_emulator::Emulator::start(config())
        .await
        .expect_err("a second emulator on the same folder is refused");
    let message = refused.to_string();
    assert!(
        matches!(
            refused,
            managed_agents_emulator::EmulatorError::DataDirInUse { .. }
        ),
        "{message}"
    );
    assert!(
        message.contains(&first.data_dir().display().to_string()),
        "{message}"
    );
    assert!(message.contains("another emulator process"), "{message}");
    assert!(
        pending.exists(),
        "the refused open leaves the live one's files alone"
    );

    let refused_binary = Command::new(env!("CARGO_BIN_EXE_managed-agents-emulator"))
        .args(["--port", "0", "--api-key", KEY, "--data-dir"])
        .arg(data_dir.path())
        .output()
        .unwrap();
    assert!(!refused_binary.status.success());
    let stderr = String::from_utf8_lossy(&refused_binary.stderr);
    assert!(stderr.contains("another emulator process"), "{stderr}");
    assert!(refused_binary.stdout.is_empty(), "it never listened");

    first.shutdown().await;
    let next = managed_agents_emulator::Emulator::start(config())
        .await
        .expect("the folder is free again once the first emulator stopped");
    next.shutdown().await;
}
