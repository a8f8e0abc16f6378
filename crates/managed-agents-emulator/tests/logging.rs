//! The request log: one line per request with its ID and status, never a key, token or body.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Harness, KEY};
use serde_json::json;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_name_requests_but_never_secrets_or_bodies() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let harness = Harness::start().await;
    let created = harness
        .post(
            "/v1/environments",
            json!({"name": "body-marker-environment"}),
        )
        .await;
    let request_id = created.header("request-id").unwrap().to_owned();
    let file = harness
        .upload("a.txt", "text/plain", b"body-marker-content".to_vec())
        .await
        .ok();
    let session = harness
        .session(json!({"resources": [
            {"type": "file", "file_id": file["id"]},
            {"type": "github_repository", "url": "https://github.com/o/r",
             "authorization_token": "ghp_token_marker"}]}))
        .await;
    harness
        .put_output(
            session["id"].as_str().unwrap(),
            "out.txt",
            "text/plain",
            b"body-marker-output".to_vec(),
        )
        .await
        .ok();
    harness.get("/v1/environments").await.ok();
    harness.shutdown().await;

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains(&request_id), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    for secret in [KEY, "ghp_token_marker", "body-marker"] {
        assert!(
            !logs.contains(secret),
            "`{secret}` leaked into the log:\n{logs}"
        );
    }
}
