//! What goes on the wire, and how the client treats servers that misbehave, checked against a
//! small scripted HTTP server on 127.0.0.1 that records each request and answers the next
//! canned response.

use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use managed_agents_client::{ClientConfig, Credentials, Error, NativeClient, RequestOptions};
use managed_agents_types::PaginationError;
use managed_agents_types::endpoints;
use managed_agents_types::environments::EnvironmentListParams;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One recorded request: the head as text (lower-cased header names) and the body.
#[derive(Debug, Clone)]
struct Recorded {
    head: String,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }
}

/// Serves `responses` in order (status and JSON body), one per connection, then stops.
async fn scripted(responses: Vec<(u16, String)>) -> (String, Arc<Mutex<Vec<Recorded>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&recorded);
    tokio::spawn(async move {
        for (status, answer_body) in responses {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 8192];
            let head_end = loop {
                let read = socket.read(&mut chunk).await.unwrap();
                buffer.extend_from_slice(&chunk[..read]);
                if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                    break end + 4;
                }
                assert!(read > 0, "the client closed the connection early");
            };
            let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
            let request = Recorded {
                head,
                body: Vec::new(),
            };
            let length: usize = request
                .header("content-length")
                .map_or(0, |value| value.parse().unwrap());
            while buffer.len() < head_end + length {
                let read = socket.read(&mut chunk).await.unwrap();
                buffer.extend_from_slice(&chunk[..read]);
            }
            let body = buffer[head_end..head_end + length].to_vec();
            log.lock().unwrap().push(Recorded { body, ..request });
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                 request-id: req_scripted\r\nconnection: close\r\n\
                 content-length: {}\r\n\r\n{answer_body}",
                answer_body.len()
            );
            socket.write_all(answer.as_bytes()).await.unwrap();
            socket.shutdown().await.unwrap();
        }
    });
    (url, recorded)
}

fn environment(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "type": "environment", "name": id,
        "config": {"type": "cloud", "networking": {"type": "unrestricted"}},
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})
}

fn page(ids: &[&str], extra: serde_json::Value) -> (u16, String) {
    let mut page =
        serde_json::json!({"data": ids.iter().map(|id| environment(id)).collect::<Vec<_>>()});
    page.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    (200, page.to_string())
}

#[tokio::test]
async fn headers_betas_query_and_body_are_sent_as_the_spec_says() {
    let (url, recorded) = scripted(vec![
        (200, environment("env_1").to_string()),
        (200, environment("env_1").to_string()),
    ])
    .await;
    let config = ClientConfig::with_api_key("sk-wire")
        .with_base_url(&url)
        .with_beta("client-beta-1")
        .with_default_header("x-team", "data");
    let client = NativeClient::new(config).unwrap();
    let options = RequestOptions::default()
        .beta("call-beta, managed-agents-2026-04-01")
        .header("x-call", "1");
    let params = serde_json::from_value(serde_json::json!({"name": "env_1"})).unwrap();
    client
        .environments()
        .with_options(options)
        .create(&params)
        .await
        .unwrap();

    let bearer = ClientConfig::new(Credentials::BearerToken("tok-wire".into())).with_base_url(&url);
    let bearer = NativeClient::new(bearer).unwrap();
    bearer
        .environments()
        .retrieve(&"env_1".parse().unwrap())
        .await
        .unwrap();

    let recorded = recorded.lock().unwrap().clone();
    let create = &recorded[0];
    assert!(
        create
            .head
            .starts_with("POST /v1/environments?beta=true HTTP/1.1")
    );
    assert_eq!(create.header("x-api-key"), Some("sk-wire"));
    assert_eq!(create.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(
        create.header("anthropic-beta"),
        Some("managed-agents-2026-04-01,client-beta-1,call-beta")
    );
    assert_eq!(create.header("content-type"), Some("application/json"));
    assert_eq!(
        (create.header("x-team"), create.header("x-call")),
        (Some("data"), Some("1"))
    );
    assert_eq!(create.body, br#"{"name":"env_1"}"#);

    let retrieve = &recorded[1];
    assert_eq!(retrieve.target(), "/v1/environments/env_1?beta=true");
    assert_eq!(retrieve.header("authorization"), Some("Bearer tok-wire"));
    assert_eq!(retrieve.header("x-api-key"), None);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let (url, recorded) = scripted(vec![
        page(&["env_1"], serde_json::json!({"next_page": "page_a"})),
        page(&["env_2"], serde_json::json!({"next_page": "page_a"})),
    ])
    .await;
    let client = NativeClient::new(ClientConfig::with_api_key("k").with_base_url(&url)).unwrap();
    let mut stream = std::pin::pin!(client.environments().list_stream(&Default::default()));
    assert_eq!(
        stream.try_next().await.unwrap().unwrap().id.as_str(),
        "env_1"
    );
    assert_eq!(
        stream.try_next().await.unwrap().unwrap().id.as_str(),
        "env_2"
    );
    let error = stream.try_next().await.unwrap_err();
    assert!(matches!(
        error,
        Error::Pagination(PaginationError::RepeatedCursor(_))
    ));
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "the stream ends after the error"
    );
    let targets: Vec<String> = recorded
        .lock()
        .unwrap()
        .iter()
        .map(|request| request.target().to_owned())
        .collect();
    assert_eq!(
        targets,
        [
            "/v1/environments?beta=true",
            "/v1/environments?page=page_a&beta=true"
        ]
    );
}

#[tokio::test]
async fn the_id_envelope_is_followed_and_a_missing_last_id_is_an_error() {
    let (url, recorded) = scripted(vec![
        page(
            &["env_1", "env_2"],
            serde_json::json!({"has_more": true, "last_id": "env_2"}),
        ),
        page(&["env_3"], serde_json::json!({"has_more": true})),
    ])
    .await;
    let client = NativeClient::new(ClientConfig::with_api_key("k").with_base_url(&url)).unwrap();
    let results: Vec<_> =
        futures_util::StreamExt::collect(client.environments().list_stream(&Default::default()))
            .await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(matches!(
        results[3],
        Err(Error::Pagination(PaginationError::MissingId("last_id")))
    ));
    let second = recorded.lock().unwrap()[1].target().to_owned();
    assert_eq!(second, "/v1/environments?after_id=env_2&beta=true");
}

#[tokio::test]
async fn a_body_that_does_not_decode_names_the_field() {
    let mut broken = environment("env_1");
    broken["name"] = serde_json::json!(5);
    let (url, _) = scripted(vec![(200, broken.to_string())]).await;
    let client = NativeClient::new(ClientConfig::with_api_key("k").with_base_url(&url)).unwrap();
    let error = client
        .environments()
        .retrieve(&"env_1".parse().unwrap())
        .await
        .unwrap_err();
    let Error::Decode { source, request_id } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(source.path, "name");
    assert_eq!(request_id.as_deref(), Some("req_scripted"));
}

#[tokio::test]
async fn raw_answers_keep_every_field_and_refuse_what_is_not_json() {
    let mut newer = environment("env_1");
    newer["field_from_a_newer_server"] = serde_json::json!({"nested": [1, 2]});
    let (url, recorded) = scripted(vec![
        (200, format!("  {newer}\n")),
        (204, String::new()),
        (200, "{\"id\": \"env_1\"".to_owned()),
    ])
    .await;
    let client = NativeClient::new(ClientConfig::with_api_key("k").with_base_url(&url)).unwrap();
    let options = RequestOptions::default().header("x-call", "raw");
    let id = "env_1".parse().unwrap();

    let endpoint = endpoints::environments::retrieve(&id).unwrap();
    let json = client.call_raw(endpoint, &options).await.unwrap();
    assert_eq!(
        json.get(),
        newer.to_string(),
        "the server's text, whitespace trimmed"
    );
    let sent = recorded.lock().unwrap()[0].clone();
    assert_eq!(sent.header("x-call"), Some("raw"));
    assert_eq!(
        sent.header("anthropic-beta"),
        Some("managed-agents-2026-04-01")
    );

    let endpoint = endpoints::delete_environment(&id).unwrap();
    let json = client.call_raw(endpoint, &options).await.unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(json.get()).unwrap(),
        serde_json::json!({"id": "env_1", "type": "environment_deleted"}),
        "a 204 stands for the confirmation"
    );

    let endpoint = endpoints::environments::retrieve(&id).unwrap();
    let error = client.call_raw(endpoint, &options).await.unwrap_err();
    let Error::Decode { request_id, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(request_id.as_deref(), Some("req_scripted"));
}

#[tokio::test]
async fn a_raw_list_follows_both_envelopes_and_stops_on_a_repeated_cursor() {
    let (url, recorded) = scripted(vec![
        page(
            &["env_1", "env_2"],
            serde_json::json!({"has_more": true, "last_id": "env_2"}),
        ),
        page(&["env_3"], serde_json::json!({"next_page": "page_a"})),
        page(&["env_4"], serde_json::json!({"next_page": "page_a"})),
    ])
    .await;
    let client = NativeClient::new(ClientConfig::with_api_key("k").with_base_url(&url)).unwrap();
    let params = EnvironmentListParams {
        limit: Some(2),
        ..Default::default()
    };
    let stream = client.list_raw_stream(&RequestOptions::default(), None, move |cursor| {
        let mut params = params.clone();
        params.cursor = cursor.cloned();
        endpoints::environments::list(&params)
    });
    let results: Vec<_> = futures_util::StreamExt::collect(stream).await;
    assert_eq!(results.len(), 5, "four items, then the error: {results:?}");
    for (result, id) in results.iter().zip(["env_1", "env_2", "env_3", "env_4"]) {
        let item = result.as_ref().unwrap();
        assert_eq!(item.get(), environment(id).to_string());
    }
    assert!(matches!(
        results[4],
        Err(Error::Pagination(PaginationError::RepeatedCursor(_)))
    ));
    let targets: Vec<String> = recorded
        .lock()
        .unwrap()
        .iter()
        .map(|request| request.target().to_owned())
        .collect();
    assert_eq!(
        targets,
        [
            "/v1/environments?limit=2&beta=true",
            "/v1/environments?limit=2&after_id=env_2&beta=true",
            "/v1/environments?limit=2&page=page_a&beta=true",
        ]
    );
}
