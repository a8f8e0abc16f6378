//! Request IDs, auth, version and beta headers, CORS, and the error envelope.

mod common;

use common::{BETA, Harness, KEY, VERSION};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let harness = Harness::start().await;
    let created = harness.post("/v1/environments", json!({"name": "a"})).await;
    let id = created.header("request-id").unwrap().to_owned();
    assert!(id.starts_with("req_"), "{id}");

    let missing = harness.get("/v1/environments/env_nope").await;
    missing.expect_error(404, "not_found_error");
    assert_ne!(missing.header("request-id").unwrap(), id);

    let no_route = harness.get("/v1/nothing-here").await;
    no_route.expect_error(404, "not_found_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn auth_is_required_and_both_schemes_work() {
    let harness = Harness::start().await;
    let url = harness.url("/v1/environments");
    let bare = |builder: reqwest::RequestBuilder| {
        builder
            .header("anthropic-version", VERSION)
            .header("anthropic-beta", BETA)
    };

    let none = harness.send(bare(harness.http.get(&url))).await;
    none.expect_error(401, "authentication_error");
    let wrong = harness
        .send(bare(harness.http.get(&url)).header("x-api-key", "sk-wrong"))
        .await;
    wrong.expect_error(401, "authentication_error");
    let bearer = harness
        .send(bare(harness.http.get(&url)).bearer_auth(KEY))
        .await;
    assert_eq!(bearer.status, 200, "{}", bearer.text);

    let control = harness
        .send(harness.http.get(harness.url("/_emulator/faults")))
        .await;
    control.expect_error(401, "authentication_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn version_and_beta_headers_are_checked() {
    let harness = Harness::start().await;
    let no_version = harness
        .send(
            harness
                .http
                .get(harness.url("/v1/environments"))
                .header("x-api-key", KEY)
                .header("anthropic-beta", BETA),
        )
        .await;
    assert!(
        no_version
            .expect_error(400, "invalid_request_error")
            .contains("anthropic-version")
    );

    let plain = |path: &str| {
        harness
            .http
            .get(harness.url(path))
            .header("x-api-key", KEY)
            .header("anthropic-version", VERSION)
    };
    for path in [
        "/v1/environments",
        "/v1/sessions",
        "/v1/agents",
        "/v1/vaults",
    ] {
        let answer = harness.send(plain(path)).await;
        assert!(
            answer
                .expect_error(400, "invalid_request_error")
                .contains(BETA)
        );
    }
    let files = harness.send(plain("/v1/files")).await;
    assert_eq!(files.status, 200, "the Files API needs no beta");
    let old_files_beta = harness
        .send(plain("/v1/files").header("anthropic-beta", "files-api-2025-04-14"))
        .await;
    assert_eq!(old_files_beta.status, 200);

    let memory = harness.send(plain("/v1/memory_stores")).await;
    memory.expect_error(400, "invalid_request_error");
    for beta in ["agent-memory-2026-07-22", BETA] {
        let answer = harness
            .send(plain("/v1/memory_stores").header("anthropic-beta", beta))
            .await;
        assert_eq!(answer.status, 200, "{beta}");
    }

    let joined = harness
        .send(plain("/v1/sessions").header("anthropic-beta", format!("other-beta, {BETA}")))
        .await;
    assert_eq!(joined.status, 200, "comma-joined betas are split");
    harness.shutdown().await;
}

#[tokio::test]
async fn the_beta_query_flag_and_bracketed_keys_are_accepted() {
    let harness = Harness::start().await;
    harness.environment("flagged").await;
    let page = harness.get("/v1/environments?beta=true&limit=5").await.ok();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let sessions = harness
        .get("/v1/sessions?beta=true&statuses%5B%5D=idle&created_at%5Bgte%5D=2020-01-01T00:00:00Z")
        .await;
    assert_eq!(sessions.status, 200, "{}", sessions.text);
    harness.shutdown().await;
}

#[tokio::test]
async fn bad_bodies_get_a_clear_error_with_the_field_path() {
    let harness = Harness::start().await;
    let not_json = harness
        .send(
            harness
                .request(Method::POST, "/v1/environments")
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    not_json.expect_error(400, "invalid_request_error");
    let wrong_type = harness.post("/v1/environments", json!({"name": 5})).await;
    assert!(
        wrong_type
            .expect_error(400, "invalid_request_error")
            .contains("name")
    );
    let no_name = harness.post("/v1/environments", json!({})).await;
    no_name.expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn cors_is_answered_only_to_browser_callers() {
    let harness = Harness::start().await;
    let plain = harness.get("/v1/environments").await;
    assert!(plain.header("access-control-allow-origin").is_none());

    let browser = harness
        .send(
            harness
                .request(Method::GET, "/v1/environments")
                .header("origin", "http://localhost:3000")
                .header("anthropic-dangerous-direct-browser-access", "true"),
        )
        .await;
    assert_eq!(
        browser.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let exposed = browser.header("access-control-expose-headers").unwrap();
    for name in ["request-id", "retry-after", "retry-after-ms"] {
        assert!(exposed.contains(name), "{exposed}");
    }

    let preflight = |headers: &str| {
        harness
            .http
            .request(Method::OPTIONS, harness.url("/v1/environments"))
            .header("origin", "http://localhost:3000")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", headers.to_owned())
    };
    let opted_in = harness
        .send(preflight(
            "x-api-key,anthropic-version,anthropic-dangerous-direct-browser-access",
        ))
        .await;
    assert!(opted_in.status.is_success());
    assert_eq!(
        opted_in.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert!(
        opted_in
            .header("access-control-allow-headers")
            .unwrap()
            .contains("x-api-key")
    );
    assert!(
        opted_in
            .header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );

    let not_opted_in = harness.send(preflight("x-api-key,anthropic-version")).await;
    assert!(not_opted_in.header("access-control-allow-origin").is_none());
    harness.shutdown().await;
}
