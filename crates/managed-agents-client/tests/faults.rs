//! Retries, timeouts and dropped connections against the emulator's fault injection.

#![allow(
    clippy::disallowed_methods,
    reason = "a test reads the clock to see a delay honoured"
)]

mod common;

use std::time::{Duration, Instant};

use common::{Harness, params};
use managed_agents_client::{ClientConfig, Error, NativeClient, RequestOptions, Upload};
use managed_agents_types::files::FileUploadParams;
use sha2::{Digest, Sha256};

fn rule(method: &str, path: &str, times: u32, fault: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"seed": 7, "rules": [
        {"method": method, "path": path, "times": times, "probability": 1.0, "fault": fault}
    ]})
}

fn status(code: u16, headers: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"type": "status", "status": code, "headers": headers})
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let harness = Harness::start().await;
    let fault = status(429, serde_json::json!({"retry-after": "1"}));
    harness
        .set_faults(rule("GET", "/v1/environments", 1, fault.clone()))
        .await;
    let started = Instant::now();
    harness
        .client
        .environments()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "retry-after was honoured"
    );

    harness
        .set_faults(rule("GET", "/v1/environments", 1, fault))
        .await;
    let once = RequestOptions::default().max_retries(0);
    let error = harness
        .client
        .environments()
        .with_options(once)
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert!(error.is_retryable());
    let api = error.api().unwrap();
    assert_eq!(
        api.error_type.as_ref().unwrap().as_str(),
        "rate_limit_error"
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn a_529_twice_then_success_and_the_retry_budget() {
    let harness = Harness::start().await;
    let fault = status(529, serde_json::json!({"retry-after-ms": "10"}));
    harness
        .set_faults(rule("POST", "/v1/environments", 2, fault.clone()))
        .await;
    let created = harness
        .client
        .environments()
        .create(&params(serde_json::json!({"name": "after-overload"})))
        .await
        .unwrap();
    assert_eq!(created.name, "after-overload");

    harness
        .set_faults(rule("POST", "/v1/environments", 2, fault))
        .await;
    let one_retry = harness.client_with(|config| config.with_max_retries(1));
    let error = one_retry
        .environments()
        .create(&params(serde_json::json!({"name": "still-overloaded"})))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(529));
    harness.shutdown().await;
}

#[tokio::test]
async fn x_should_retry_false_stops_a_500() {
    let harness = Harness::start().await;
    let fault = status(500, serde_json::json!({"x-should-retry": "false"}));
    harness
        .set_faults(rule("GET", "/v1/environments", 1, fault))
        .await;
    let error = harness
        .client
        .environments()
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500), "a retry would have succeeded");
    assert!(!error.is_retryable());
    harness.shutdown().await;
}

#[tokio::test]
async fn a_slow_response_times_out_and_is_retried() {
    let harness = Harness::start().await;
    let delay = serde_json::json!({"type": "delay", "ms": 3000});
    harness
        .set_faults(rule("GET", "/v1/environments", 1, delay.clone()))
        .await;
    let short = RequestOptions::default()
        .timeout(Duration::from_millis(1000))
        .max_retries(0);
    let error = harness
        .client
        .environments()
        .with_options(short.clone())
        .list(&Default::default())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_retryable());

    harness
        .set_faults(rule("GET", "/v1/environments", 1, delay))
        .await;
    let page = harness
        .client
        .environments()
        .with_options(short.max_retries(1))
        .list(&Default::default())
        .await
        .unwrap();
    assert!(page.data.is_empty());
    harness.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let harness = Harness::start().await;
    for when in ["before_body", "after_body"] {
        let drop = serde_json::json!({"type": "drop", "when": when});
        harness
            .set_faults(rule("POST", "/v1/environments", 1, drop.clone()))
            .await;
        let name = format!("survives-{when}");
        let created = harness
            .client
            .environments()
            .create(&params(serde_json::json!({ "name": name })))
            .await
            .unwrap();
        assert_eq!(created.name, name);

        harness
            .set_faults(rule("GET", "/v1/environments", 1, drop))
            .await;
        let error = harness
            .client
            .environments()
            .with_options(RequestOptions::default().max_retries(0))
            .list(&Default::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Connection(_)), "{error:?}");
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn a_503_after_the_upload_was_read_resends_the_whole_file() {
    let harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("payload.bin");
    let content: Vec<u8> = (0..3_000_000u32)
        .map(|index| (index * 7 % 251) as u8)
        .collect();
    std::fs::write(&path, &content).unwrap();
    let expected = Sha256::digest(&content);

    let fault = serde_json::json!({"type": "status", "status": 503,
        "headers": {"retry-after-ms": "10"}, "read_body": true});
    harness
        .set_faults(rule("POST", "/v1/files", 1, fault.clone()))
        .await;
    let uploaded = harness
        .client
        .files()
        .upload_path(&path, None)
        .await
        .unwrap();
    assert_eq!(uploaded.size_bytes, content.len() as u64);
    let stored = stored_files_of_size(harness.emulator.data_dir(), content.len() as u64);
    assert!(
        stored.iter().any(|digest| digest[..] == expected[..]),
        "the stored content has the SHA-256 of the file"
    );

    harness
        .set_faults(rule("POST", "/v1/files", 1, fault))
        .await;
    let reader = tokio::fs::File::open(&path).await.unwrap();
    let error = harness
        .client
        .files()
        .upload(
            &FileUploadParams::new("payload.bin"),
            Upload::reader(reader, Some(content.len() as u64)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(503),
        "a one-shot reader is not retried"
    );
    harness.shutdown().await;
}

/// The SHA-256 of every file of `size` bytes under the emulator's data folder.
fn stored_files_of_size(root: &std::path::Path, size: u64) -> Vec<Vec<u8>> {
    let mut digests = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            let metadata = entry.metadata().unwrap();
            if metadata.is_dir() {
                folders.push(entry.path());
            } else if metadata.len() == size {
                digests.push(Sha256::digest(std::fs::read(entry.path()).unwrap()).to_vec());
            }
        }
    }
    digests
}

#[tokio::test]
async fn a_malformed_base_url_is_a_configuration_error_and_is_not_retried() {
    for base_url in [
        "not a url",
        "",
        "ftp://127.0.0.1",
        "http://",
        "http://127.0.0.1 /v",
    ] {
        let config = ClientConfig::with_api_key("sk-test")
            .with_base_url(base_url)
            .with_max_retries(5);
        let client = NativeClient::new(config).unwrap();
        let error = client
            .environments()
            .list(&Default::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{base_url}: {error:?}");
        assert!(!error.is_retryable(), "{base_url}");
        let message = format!("{error}: {}", std::error::Error::source(&error).unwrap());
        assert!(
            message.contains("is not an http:// or https:// URL"),
            "{message}"
        );
    }
    for (base_url, why) in [
        ("http://user:s3cret@127.0.0.1:1", "carries credentials"),
        ("HTTP://user:s3cret@127.0.0.1:1", "carries credentials"),
        ("ftp://user:s3cret@127.0.0.1:1", "carries credentials"),
        ("http:/user:s3cret@127.0.0.1:1", "carries credentials"),
        (
            "http://127.0.0.1:1/?token=s3cret",
            "carries a query or a fragment",
        ),
        (
            "http://127.0.0.1:1/#s3cret",
            "carries a query or a fragment",
        ),
    ] {
        let config = ClientConfig::with_api_key("sk-test").with_base_url(base_url);
        let client = NativeClient::new(config).unwrap();
        assert!(!format!("{client:?}").contains("s3cret"), "{client:?}");
        let error = client
            .environments()
            .list(&Default::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{base_url}: {error:?}");
        let message = format!("{error}: {}", std::error::Error::source(&error).unwrap());
        assert!(message.contains(why), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
        assert!(!format!("{error:?}").contains("s3cret"), "{error:?}");
    }
}
