//! Every operation with tracing at `trace` level: neither the API key nor a repository token
//! may appear in the captured output or in any error's `Debug`.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Harness, params};
use futures_util::TryStreamExt;
use managed_agents_emulator::EmulatorConfig;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;

const API_KEY: &str = "sk-ant-test-Zq8wXk3mVn5pLr7t";
const TOKEN: &str = "ghp_RepoToken7Hq2Lm9Xc4Vb";
const NEW_TOKEN: &str = "ghp_RotatedToken5Kd8Pw1Ys";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_in_traces_or_error_debug() {
    let capture = Capture::default();
    let writer = capture.clone();
    let everything_but_the_emulator = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target("managed_agents_emulator", LevelFilter::OFF);
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .with_filter(everything_but_the_emulator);
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));

    let harness = Harness::start_with(EmulatorConfig {
        api_key: Some(API_KEY.to_owned()),
        ..Default::default()
    })
    .await;
    let client = &harness.client;
    let mut errors = Vec::new();
    let mut keep = |error: managed_agents_client::Error| errors.push(error);

    let environment = client
        .environments()
        .create(&params(serde_json::json!({"name": "secrets"})))
        .await
        .unwrap();
    keep(
        client
            .environments()
            .create(&params(serde_json::json!({"name": "secrets"})))
            .await
            .unwrap_err(),
    );
    let _: Vec<_> = client
        .environments()
        .list_stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    let agent = client
        .agents()
        .create(&params(
            serde_json::json!({"name": "a", "model": "claude-opus-4-7"}),
        ))
        .await
        .unwrap();
    let file = client
        .files()
        .upload_bytes("a.txt", &b"a"[..])
        .await
        .unwrap();
    keep(client.files().download_bytes(&file.id).await.unwrap_err());
    let session = client
        .sessions()
        .create(&params(
            serde_json::json!({"agent": agent.id, "environment_id": environment.id,
            "resources": [{"type": "github_repository", "url": "https://github.com/owner/repo",
                           "authorization_token": TOKEN}]}),
        ))
        .await
        .unwrap();
    let resources = client.sessions().resources();
    let page = resources
        .list(&session.id, &Default::default())
        .await
        .unwrap();
    let repository = page.data[0].id().unwrap().clone();
    resources
        .update(
            &session.id,
            &repository,
            &params(serde_json::json!({"authorization_token": NEW_TOKEN})),
        )
        .await
        .unwrap();
    keep(
        client
            .sessions()
            .create(&params(
                serde_json::json!({"agent": agent.id, "environment_id": environment.id,
            "resources": [{"type": "github_repository", "url": "not a url",
                           "authorization_token": TOKEN}]}),
            ))
            .await
            .unwrap_err(),
    );
    keep(
        resources
            .update(
                &session.id,
                &"sesrsc_missing".parse().unwrap(),
                &params(serde_json::json!({"authorization_token": NEW_TOKEN})),
            )
            .await
            .unwrap_err(),
    );

    let bearer = harness.client_with(|config| {
        let mut config = config;
        config.credentials = managed_agents_client::Credentials::BearerToken(API_KEY.into());
        config
    });
    bearer.vaults().list(&Default::default()).await.unwrap();
    let wrong = harness.client_with(|config| {
        let mut config = config;
        config.credentials =
            managed_agents_client::Credentials::ApiKey(format!("{API_KEY}x").into());
        config
    });
    keep(
        wrong
            .environments()
            .list(&Default::default())
            .await
            .unwrap_err(),
    );

    let mut debug: Vec<String> = errors
        .iter()
        .map(|error| format!("{error:?} {error} {:?}", std::error::Error::source(error)))
        .collect();
    debug.push(format!("{client:?} {bearer:?} {wrong:?}"));
    harness.shutdown().await;
    let output = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("attempt"), "the client traced its attempts");
    for secret in [API_KEY, TOKEN, NEW_TOKEN] {
        assert!(!output.contains(secret), "a secret appears in the traces");
        for text in &debug {
            assert!(!text.contains(secret), "a secret appears in {text}");
        }
    }
}
