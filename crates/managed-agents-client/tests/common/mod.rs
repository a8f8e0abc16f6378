//! Shared test harness: an emulator on 127.0.0.1, a client pointed at it, and the emulator's
//! control endpoints (faults, agent outputs).

#![allow(dead_code, unreachable_pub)]

use managed_agents_client::{ClientConfig, NativeClient};
use managed_agents_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use managed_agents_types::SessionId;
use managed_agents_types::agents::Agent;
use managed_agents_types::environments::Environment;
use managed_agents_types::files::FileObject;
use serde::de::DeserializeOwned;

/// A running emulator and a client for it.
pub struct Harness {
    pub emulator: RunningEmulator,
    pub client: NativeClient,
    control: reqwest::Client,
}

/// Builds a request parameter type from JSON, as a reader of the spec would write it.
pub fn params<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("test parameters match their type")
}

impl Harness {
    /// Starts an emulator with default settings.
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await
    }

    /// Starts an emulator with `config`.
    pub async fn start_with(config: EmulatorConfig) -> Self {
        let emulator = Emulator::start(config).await.expect("the emulator starts");
        let client = NativeClient::new(Self::config_for(&emulator)).expect("the client builds");
        Self {
            emulator,
            client,
            control: reqwest::Client::new(),
        }
    }

    fn config_for(emulator: &RunningEmulator) -> ClientConfig {
        ClientConfig::with_api_key(emulator.api_key()).with_base_url(emulator.base_url())
    }

    /// An environment named `e` and an agent named `a`, for tests that need a session.
    pub async fn environment_and_agent(&self) -> (Environment, Agent) {
        let environment = self
            .client
            .environments()
            .create(&params(serde_json::json!({"name": "e"})))
            .await
            .expect("the environment is created");
        let agent = self
            .client
            .agents()
            .create(&params(
                serde_json::json!({"name": "a", "model": "claude-opus-4-7"}),
            ))
            .await
            .expect("the agent is created");
        (environment, agent)
    }

    /// A client for this emulator with adjusted settings.
    pub fn client_with(&self, adjust: impl FnOnce(ClientConfig) -> ClientConfig) -> NativeClient {
        NativeClient::new(adjust(Self::config_for(&self.emulator))).expect("the client builds")
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Vec<u8>) -> Vec<u8> {
        let response = self
            .control
            .request(method, format!("{}{path}", self.emulator.base_url()))
            .header("x-api-key", self.emulator.api_key())
            .header("anthropic-version", "2023-06-01")
            .body(body)
            .send()
            .await
            .expect("the control endpoint answers");
        let status = response.status();
        let body = response.bytes().await.expect("the control body").to_vec();
        assert!(
            status.is_success(),
            "control {path}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        body
    }

    /// Replaces the emulator's fault plan.
    pub async fn set_faults(&self, plan: serde_json::Value) {
        let body = serde_json::to_vec(&plan).unwrap();
        self.control(reqwest::Method::PUT, "/_emulator/faults", body)
            .await;
    }

    /// Clears the emulator's fault plan.
    pub async fn clear_faults(&self) {
        self.control(reqwest::Method::DELETE, "/_emulator/faults", Vec::new())
            .await;
    }

    /// Plays the agent writing `relative_path` under the session's outputs folder.
    pub async fn write_output(
        &self,
        session: &SessionId,
        relative_path: &str,
        content: &[u8],
    ) -> FileObject {
        let path = format!("/_emulator/sessions/{session}/outputs/{relative_path}");
        let body = self
            .control(reqwest::Method::PUT, &path, content.to_vec())
            .await;
        serde_json::from_slice(&body).expect("the control endpoint answers a file")
    }

    /// Stops the emulator.
    pub async fn shutdown(self) {
        self.emulator.shutdown().await;
    }
}
