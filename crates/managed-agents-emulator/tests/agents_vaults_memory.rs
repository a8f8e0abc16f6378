//! Agents (versions, conflicts, archive), vaults and memory stores.

mod common;

use common::Harness;
use reqwest::Method;
use serde_json::{Value, json};

fn github_agent() -> Value {
    json!({
        "name": "GitHub Agent",
        "model": "claude-opus-4-7",
        "mcp_servers": [
            {"type": "url", "name": "github", "url": "https://api.githubcopilot.com/mcp/"}
        ],
        "tools": [
            {"type": "agent_toolset_20260401", "default_config": {"enabled": true}},
            {"type": "mcp_toolset", "mcp_server_name": "github"},
        ],
    })
}

#[tokio::test]
async fn agents_are_versioned_and_conflicts_are_409() {
    let harness = Harness::start().await;
    let agent = harness.post("/v1/agents", github_agent()).await.ok();
    assert_eq!(agent["version"], 1);
    assert_eq!(agent["model"], json!({"id": "claude-opus-4-7"}));
    assert_eq!(agent["tools"][1]["mcp_server_name"], "github");
    let id = agent["id"].as_str().unwrap();
    assert!(id.starts_with("agent_"));
    let path = format!("/v1/agents/{id}");

    let updated = harness
        .post(&path, json!({"version": 1, "system": "Be careful."}))
        .await
        .ok();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "GitHub Agent");
    let stale = harness
        .post(&path, json!({"version": 1, "name": "x"}))
        .await;
    stale.expect_error(409, "conflict_error");
    assert_eq!(
        stale.header("x-should-retry"),
        Some("false"),
        "a retry cannot help"
    );
    let unchanged = harness
        .post(&path, json!({"version": 2, "system": "Be careful."}))
        .await
        .ok();
    assert_eq!(unchanged["version"], 2, "no change, no new version");

    let environment = harness.environment("agents").await;
    let pinned = harness
        .post(
            "/v1/sessions",
            json!({"agent": {"type": "agent", "id": id, "version": 1},
                   "environment_id": environment["id"]}),
        )
        .await
        .ok();
    assert_eq!(pinned["agent"]["version"], 1);
    assert!(pinned["agent"].get("system").is_none());
    let latest = harness
        .post(
            "/v1/sessions",
            json!({"agent": id, "environment_id": environment["id"]}),
        )
        .await
        .ok();
    assert_eq!(latest["agent"]["system"], "Be careful.");
    harness
        .post(
            "/v1/sessions",
            json!({"agent": {"type": "agent", "id": id, "version": 9},
                   "environment_id": environment["id"]}),
        )
        .await
        .expect_error(404, "not_found_error");

    let archived = harness
        .post(&format!("{path}/archive"), json!({}))
        .await
        .ok();
    assert!(archived["archived_at"].is_string());
    harness
        .post(&path, json!({"version": 2, "name": "y"}))
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(harness.get("/v1/agents").await.ok()["data"], json!([]));
    let all = harness.get("/v1/agents?include_archived=true").await.ok();
    assert_eq!(all["data"][0]["id"], id);
    assert_eq!(
        harness
            .send(harness.request(Method::DELETE, &path))
            .await
            .status,
        405,
        "agents cannot be deleted"
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn agent_rules_are_enforced() {
    let harness = Harness::start().await;
    let mut unused_server = github_agent();
    unused_server["tools"] = json!([]);
    let mut unknown_server = github_agent();
    unknown_server["mcp_servers"] = json!([]);
    for body in [
        json!({"name": "", "model": "m"}),
        json!({"name": "a"}),
        json!({"name": "a", "model": "m", "system": "s".repeat(100_001)}),
        json!({"name": "a", "model": "m", "description": "d".repeat(2049)}),
        unused_server,
        unknown_server,
    ] {
        harness
            .post("/v1/agents", body)
            .await
            .expect_error(400, "invalid_request_error");
    }
    let future_tool = harness
        .post(
            "/v1/agents",
            json!({"name": "a", "model": "m", "tools": [{"type": "future_tool"}]}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(
        future_tool.starts_with("tools[0].type:") && future_tool.contains("`future_tool`"),
        "{future_tool}"
    );
    let stdio_server = harness
        .post(
            "/v1/agents",
            json!({"name": "a", "model": "m",
                   "mcp_servers": [{"type": "stdio", "name": "local"}]}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(
        stdio_server.contains("mcp_servers[0].type: unknown MCP server type `stdio`"),
        "{stdio_server}"
    );
    harness
        .get("/v1/agents?limit=101")
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn vaults_and_memory_stores_have_their_lifecycle() {
    let harness = Harness::start().await;
    let vault = harness
        .post(
            "/v1/vaults",
            json!({"display_name": "Team", "metadata": {"a": "1"}}),
        )
        .await
        .ok();
    let vault_path = format!("/v1/vaults/{}", vault["id"].as_str().unwrap());
    assert!(vault["id"].as_str().unwrap().starts_with("vlt_"));
    let renamed = harness
        .post(
            &vault_path,
            json!({"display_name": "Ops", "metadata": {"a": null}}),
        )
        .await
        .ok();
    assert_eq!(renamed["display_name"], "Ops");
    assert_eq!(renamed["metadata"], json!({}));
    let cleared = harness
        .post(&vault_path, json!({"display_name": null}))
        .await
        .expect_error(400, "invalid_request_error");
    assert!(
        cleared.starts_with("display_name: cannot be null"),
        "{cleared}"
    );
    harness
        .post("/v1/vaults", json!({"display_name": "v".repeat(256)}))
        .await
        .expect_error(400, "invalid_request_error");
    harness
        .post(&format!("{vault_path}/archive"), json!({}))
        .await
        .ok();
    assert_eq!(harness.get("/v1/vaults").await.ok()["data"], json!([]));
    let deleted = harness.delete(&vault_path).await.ok();
    assert_eq!(deleted["type"], "vault_deleted");
    harness
        .get(&vault_path)
        .await
        .expect_error(404, "not_found_error");

    let store = harness
        .post("/v1/memory_stores", json!({"name": "Notes"}))
        .await
        .ok();
    assert_eq!(store["description"], "");
    assert_eq!(store["type"], "memory_store");
    let twin = harness
        .post("/v1/memory_stores", json!({"name": "Notes"}))
        .await;
    assert_eq!(twin.status, 200, "names need not be unique");
    let store_path = format!("/v1/memory_stores/{}", store["id"].as_str().unwrap());
    let described = harness
        .post(&store_path, json!({"description": "what we learnt"}))
        .await
        .ok();
    assert_eq!(described["description"], "what we learnt");
    let cleared = harness
        .post(&store_path, json!({"description": null}))
        .await
        .ok();
    assert_eq!(cleared["description"], "");
    harness
        .post(
            "/v1/memory_stores",
            json!({"name": "n", "description": "d".repeat(1025)}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    let deleted = harness.delete(&store_path).await.ok();
    assert_eq!(deleted["type"], "memory_store_deleted");
    let listed = harness.get("/v1/memory_stores").await.ok();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    harness.shutdown().await;
}

#[tokio::test]
async fn null_is_refused_for_lists_and_metadata_that_cannot_be_cleared() {
    let harness = Harness::start().await;
    let agent = harness.agent("nulls").await;
    let agent_path = format!("/v1/agents/{}", agent["id"].as_str().unwrap());
    for field in ["tools", "mcp_servers", "metadata"] {
        let message = harness
            .post(&agent_path, json!({"version": 1, field: null}))
            .await
            .expect_error(400, "invalid_request_error");
        assert!(
            message.starts_with(&format!("{field}: cannot be null")),
            "{message}"
        );
    }
    assert_eq!(harness.get(&agent_path).await.ok()["version"], 1);

    let vault = harness
        .post("/v1/vaults", json!({"display_name": "v"}))
        .await
        .ok();
    let store = harness
        .post("/v1/memory_stores", json!({"name": "m"}))
        .await
        .ok();
    let session = harness.session(json!({"metadata": {"a": "1"}})).await;
    for object in [vault, store, session.clone()] {
        let path = match object["type"].as_str().unwrap() {
            "vault" => "vaults",
            "memory_store" => "memory_stores",
            _ => "sessions",
        };
        let message = harness
            .post(
                &format!("/v1/{path}/{}", object["id"].as_str().unwrap()),
                json!({"metadata": null}),
            )
            .await
            .expect_error(400, "invalid_request_error");
        assert!(message.starts_with("metadata: cannot be null"), "{message}");
    }
    let session_path = format!("/v1/sessions/{}", session["id"].as_str().unwrap());
    assert_eq!(
        harness.get(&session_path).await.ok()["metadata"],
        json!({"a": "1"})
    );
    harness.shutdown().await;
}
