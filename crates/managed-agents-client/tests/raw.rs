//! The raw API against the emulator: the same requests, retries and pagination as the typed
//! calls, with the server's JSON handed back as it was sent.

mod common;

use common::{Harness, params};
use futures_util::TryStreamExt;
use managed_agents_client::{RequestOptions, Upload};
use managed_agents_types::endpoints;
use managed_agents_types::environments::{Environment, EnvironmentListParams};
use managed_agents_types::files::{FileObject, FileUploadParams};

#[tokio::test]
async fn raw_calls_answer_what_the_typed_calls_decode() {
    let harness = Harness::start().await;
    let client = &harness.client;
    let options = RequestOptions::default();

    let create = params(serde_json::json!({"name": "raw-env", "metadata": {"team": "data"}}));
    let endpoint = endpoints::environments::create(&create).unwrap();
    let created = client.call_raw(endpoint, &options).await.unwrap();
    let created: Environment = serde_json::from_str(created.get()).unwrap();
    let typed = client.environments().retrieve(&created.id).await.unwrap();
    assert_eq!(created, typed);

    for name in ["raw-env-2", "raw-env-3"] {
        let create = params(serde_json::json!({ "name": name }));
        client.environments().create(&create).await.unwrap();
    }
    let list = EnvironmentListParams {
        limit: Some(1),
        ..Default::default()
    };
    let typed: Vec<Environment> = client
        .environments()
        .list_stream(&list)
        .try_collect()
        .await
        .unwrap();
    let raw: Vec<_> = client
        .list_raw_stream(&options, None, move |cursor| {
            let mut list = list.clone();
            list.cursor = cursor.cloned();
            endpoints::environments::list(&list)
        })
        .try_collect()
        .await
        .unwrap();
    let raw: Vec<Environment> = raw
        .iter()
        .map(|item| serde_json::from_str(item.get()).unwrap())
        .collect();
    assert_eq!(raw.len(), 3, "three pages of one");
    assert_eq!(raw, typed);

    let upload = FileUploadParams::new("raw.txt");
    let endpoint = endpoints::files::upload(&upload).unwrap();
    let mut content = Upload::bytes(&b"raw bytes"[..]);
    let file = client
        .upload_raw(endpoint, &mut content, &options)
        .await
        .unwrap();
    let file: FileObject = serde_json::from_str(file.get()).unwrap();
    assert_eq!((file.filename.as_str(), file.size_bytes), ("raw.txt", 9));

    let endpoint = endpoints::delete_environment(&created.id).unwrap();
    let deleted = client.call_raw(endpoint, &options).await.unwrap();
    let deleted: serde_json::Value = serde_json::from_str(deleted.get()).unwrap();
    assert_eq!(deleted["id"], created.id.as_str());
    assert_eq!(deleted["type"], "environment_deleted");
}

#[tokio::test]
async fn raw_calls_are_retried_and_fail_as_the_typed_calls_do() {
    let harness = Harness::start().await;
    let fault =
        serde_json::json!({"type": "status", "status": 429, "headers": {"retry-after": "0"}});
    let plan = serde_json::json!({"seed": 7, "rules": [{"method": "GET",
        "path": "/v1/environments", "times": 1, "probability": 1.0, "fault": fault}]});
    harness.set_faults(plan.clone()).await;
    let endpoint = endpoints::environments::list(&Default::default()).unwrap();
    let page = harness
        .client
        .call_raw(endpoint.clone(), &RequestOptions::default())
        .await
        .unwrap();
    assert!(
        page.get().starts_with('{'),
        "the retry succeeded: {}",
        page.get()
    );

    harness.set_faults(plan).await;
    let once = RequestOptions::default().max_retries(0);
    let error = harness.client.call_raw(endpoint, &once).await.unwrap_err();
    assert_eq!(error.status(), Some(429), "the same fault, not retried");

    let missing = "env_missing".parse().unwrap();
    let endpoint = endpoints::environments::retrieve(&missing).unwrap();
    let error = harness
        .client
        .call_raw(endpoint, &RequestOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert!(error.api().unwrap().request_id.is_some());
}
