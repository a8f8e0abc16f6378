//! The client core's retry policy and timeouts over the fetch transport: a 429 with
//! `retry-after` is waited out on a JS timer and retried; a slow answer is aborted by the
//! `AbortController` deadline.

#![cfg(target_arch = "wasm32")]

mod common;

use std::time::Duration;

use common::{clear_faults, client, client_with, faults, params, unique};
use managed_agents_types::vaults::Vault;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

async fn vault() -> Vault {
    client()
        .vaults()
        .create(&params(json!({"display_name": unique("retries")})))
        .await
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_429_with_retry_after_is_retried_after_the_hint() {
    let vault = vault().await;
    let path = format!("/v1/vaults/{}", vault.id.as_str());
    faults(
        json!({"seed": 7, "rules": [{"method": "GET", "path": path, "times": 1,
        "fault": {"type": "status", "status": 429, "headers": {"retry-after": "1"}}}]}),
    )
    .await;

    let started = js_sys::Date::now();
    let retrieved = client().vaults().retrieve(&vault.id).await;
    let waited = js_sys::Date::now() - started;
    clear_faults().await;

    assert_eq!(retrieved.unwrap().id, vault.id);
    assert!(
        waited >= 950.0,
        "the retry came after {waited} ms, before the 1 s hint"
    );
}

#[wasm_bindgen_test]
async fn without_retries_the_429_reaches_the_caller() {
    let vault = vault().await;
    let path = format!("/v1/vaults/{}", vault.id.as_str());
    faults(json!({"rules": [{"method": "GET", "path": path, "times": 1,
        "fault": {"type": "status", "status": 429, "headers": {"retry-after": "1"}}}]}))
    .await;

    let error = client_with(|config| config.with_max_retries(0))
        .vaults()
        .retrieve(&vault.id)
        .await
        .unwrap_err();
    clear_faults().await;

    assert_eq!(error.status(), Some(429));
    assert_eq!(
        error.api().unwrap().error_type.as_ref().unwrap().as_str(),
        "rate_limit_error"
    );
    assert!(error.api().unwrap().request_id.is_some());
}

#[wasm_bindgen_test]
async fn a_slow_answer_times_out_through_abort_controller() {
    let vault = vault().await;
    let path = format!("/v1/vaults/{}", vault.id.as_str());
    faults(json!({"rules": [{"method": "GET", "path": path,
        "fault": {"type": "delay", "ms": 2000}}]}))
    .await;

    let started = js_sys::Date::now();
    let error = client_with(|config| {
        config
            .with_max_retries(0)
            .with_timeout(Duration::from_millis(300))
    })
    .vaults()
    .retrieve(&vault.id)
    .await
    .unwrap_err();
    let waited = js_sys::Date::now() - started;
    clear_faults().await;

    assert!(error.is_timeout(), "{error}");
    assert!(waited < 1500.0, "the timeout fired after {waited} ms");
}
