//! The worked flows of spec section 11, end to end through the client.

mod common;

use common::{Harness, params};
use futures_util::TryStreamExt;
use managed_agents_types::environments::EnvironmentListParams;
use managed_agents_types::files::FileListParams;
use managed_agents_types::resources::SessionResource;

#[tokio::test]
async fn spec_section_11() {
    let harness = Harness::start().await;
    let client = &harness.client;

    // 1. Environments, a duplicate name, and both restricted networking policies.
    let python = client
        .environments()
        .create(&params(serde_json::json!({"name": "python-dev",
            "config": {"type": "cloud", "networking": {"type": "unrestricted"}}})))
        .await
        .unwrap();
    let duplicate = client
        .environments()
        .create(&params(serde_json::json!({"name": "python-dev"})))
        .await
        .unwrap_err();
    assert_eq!(duplicate.status(), Some(409));
    client
        .environments()
        .create(&params(
            serde_json::json!({"name": "locked-down", "config": {"type": "cloud",
            "networking": {"type": "package_managers_and_custom",
                           "allowed_hosts": ["api.example.com"]}}}),
        ))
        .await
        .unwrap();
    let analysis = client
        .environments()
        .create(&params(
            serde_json::json!({"name": "data-analysis", "config": {"type": "cloud",
            "networking": {"type": "limited", "allow_package_managers": true},
            "packages": {"pip": ["pandas", "numpy", "scikit-learn"], "npm": ["express"]}}}),
        ))
        .await
        .unwrap();
    let config = serde_json::to_value(&analysis.config).unwrap();
    assert_eq!(config["packages"]["pip"][2], "scikit-learn");

    // 2. A file and an agent with an MCP server and its toolset.
    let data = client
        .files()
        .upload_bytes("data.csv", &b"x,y\n1,2\n"[..])
        .await
        .unwrap();
    let agent = client
        .agents()
        .create(&params(
            serde_json::json!({"name": "GitHub Agent", "model": "claude-opus-4-7",
            "mcp_servers": [{"type": "url", "name": "github",
                             "url": "https://api.githubcopilot.com/mcp/"}],
            "tools": [{"type": "agent_toolset_20260401", "default_config": {"enabled": true}},
                      {"type": "mcp_toolset", "mcp_server_name": "github"}]}),
        ))
        .await
        .unwrap();
    let vault = client
        .vaults()
        .create(&params(serde_json::json!({"display_name": "ci"})))
        .await
        .unwrap();

    // 3. A session with the file, a repository and a vault.
    let session = client
        .sessions()
        .create(&params(
            serde_json::json!({"agent": agent.id, "environment_id": python.id,
            "vault_ids": [vault.id],
            "resources": [
                {"type": "file", "file_id": data.id, "mount_path": "/workspace/data.csv"},
                {"type": "github_repository", "url": "https://github.com/owner/repo",
                 "authorization_token": "ghp_flow_token_1",
                 "checkout": {"type": "branch", "name": "main"}}]}),
        ))
        .await
        .unwrap();
    assert_eq!(session.vault_ids, vec![vault.id.clone()]);

    // 4. Resources without a token; rotate it; list again.
    let resources = client.sessions().resources();
    let listed = resources
        .list(&session.id, &Default::default())
        .await
        .unwrap();
    let text = serde_json::to_string(&listed).unwrap();
    assert!(!text.contains("ghp_flow_token"));
    let repository = listed
        .data
        .iter()
        .find(|resource| matches!(resource, SessionResource::GithubRepository(_)))
        .and_then(SessionResource::id)
        .unwrap()
        .clone();
    let rotated = resources
        .update(
            &session.id,
            &repository,
            &params(serde_json::json!({"authorization_token": "ghp_flow_token_2"})),
        )
        .await
        .unwrap();
    assert!(
        !serde_json::to_string(&rotated)
            .unwrap()
            .contains("ghp_flow_token")
    );
    let again: Vec<_> = resources
        .list_stream(&session.id, &Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(again.len(), 2);

    // 5. Outputs, listed by scope and downloaded byte for byte.
    let report = b"# Report\n".to_vec();
    let chart: Vec<u8> = (0..=255u8).rev().cycle().take(4096).collect();
    harness
        .write_output(&session.id, "report.md", &report)
        .await;
    harness.write_output(&session.id, "chart.png", &chart).await;
    let scoped = FileListParams {
        scope_id: Some(session.id.clone()),
        ..Default::default()
    };
    let outputs: Vec<_> = client
        .files()
        .list_stream(&scoped)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(outputs.len(), 2);
    for output in outputs {
        let bytes = client.files().download_bytes(&output.id).await.unwrap();
        let expected = if output.filename == "report.md" {
            &report
        } else {
            &chart
        };
        assert_eq!(&bytes[..], &expected[..]);
    }

    // 6. Update, archive, a refused session, lists with and without archived, delete.
    client
        .environments()
        .update(
            &python.id,
            &params(serde_json::json!({"description": "v2"})),
        )
        .await
        .unwrap();
    client.environments().archive(&python.id).await.unwrap();
    let refused = client
        .sessions()
        .create(&params(
            serde_json::json!({"agent": agent.id, "environment_id": python.id}),
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(400));
    let active: Vec<_> = client
        .environments()
        .list_stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 2);
    let with_archived = EnvironmentListParams {
        include_archived: Some(true),
        ..Default::default()
    };
    let everything: Vec<_> = client
        .environments()
        .list_stream(&with_archived)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), 3);
    client.environments().delete(&python.id).await.unwrap();
    harness.shutdown().await;
}
