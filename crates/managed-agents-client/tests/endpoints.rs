//! Every endpoint of the API through the client, against the emulator over real HTTP.

mod common;

use common::{Harness, params};
use futures_util::TryStreamExt;
use managed_agents_client::Error;
use managed_agents_types::ErrorType;
use managed_agents_types::environments::EnvironmentListParams;
use managed_agents_types::resources::SessionResource;
use managed_agents_types::{Cursor, Patch};

#[tokio::test]
async fn environments_every_call() {
    let harness = Harness::start().await;
    let environments = harness.client.environments();

    let created = environments
        .create(&params(serde_json::json!({
            "name": "python-dev",
            "description": "first",
            "config": {"type": "cloud", "networking": {"type": "unrestricted"}},
            "metadata": {"team": "data"}
        })))
        .await
        .unwrap();
    assert_eq!(created.name, "python-dev");
    assert_eq!(environments.retrieve(&created.id).await.unwrap(), created);

    let updated = environments
        .update(
            &created.id,
            &params(serde_json::json!({"description": null, "metadata": {"team": null}})),
        )
        .await
        .unwrap();
    assert_eq!(updated.description, None);
    assert!(updated.metadata.is_empty());

    let page = environments.list(&Default::default()).await.unwrap();
    assert_eq!(page.data.len(), 1);

    let archived = environments.archive(&created.id).await.unwrap();
    assert!(archived.archived_at.is_some());
    let deleted = environments.delete(&created.id).await.unwrap();
    assert_eq!(deleted.id, created.id.as_str());
    let error = environments.retrieve(&created.id).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    harness.shutdown().await;
}

#[tokio::test]
async fn lists_stream_lazily_across_pages_in_both_envelopes() {
    let harness = Harness::start().await;
    let environments = harness.client.environments();
    for index in 0..7 {
        environments
            .create(&params(serde_json::json!({"name": format!("env-{index}")})))
            .await
            .unwrap();
    }
    let by_page = EnvironmentListParams {
        limit: Some(3),
        ..Default::default()
    };
    let all: Vec<_> = environments
        .list_stream(&by_page)
        .try_collect()
        .await
        .unwrap();
    let mut names: Vec<_> = all
        .iter()
        .map(|environment| environment.name.clone())
        .collect();
    names.sort();
    assert_eq!(
        names,
        (0..7)
            .map(|index| format!("env-{index}"))
            .collect::<Vec<_>>()
    );

    let first = environments.list(&by_page).await.unwrap();
    let after_id = EnvironmentListParams {
        limit: Some(3),
        cursor: Some(Cursor::AfterId(first.data[2].id.as_str().to_owned())),
        ..Default::default()
    };
    let rest: Vec<_> = environments
        .list_stream(&after_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 4);
    assert!(
        rest.iter()
            .all(|environment| !first.data.contains(environment))
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn agents_vaults_and_memory_stores_every_call() {
    let harness = Harness::start().await;
    let client = &harness.client;

    let agent = client
        .agents()
        .create(&params(
            serde_json::json!({"name": "a", "model": "claude-opus-4-7"}),
        ))
        .await
        .unwrap();
    assert_eq!(
        client.agents().retrieve(&agent.id).await.unwrap().id,
        agent.id
    );
    let agent = client
        .agents()
        .update(
            &agent.id,
            &params(serde_json::json!({"version": agent.version, "name": "b"})),
        )
        .await
        .unwrap();
    assert_eq!((agent.name.as_str(), agent.version), ("b", 2));
    let stale = client
        .agents()
        .update(
            &agent.id,
            &params(serde_json::json!({"version": 1, "name": "c"})),
        )
        .await
        .unwrap_err();
    assert_eq!(stale.status(), Some(409));
    assert_eq!(
        client
            .agents()
            .list(&Default::default())
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert!(
        client
            .agents()
            .archive(&agent.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );

    let vault = client
        .vaults()
        .create(&params(serde_json::json!({"display_name": "keys"})))
        .await
        .unwrap();
    let vault = client
        .vaults()
        .update(
            &vault.id,
            &params(serde_json::json!({"display_name": "keys 2"})),
        )
        .await
        .unwrap();
    assert_eq!(
        client
            .vaults()
            .retrieve(&vault.id)
            .await
            .unwrap()
            .display_name,
        "keys 2"
    );
    let listed: Vec<_> = client
        .vaults()
        .list_stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        client
            .vaults()
            .archive(&vault.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
    assert_eq!(
        client.vaults().delete(&vault.id).await.unwrap().id,
        vault.id.as_str()
    );

    let store = client
        .memory_stores()
        .create(&params(serde_json::json!({"name": "User Preferences"})))
        .await
        .unwrap();
    let store = client
        .memory_stores()
        .update(
            &store.id,
            &managed_agents_types::memory_stores::MemoryStoreUpdateParams {
                description: Patch::Value("likes".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client
            .memory_stores()
            .retrieve(&store.id)
            .await
            .unwrap()
            .description,
        "likes"
    );
    assert_eq!(
        client
            .memory_stores()
            .list(&Default::default())
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert!(
        client
            .memory_stores()
            .archive(&store.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
    assert_eq!(
        client.memory_stores().delete(&store.id).await.unwrap().id,
        store.id.as_str()
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn sessions_and_their_resources_every_call() {
    let harness = Harness::start().await;
    let client = &harness.client;
    let (environment, agent) = harness.environment_and_agent().await;
    let file = client
        .files()
        .upload_bytes("data.csv", &b"a,b\n1,2\n"[..])
        .await
        .unwrap();
    let second = client
        .files()
        .upload_bytes("more.csv", &b"c\n3\n"[..])
        .await
        .unwrap();

    let session = client
        .sessions()
        .create(&params(serde_json::json!({
            "agent": agent.id,
            "environment_id": environment.id,
            "title": "t",
            "resources": [{"type": "file", "file_id": file.id, "mount_path": "/workspace/data.csv"}]
        })))
        .await
        .unwrap();
    assert_eq!(
        client.sessions().retrieve(&session.id).await.unwrap().id,
        session.id
    );
    let renamed = client
        .sessions()
        .update(
            &session.id,
            &params(serde_json::json!({"title": "renamed"})),
        )
        .await
        .unwrap();
    assert_eq!(renamed.title.as_deref(), Some("renamed"));
    let sessions: Vec<_> = client
        .sessions()
        .list_stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        client
            .sessions()
            .list(&Default::default())
            .await
            .unwrap()
            .data
            .len(),
        1
    );

    let resources = client.sessions().resources();
    let added = resources
        .add(
            &session.id,
            &params(serde_json::json!({"type": "file", "file_id": second.id})),
        )
        .await
        .unwrap();
    let added_id = added.id().unwrap().clone();
    assert!(matches!(
        resources.retrieve(&session.id, &added_id).await.unwrap(),
        SessionResource::File(_)
    ));
    let all: Vec<_> = resources
        .list_stream(&session.id, &Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let page = resources
        .list(&session.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);
    let not_a_repository = resources
        .update(
            &session.id,
            &added_id,
            &params(serde_json::json!({"authorization_token": "ghp_x"})),
        )
        .await
        .unwrap_err();
    assert_eq!(not_a_repository.status(), Some(400));
    assert_eq!(
        resources.delete(&session.id, &added_id).await.unwrap().id,
        added_id.as_str()
    );

    assert!(
        client
            .sessions()
            .archive(&session.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
    assert_eq!(
        client.sessions().delete(&session.id).await.unwrap().id,
        session.id.as_str()
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn files_every_call() {
    let harness = Harness::start().await;
    let files = harness.client.files();
    let uploaded = files
        .upload_bytes("notes.txt", &b"hello"[..])
        .await
        .unwrap();
    assert_eq!(
        (uploaded.size_bytes, uploaded.mime_type.as_str()),
        (5, "text/plain")
    );
    assert_eq!(files.retrieve(&uploaded.id).await.unwrap().id, uploaded.id);
    assert_eq!(files.list(&Default::default()).await.unwrap().data.len(), 1);
    let all: Vec<_> = files
        .list_stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);

    let not_downloadable = files.download_bytes(&uploaded.id).await.unwrap_err();
    assert_eq!(not_downloadable.status(), Some(403));
    assert_eq!(
        files.delete(&uploaded.id).await.unwrap().id,
        uploaded.id.as_str()
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn validation_fails_before_sending_and_names_the_field() {
    let harness = Harness::start().await;
    let client = &harness.client;
    let (environment, agent) = harness.environment_and_agent().await;
    let bad_mount = client
        .sessions()
        .create(&params(serde_json::json!({
            "agent": agent.id,
            "environment_id": environment.id,
            "resources": [{"type": "file", "file_id": "file_1", "mount_path": "/workspace/../etc"}]
        })))
        .await
        .unwrap_err();
    let Error::Validation(validation) = &bad_mount else {
        panic!("expected a validation error, got {bad_mount:?}");
    };
    assert_eq!(validation.errors[0].path, "resources[0].mount_path");

    let stores: Vec<_> = (0..9)
        .map(|index| {
            let id = format!("memstore_{index}");
            serde_json::json!({"type": "memory_store", "memory_store_id": id})
        })
        .collect();
    let too_many = client
        .sessions()
        .create(&params(serde_json::json!({
            "agent": agent.id, "environment_id": environment.id, "resources": stores
        })))
        .await
        .unwrap_err();
    let Error::Validation(validation) = &too_many else {
        panic!("expected a validation error, got {too_many:?}");
    };
    assert!(
        validation.errors[0].path.starts_with("resources"),
        "{validation}"
    );
    let sessions = client.sessions().list(&Default::default()).await.unwrap();
    assert!(sessions.data.is_empty(), "nothing reached the server");
    harness.shutdown().await;
}

#[tokio::test]
async fn api_errors_keep_status_type_message_request_id_and_body() {
    let harness = Harness::start().await;
    let environments = harness.client.environments();
    let body = params(serde_json::json!({"name": "python-dev"}));
    environments.create(&body).await.unwrap();
    let conflict = environments.create(&body).await.unwrap_err();
    let api = conflict.api().expect("an API error");
    assert_eq!(api.status, 409);
    assert!(matches!(
        api.error_type,
        Some(ErrorType::InvalidRequest | ErrorType::Conflict)
    ));
    assert!(!api.message.is_empty());
    assert!(api.request_id.as_deref().unwrap().starts_with("req_"));
    assert!(!api.body.is_empty());
    assert!(
        !conflict.is_retryable(),
        "x-should-retry: false wins over 409"
    );

    let wrong_key = harness.client_with(|config| config.with_default_header("x-api-key", "wrong"));
    let unauthorized = wrong_key
        .environments()
        .list(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(unauthorized.status(), Some(401));
    harness.shutdown().await;
}

#[tokio::test]
async fn futures_are_send_and_run_on_spawned_tasks() {
    let harness = Harness::start().await;
    let client = harness.client.clone();
    let task = tokio::spawn(async move {
        let environment = client
            .environments()
            .create(&params(serde_json::json!({"name": "spawned"})))
            .await?;
        let listed: Vec<_> = client
            .environments()
            .list_stream(&Default::default())
            .try_collect()
            .await?;
        Ok::<_, Error>((environment, listed.len()))
    });
    let (environment, count) = task.await.unwrap().unwrap();
    assert_eq!((environment.name.as_str(), count), ("spawned", 1));
    harness.shutdown().await;
}
