//! The binary: prints its address and a generated key, serves, and on SIGTERM stops and removes
//! its temporary data folder.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn generates_a_key_and_cleans_up_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_managed-agents-emulator"))
        .args(["--bind", "127.0.0.1:0"])
        .env_remove("MANAGED_AGENTS_EMULATOR_API_KEY")
        .env("MANAGED_AGENTS_EMULATOR_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = stdout.next().unwrap().unwrap();
    let base_url = address.strip_prefix("listening on ").unwrap().to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    let key_line = stdout.next().unwrap().unwrap();
    let key = key_line.strip_prefix("api key: ").unwrap().to_owned();

    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let serving = stderr
        .by_ref()
        .map(Result::unwrap)
        .find(|line| line.contains("data_dir="))
        .unwrap();
    let data_dir = serving
        .split("data_dir=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(std::path::Path::new(&data_dir).is_dir());
    let drain = std::thread::spawn(move || stderr.map(Result::unwrap).collect::<Vec<_>>());

    let http = reqwest::Client::new();
    let answer = |key: Option<String>| {
        let mut request = http
            .get(format!("{base_url}/v1/files"))
            .header("anthropic-version", "2023-06-01");
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        request.send()
    };
    assert_eq!(answer(Some(key.clone())).await.unwrap().status(), 200);
    assert_eq!(answer(None).await.unwrap().status(), 401);

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let log = drain.join().unwrap().join("\n");
    assert!(
        !log.contains(&key),
        "the key is printed once on stdout, never logged"
    );
    assert!(
        !std::path::Path::new(&data_dir).exists(),
        "the temporary folder is removed"
    );
}

#[tokio::test]
async fn takes_a_fault_plan_from_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let plan = folder.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"rules":[{"path":"/v1/files","times":1,
            "fault":{"type":"status","status":503,"headers":{"retry-after":"0"}}}]}"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_managed-agents-emulator"))
        .args(["--port", "0", "--api-key", "k", "--seed", "3", "--faults"])
        .arg(&plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = stdout.next().unwrap().unwrap();
    let base_url = address.strip_prefix("listening on ").unwrap().to_owned();
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let response = http
            .get(format!("{base_url}/v1/files"))
            .header("x-api-key", "k")
            .header("anthropic-version", "2023-06-01")
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(statuses, [503, 200]);

    std::fs::write(
        &plan,
        r#"{"rules":[{"fault":{"type":"status","status":200}}]}"#,
    )
    .unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_managed-agents-emulator"))
        .args(["--port", "0", "--faults"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("status"));
}
