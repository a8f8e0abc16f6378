//! Spec section 11, the worked flows, through the client core over the fetch transport in
//! Node, against the emulator.

#![cfg(target_arch = "wasm32")]

mod common;

use common::{client, control, params, unique};
use futures_util::TryStreamExt;
use managed_agents_fetch::Upload;
use managed_agents_types::agents::Agent;
use managed_agents_types::environments::{Environment, EnvironmentListParams};
use managed_agents_types::files::{FileListParams, FileUploadParams};
use managed_agents_types::ids::{EnvironmentId, SessionResourceId};
use managed_agents_types::resources::SessionResourceListParams;
use managed_agents_types::sessions::Session;
use managed_agents_types::vaults::Vault;
use serde_json::{Value, json};
use wasm_bindgen_test::wasm_bindgen_test;

const TOKEN: &str = "ghp_wasmflowsecrettoken0001";

/// Every byte value, so that a download that is not byte-exact shows.
fn chart_png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    bytes
}

#[wasm_bindgen_test]
async fn section_11_worked_flows() {
    let client = client();
    let names = [
        unique("python-dev"),
        unique("locked-down"),
        unique("data-analysis"),
    ];

    // 1. Environments, a duplicate name, restricted networking and packages.
    let python_dev: Environment = client
        .environments()
        .create(&params(json!({"name": names[0],
            "config": {"type": "cloud", "networking": {"type": "unrestricted"}}})))
        .await
        .unwrap();
    let duplicate = client
        .environments()
        .create(&params(json!({"name": names[0]})))
        .await
        .unwrap_err();
    assert_eq!(duplicate.status(), Some(409), "{duplicate}");
    client
        .environments()
        .create(&params(
            json!({"name": names[1], "config": {"type": "cloud",
            "networking": {"type": "package_managers_and_custom",
                           "allowed_hosts": ["api.example.com"]}}}),
        ))
        .await
        .unwrap();
    let analysis: Value = serde_json::to_value(
        client
            .environments()
            .create(&params(
                json!({"name": names[2], "config": {"type": "cloud",
                "networking": {"type": "limited", "allow_package_managers": true},
                "packages": {"pip": ["pandas", "numpy", "scikit-learn"], "npm": ["express"]}}}),
            ))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        analysis["config"]["packages"]["pip"],
        json!(["pandas", "numpy", "scikit-learn"])
    );

    // 2. An upload and an agent with an MCP server.
    let data = b"city,temperature\nOslo,4\nLima,19\n";
    let upload = Upload::from_bytes(data).unwrap();
    let file = client
        .files()
        .upload(&FileUploadParams::new("data.csv"), upload)
        .await
        .unwrap();
    assert_eq!(
        (file.filename.as_str(), file.size_bytes),
        ("data.csv", data.len() as u64)
    );
    let agent: Agent = client
        .agents()
        .create(&params(
            json!({"name": "GitHub Agent", "model": "claude-opus-4-7",
            "mcp_servers": [{"type": "url", "name": "github",
                             "url": "https://api.githubcopilot.com/mcp/"}],
            "tools": [{"type": "agent_toolset_20260401", "default_config": {"enabled": true}},
                      {"type": "mcp_toolset", "mcp_server_name": "github"}]}),
        ))
        .await
        .unwrap();
    let vault: Vault = client
        .vaults()
        .create(&params(json!({"display_name": unique("flows")})))
        .await
        .unwrap();

    // 3. A session with a file, a repository and a vault.
    let session: Session = client
        .sessions()
        .create(&params(
            json!({"agent": agent.id, "environment_id": python_dev.id,
            "vault_ids": [vault.id],
            "resources": [
                {"type": "file", "file_id": file.id, "mount_path": "/workspace/data.csv"},
                {"type": "github_repository", "url": "https://github.com/owner/repo",
                 "authorization_token": TOKEN, "checkout": {"type": "branch", "name": "main"}}]}),
        ))
        .await
        .unwrap();
    assert_eq!(session.status.as_str(), "idle");

    // 4. Resources never show the token; rotating it keeps it hidden.
    let resources = client.sessions().resources();
    let listed: Vec<_> = resources
        .list_stream(&session.id, &SessionResourceListParams::default())
        .try_collect()
        .await
        .unwrap();
    let listed = serde_json::to_value(&listed).unwrap();
    assert!(!listed.to_string().contains(TOKEN));
    let repository = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["type"] == "github_repository")
        .expect("the repository is mounted");
    let mounted_file = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["type"] == "file")
        .expect("the file is mounted");
    assert_eq!(mounted_file["mount_path"], "/workspace/data.csv");
    let repository_id = SessionResourceId::new(repository["id"].as_str().unwrap()).unwrap();
    let rotated = resources
        .update(
            &session.id,
            &repository_id,
            &params(json!({"authorization_token": "ghp_rotatedtoken0002"})),
        )
        .await
        .unwrap();
    assert!(!serde_json::to_string(&rotated).unwrap().contains("ghp_"));
    let again: Vec<_> = resources
        .list_stream(&session.id, &SessionResourceListParams::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(again.len(), 2);
    assert!(!serde_json::to_string(&again).unwrap().contains("ghp_"));

    // 5. Outputs: a text and a binary file, listed by session and downloaded intact.
    let report = b"# Report\n\nAll good.\n".to_vec();
    let chart = chart_png();
    for (path, body) in [("report.md", &report), ("chart.png", &chart)] {
        let status = control(
            "PUT",
            &format!("/_emulator/sessions/{}/outputs/{path}", session.id.as_str()),
            Some(body),
        )
        .await;
        assert!(
            (200..300).contains(&status),
            "writing {path} answered {status}"
        );
    }
    let outputs: Vec<_> = client
        .files()
        .list_stream(&FileListParams {
            scope_id: Some(session.id.clone()),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(outputs.len(), 2, "{outputs:?}");
    for output in &outputs {
        let expected = match output.filename.as_str() {
            "report.md" => &report,
            "chart.png" => &chart,
            other => panic!("unexpected output {other}"),
        };
        let bytes = client.files().download_bytes(&output.id).await.unwrap();
        assert_eq!(
            bytes.as_ref(),
            expected.as_slice(),
            "{} differs",
            output.filename
        );
    }

    // 6. Update, archive, no new session on it, lists with and without archived, delete.
    let updated = client
        .environments()
        .update(&python_dev.id, &params(json!({"description": "updated"})))
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("updated"));
    let archived = client.environments().archive(&python_dev.id).await.unwrap();
    assert!(archived.archived_at.is_some());
    let refused = client
        .sessions()
        .create(&params(
            json!({"agent": agent.id, "environment_id": python_dev.id}),
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(400), "{refused}");
    let ids = |include_archived: bool| {
        let client = client.clone();
        async move {
            let list = client.environments().list_stream(&EnvironmentListParams {
                include_archived: Some(include_archived),
                limit: Some(2),
                ..Default::default()
            });
            list.map_ok(|environment| environment.id)
                .try_collect::<Vec<EnvironmentId>>()
                .await
                .unwrap()
        }
    };
    assert!(!ids(false).await.contains(&python_dev.id));
    assert!(ids(true).await.contains(&python_dev.id));
    let deleted = client.environments().delete(&python_dev.id).await.unwrap();
    assert_eq!(deleted.id, python_dev.id.as_str());
    let gone = client
        .environments()
        .retrieve(&python_dev.id)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404));
}
