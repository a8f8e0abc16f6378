//! Shared helpers of the wasm tests: the emulator's address (given at build time by
//! `cargo xtask wasm test`), a client over the fetch transport, and the emulator's control
//! endpoints.

#![allow(dead_code, unreachable_pub)]

use js_sys::{Function, Promise, Reflect, Uint8Array};
use managed_agents_client::{Client, ClientConfig, Credentials};
use managed_agents_fetch::FetchTransport;
use managed_agents_types::Secret;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// The global `fetch`, looked up at run time (the transport binds the same function itself).
fn global_fetch(url: &str, init: &RequestInit) -> Promise {
    let fetch: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
        .expect("a global fetch")
        .unchecked_into();
    fetch
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)
        .expect("fetch starts")
        .unchecked_into()
}

/// How these tests are meant to run.
const RUN_WITH: &str = "run these tests with `cargo xtask wasm test`";

/// The emulator's base URL.
pub fn url() -> &'static str {
    match option_env!("MA_EMULATOR_URL") {
        Some(value) => value,
        None => panic!(
            "MA_EMULATOR_URL is unset at build time: run these tests with `cargo xtask wasm test`"
        ),
    }
}

/// The emulator's API key.
pub fn key() -> &'static str {
    match option_env!("MA_EMULATOR_KEY") {
        Some(value) => value,
        None => panic!(
            "MA_EMULATOR_KEY is unset at build time: run these tests with `cargo xtask wasm test`"
        ),
    }
}

/// A client of the emulator over the fetch transport, with the default retry policy.
pub fn client() -> Client<FetchTransport> {
    client_with(|config| config)
}

/// A client of the emulator with adjusted settings.
pub fn client_with(adjust: impl FnOnce(ClientConfig) -> ClientConfig) -> Client<FetchTransport> {
    let config = ClientConfig::new(Credentials::ApiKey(Secret::new(key()))).with_base_url(url());
    Client::with_transport(adjust(config), FetchTransport::new()).expect("a valid client")
}

/// A name no other test or run uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{:08x}",
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

/// Parameters from a JSON literal, as a user of the wire format writes them.
pub fn params<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("parameters match their type")
}

/// Calls an emulator control endpoint and returns the status.
pub async fn control(method: &str, path: &str, body: Option<&[u8]>) -> u16 {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().unwrap();
    headers.set("x-api-key", key()).unwrap();
    headers.set("anthropic-version", "2023-06-01").unwrap();
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&Uint8Array::from(body));
    }
    let response = JsFuture::from(global_fetch(&format!("{}{path}", url()), &init))
        .await
        .expect("the emulator answers");
    Response::from(response).status()
}

/// Installs a fault plan (`PUT /_emulator/faults`).
pub async fn faults(plan: serde_json::Value) {
    let status = control(
        "PUT",
        "/_emulator/faults",
        Some(plan.to_string().as_bytes()),
    )
    .await;
    assert_eq!(status, 200, "the emulator took the fault plan");
}

/// Clears every fault (`DELETE /_emulator/faults`).
pub async fn clear_faults() {
    let status = control("DELETE", "/_emulator/faults", None).await;
    assert!(
        (200..300).contains(&status),
        "clearing faults answered {status}"
    );
}
