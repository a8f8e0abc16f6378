//! Requests the emulator refuses, over real HTTP: output paths it cannot store as one file,
//! bodies over the size limit (refused before they are read), bodies that are not JSON
//! objects or carry unknown fields, and answers the HTTP layer gives by itself, which must all
//! carry the error envelope and a `request-id` header.

mod common;

use std::time::Duration;

use common::{BETA, Harness, KEY, VERSION};
use managed_agents_emulator::EmulatorConfig;
use managed_agents_types::SessionId;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer read from a raw connection.
struct RawAnswer {
    status: u16,
    head: String,
    body: Value,
}

impl RawAnswer {
    /// Asserts the status, the envelope's error type and the `request-id` header.
    fn expect_error(&self, status: u16, error_type: &str) {
        assert_eq!(self.status, status, "{}", self.head);
        assert_eq!(self.body["type"], "error", "{}", self.head);
        assert_eq!(self.body["error"]["type"], error_type, "{}", self.head);
        let request_id = self
            .head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(": ")?;
                name.eq_ignore_ascii_case("request-id").then_some(value)
            })
            .unwrap_or_else(|| panic!("no request-id header in {}", self.head));
        assert!(request_id.starts_with("req_"));
        assert_eq!(self.body["request_id"], request_id);
    }
}

/// Sends `head` (and `body`) on a new connection and reads one answer, which must come within
/// ten seconds without the client sending anything more; then expects the server to close.
async fn raw_exchange(harness: &Harness, head: &[u8], body: &[u8]) -> RawAnswer {
    let mut stream = TcpStream::connect(harness.emulator.local_addr())
        .await
        .unwrap();
    stream.write_all(&[head, body].concat()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(answer) = parse_answer(&received) {
                return answer;
            }
            let read = stream.read(&mut buffer).await.unwrap_or(0);
            assert!(read > 0, "closed before a whole answer: {received:?}");
            received.extend_from_slice(&buffer[..read]);
        }
    })
    .await
    .expect("the answer comes without the rest of the request");
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection is closed after the answer");
    answer
}

fn parse_answer(received: &[u8]) -> Option<RawAnswer> {
    let text = String::from_utf8_lossy(received);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length: ")?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    if body.len() < length {
        return None;
    }
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some(RawAnswer {
        status,
        head: head.to_owned(),
        body: serde_json::from_str(&body[..length]).unwrap_or(Value::Null),
    })
}

fn auth_headers() -> String {
    format!(
        "host: 127.0.0.1\r\nx-api-key: {KEY}\r\nanthropic-version: {VERSION}\r\n\
         anthropic-beta: {BETA}\r\n"
    )
}

async fn session_files(harness: &Harness, session_id: &str) -> Vec<Value> {
    let page = harness
        .get(&format!("/v1/files?scope_id={session_id}"))
        .await
        .ok();
    page["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_backslash_in_an_output_path_is_refused_so_no_write_is_captured_twice() {
    let harness = Harness::start().await;
    let session = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();

    let message = harness
        .put_output(session_id, "a%5Cb.txt", "text/plain", b"one".to_vec())
        .await
        .expect_error(400, "invalid_request_error");
    assert!(message.contains('\\'), "{message}");
    assert!(session_files(&harness, session_id).await.is_empty());

    let dropped = harness
        .emulator
        .session_outputs_dir(&SessionId::new(session_id).unwrap());
    std::fs::write(dropped.join("c\\d.txt"), b"by hand").unwrap();
    let files = session_files(&harness, session_id).await;
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["filename"], "c\\d.txt");
    assert_eq!(session_files(&harness, session_id).await.len(), 1);

    let written = harness
        .put_output(session_id, "e/f.txt", "text/plain", b"two".to_vec())
        .await
        .ok();
    assert_eq!(written["filename"], "f.txt");
    assert_eq!(session_files(&harness, session_id).await.len(), 2);
    harness.shutdown().await;
}

#[tokio::test]
async fn output_paths_are_checked_before_anything_is_written() {
    let harness = Harness::start().await;
    let session = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();
    let outputs = harness
        .emulator
        .session_outputs_dir(&SessionId::new(session_id).unwrap());

    let deep = vec!["d"; 2000].join("/");
    let long_segment = "x".repeat(256);
    let long_path = vec!["abcdefghij"; 100].join("/");
    for bad in [
        deep.as_str(),
        long_segment.as_str(),
        long_path.as_str(),
        "a//b",
        "a/",
    ] {
        let message = harness
            .put_output(session_id, bad, "text/plain", b"x".to_vec())
            .await
            .expect_error(400, "invalid_request_error");
        assert!(message.starts_with("path: "), "{message}");
        assert!(message.len() < 600, "{message}");
    }
    for dotted in ["a/./b", "a/../b", "a/%2E%2E/b"] {
        let request = format!(
            "PUT /_emulator/sessions/{session_id}/outputs/{dotted} HTTP/1.1\r\n{}\
             connection: close\r\ncontent-length: 1\r\n\r\nx",
            auth_headers()
        );
        raw_exchange(&harness, request.as_bytes(), b"")
            .await
            .expect_error(400, "invalid_request_error");
    }
    assert_eq!(std::fs::read_dir(&outputs).unwrap().count(), 0);
    assert!(session_files(&harness, session_id).await.is_empty());

    let deepest = vec!["d"; 64].join("/");
    harness
        .put_output(session_id, &deepest, "text/plain", b"x".to_vec())
        .await
        .ok();
    harness
        .put_output(session_id, "d/d/x", "text/plain", b"x".to_vec())
        .await
        .ok();
    let blocked = harness
        .put_output(
            session_id,
            "d/d/x/new/folder/y",
            "text/plain",
            b"x".to_vec(),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(blocked.contains("d/d/x/new/folder/y"), "{blocked}");
    assert!(!outputs.join("d/d/x/new").exists());
    harness.shutdown().await;
}

#[tokio::test]
async fn uploads_over_the_limit_are_refused_before_the_body_is_read() {
    let harness = Harness::start_with(EmulatorConfig {
        max_file_size: 1000,
        ..EmulatorConfig::default()
    })
    .await;
    let part = "--XYZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
                content-type: application/octet-stream\r\n\r\n";

    let declared = format!(
        "POST /v1/files HTTP/1.1\r\n{}content-type: multipart/form-data; boundary=XYZ\r\n\
         content-length: 999999999999\r\n\r\n",
        auth_headers()
    );
    let answer = raw_exchange(&harness, declared.as_bytes(), part.as_bytes()).await;
    answer.expect_error(413, "request_too_large");

    let chunked = format!(
        "POST /v1/files HTTP/1.1\r\n{}content-type: multipart/form-data; boundary=XYZ\r\n\
         transfer-encoding: chunked\r\n\r\n",
        auth_headers()
    );
    let mut body = Vec::new();
    let content = [b'a'; 1500];
    for piece in [part.as_bytes(), &content[..]] {
        body.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        body.extend_from_slice(piece);
        body.extend_from_slice(b"\r\n");
    }
    let answer = raw_exchange(&harness, chunked.as_bytes(), &body).await;
    answer.expect_error(413, "request_too_large");

    let session = harness.session(json!({})).await;
    let output = format!(
        "PUT /_emulator/sessions/{}/outputs/big.bin HTTP/1.1\r\n{}\
         content-length: 999999999999\r\n\r\n",
        session["id"].as_str().unwrap(),
        auth_headers()
    );
    let answer = raw_exchange(&harness, output.as_bytes(), b"some bytes").await;
    answer.expect_error(413, "request_too_large");

    let within = harness.upload("ok.bin", "application/octet-stream", vec![1; 1000]);
    assert_eq!(within.await.ok()["size_bytes"], 1000);
    harness.shutdown().await;
}

#[tokio::test]
async fn bodies_must_be_json_objects_sent_as_json() {
    let harness = Harness::start().await;
    for body in [json!(["arr"]), json!("arr"), json!(5), Value::Null] {
        let message = harness
            .post("/v1/environments", body.clone())
            .await
            .expect_error(400, "invalid_request_error");
        assert_eq!(message, "body: must be a JSON object", "{body}");
    }

    let environment = harness.environment("typed").await;
    let path = format!("/v1/environments/{}", environment["id"].as_str().unwrap());
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let request = harness
            .request(Method::POST, "/v1/environments")
            .header("content-type", content_type)
            .body(r#"{"name":"plain"}"#);
        let message = harness
            .send(request)
            .await
            .expect_error(400, "invalid_request_error");
        assert!(message.contains(content_type), "{message}");
    }
    let untyped = harness
        .request(Method::POST, &path)
        .body(r#"{"name":"untyped"}"#);
    let message = harness
        .send(untyped)
        .await
        .expect_error(400, "invalid_request_error");
    assert!(message.starts_with("content-type: "), "{message}");

    let with_charset = harness
        .request(Method::POST, &path)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"description":"ok"}"#);
    assert_eq!(harness.send(with_charset).await.ok()["description"], "ok");
    let empty = harness.request(Method::POST, &format!("{path}/archive"));
    assert!(!harness.send(empty).await.ok()["archived_at"].is_null());

    let plan = |body: &str| {
        harness
            .http
            .put(harness.url("/_emulator/faults"))
            .header("x-api-key", KEY)
            .body(body.to_owned())
    };
    let message = harness
        .send(plan(r#"[7, []]"#))
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(message, "body: must be a JSON object");
    assert_eq!(
        harness.send(plan(r#"{"rules": []}"#)).await.ok()["rules"],
        json!([])
    );

    let list = harness
        .get("/v1/environments?include_archived=true")
        .await
        .ok();
    let names: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|environment| environment["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["typed"]);
    harness.shutdown().await;
}

#[tokio::test]
async fn unknown_fields_are_refused_at_any_depth() {
    let harness = Harness::start().await;
    let cases = [
        (
            "/v1/environments",
            json!({"name": "x", "networking": "limited"}),
            "networking: Extra inputs are not permitted",
        ),
        (
            "/v1/environments",
            json!({"name": "x", "config": {"type": "cloud",
                "networking": {"type": "limited", "allowed_host": ["a.example"]}}}),
            "config.networking.allowed_host: Extra inputs are not permitted",
        ),
        (
            "/v1/environments",
            json!({"name": "x", "config": {"type": "cloud", "packages": {"pip": [], "pypi": []}}}),
            "config.packages.pypi: Extra inputs are not permitted",
        ),
        (
            "/v1/agents",
            json!({"name": "x", "model": {"id": "claude-opus-4-7", "sped": "fast"}}),
            "model.sped: Extra inputs are not permitted",
        ),
        (
            "/v1/vaults",
            json!({"display_name": "x", "colour": "red"}),
            "colour: Extra inputs are not permitted",
        ),
    ];
    for (path, body, expected) in cases {
        let message = harness
            .post(path, body.clone())
            .await
            .expect_error(400, "invalid_request_error");
        assert_eq!(message, expected, "{body}");
    }
    let environments = harness.get("/v1/environments").await.ok();
    assert_eq!(environments["data"], json!([]));

    let environment = harness.environment("known").await;
    let path = format!("/v1/environments/{}", environment["id"].as_str().unwrap());
    let message = harness
        .post(
            &path,
            json!({"config": {"type": "cloud", "netwrking": null}}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(message, "config.netwrking: Extra inputs are not permitted");
    let limited = json!({"config": {"type": "cloud", "networking": {"type": "limited",
        "allowed_hosts": ["a.example"], "allow_mcp_servers": true}}, "metadata": {"k": "v"}});
    let updated = harness.post(&path, limited).await.ok();
    assert_eq!(updated["config"]["networking"]["type"], "limited");

    let session = harness.session(json!({})).await;
    let file = harness
        .upload("a.txt", "text/plain", b"a".to_vec())
        .await
        .ok();
    let resources = format!("/v1/sessions/{}/resources", session["id"].as_str().unwrap());
    let message = harness
        .post(
            &resources,
            json!({"type": "file", "file_id": file["id"], "mount_pth": "/x"}),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert_eq!(message, "mount_pth: Extra inputs are not permitted");
    harness.shutdown().await;
}

#[tokio::test]
async fn answers_of_the_http_layer_carry_the_envelope_and_a_request_id() {
    let harness = Harness::start().await;

    let long_uri = format!(
        "GET /v1/environments/env_{} HTTP/1.1\r\n{}\r\n",
        "a".repeat(100_000),
        auth_headers()
    );
    raw_exchange(&harness, long_uri.as_bytes(), b"")
        .await
        .expect_error(414, "invalid_request_error");

    let many_headers: String = (0..200)
        .map(|index| format!("x-padding-{index}: p\r\n"))
        .collect();
    let crowded = format!(
        "GET /v1/environments HTTP/1.1\r\n{}{many_headers}\r\n",
        auth_headers()
    );
    raw_exchange(&harness, crowded.as_bytes(), b"")
        .await
        .expect_error(431, "invalid_request_error");

    let malformed = b"GET /v1/environments HTTP/1.1\r\nbad header line\r\n\r\n";
    raw_exchange(&harness, malformed, b"")
        .await
        .expect_error(400, "invalid_request_error");

    harness
        .send(harness.request(Method::PUT, "/v1/environments"))
        .await
        .expect_error(405, "invalid_request_error");
    harness
        .get("/v1/no/such/route")
        .await
        .expect_error(404, "not_found_error");
    let too_big = format!(
        "POST /v1/environments HTTP/1.1\r\n{}content-type: application/json\r\n\
         content-length: 3000000\r\n\r\n",
        auth_headers()
    );
    raw_exchange(&harness, too_big.as_bytes(), br#"{"name": "#)
        .await
        .expect_error(413, "request_too_large");
    let not_multipart = harness
        .request(Method::POST, "/v1/files")
        .header("content-type", "application/json")
        .body("{}");
    harness
        .send(not_multipart)
        .await
        .expect_error(400, "invalid_request_error");
    harness
        .get("/v1/environments/%FF")
        .await
        .expect_error(400, "invalid_request_error");

    let after = harness.get("/v1/environments").await.ok();
    assert_eq!(after["data"], json!([]));
    harness.shutdown().await;
}
