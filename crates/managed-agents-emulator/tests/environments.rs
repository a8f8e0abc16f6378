//! Environments: unique names, limits, update semantics, archive, delete, and both page
//! envelopes.

mod common;

use common::Harness;
use serde_json::{Value, json};

#[tokio::test]
async fn names_are_unique_and_duplicates_are_not_retried() {
    let harness = Harness::start().await;
    let created = harness
        .post(
            "/v1/environments",
            json!({"name": "python-dev",
                   "config": {"type": "cloud", "networking": {"type": "unrestricted"}}}),
        )
        .await
        .ok();
    assert!(created["id"].as_str().unwrap().starts_with("env_011C"));
    assert_eq!(created["type"], "environment");
    assert_eq!(created["description"], Value::Null);
    assert_eq!(created["metadata"], json!({}));
    assert_eq!(created["archived_at"], Value::Null);
    assert_eq!(created["config"]["packages"]["pip"], json!([]));
    assert_eq!(created["config"]["packages"]["apt"], json!([]));

    let again = harness
        .post("/v1/environments", json!({"name": "python-dev"}))
        .await;
    again.expect_error(409, "invalid_request_error");
    assert_eq!(again.header("x-should-retry"), Some("false"));

    let other = harness.environment("other").await;
    let rename = harness
        .post(
            &format!("/v1/environments/{}", other["id"].as_str().unwrap()),
            json!({"name": "python-dev"}),
        )
        .await;
    rename.expect_error(409, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn the_worked_flow_configs_are_accepted_and_echoed() {
    let harness = Harness::start().await;
    let locked = harness
        .post(
            "/v1/environments",
            json!({"name": "locked-down", "config": {"type": "cloud", "networking":
                {"type": "package_managers_and_custom", "allowed_hosts": ["api.example.com"]}}}),
        )
        .await
        .ok();
    assert_eq!(
        locked["config"]["networking"],
        json!({"type": "package_managers_and_custom", "allowed_hosts": ["api.example.com"]})
    );
    let analysis = harness
        .post(
            "/v1/environments",
            json!({"name": "data-analysis", "config": {"type": "cloud",
                "networking": {"type": "limited", "allow_package_managers": true},
                "packages": {"pip": ["pandas", "numpy", "scikit-learn"], "npm": ["express"]}}}),
        )
        .await
        .ok();
    assert_eq!(analysis["config"]["networking"]["allow_mcp_servers"], false);
    assert_eq!(analysis["config"]["networking"]["allowed_hosts"], json!([]));
    assert_eq!(analysis["config"]["packages"]["npm"], json!(["express"]));

    let refused = harness
        .post(
            "/v1/environments",
            json!({"name": "no-registries", "config": {"type": "cloud",
                "networking": {"type": "limited"}, "packages": {"pip": ["pandas"]}}}),
        )
        .await;
    assert!(
        refused
            .expect_error(400, "invalid_request_error")
            .contains("allow_package_managers")
    );
    let self_hosted = harness
        .post(
            "/v1/environments",
            json!({"name": "mine", "config": {"type": "self_hosted"}}),
        )
        .await
        .ok();
    assert_eq!(self_hosted["config"], json!({"type": "self_hosted"}));
    harness.shutdown().await;
}

#[tokio::test]
async fn lengths_and_metadata_limits_are_enforced() {
    let harness = Harness::start().await;
    let too_many: serde_json::Map<String, Value> =
        (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
    for body in [
        json!({"name": ""}),
        json!({"name": "x".repeat(257)}),
        json!({"name": "d", "description": "x".repeat(1025)}),
        json!({"name": "m1", "metadata": too_many}),
        json!({"name": "m2", "metadata": {"k".repeat(65): "v"}}),
        json!({"name": "m3", "metadata": {"k": "v".repeat(513)}}),
        json!({"name": "c", "config": {"type": "cloud", "networking": {"type": "bogus"}}}),
    ] {
        let answer = harness.post("/v1/environments", body.clone()).await;
        answer.expect_error(400, "invalid_request_error");
    }
    let at_limits = harness
        .post(
            "/v1/environments",
            json!({"name": "x".repeat(256), "description": "d".repeat(1024),
                   "metadata": {"k".repeat(64): "v".repeat(512)}}),
        )
        .await;
    assert_eq!(at_limits.status, 200, "{}", at_limits.text);
    let page = harness.get("/v1/environments").await.ok();
    assert_eq!(
        page["data"].as_array().unwrap().len(),
        1,
        "nothing else was stored"
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn updates_keep_omitted_null_and_values_apart() {
    let harness = Harness::start().await;
    let created = harness
        .post(
            "/v1/environments",
            json!({"name": "u", "description": "first", "metadata": {"a": "1", "b": "2", "c": "3"},
                   "config": {"type": "cloud", "networking": {"type": "limited",
                   "allow_package_managers": true}, "packages": {"pip": ["pandas"]}}}),
        )
        .await
        .ok();
    let path = format!("/v1/environments/{}", created["id"].as_str().unwrap());

    let kept = harness.post(&path, json!({"name": "u2"})).await.ok();
    assert_eq!(kept["description"], "first");
    assert_eq!(kept["name"], "u2");

    let no_name = harness
        .post(&path, json!({"name": null}))
        .await
        .expect_error(400, "invalid_request_error");
    assert!(no_name.starts_with("name: cannot be null"), "{no_name}");
    assert_eq!(harness.get(&path).await.ok()["name"], "u2");

    let patched = harness
        .post(
            &path,
            json!({"metadata": {"a": null, "b": "", "c": "33", "d": "4"}}),
        )
        .await
        .ok();
    assert_eq!(patched["metadata"], json!({"c": "33", "d": "4"}));

    let partial = harness
        .post(
            &path,
            json!({"config": {"type": "cloud", "networking": {"type": "limited",
                   "allow_package_managers": true, "allowed_hosts": ["a.example"]}}}),
        )
        .await
        .ok();
    assert_eq!(
        partial["config"]["packages"]["pip"],
        json!(["pandas"]),
        "packages kept"
    );
    assert_eq!(
        partial["config"]["networking"]["allowed_hosts"],
        json!(["a.example"])
    );

    let empty = harness.post(&path, json!({"description": ""})).await.ok();
    assert_eq!(empty["description"], "");
    let cleared = harness.post(&path, json!({"description": null})).await.ok();
    assert_eq!(cleared["description"], Value::Null);

    let type_change = harness
        .post(&path, json!({"config": {"type": "self_hosted"}}))
        .await;
    assert!(
        type_change
            .expect_error(400, "invalid_request_error")
            .contains("config.type")
    );
    let breaks_rule = harness
        .post(
            &path,
            json!({"config": {"type": "cloud", "networking": {"type": "limited"}}}),
        )
        .await;
    breaks_rule.expect_error(400, "invalid_request_error");
    let retrieved = harness.get(&path).await.ok();
    assert_eq!(
        retrieved["config"], partial["config"],
        "a refused update changes nothing"
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn archive_is_terminal_and_read_only() {
    let harness = Harness::start().await;
    let environment = harness.environment("old").await;
    let id = environment["id"].as_str().unwrap();
    let agent = harness.agent("a").await;
    let archived = harness
        .post(&format!("/v1/environments/{id}/archive"), json!(null))
        .await
        .ok();
    assert!(archived["archived_at"].is_string());

    let update = harness
        .post(
            &format!("/v1/environments/{id}"),
            json!({"description": "x"}),
        )
        .await;
    assert!(
        update
            .expect_error(400, "invalid_request_error")
            .contains("environment_archived")
    );
    let session = harness
        .post(
            "/v1/sessions",
            json!({"agent": agent["id"], "environment_id": id}),
        )
        .await;
    session.expect_error(400, "invalid_request_error");

    let listed = harness.get("/v1/environments").await.ok();
    assert_eq!(listed["data"], json!([]));
    let with_archived = harness
        .get("/v1/environments?include_archived=true")
        .await
        .ok();
    assert_eq!(with_archived["data"][0]["id"], id);

    let deleted = harness.delete(&format!("/v1/environments/{id}")).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    harness
        .get(&format!("/v1/environments/{id}"))
        .await
        .expect_error(404, "not_found_error");
    harness.shutdown().await;
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn both_page_envelopes_walk_every_item_once() {
    let harness = Harness::start().await;
    let mut created = Vec::new();
    for index in 0..5 {
        created.push(harness.environment(&format!("e{index}")).await["id"].clone());
    }
    let all = harness.get("/v1/environments").await.ok();
    let everything = ids(&all);
    assert_eq!(everything.len(), 5);
    assert_eq!(everything[0], created[4].as_str().unwrap(), "newest first");

    let mut walked = Vec::new();
    let mut page = harness.get("/v1/environments?limit=2").await.ok();
    loop {
        walked.extend(ids(&page));
        match page["next_page"].as_str() {
            Some(next) => {
                page = harness
                    .get(&format!("/v1/environments?limit=2&page={next}"))
                    .await
                    .ok()
            }
            None => break,
        }
    }
    assert_eq!(walked, everything);

    let mut walked = Vec::new();
    let mut page = harness.get("/v1/environments?limit=2").await.ok();
    loop {
        walked.extend(ids(&page));
        assert_eq!(page["first_id"], page["data"][0]["id"]);
        if page["has_more"] != true {
            break;
        }
        let last = page["last_id"].as_str().unwrap().to_owned();
        page = harness
            .get(&format!("/v1/environments?limit=2&after_id={last}"))
            .await
            .ok();
    }
    assert_eq!(walked, everything);

    let before = harness
        .get(&format!(
            "/v1/environments?limit=2&before_id={}",
            everything[4]
        ))
        .await
        .ok();
    assert_eq!(ids(&before), everything[2..4]);
    assert_eq!(before["has_more"], true);

    for bad in [
        "limit=0",
        "limit=1001",
        "limit=x",
        "page=bogus",
        "after_id=env_missing",
    ] {
        harness
            .get(&format!("/v1/environments?{bad}"))
            .await
            .expect_error(400, "invalid_request_error");
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn a_scope_the_spec_does_not_list_is_refused() {
    let harness = Harness::start().await;
    let message = harness
        .post(
            "/v1/environments",
            json!({"name": "far", "scope": "galaxy"}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(message.starts_with("scope:"), "{message}");
    assert!(message.contains("`galaxy`"), "{message}");
    let created = harness
        .post(
            "/v1/environments",
            json!({"name": "near", "scope": "account"}),
        )
        .await
        .ok();
    assert_eq!(created["scope"], "account");
    let path = format!("/v1/environments/{}", created["id"].as_str().unwrap());
    harness
        .post(&path, json!({"scope": "galaxy"}))
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(harness.get(&path).await.ok()["scope"], "account");
    harness.shutdown().await;
}

#[tokio::test]
async fn null_is_refused_where_a_field_cannot_be_cleared_and_clears_the_scope() {
    let harness = Harness::start().await;
    let created = harness
        .post(
            "/v1/environments",
            json!({"name": "n", "scope": "account", "metadata": {"a": "1"}}),
        )
        .await
        .ok();
    let path = format!("/v1/environments/{}", created["id"].as_str().unwrap());
    for field in ["config", "metadata"] {
        let message = harness
            .post(&path, json!({ field: null }))
            .await
            .expect_error(400, "invalid_request_error");
        assert!(
            message.starts_with(&format!("{field}: cannot be null")),
            "{message}"
        );
    }
    let kept = harness.get(&path).await.ok();
    assert_eq!(kept["metadata"], json!({"a": "1"}));
    assert_eq!(kept["config"]["type"], "cloud");
    assert_eq!(kept["scope"], "account");

    let unscoped = harness.post(&path, json!({"scope": null})).await.ok();
    assert!(unscoped.get("scope").is_none(), "{unscoped}");
    assert!(harness.get(&path).await.ok().get("scope").is_none());
    harness.shutdown().await;
}
