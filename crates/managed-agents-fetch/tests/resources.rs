//! Every resource group of the client over the fetch transport, in Node, against the emulator:
//! agents, vaults, memory stores, sessions, session resources and files.

#![cfg(target_arch = "wasm32")]

mod common;

use common::{client, params, unique};
use futures_util::TryStreamExt;
use managed_agents_fetch::Upload;
use managed_agents_types::agents::{Agent, AgentListParams};
use managed_agents_types::environments::Environment;
use managed_agents_types::files::{FileListParams, FileUploadParams};
use managed_agents_types::memory_stores::{MemoryStore, MemoryStoreListParams};
use managed_agents_types::resources::SessionResourceListParams;
use managed_agents_types::sessions::{Session, SessionListParams};
use managed_agents_types::vaults::{Vault, VaultListParams};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn agents_create_update_list_archive() {
    let client = client();
    let agents = client.agents();
    let agent: Agent = agents
        .create(&params(
            json!({"name": unique("agent"), "model": "claude-opus-4-7"}),
        ))
        .await
        .unwrap();
    assert_eq!(agent.version, 1);
    let updated = agents
        .update(
            &agent.id,
            &params(json!({"version": 1, "system": "Be brief."})),
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.version, updated.system.as_deref()),
        (2, Some("Be brief."))
    );
    let stale = agents
        .update(&agent.id, &params(json!({"version": 1, "name": "x"})))
        .await
        .unwrap_err();
    assert_eq!(stale.status(), Some(409));
    assert_eq!(agents.retrieve(&agent.id).await.unwrap().version, 2);
    let listed: Vec<Agent> = agents
        .list_stream(&AgentListParams {
            limit: Some(1),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(listed.iter().any(|listed| listed.id == agent.id));
    assert!(
        agents
            .archive(&agent.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn vaults_and_memory_stores_round_trip() {
    let client = client();
    let vault: Vault = client
        .vaults()
        .create(&params(
            json!({"display_name": unique("vault"), "metadata": {"team": "a"}}),
        ))
        .await
        .unwrap();
    let renamed = client
        .vaults()
        .update(
            &vault.id,
            &params(json!({"display_name": "renamed", "metadata": {"team": null}})),
        )
        .await
        .unwrap();
    assert_eq!(renamed.display_name, "renamed");
    assert!(renamed.metadata.is_empty());
    let vaults: Vec<Vault> = client
        .vaults()
        .list_stream(&VaultListParams::default())
        .try_collect()
        .await
        .unwrap();
    assert!(vaults.iter().any(|listed| listed.id == vault.id));
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

    let store: MemoryStore = client
        .memory_stores()
        .create(&params(json!({"name": "User Preferences"})))
        .await
        .unwrap();
    let described = client
        .memory_stores()
        .update(
            &store.id,
            &params(json!({"description": "What users like"})),
        )
        .await
        .unwrap();
    assert_eq!(described.description, "What users like");
    assert_eq!(
        client.memory_stores().retrieve(&store.id).await.unwrap().id,
        store.id
    );
    let stores: Vec<MemoryStore> = client
        .memory_stores()
        .list_stream(&MemoryStoreListParams::default())
        .try_collect()
        .await
        .unwrap();
    assert!(stores.iter().any(|listed| listed.id == store.id));
    assert!(
        client
            .memory_stores()
            .archive(&store.id)
            .await
            .unwrap()
            .archived_at
            .is_some()
    );
    client.memory_stores().delete(&store.id).await.unwrap();
    let gone = client
        .memory_stores()
        .retrieve(&store.id)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404));
}

#[wasm_bindgen_test]
async fn sessions_their_resources_and_files() {
    let client = client();
    let environment: Environment = client
        .environments()
        .create(&params(json!({"name": unique("sessions")})))
        .await
        .unwrap();
    let agent: Agent = client
        .agents()
        .create(&params(
            json!({"name": "worker", "model": "claude-opus-4-7"}),
        ))
        .await
        .unwrap();
    let store: MemoryStore = client
        .memory_stores()
        .create(&params(json!({"name": "Notes"})))
        .await
        .unwrap();
    let session: Session = client
        .sessions()
        .create(&params(
            json!({"agent": agent.id, "environment_id": environment.id,
            "title": "first", "resources": [{"type": "memory_store",
            "memory_store_id": store.id, "access": "read_only"}]}),
        ))
        .await
        .unwrap();
    let titled = client
        .sessions()
        .update(&session.id, &params(json!({"title": "second"})))
        .await
        .unwrap();
    assert_eq!(titled.title.as_deref(), Some("second"));
    assert_eq!(
        client.sessions().retrieve(&session.id).await.unwrap().id,
        session.id
    );
    let sessions: Vec<Session> = client
        .sessions()
        .list_stream(&SessionListParams {
            limit: Some(1),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(sessions.iter().any(|listed| listed.id == session.id));

    // Session resources: add a file, retrieve it, remove it.
    let file = client
        .files()
        .upload(
            &FileUploadParams::new("notes.txt"),
            Upload::from_bytes(b"hello").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        client.files().retrieve(&file.id).await.unwrap().size_bytes,
        5
    );
    let resources = client.sessions().resources();
    let added = resources
        .add(
            &session.id,
            &params(json!({"type": "file", "file_id": file.id})),
        )
        .await
        .unwrap();
    let added = serde_json::to_value(&added).unwrap();
    let added_id = added["id"].as_str().unwrap().parse().unwrap();
    let retrieved = resources.retrieve(&session.id, &added_id).await.unwrap();
    assert_eq!(
        serde_json::to_value(&retrieved).unwrap()["file_id"],
        json!(file.id)
    );
    let all: Vec<_> = resources
        .list_stream(&session.id, &SessionResourceListParams::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the memory store and the file");
    resources.delete(&session.id, &added_id).await.unwrap();

    // Files: listed, deleted; an upload is not downloadable.
    let files: Vec<_> = client
        .files()
        .list_stream(&FileListParams::default())
        .try_collect()
        .await
        .unwrap();
    assert!(files.iter().any(|listed| listed.id == file.id));
    let refused = client.files().download_bytes(&file.id).await.unwrap_err();
    assert_eq!(refused.status(), Some(403));
    assert_eq!(
        client.files().delete(&file.id).await.unwrap().id,
        file.id.as_str()
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
}
