//! Sessions and their resources: reference checks before creation, caps, mount paths,
//! tokens never returned, the session resources API, filters, archive and delete.

mod common;

use common::Harness;
use managed_agents_emulator::EmulatorConfig;
use serde_json::{Value, json};

const TOKEN: &str = "ghp_secret_token_value_123";

async fn count_sessions(harness: &Harness) -> usize {
    harness.get("/v1/sessions?include_archived=true").await.ok()["data"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_worked_flow_mounts_resources_and_never_returns_tokens() {
    let harness = Harness::start().await;
    let file = harness
        .upload("data.csv", "text/csv", b"a,b\n1,2\n".to_vec())
        .await
        .ok();
    let vault = harness
        .post("/v1/vaults", json!({"display_name": "team"}))
        .await
        .ok();
    let session = harness
        .session(json!({
            "resources": [
                {"type": "file", "file_id": file["id"], "mount_path": "/workspace/data.csv"},
                {"type": "github_repository", "url": "https://github.com/owner/repo",
                 "authorization_token": TOKEN, "checkout": {"type": "branch", "name": "main"}},
            ],
            "vault_ids": [vault["id"]],
            "title": "flow",
        }))
        .await;
    assert_eq!(session["status"], "idle");
    assert_eq!(session["vault_ids"], json!([vault["id"]]));
    assert_eq!(session["agent"]["version"], 1);
    assert_eq!(session["agent"]["model"]["id"], "claude-opus-4-7");
    let resources = session["resources"].as_array().unwrap();
    assert_eq!(resources[0]["mount_path"], "/workspace/data.csv");
    assert_eq!(resources[1]["mount_path"], "/workspace/repo");
    assert_eq!(
        resources[1]["checkout"],
        json!({"type": "branch", "name": "main"})
    );
    let session_id = session["id"].as_str().unwrap();
    assert!(session_id.starts_with("sesn_"));

    let mounted = harness
        .emulator
        .data_dir()
        .join("sessions")
        .join(session_id)
        .join("workspace/data.csv");
    assert_eq!(std::fs::read(mounted).unwrap(), b"a,b\n1,2\n");

    let path = format!("/v1/sessions/{session_id}/resources");
    let listed = harness.get(&path).await;
    assert!(!listed.text.contains(TOKEN));
    let repository = listed.body["data"][1].clone();
    assert!(repository["id"].as_str().unwrap().starts_with("sesrsc_"));
    assert!(repository.get("authorization_token").is_none());

    let rotated = harness
        .post(
            &format!("{path}/{}", repository["id"].as_str().unwrap()),
            json!({"authorization_token": "ghp_rotated_token"}),
        )
        .await;
    assert!(!rotated.text.contains("ghp_rotated_token"));
    let rotated = rotated.ok();
    assert_ne!(rotated["updated_at"], repository["updated_at"]);
    for answer in [
        harness.get(&path).await,
        harness.get(&format!("/v1/sessions/{session_id}")).await,
        harness.get("/v1/sessions").await,
    ] {
        assert!(!answer.text.contains(TOKEN) && !answer.text.contains("ghp_rotated"));
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn references_are_checked_before_anything_is_created() {
    let harness = Harness::start().await;
    let environment = harness.environment("refs").await;
    let agent = harness.agent("refs").await;
    let base = json!({"agent": agent["id"], "environment_id": environment["id"]});
    let with = |extra: Value| {
        let mut body = base.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let archived_store = harness
        .post("/v1/memory_stores", json!({"name": "old"}))
        .await
        .ok();
    harness
        .post(
            &format!(
                "/v1/memory_stores/{}/archive",
                archived_store["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .ok();
    let cases = [
        (with(json!({"agent": "agent_missing"})), 404),
        (with(json!({"environment_id": "env_missing"})), 404),
        (with(json!({"vault_ids": ["vlt_missing"]})), 404),
        (
            with(json!({"resources": [
                {"type": "github_repository", "url": "https://github.com/o/r",
             "authorization_token": "t"},
                {"type": "file", "file_id": "file_missing"}]})),
            404,
        ),
        (
            with(json!({"resources": [
                    {"type": "memory_store", "memory_store_id": "memstore_missing"}]})),
            404,
        ),
        (
            with(json!({"resources": [
                    {"type": "memory_store", "memory_store_id": archived_store["id"]}]})),
            400,
        ),
        (with(json!({"agent": "env_wrong_prefix"})), 400),
    ];
    for (body, status) in cases {
        let answer = harness.post("/v1/sessions", body.clone()).await;
        assert_eq!(answer.status.as_u16(), status, "{body} -> {}", answer.text);
        assert_eq!(answer.body["type"], "error");
    }
    assert_eq!(count_sessions(&harness).await, 0);
    let sandboxes = std::fs::read_dir(harness.emulator.data_dir().join("sessions"))
        .unwrap()
        .count();
    assert_eq!(sandboxes, 0, "no sandbox is left behind");

    harness
        .post(
            &format!("/v1/agents/{}/archive", agent["id"].as_str().unwrap()),
            json!({}),
        )
        .await
        .ok();
    harness
        .post("/v1/sessions", base)
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn resource_caps_are_enforced() {
    let harness = Harness::start_with(EmulatorConfig {
        max_file_resources: 3,
        ..EmulatorConfig::default()
    })
    .await;
    let file = harness
        .upload("f.txt", "text/plain", b"x".to_vec())
        .await
        .ok();
    let files: Vec<Value> = (0..4)
        .map(|i| json!({"type": "file", "file_id": file["id"], "mount_path": format!("/w/{i}")}))
        .collect();
    let environment = harness.environment("caps").await;
    let agent = harness.agent("caps").await;
    let body = |resources: &[Value]| {
        json!({
            "agent": agent["id"],
            "environment_id": environment["id"],
            "resources": resources,
        })
    };
    harness
        .post("/v1/sessions", body(&files))
        .await
        .expect_error(400, "invalid_request_error");
    let session = harness.post("/v1/sessions", body(&files[..3])).await.ok();
    let add = harness
        .post(
            &format!("/v1/sessions/{}/resources", session["id"].as_str().unwrap()),
            json!({"type": "file", "file_id": file["id"], "mount_path": "/w/extra"}),
        )
        .await;
    assert!(
        add.expect_error(400, "invalid_request_error")
            .contains("at most 3")
    );

    let mut stores = Vec::new();
    for i in 0..9 {
        let store = harness
            .post("/v1/memory_stores", json!({"name": format!("store {i}")}))
            .await
            .ok();
        stores.push(json!({"type": "memory_store", "memory_store_id": store["id"]}));
    }
    harness
        .post("/v1/sessions", body(&stores))
        .await
        .expect_error(400, "invalid_request_error");
    let twice = [stores[0].clone(), stores[0].clone()];
    harness
        .post("/v1/sessions", body(&twice))
        .await
        .expect_error(400, "invalid_request_error");
    let eight = harness.post("/v1/sessions", body(&stores[..8])).await.ok();
    assert_eq!(eight["resources"].as_array().unwrap().len(), 8);
    harness.shutdown().await;
}

#[tokio::test]
async fn mount_paths_follow_the_rules_and_defaults() {
    let harness = Harness::start().await;
    let file = harness
        .upload("d.csv", "text/csv", b"1".to_vec())
        .await
        .ok();
    let file_id = file["id"].as_str().unwrap();
    for bad in [
        "relative/x",
        "/",
        "/a//b",
        "/a/",
        "/a/../b",
        "/./a",
        "/mnt/session/outputs/x",
    ] {
        let answer = harness.session(json!({})).await;
        let add = harness
            .post(
                &format!("/v1/sessions/{}/resources", answer["id"].as_str().unwrap()),
                json!({"type": "file", "file_id": file_id, "mount_path": bad}),
            )
            .await;
        add.expect_error(400, "invalid_request_error");
    }
    let store = harness
        .post(
            "/v1/memory_stores",
            json!({"name": "User Preferences", "description": "likes"}),
        )
        .await
        .ok();
    let session = harness
        .session(json!({"resources": [
            {"type": "file", "file_id": file_id},
            {"type": "github_repository", "url": "https://github.com/owner/tool.git",
             "authorization_token": "t"},
            {"type": "memory_store", "memory_store_id": store["id"], "instructions": "be brief"},
        ]}))
        .await;
    let resources = &session["resources"];
    assert_eq!(
        resources[0]["mount_path"],
        format!("/mnt/session/uploads/{file_id}")
    );
    assert_eq!(resources[1]["mount_path"], "/workspace/tool");
    assert_eq!(resources[1]["checkout"], Value::Null);
    assert_eq!(resources[2]["mount_path"], "/mnt/memory/user-preferences");
    assert_eq!(resources[2]["name"], "User Preferences");
    assert_eq!(resources[2]["description"], "likes");
    assert_eq!(resources[2]["access"], "read_write");
    assert_eq!(resources[2]["instructions"], "be brief");

    let symbols = harness
        .post("/v1/memory_stores", json!({"name": "!!!"}))
        .await
        .ok();
    let symbols_id = symbols["id"].as_str().unwrap();
    let mounted = harness
        .session(json!({"resources": [
            {"type": "memory_store", "memory_store_id": symbols_id},
        ]}))
        .await;
    assert_eq!(
        mounted["resources"][0]["mount_path"],
        format!("/mnt/memory/{symbols_id}"),
        "a name without letters or digits is not mounted at /mnt/memory/ itself"
    );

    let same_path = harness.session(json!({})).await;
    let path = format!(
        "/v1/sessions/{}/resources",
        same_path["id"].as_str().unwrap()
    );
    harness
        .post(
            &path,
            json!({"type": "file", "file_id": file_id, "mount_path": "/w/a"}),
        )
        .await
        .ok();
    harness
        .post(
            &path,
            json!({"type": "file", "file_id": file_id, "mount_path": "/w/a"}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn the_resources_api_has_its_restrictions() {
    let harness = Harness::start().await;
    let file = harness
        .upload("r.txt", "text/plain", b"r".to_vec())
        .await
        .ok();
    let session = harness
        .session(json!({"resources": [
            {"type": "github_repository", "url": "https://github.com/o/r",
             "authorization_token": TOKEN}]}))
        .await;
    let session_id = session["id"].as_str().unwrap();
    let path = format!("/v1/sessions/{session_id}/resources");
    let repository_id = session["resources"][0]["id"].as_str().unwrap().to_owned();

    harness
        .post(
            &path,
            json!({"type": "github_repository", "url": "https://github.com/o/x",
                   "authorization_token": "t"}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    let added = harness
        .post(&path, json!({"type": "file", "file_id": file["id"]}))
        .await
        .ok();
    let file_resource = added["id"].as_str().unwrap();
    assert_eq!(
        harness.get(&format!("{path}/{file_resource}")).await.ok(),
        added
    );
    harness
        .post(
            &format!("{path}/{file_resource}"),
            json!({"authorization_token": "t"}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    harness
        .post(
            &format!("{path}/{repository_id}"),
            json!({"authorization_token": ""}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    harness
        .delete(&format!("{path}/{repository_id}"))
        .await
        .expect_error(400, "invalid_request_error");

    let deleted = harness
        .delete(&format!("{path}/{file_resource}"))
        .await
        .ok();
    assert_eq!(
        deleted,
        json!({"id": file_resource, "type": "session_resource_deleted"})
    );
    harness
        .get(&format!("{path}/{file_resource}"))
        .await
        .expect_error(404, "not_found_error");
    harness
        .get(&format!(
            "/v1/sessions/sesn_other/resources/{repository_id}"
        ))
        .await
        .expect_error(404, "not_found_error");

    let page = harness.get(&format!("{path}?limit=1")).await.ok();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["has_more"], false);
    harness
        .get(&format!("{path}?limit=1001"))
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn sessions_update_archive_delete_and_filter() {
    let harness = Harness::start().await;
    let first = harness
        .session(json!({"title": "one", "metadata": {"a": "1"}}))
        .await;
    let second = harness.session(json!({})).await;
    let id = first["id"].as_str().unwrap();
    let path = format!("/v1/sessions/{id}");

    harness
        .post(&path, json!({"vault_ids": []}))
        .await
        .expect_error(400, "invalid_request_error");
    let kept = harness
        .post(&path, json!({"metadata": {"b": "2"}}))
        .await
        .ok();
    assert_eq!(kept["title"], "one");
    assert_eq!(kept["metadata"], json!({"a": "1", "b": "2"}));
    let cleared = harness.post(&path, json!({"title": null})).await.ok();
    assert_eq!(cleared["title"], Value::Null);

    let newest_first = harness.get("/v1/sessions").await.ok();
    assert_eq!(newest_first["data"][0]["id"], second["id"]);
    let oldest_first = harness.get("/v1/sessions?order=asc").await.ok();
    assert_eq!(oldest_first["data"][0]["id"], first["id"]);
    let by_agent = harness
        .get(&format!(
            "/v1/sessions?agent_id={}",
            first["agent"]["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(by_agent["data"].as_array().unwrap().len(), 1);
    let none_running = harness.get("/v1/sessions?statuses[]=running").await.ok();
    assert_eq!(none_running["data"], json!([]));
    let idle = harness
        .get("/v1/sessions?statuses[]=idle&statuses[]=running")
        .await
        .ok();
    assert_eq!(idle["data"].as_array().unwrap().len(), 2);
    let created = second["created_at"].as_str().unwrap();
    let since = harness
        .get(&format!("/v1/sessions?created_at[gte]={created}"))
        .await
        .ok();
    assert_eq!(since["data"].as_array().unwrap().len(), 1);
    let paged = harness.get("/v1/sessions?limit=1").await.ok();
    let next = paged["next_page"].as_str().unwrap();
    let page_two = harness
        .get(&format!("/v1/sessions?limit=1&page={next}"))
        .await
        .ok();
    assert_eq!(page_two["data"][0]["id"], first["id"]);
    assert!(page_two["prev_page"].is_string());

    let archived = harness
        .post(&format!("{path}/archive"), json!({}))
        .await
        .ok();
    assert!(archived["archived_at"].is_string());
    harness
        .post(&path, json!({"title": "x"}))
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(
        harness.get("/v1/sessions").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let deleted = harness.delete(&path).await.ok();
    assert_eq!(deleted, json!({"id": id, "type": "session_deleted"}));
    harness
        .get(&path)
        .await
        .expect_error(404, "not_found_error");
    assert!(
        !harness
            .emulator
            .data_dir()
            .join("sessions")
            .join(id)
            .exists()
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn sdk_style_filters_are_understood() {
    let harness = Harness::start().await;
    let store = harness
        .post("/v1/memory_stores", json!({"name": "facts"}))
        .await
        .ok();
    let with_store = harness
        .session(json!({"resources": [{"type": "memory_store", "memory_store_id": store["id"]}]}))
        .await;
    let plain = harness.session(json!({})).await;
    let by_store = harness
        .get(&format!(
            "/v1/sessions?memory_store_id={}",
            store["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(by_store["data"].as_array().unwrap().len(), 1);
    assert_eq!(by_store["data"][0]["id"], with_store["id"]);
    let by_version = harness.get("/v1/sessions?agent_version=2").await.ok();
    assert_eq!(by_version["data"], json!([]));
    let since = harness
        .get(&format!(
            "/v1/sessions?created_at_gte={}",
            plain["created_at"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(since["data"].as_array().unwrap().len(), 1);
    harness
        .get("/v1/sessions?created_at_gte=yesterday")
        .await
        .expect_error(400, "invalid_request_error");
    harness
        .get("/v1/sessions?order=sideways")
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn a_memory_store_access_the_spec_does_not_list_is_refused() {
    let harness = Harness::start().await;
    let store = harness
        .post("/v1/memory_stores", json!({"name": "notes"}))
        .await
        .ok();
    let agent = harness.agent("access").await;
    let environment = harness.environment("access").await;
    let body = |access: &str| {
        json!({"agent": agent["id"], "environment_id": environment["id"],
               "resources": [{"type": "memory_store", "memory_store_id": store["id"],
                              "access": access}]})
    };
    let message = harness
        .post("/v1/sessions", body("write_only"))
        .await
        .expect_error(400, "invalid_request_error");
    assert!(
        message.starts_with("resources[0].access:") && message.contains("`write_only`"),
        "{message}"
    );
    assert_eq!(count_sessions(&harness).await, 0);
    let read_only = harness.post("/v1/sessions", body("read_only")).await.ok();
    assert_eq!(read_only["resources"][0]["access"], "read_only");
    harness.shutdown().await;
}
