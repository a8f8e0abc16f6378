//! Fault injection over real connections: statuses with retry headers, delays, dropped
//! connections, seeded probabilities, and the control endpoint.

mod common;

use std::time::{Duration, Instant};

use common::{Harness, KEY};
use managed_agents_emulator::{EmulatorConfig, Fault, FaultPlan, FaultRule};
use reqwest::Method;
use serde_json::{Value, json};

async fn put_plan(harness: &Harness, plan: Value) -> Value {
    let answer = harness
        .send(
            harness
                .http
                .put(harness.url("/_emulator/faults"))
                .header("x-api-key", KEY)
                .json(&plan),
        )
        .await;
    answer.ok()
}

async fn get_plan(harness: &Harness) -> Value {
    harness
        .send(
            harness
                .http
                .get(harness.url("/_emulator/faults"))
                .header("x-api-key", KEY),
        )
        .await
        .ok()
}

#[tokio::test]
async fn status_faults_answer_the_error_envelope_with_their_headers() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [
            {"method": "GET", "path": "/v1/environments", "times": 2,
             "fault": {"type": "status", "status": 529, "headers": {"retry-after-ms": "20"}}},
            {"method": "POST", "path": "/v1/*", "times": 1,
             "fault": {"type": "status", "status": 429,
                       "headers": {"retry-after": "1", "x-should-retry": "true"},
                       "read_body": true}},
            {"path": "/v1/vaults", "times": 1, "fault": {"type": "status", "status": 500}},
        ]}),
    )
    .await;

    for _ in 0..2 {
        let answer = harness.get("/v1/environments").await;
        answer.expect_error(529, "overloaded_error");
        assert_eq!(answer.header("retry-after-ms"), Some("20"));
        assert!(answer.header("x-should-retry").is_none());
    }
    assert_eq!(harness.get("/v1/environments").await.status, 200);

    let limited = harness.post("/v1/environments", json!({"name": "x"})).await;
    limited.expect_error(429, "rate_limit_error");
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("x-should-retry"), Some("true"));
    assert_eq!(
        harness.get("/v1/environments").await.ok()["data"],
        json!([])
    );

    harness
        .get("/v1/vaults")
        .await
        .expect_error(500, "api_error");
    let plan = get_plan(&harness).await;
    assert_eq!(plan["rules"][0]["remaining"], 0);
    assert_eq!(plan["rules"][0]["hits"], 2);
    assert_eq!(plan["rules"][1]["remaining"], 0);

    let cleared = harness
        .send(
            harness
                .http
                .delete(harness.url("/_emulator/faults"))
                .header("x-api-key", KEY),
        )
        .await;
    assert_eq!(cleared.status, 204);
    assert_eq!(get_plan(&harness).await["rules"], json!([]));
    harness.shutdown().await;
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [
            {"path": "/v1/agents", "times": 1, "fault": {"type": "delay", "ms": 300}}]}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(harness.get("/v1/agents").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    harness.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_are_connection_errors() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [
            {"method": "GET", "path": "/v1/environments", "times": 1,
             "fault": {"type": "drop", "when": "before_body"}},
            {"method": "POST", "path": "/v1/environments", "times": 1,
             "fault": {"type": "drop", "when": "after_body"}},
        ]}),
    )
    .await;
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let send = |method: Method, body: Option<Value>| {
        let mut request = fresh
            .request(method, harness.url("/v1/environments"))
            .header("x-api-key", KEY)
            .header("anthropic-version", "2023-06-01")
            .header("anthropic-beta", "managed-agents-2026-04-01");
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let error = send(Method::GET, None).await.expect_err("no response");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");
    let error = send(Method::POST, Some(json!({"name": "lost"})))
        .await
        .expect_err("no response");
    assert!(!error.is_status(), "{error:?}");
    assert_eq!(send(Method::GET, None).await.unwrap().status(), 200);
    let page: Value = send(Method::GET, None).await.unwrap().json().await.unwrap();
    assert_eq!(page["data"], json!([]), "the dropped create did not run");
    harness.shutdown().await;
}

async fn draws(seed: u64) -> Vec<u16> {
    let plan = FaultPlan {
        seed: None,
        rules: vec![FaultRule {
            method: None,
            path: Some("/v1/files".to_owned()),
            times: None,
            probability: Some(0.5),
            fault: Fault::Status {
                status: 503,
                headers: Default::default(),
                read_body: false,
            },
        }],
    };
    let harness = Harness::start_with(EmulatorConfig {
        faults: plan,
        seed,
        ..EmulatorConfig::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..32 {
        statuses.push(harness.get("/v1/files").await.status.as_u16());
    }
    harness.shutdown().await;
    statuses
}

#[tokio::test]
async fn probabilities_repeat_with_the_seed() {
    let first = draws(7).await;
    assert_eq!(first, draws(7).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
    assert_ne!(first, draws(8).await);
}

#[tokio::test]
async fn bad_plans_are_refused_and_keep_the_old_one() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [{"path": "/v1/agents", "fault": {"type": "delay", "ms": 1}}]}),
    )
    .await;
    for bad in [
        json!({"rules": [{"fault": {"type": "status", "status": 200}}]}),
        json!({"rules": [{"probability": 1.5, "fault": {"type": "delay", "ms": 1}}]}),
        json!({"rules": [{"fault": {"type": "explode"}}]}),
        json!({"rulez": []}),
        json!({"rules": [{"path": "v1/agents", "fault": {"type": "delay", "ms": 1}}]}),
    ] {
        let answer = harness
            .send(
                harness
                    .http
                    .put(harness.url("/_emulator/faults"))
                    .header("x-api-key", KEY)
                    .json(&bad),
            )
            .await;
        answer.expect_error(400, "invalid_request_error");
    }
    assert_eq!(get_plan(&harness).await["rules"][0]["path"], "/v1/agents");
    harness.shutdown().await;
}

#[tokio::test]
async fn a_star_in_a_rule_path_matches_one_segment_or_any_rest() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [
            {"method": "GET", "path": "/v1/files/*/content",
             "fault": {"type": "status", "status": 503}},
            {"method": "GET", "path": "/v1/sessions/*",
             "fault": {"type": "status", "status": 529}},
        ]}),
    )
    .await;
    harness
        .get("/v1/files/file_011Cmissing/content")
        .await
        .expect_error(503, "api_error");
    harness
        .get("/v1/files/file_011Cmissing")
        .await
        .expect_error(404, "not_found_error");
    harness
        .get("/v1/files/a/b/content")
        .await
        .expect_error(404, "not_found_error");
    harness
        .get("/v1/sessions/sesn_011Cmissing/resources")
        .await
        .expect_error(529, "overloaded_error");
    assert_eq!(harness.get("/v1/sessions").await.status, 200);
    let plan = get_plan(&harness).await;
    assert_eq!(plan["rules"][0]["hits"], 1);
    assert_eq!(plan["rules"][1]["hits"], 1);
    harness.shutdown().await;
}

#[tokio::test]
async fn a_rule_that_could_never_match_is_refused_naming_the_rule_and_field() {
    let harness = Harness::start().await;
    for (rule, field) in [
        (json!({"path": "v1/files"}), "rules[1].path"),
        (json!({"path": "/v1/files?beta=true"}), "rules[1].path"),
        (json!({"path": "/_emulator/faults"}), "rules[1].path"),
        (json!({"method": "GE T"}), "rules[1].method"),
    ] {
        let mut rule = rule;
        rule["fault"] = json!({"type": "delay", "ms": 1});
        let plan = json!({"rules": [{"fault": {"type": "delay", "ms": 1}}, rule]});
        let message = harness
            .send(
                harness
                    .http
                    .put(harness.url("/_emulator/faults"))
                    .header("x-api-key", KEY)
                    .json(&plan),
            )
            .await
            .expect_error(400, "invalid_request_error");
        assert!(message.starts_with(field), "{message}");
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn a_lower_case_method_matches_and_is_shown_upper_cased() {
    let harness = Harness::start().await;
    put_plan(
        &harness,
        json!({"rules": [{"method": "get", "path": "/v1/fi*es",
                          "fault": {"type": "status", "status": 503}}]}),
    )
    .await;
    harness
        .get("/v1/files")
        .await
        .expect_error(503, "api_error");
    let plan = get_plan(&harness).await;
    assert_eq!(plan["rules"][0]["method"], "GET");
    assert_eq!(plan["rules"][0]["hits"], 1);
    harness.shutdown().await;
}
