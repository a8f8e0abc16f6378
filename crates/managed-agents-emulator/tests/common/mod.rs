//! Shared helpers: an emulator on 127.0.0.1:0 in-process and a plain HTTP client.

#![allow(dead_code, unreachable_pub)]

use managed_agents_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

pub const KEY: &str = "sk-test-key-0123456789";
pub const VERSION: &str = "2023-06-01";
pub const BETA: &str = "managed-agents-2026-04-01";

pub struct Harness {
    pub emulator: RunningEmulator,
    pub http: reqwest::Client,
}

/// A response read in full.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts the status and the error envelope's type, and returns the message.
    pub fn expect_error(&self, status: u16, error_type: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(self.body["type"], "error", "{}", self.text);
        assert_eq!(self.body["error"]["type"], error_type, "{}", self.text);
        let request_id = self.header("request-id").expect("request-id header");
        assert_eq!(self.body["request_id"], request_id);
        self.body["error"]["message"].as_str().unwrap().to_owned()
    }

    pub fn ok(self) -> Value {
        assert!(self.status.is_success(), "{} {}", self.status, self.text);
        self.body
    }
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Self {
        let config = EmulatorConfig {
            api_key: Some(KEY.to_owned()),
            ..config
        };
        let emulator = Emulator::start(config).await.expect("the emulator starts");
        Self {
            emulator,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    /// A request with the key, the version and the managed-agents beta.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("x-api-key", KEY)
            .header("anthropic-version", VERSION)
            .header("anthropic-beta", BETA)
    }

    pub async fn send(&self, request: RequestBuilder) -> Answer {
        let response = request.send().await.expect("the request is answered");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(self.request(Method::POST, path).json(&body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn upload(&self, filename: &str, mime: &str, bytes: Vec<u8>) -> Answer {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(filename.to_owned())
            .mime_str(mime)
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        self.send(self.request(Method::POST, "/v1/files").multipart(form))
            .await
    }

    pub async fn put_output(
        &self,
        session: &str,
        path: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Answer {
        let request = self
            .http
            .put(self.url(&format!("/_emulator/sessions/{session}/outputs/{path}")))
            .header("x-api-key", KEY)
            .header("content-type", mime)
            .body(bytes);
        self.send(request).await
    }

    pub async fn environment(&self, name: &str) -> Value {
        self.post("/v1/environments", json!({ "name": name }))
            .await
            .ok()
    }

    pub async fn agent(&self, name: &str) -> Value {
        self.post(
            "/v1/agents",
            json!({ "name": name, "model": "claude-opus-4-7" }),
        )
        .await
        .ok()
    }

    /// An environment, an agent, and a session on them with `extra` fields merged in.
    pub async fn session(&self, extra: Value) -> Value {
        let environment = self.environment(&format!("env-{}", rand_suffix())).await;
        let agent = self.agent("helper").await;
        let mut body = json!({ "agent": agent["id"], "environment_id": environment["id"] });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post("/v1/sessions", body).await.ok()
    }

    pub async fn shutdown(self) {
        self.emulator.shutdown().await;
    }
}

pub fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
