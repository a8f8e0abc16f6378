//! The `managed-agents` binary driven against a real emulator on 127.0.0.1: every subcommand
//! group, a bad-input case for each, and no key or token on stdout or stderr, ever.

use std::path::Path;
use std::process::Output;

use managed_agents_emulator::{Emulator, EmulatorConfig, RunningEmulator};

const BINARY: &str = env!("CARGO_BIN_EXE_managed-agents");
const TOKEN: &str = "ghp_clitesttoken0123456789abcdefghijkl";
const ROTATED: &str = "ghp_clirotatedtoken9876543210zyxwvuts";

/// One emulator and the secrets no output may contain.
struct Harness {
    emulator: RunningEmulator,
    outputs: Vec<String>,
}

impl Harness {
    async fn start() -> Self {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator starts");
        Self {
            emulator,
            outputs: Vec::new(),
        }
    }

    /// Runs the binary against the emulator; `stdin` is written to its standard input.
    async fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = tokio::process::Command::new(BINARY);
        command
            .args(["--base-url", &self.emulator.base_url()])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("ANTHROPIC_API_KEY", self.emulator.api_key())
            .env("GITHUB_TOKEN", TOKEN)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("the binary starts");
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            tokio::io::AsyncWriteExt::write_all(&mut input, text.as_bytes())
                .await
                .unwrap();
        }
        drop(input);
        let output = child.wait_with_output().await.expect("the binary runs");
        self.outputs
            .push(String::from_utf8_lossy(&output.stdout).into_owned());
        self.outputs
            .push(String::from_utf8_lossy(&output.stderr).into_owned());
        output
    }

    /// Runs and expects success; returns stdout parsed as JSON (`--json` is added).
    async fn json(&mut self, args: &[&str]) -> serde_json::Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let output = self.run(&with_json, None).await;
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{args:?}: stdout is not JSON ({error})"))
    }

    /// Runs and expects failure with `code`; returns stderr.
    async fn fails(&mut self, args: &[&str], stdin: Option<&str>, code: i32) -> String {
        let output = self.run(args, stdin).await;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?} should fail with {code}: {stderr}"
        );
        stderr
    }

    /// Writes `body` to `file` and runs `GROUP create --from-file FILE`, which must exit with
    /// 2; returns its stderr.
    async fn create_from_bad_file(&mut self, group: &str, file: &Path, body: &str) -> String {
        std::fs::write(file, body).unwrap();
        let args = [group, "create", "--from-file", file.to_str().unwrap()];
        self.fails(&args, None, 2).await
    }

    fn assert_no_secret_leaked(&self) {
        let key = self.emulator.api_key();
        for text in &self.outputs {
            for secret in [key, TOKEN, ROTATED] {
                assert!(
                    !text.contains(secret),
                    "a secret reached the output:\n{text}"
                );
            }
        }
    }
}

fn id(value: &serde_json::Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environments_from_flags_and_files() {
    let mut harness = Harness::start().await;
    let created = harness
        .json(&[
            "environments",
            "create",
            "--name",
            "data-analysis",
            "--networking",
            "limited",
            "--allow-package-managers",
            "--pip",
            "pandas",
            "--npm",
            "express",
            "--metadata",
            "team=ml",
        ])
        .await;
    assert_eq!(created["config"]["networking"]["type"], "limited");
    assert_eq!(created["config"]["packages"]["pip"][0], "pandas");

    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("env.yaml");
    let yaml = "name: from-yaml\nconfig:\n  type: cloud\n  networking:\n    \
                type: package_managers_and_custom\n    allowed_hosts: [api.example.com]\n";
    std::fs::write(&file, yaml).unwrap();
    let from_yaml = harness
        .json(&[
            "environments",
            "create",
            "--from-file",
            file.to_str().unwrap(),
        ])
        .await;
    assert_eq!(
        from_yaml["config"]["networking"]["allowed_hosts"][0],
        "api.example.com"
    );

    let table = harness.run(&["environments", "list"], None).await;
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.starts_with("ID") && table.contains("from-yaml") && table.contains("data-analysis")
    );

    let environment = id(&created);
    let updated = harness
        .json(&[
            "environments",
            "update",
            &environment,
            "--description",
            "new",
            "--metadata",
            "team=",
        ])
        .await;
    assert_eq!(updated["description"], "new");
    assert_eq!(updated["metadata"], serde_json::json!({}));
    let cleared = harness
        .json(&[
            "environments",
            "update",
            &environment,
            "--clear-description",
        ])
        .await;
    assert_eq!(cleared["description"], serde_json::Value::Null);
    let archived = harness
        .json(&["environments", "archive", &environment])
        .await;
    assert!(archived["archived_at"].is_string());
    assert_eq!(
        harness
            .json(&["environments", "list"])
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        harness
            .json(&["environments", "list", "--include-archived"])
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let stderr = harness
        .fails(
            &["environments", "update", &environment, "--name", "x"],
            None,
            1,
        )
        .await;
    assert!(
        stderr.contains("400") && stderr.contains("request id: req_"),
        "{stderr}"
    );
    harness
        .json(&["environments", "delete", &environment])
        .await;

    // Bad input: a duplicate name, a wrong ID kind, a broken file, contradictory flags.
    let stderr = harness
        .fails(&["environments", "create", "--name", "from-yaml"], None, 1)
        .await;
    assert!(stderr.contains("409"), "{stderr}");
    let stderr = harness
        .fails(&["environments", "get", "sesn_123"], None, 2)
        .await;
    assert!(stderr.contains("env_"), "{stderr}");
    let stderr = harness
        .create_from_bad_file("environments", &file, "name: typo\nnetworking: limited\n")
        .await;
    assert!(stderr.contains("unknown field `networking`"), "{stderr}");
    let stderr = harness
        .fails(&["environments", "create", "--name", ""], None, 2)
        .await;
    assert!(stderr.contains("name"), "{stderr}");
    let stderr = harness
        .create_from_bad_file("environments", &file, "name: [unclosed")
        .await;
    assert!(stderr.contains("env.yaml"), "{stderr}");
    let stderr = harness
        .fails(
            &[
                "environments",
                "create",
                "--name",
                "x",
                "--pip",
                "numpy",
                "--networking",
                "limited",
            ],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("allow_package_managers"), "{stderr}");
    harness.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_sessions_resources_and_outputs() {
    let mut harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let upload = folder.path().join("Grüner Baum – 報告.bin");
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&upload, &content).unwrap();
    let file = harness
        .json(&["files", "upload", upload.to_str().unwrap()])
        .await;
    assert_eq!(file["filename"], "Grüner Baum – 報告.bin");
    assert_eq!(file["size_bytes"], 70_000);
    let file_id = id(&file);
    assert_eq!(
        harness.json(&["files", "get", &file_id]).await["id"],
        file_id.as_str()
    );

    let agent = harness
        .json(&[
            "agents",
            "create",
            "--name",
            "GitHub Agent",
            "--mcp-server",
            "github=https://api.githubcopilot.com/mcp/",
        ])
        .await;
    assert_eq!(agent["tools"][1]["mcp_server_name"], "github");
    let version = agent["version"]
        .as_u64()
        .expect("an agent has a version")
        .to_string();
    let renamed = harness
        .json(&[
            "agents",
            "update",
            &id(&agent),
            "--version",
            &version,
            "--name",
            "GitHub Agent 2",
        ])
        .await;
    assert_eq!(renamed["name"], "GitHub Agent 2");
    let environment = harness
        .json(&["environments", "create", "--name", "python-dev"])
        .await;
    let vault = harness.json(&["vaults", "create", "--name", "ci"]).await;
    let store = harness
        .json(&["memory-stores", "create", "--name", "User Preferences"])
        .await;

    let session = harness
        .json(&[
            "sessions",
            "create",
            "--agent",
            &id(&agent),
            "--environment",
            &id(&environment),
            "--file",
            &format!("{file_id}:/workspace/data.bin"),
            "--repo",
            "https://github.com/owner/repo@main",
            "--memory-store",
            &format!("{}:read_only", id(&store)),
            "--vault",
            &id(&vault),
            "--title",
            "cli test",
        ])
        .await;
    let session_id = id(&session);
    assert_eq!(session["resources"].as_array().unwrap().len(), 3);

    let resources = harness.json(&["resources", "list", &session_id]).await;
    let repository = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["type"] == "github_repository")
        .unwrap();
    let repository_id = id(repository);
    let rotated = harness
        .run(
            &[
                "--json",
                "resources",
                "rotate-token",
                &session_id,
                &repository_id,
                "--token-stdin",
            ],
            Some(ROTATED),
        )
        .await;
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    let added = harness
        .json(&[
            "resources",
            "add-file",
            &session_id,
            &file_id,
            "--mount-path",
            "/data/second.bin",
        ])
        .await;
    harness
        .json(&["resources", "get", &session_id, &id(&added)])
        .await;
    harness
        .json(&["resources", "delete", &session_id, &id(&added)])
        .await;

    // The agent writes an output; the tool pulls it.
    let client = reqwest::Client::new();
    let url = format!(
        "{}/_emulator/sessions/{session_id}/outputs/report.md",
        harness.emulator.base_url()
    );
    let response = client
        .put(url)
        .header("x-api-key", harness.emulator.api_key())
        .body("# done\n")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let outputs = harness
        .json(&["files", "list", "--scope-id", &session_id])
        .await;
    assert_eq!(outputs.as_array().unwrap().len(), 1);
    let pulled = folder.path().join("pulled");
    let output = harness
        .run(
            &[
                "files",
                "pull-outputs",
                &session_id,
                "--dir",
                pulled.to_str().unwrap(),
            ],
            None,
        )
        .await;
    assert!(output.status.success());
    assert_eq!(
        std::fs::read(pulled.join("report.md")).unwrap(),
        b"# done\n"
    );
    let target = folder.path().join("copy.md");
    let output_id = id(&outputs[0]);
    harness
        .json(&[
            "files",
            "download",
            &output_id,
            "-o",
            target.to_str().unwrap(),
        ])
        .await;
    assert_eq!(std::fs::read(&target).unwrap(), b"# done\n");

    // Nothing already on disk is replaced: a second pull picks a new name, and a download
    // onto an existing file needs --force.
    std::fs::write(pulled.join("report.md"), b"edited").unwrap();
    let output = harness
        .run(
            &[
                "files",
                "pull-outputs",
                &session_id,
                "--dir",
                pulled.to_str().unwrap(),
            ],
            None,
        )
        .await;
    assert!(output.status.success());
    assert_eq!(std::fs::read(pulled.join("report.md")).unwrap(), b"edited");
    assert_eq!(
        std::fs::read(pulled.join("report (2).md")).unwrap(),
        b"# done\n"
    );
    std::fs::write(&target, b"edited").unwrap();
    let download = [
        "files",
        "download",
        &output_id,
        "-o",
        target.to_str().unwrap(),
    ];
    let stderr = harness.fails(&download, None, 2).await;
    assert!(
        stderr.contains(target.to_str().unwrap())
            && stderr.contains("--output")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"edited");
    let mut forced = download.to_vec();
    forced.push("--force");
    harness.json(&forced).await;
    assert_eq!(std::fs::read(&target).unwrap(), b"# done\n");

    // Bad input, one per group.
    let never = folder.path().join("never.md");
    let stderr = harness
        .fails(
            &["files", "download", &file_id, "-o", never.to_str().unwrap()],
            None,
            1,
        )
        .await;
    assert!(
        stderr.contains("403") && stderr.contains("permission_error"),
        "{stderr}"
    );
    assert!(!never.exists());
    let missing = folder.path().join("missing.csv");
    let stderr = harness
        .fails(&["files", "upload", missing.to_str().unwrap()], None, 2)
        .await;
    assert!(stderr.contains("missing.csv"), "{stderr}");
    let stderr = harness
        .fails(
            &[
                "sessions",
                "create",
                "--agent",
                &id(&agent),
                "--environment",
                &id(&environment),
                "--file",
                &format!("{file_id}:relative/path"),
            ],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("resources[0].mount_path"), "{stderr}");
    let stderr = harness
        .fails(
            &[
                "resources",
                "rotate-token",
                &session_id,
                &repository_id,
                "--token-stdin",
            ],
            Some(""),
            2,
        )
        .await;
    assert!(stderr.contains("empty"), "{stderr}");
    // A token given by mistake after the IDs is refused without being repeated.
    let stderr = harness
        .fails(
            &[
                "resources",
                "rotate-token",
                &session_id,
                &repository_id,
                "ghp_positional_secret",
            ],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("--token-stdin"), "{stderr}");
    assert!(!stderr.contains("ghp_positional_secret"), "{stderr}");
    let stderr = harness
        .fails(
            &[
                "resources",
                "rotate-token",
                &session_id,
                "ghp_in_place_of_id",
            ],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("--token-stdin"), "{stderr}");
    assert!(!stderr.contains("ghp_in_place_of_id"), "{stderr}");
    let stderr = harness
        .fails(
            &["agents", "create", "--name", "x", "--mcp-server", "nourl"],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("NAME=URL"), "{stderr}");
    let stderr = harness
        .fails(&["vaults", "get", "vlt_doesnotexist"], None, 1)
        .await;
    assert!(
        stderr.contains("404") && stderr.contains("not_found_error"),
        "{stderr}"
    );
    let stderr = harness
        .fails(&["memory-stores", "create", "--name", ""], None, 2)
        .await;
    assert!(stderr.contains("name"), "{stderr}");
    let stderr = harness
        .fails(&["sessions", "get", "env_123"], None, 2)
        .await;
    assert!(stderr.contains("sesn_"), "{stderr}");

    harness.json(&["sessions", "archive", &session_id]).await;
    harness.json(&["sessions", "delete", &session_id]).await;
    harness.json(&["files", "delete", &file_id]).await;
    harness.json(&["agents", "archive", &id(&agent)]).await;
    harness.json(&["vaults", "delete", &id(&vault)]).await;
    harness
        .json(&["memory-stores", "delete", &id(&store)])
        .await;

    // Verbose logging prints nothing secret either.
    let output = harness.run(&["-vvv", "sessions", "list"], None).await;
    assert!(output.status.success());
    harness.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_come_from_argv_and_missing_ones_are_reported() {
    let mut harness = Harness::start().await;
    let output = harness.run(&["sessions", "create", "--help"], None).await;
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("--token-env") && !help.contains("--token "),
        "{help}"
    );
    let mut command = tokio::process::Command::new(BINARY);
    let output = command
        .args([
            "--base-url",
            &harness.emulator.base_url(),
            "sessions",
            "create",
            "--agent",
            "agent_1",
        ])
        .args([
            "--environment",
            "env_1",
            "--repo",
            "https://github.com/o/r",
            "--token-env",
            "NOPE_TOKEN",
        ])
        .env_clear()
        .env("ANTHROPIC_API_KEY", harness.emulator.api_key())
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOPE_TOKEN"));
    harness.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_is_not_a_crash() {
    let mut harness = Harness::start().await;
    harness
        .json(&["environments", "create", "--name", "piped"])
        .await;
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(BINARY)
        .args([
            "--base-url",
            &harness.emulator.base_url(),
            "environments",
            "list",
        ])
        .env_clear()
        .env("ANTHROPIC_API_KEY", harness.emulator.api_key())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        status.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_are_a_usage_error() {
    let output = tokio::process::Command::new(BINARY)
        .args(["environments", "list"])
        .env_clear()
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ANTHROPIC_API_KEY"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_emulator_keeps_state_between_commands() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let run = |args: Vec<&str>| {
        let mut command = std::process::Command::new(BINARY);
        command
            .arg("--json")
            .arg(format!("--emulator={dir}"))
            .args(args)
            .env_clear();
        command.output().unwrap()
    };
    let created = run(vec!["environments", "create", "--name", "kept"]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let listed = run(vec!["environments", "list"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["name"], "kept");
    assert!(Path::new(dir).read_dir().unwrap().next().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_folder_in_use_is_refused_with_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let live = Emulator::start(EmulatorConfig {
        data_dir: Some(folder.path().to_path_buf()),
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator starts");
    let dir = live.data_dir().display().to_string();
    let emulator_flag = format!("--emulator={dir}");
    for args in [
        vec![emulator_flag.as_str(), "environments", "list"],
        vec!["emulator", "--data-dir", dir.as_str(), "--port", "0"],
    ] {
        let output = tokio::process::Command::new(BINARY)
            .args(&args)
            .env_clear()
            .output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(&dir), "{args:?}: {stderr}");
        assert!(
            stderr.contains("another emulator process"),
            "{args:?}: {stderr}"
        );
    }
    live.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickstart_passes_every_step() {
    let output = tokio::process::Command::new(BINARY)
        .arg("quickstart")
        .env_clear()
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for step in 1..=6 {
        assert!(
            stdout.contains(&format!("[{step}/6]")),
            "step {step} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("409") && stdout.contains("400, as expected") && stdout.contains("matches")
    );
    assert!(stdout.contains("every step behaved as the spec says"));
    assert!(
        stdout.contains("clean-up: removed session sesn_")
            && stdout.contains("2 environments")
            && stdout.contains("archived agent agent_"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("ghp_"),
        "a token reached the transcript:\n{stdout}"
    );
}

/// Runs the binary with no environment at all and returns its exit code and stderr.
fn run_bare(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(BINARY)
        .args(args)
        .env_clear()
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn numeric_flags_out_of_range_are_usage_errors() {
    for value in ["1e30", "NaN", "inf", "-inf", "0", "-1", "0.0000001", "soon"] {
        let flag = format!("--timeout={value}");
        let (code, stderr) = run_bare(&[&flag, "environments", "list"]);
        assert_eq!(code, Some(2), "--timeout {value}: {stderr}");
        assert!(stderr.contains("--timeout"), "--timeout {value}: {stderr}");
        assert!(!stderr.contains("panicked"), "--timeout {value}: {stderr}");
    }
    let (code, stderr) = run_bare(&["--max-retries", "100000", "environments", "list"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--max-retries"), "{stderr}");
    let (code, stderr) = run_bare(&["environments", "list", "--page-size", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--page-size"), "{stderr}");
    // A sane value gets past parsing (and stops at the missing credentials).
    let (code, stderr) = run_bare(&["--timeout", "2.5", "environments", "list"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("ANTHROPIC_API_KEY"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_a_repository_url_are_refused_unprinted() {
    let mut harness = Harness::start().await;
    let secret = "ghp_SECRETinurl0123456789";
    for repo in [
        format!("https://x-access-token:{secret}@github.com/owner/repo"),
        format!("https://x-access-token:{secret}@github.com/owner/repo@main=/src"),
        format!("https://{secret}@github.com/owner/repo#abc"),
        format!("https://github.com/owner/repo?access_token={secret}"),
        format!("https://github.com/owner/repo?access_token={secret}=/src"),
        format!("https://github.com/owner/repo@main?token={secret}"),
        format!("https://github.com/owner/repo#access_token={secret}"),
    ] {
        let stderr = harness
            .fails(
                &[
                    "sessions",
                    "create",
                    "--agent",
                    "agent_1",
                    "--environment",
                    "env_1",
                    "--repo",
                    &repo,
                ],
                None,
                2,
            )
            .await;
        assert!(
            stderr.contains("--repo") && stderr.contains("--token-env"),
            "{stderr}"
        );
    }
    for text in &harness.outputs {
        assert!(
            !text.contains(secret),
            "a secret reached the output:\n{text}"
        );
    }
    harness.assert_no_secret_leaked();
}

#[test]
fn a_bare_emulator_flag_leaves_the_subcommand_alone() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(BINARY)
            .args(args)
            .env_clear()
            .env("XDG_DATA_HOME", data.path())
            .output()
            .unwrap()
    };
    let created = run(&[
        "--emulator",
        "--json",
        "environments",
        "create",
        "--name",
        "bare",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let listed = run(&["--emulator", "environments", "list"]);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success() && stdout.contains("bare"),
        "{stdout}{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(data.path().join("managed-agents/emulator").is_dir());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_update_patches_title_and_metadata() {
    let mut harness = Harness::start().await;
    let agent = harness
        .json(&["agents", "create", "--name", "updater"])
        .await;
    let environment = harness
        .json(&["environments", "create", "--name", "update-env"])
        .await;
    let session = harness
        .json(&[
            "sessions",
            "create",
            "--agent",
            &id(&agent),
            "--environment",
            &id(&environment),
            "--title",
            "first",
            "--metadata",
            "keep=yes",
        ])
        .await;
    let session_id = id(&session);

    let updated = harness
        .json(&[
            "sessions",
            "update",
            &session_id,
            "--title",
            "second",
            "--metadata",
            "team=ml",
        ])
        .await;
    assert_eq!(updated["id"], session_id.as_str());
    assert_eq!(updated["title"], "second");
    assert_eq!(
        updated["metadata"],
        serde_json::json!({"keep": "yes", "team": "ml"})
    );

    let table = harness
        .run(
            &[
                "sessions",
                "update",
                &session_id,
                "--clear-title",
                "--metadata",
                "team=",
            ],
            None,
        )
        .await;
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|line| line.starts_with("title") && line.ends_with('-')),
        "{table}"
    );
    let fetched = harness.json(&["sessions", "get", &session_id]).await;
    assert_eq!(fetched["title"], serde_json::Value::Null);
    assert_eq!(fetched["metadata"], serde_json::json!({"keep": "yes"}));

    // Omitted fields are left alone.
    let untouched = harness
        .json(&["sessions", "update", &session_id, "--metadata", "x=1"])
        .await;
    assert_eq!(untouched["title"], serde_json::Value::Null);
    harness
        .json(&["sessions", "update", &session_id, "--title", "third"])
        .await;
    let kept = harness
        .json(&["sessions", "update", &session_id, "--metadata", "y=2"])
        .await;
    assert_eq!(kept["title"], "third");

    let stderr = harness
        .fails(&["sessions", "update", &session_id], None, 2)
        .await;
    assert!(stderr.contains("nothing to update"), "{stderr}");
    let stderr = harness
        .fails(
            &[
                "sessions",
                "update",
                &session_id,
                "--title",
                "a",
                "--clear-title",
            ],
            None,
            2,
        )
        .await;
    assert!(stderr.contains("--clear-title"), "{stderr}");
    let stderr = harness
        .fails(&["sessions", "update", "env_1", "--title", "a"], None, 2)
        .await;
    assert!(stderr.contains("sesn_"), "{stderr}");
    let stderr = harness
        .fails(
            &["sessions", "update", "sesn_doesnotexist", "--title", "a"],
            None,
            1,
        )
        .await;
    assert!(stderr.contains("404"), "{stderr}");
    harness.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quickstart_that_created_nothing_claims_no_clean_up() {
    let harness = Harness::start().await;
    let output = tokio::process::Command::new(BINARY)
        .args(["quickstart", "--base-url", &harness.emulator.base_url()])
        .env_clear()
        .env("ANTHROPIC_API_KEY", "sk-wrong-key-for-the-test")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("401"), "{stdout}{stderr}");
    assert!(
        !stdout.contains("clean-up") && !stdout.contains("removed"),
        "{stdout}"
    );
    assert!(!stdout.contains("sk-wrong-key") && !stderr.contains("sk-wrong-key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulling_outputs_of_an_unknown_session_is_an_api_error() {
    let mut harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("out");
    let stderr = harness
        .fails(
            &[
                "files",
                "pull-outputs",
                "sesn_doesnotexist",
                "--dir",
                out.to_str().unwrap(),
            ],
            None,
            1,
        )
        .await;
    assert!(
        stderr.contains("404") && stderr.contains("not_found_error"),
        "{stderr}"
    );
    assert!(!out.exists(), "the folder was created for nothing");
    let stdout = harness.outputs[harness.outputs.len() - 2].clone();
    assert!(!stdout.contains("saved"), "{stdout}");
    harness.assert_no_secret_leaked();
}

/// A server on 127.0.0.1 that answers every request with the same few canned answers, chosen
/// by path: `session` for `/v1/sessions/…`, a one-file list for `/v1/files?…`, `file` for
/// `/v1/files/{id}` and `content` (with a matching `content-length`) for its content.
async fn short_download_server(
    session: serde_json::Value,
    file: serde_json::Value,
    content: &'static [u8],
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (session, file) = (session.clone(), file.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let (content_type, body) = if path.starts_with("/v1/sessions/") {
                    ("application/json", session.to_string().into_bytes())
                } else if path.starts_with("/v1/files?") || path == "/v1/files" {
                    let page = serde_json::json!({
                        "data": [file], "next_page": null, "has_more": false,
                    });
                    ("application/json", page.to_string().into_bytes())
                } else if path.split('?').next().unwrap_or("").ends_with("/content") {
                    ("text/plain", content.to_vec())
                } else {
                    ("application/json", file.to_string().into_bytes())
                };
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
                     request-id: req_mock\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_shorter_than_the_file_fails_and_leaves_nothing() {
    let mut harness = Harness::start().await;
    let agent = harness.json(&["agents", "create", "--name", "a"]).await;
    let environment = harness
        .json(&["environments", "create", "--name", "e"])
        .await;
    let session = harness
        .json(&[
            "sessions",
            "create",
            "--agent",
            &id(&agent),
            "--environment",
            &id(&environment),
        ])
        .await;
    let session_id = id(&session);
    let file = serde_json::json!({
        "id": "file_011CShortDownload",
        "type": "file",
        "filename": "short.txt",
        "mime_type": "text/plain",
        "size_bytes": 100,
        "created_at": "2026-01-01T00:00:00Z",
        "downloadable": true,
        "scope": {"type": "session", "id": session_id},
    });
    let base_url = short_download_server(session, file, &[b'x'; 40]).await;
    let folder = tempfile::tempdir().unwrap();
    let run = |args: Vec<String>| {
        std::process::Command::new(BINARY)
            .args(["--base-url", &base_url, "--max-retries", "0"])
            .args(args)
            .env_clear()
            .env("ANTHROPIC_API_KEY", "sk-mock")
            .output()
            .unwrap()
    };

    let destination = folder.path().join("short.txt");
    let output = run(vec![
        "files".into(),
        "download".into(),
        "file_011CShortDownload".into(),
        "-o".into(),
        destination.to_str().unwrap().into(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("40") && stderr.contains("100"), "{stderr}");
    assert!(!destination.exists());

    let pulled = folder.path().join("pulled");
    let output = run(vec![
        "files".into(),
        "pull-outputs".into(),
        session_id.clone(),
        "--dir".into(),
        pulled.to_str().unwrap().into(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("40") && stderr.contains("100"), "{stderr}");
    assert_eq!(std::fs::read_dir(&pulled).unwrap().count(), 0);
    assert!(folder.path().read_dir().unwrap().count() == 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_keys_in_input_files_are_refused() {
    let mut harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let yaml = folder.path().join("env.yaml");
    std::fs::write(&yaml, "name: a\nname: b\n").unwrap();
    let json = folder.path().join("agent.json");
    std::fs::write(
        &json,
        r#"{"name":"a","model":"claude-opus-4-7","name":"b"}"#,
    )
    .unwrap();
    for args in [
        [
            "environments",
            "create",
            "--from-file",
            yaml.to_str().unwrap(),
        ],
        ["agents", "create", "--from-file", json.to_str().unwrap()],
    ] {
        let stderr = harness.fails(&args, None, 2).await;
        assert!(
            stderr.contains("duplicate key `name`"),
            "{args:?}: {stderr}"
        );
    }
    let listed = harness.json(&["environments", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_fields_in_input_files_are_refused_at_any_depth() {
    let mut harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("body.json");
    let cases = [
        (
            "environments",
            concat!(
                r#"{"name":"x","config":{"type":"cloud","#,
                r#""networking":{"type":"limited","allowed_hostz":[]}}}"#
            ),
            "config.networking.allowed_hostz",
        ),
        (
            "environments",
            r#"{"name":"x","config":{"type":"cloud","packages":{"pipx":["black"]}}}"#,
            "config.packages.pipx",
        ),
        (
            "environments",
            r#"{"name":"x","config":{"type":"cloud","extra":1}}"#,
            "config.extra",
        ),
        (
            "agents",
            concat!(
                r#"{"name":"x","model":"claude-opus-4-7","tools":[{"#,
                r#""type":"agent_toolset_20260401","default_config":{"enabeld":true}}]}"#
            ),
            "tools[0].default_config.enabeld",
        ),
        (
            "agents",
            r#"{"name":"x","model":{"id":"claude-opus-4-7","sped":"fast"}}"#,
            "model.sped",
        ),
    ];
    for (group, body, path) in cases {
        let stderr = harness.create_from_bad_file(group, &file, body).await;
        assert!(stderr.contains(&format!("`{path}`")), "{body}: {stderr}");
    }
    for group in ["environments", "agents"] {
        let listed = harness.json(&[group, "list"]).await;
        assert_eq!(listed.as_array().unwrap().len(), 0, "{group}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_command_serves_the_folder_of_the_global_flag() {
    use tokio::io::AsyncBufReadExt;

    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("state");
    let mut child = tokio::process::Command::new(BINARY)
        .arg(format!("--emulator={}", dir.display()))
        .args(["emulator", "--port", "0"])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let data_line = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.starts_with("data in ") {
                return line;
            }
        }
        panic!("no `data in` line");
    })
    .await
    .expect("the emulator starts");
    child.kill().await.unwrap();
    assert_eq!(data_line, format!("data in {}", dir.display()));
    assert!(dir.join("emulator.lock").exists());

    let other = folder.path().join("other");
    let output = tokio::process::Command::new(BINARY)
        .arg(format!("--emulator={}", dir.display()))
        .args(["emulator", "--port", "0", "--data-dir"])
        .arg(&other)
        .env_clear()
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--data-dir") && stderr.contains("--emulator"),
        "{stderr}"
    );
    assert!(!other.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metadata_key_given_twice_is_refused() {
    let mut harness = Harness::start().await;
    let environment = harness
        .json(&["environments", "create", "--name", "keys"])
        .await;
    let environment_id = environment["id"].as_str().unwrap().to_owned();
    for args in [
        vec!["environments", "create", "--name", "twice"],
        vec!["environments", "update", &environment_id],
    ] {
        let mut args = args;
        args.extend(["--metadata", "team=a", "--metadata", "team=b"]);
        let stderr = harness.fails(&args, None, 2).await;
        assert!(
            stderr.contains("--metadata") && stderr.contains("`team`"),
            "{args:?}: {stderr}"
        );
    }
    let listed = harness.json(&["environments", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let fetched = harness
        .json(&["environments", "get", &environment_id])
        .await;
    assert_eq!(fetched["metadata"], serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_base_url_with_credentials_is_refused_unrepeated() {
    let output = tokio::process::Command::new(BINARY)
        .args([
            "--base-url",
            "HTTP://user:s3cret_pw@127.0.0.1:1",
            "vaults",
            "list",
        ])
        .env_clear()
        .env("ANTHROPIC_API_KEY", "sk-test")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("carries credentials"), "{stderr}");
    assert!(
        !stderr.contains("s3cret_pw") && !stdout.contains("s3cret_pw"),
        "{stderr}"
    );
}
