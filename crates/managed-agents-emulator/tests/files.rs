//! The Files API and session outputs: names, the size limit, uploads not downloadable, outputs
//! written through the control endpoint or dropped into the folder, `scope_id`.

mod common;

use common::{Harness, KEY, VERSION};
use managed_agents_emulator::EmulatorConfig;
use managed_agents_types::SessionId;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn uploads_keep_the_name_and_are_not_downloadable() {
    let harness = Harness::start().await;
    let name = "Grüner Baum – 報告.pdf";
    let file = harness
        .upload(
            &format!("some/folder/{name}"),
            "application/pdf",
            b"%PDF-1".to_vec(),
        )
        .await
        .ok();
    assert_eq!(file["filename"], name);
    assert_eq!(file["mime_type"], "application/pdf");
    assert_eq!(file["size_bytes"], 6);
    assert_eq!(file["downloadable"], false);
    assert_eq!(file["type"], "file");
    let id = file["id"].as_str().unwrap();
    assert!(id.starts_with("file_"));

    let unnamed = harness.upload("", "text/csv", b"1".to_vec()).await.ok();
    assert_eq!(unnamed["filename"], "unnamed.csv");

    assert_eq!(harness.get(&format!("/v1/files/{id}")).await.ok(), file);
    harness
        .get(&format!("/v1/files/{id}/content"))
        .await
        .expect_error(403, "permission_error");
    let deleted = harness.delete(&format!("/v1/files/{id}")).await.ok();
    assert_eq!(deleted, json!({"id": id, "type": "file_deleted"}));
    harness
        .get(&format!("/v1/files/{id}"))
        .await
        .expect_error(404, "not_found_error");

    let files_before = harness.get("/v1/files").await.ok()["data"].clone();
    let two_files = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"one".to_vec()).file_name("one.txt"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"two".to_vec()).file_name("two.txt"),
        );
    let message = harness
        .send(
            harness
                .request(Method::POST, "/v1/files")
                .multipart(two_files),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(
        message.starts_with("file:") && message.contains("more than one part named `file`"),
        "{message}"
    );
    assert_eq!(harness.get("/v1/files").await.ok()["data"], files_before);

    let no_part = reqwest::multipart::Form::new().text("purpose", "x");
    harness
        .send(
            harness
                .request(Method::POST, "/v1/files")
                .multipart(no_part),
        )
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn files_over_the_limit_are_413() {
    let harness = Harness::start_with(EmulatorConfig {
        max_file_size: 1000,
        ..EmulatorConfig::default()
    })
    .await;
    let at_limit = harness
        .upload("a.bin", "application/octet-stream", vec![7; 1000])
        .await;
    assert_eq!(at_limit.status, 200, "{}", at_limit.text);
    let over = harness
        .upload("b.bin", "application/octet-stream", vec![7; 1001])
        .await;
    over.expect_error(413, "request_too_large");
    let page = harness.get("/v1/files").await.ok();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let leftovers = std::fs::read_dir(harness.emulator.data_dir().join("tmp"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "refused uploads leave no temporary file");
    harness.shutdown().await;
}

/// Sends a whole upload of `size` bytes before reading anything back, as Node's fetch does,
/// and returns the status line of the answer, or the error that stopped the exchange.
async fn send_all_then_read(harness: &Harness, size: usize) -> Result<String, std::io::Error> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let boundary = "xxBOUNDARYxx";
    let head_part = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    );
    let tail_part = format!("\r\n--{boundary}--\r\n");
    let length = head_part.len() + size + tail_part.len();
    let head = format!(
        "POST /v1/files HTTP/1.1\r\nhost: {}\r\nx-api-key: {KEY}\r\n\
         anthropic-version: {VERSION}\r\n\
         content-type: multipart/form-data; boundary={boundary}\r\n\
         content-length: {length}\r\n\r\n{head_part}",
        harness.emulator.local_addr()
    );
    let mut stream = tokio::net::TcpStream::connect(harness.emulator.local_addr()).await?;
    stream.write_all(head.as_bytes()).await?;
    let chunk = vec![7u8; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        let count = chunk.len().min(size - sent);
        stream.write_all(&chunk[..count]).await?;
        sent += count;
    }
    stream.write_all(tail_part.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let answer = String::from_utf8_lossy(&answer);
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_client_still_sending_an_over_limit_upload_sees_the_413() {
    let harness = Harness::start_with(EmulatorConfig {
        max_file_size: 1000,
        ..EmulatorConfig::default()
    })
    .await;
    let status_line = send_all_then_read(&harness, 48 * 1024 * 1024)
        .await
        .expect("the whole body is taken and the answer read");
    assert!(status_line.starts_with("HTTP/1.1 413"), "{status_line}");

    let big = vec![7u8; 48 * 1024 * 1024];
    for declared in [true, false] {
        let request = harness.request(Method::POST, "/v1/files");
        let request = if declared {
            let part = reqwest::multipart::Part::bytes(big.clone()).file_name("big.bin");
            request.multipart(reqwest::multipart::Form::new().part("file", part))
        } else {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
                .chunks(64 * 1024)
                .map(|chunk| Ok(chunk.to_vec()))
                .collect();
            let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
            let part = reqwest::multipart::Part::stream(body).file_name("big.bin");
            request.multipart(reqwest::multipart::Form::new().part("file", part))
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("declared {declared}: no answer: {error:?}"));
        assert_eq!(response.status(), 413, "declared {declared}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["type"], "request_too_large");
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn outputs_become_session_scoped_downloadable_files() {
    let harness = Harness::start().await;
    let upload = harness
        .upload("in.csv", "text/csv", b"x".to_vec())
        .await
        .ok();
    let session = harness.session(json!({})).await;
    let other = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();

    let report = b"# Report\n\nAll good.\n".to_vec();
    let chart: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let written = harness
        .put_output(session_id, "report.md", "text/markdown", report.clone())
        .await
        .ok();
    assert_eq!(
        written["scope"],
        json!({"type": "session", "id": session_id})
    );
    assert_eq!(written["downloadable"], true);
    assert_eq!(written["filename"], "report.md");
    harness
        .put_output(session_id, "charts/chart.png", "", chart.clone())
        .await
        .ok();

    let typed = SessionId::new(session_id).unwrap();
    let dropped = harness
        .emulator
        .session_outputs_dir(&typed)
        .join("notes.txt");
    std::fs::write(&dropped, b"dropped in").unwrap();

    let listed = harness
        .get(&format!("/v1/files?scope_id={session_id}"))
        .await
        .ok();
    let files = listed["data"].as_array().unwrap();
    let mut names: Vec<&str> = files
        .iter()
        .map(|f| f["filename"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["chart.png", "notes.txt", "report.md"]);
    let again = harness
        .get(&format!("/v1/files?scope_id={session_id}"))
        .await
        .ok();
    assert_eq!(again["data"].as_array().unwrap().len(), 3, "captured once");
    let other_files = harness
        .get(&format!(
            "/v1/files?scope_id={}",
            other["id"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(other_files["data"], json!([]));
    let everything = harness.get("/v1/files").await.ok();
    assert_eq!(everything["data"].as_array().unwrap().len(), 4);
    assert!(
        everything
            .to_string()
            .contains(upload["id"].as_str().unwrap())
    );

    for (name, bytes, mime) in [
        ("report.md", &report, "text/markdown"),
        ("chart.png", &chart, "image/png"),
        ("notes.txt", &b"dropped in".to_vec(), "text/plain"),
    ] {
        let file = files.iter().find(|f| f["filename"] == name).unwrap();
        let response = harness
            .request(
                Method::GET,
                &format!("/v1/files/{}/content", file["id"].as_str().unwrap()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], mime);
        assert_eq!(
            response.headers()["content-length"],
            bytes.len().to_string().as_str()
        );
        assert_eq!(&response.bytes().await.unwrap()[..], &bytes[..], "{name}");
    }
    harness.shutdown().await;
}

#[tokio::test]
async fn scope_id_needs_the_beta_and_a_session_id() {
    let harness = Harness::start().await;
    let without_beta = harness
        .send(
            harness
                .http
                .get(harness.url("/v1/files?scope_id=sesn_abc"))
                .header("x-api-key", KEY)
                .header("anthropic-version", VERSION),
        )
        .await;
    assert!(
        without_beta
            .expect_error(400, "invalid_request_error")
            .contains("managed-agents-2026-04-01")
    );
    let outside = harness
        .emulator
        .data_dir()
        .join("escape/mnt/session/outputs");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), b"not a session").unwrap();
    std::fs::create_dir_all(harness.emulator.data_dir().join("sessions/sesn_")).unwrap();
    let traversal = harness
        .get("/v1/files?scope_id=sesn_%2F..%2F..%2Fescape")
        .await
        .ok();
    assert_eq!(
        traversal["data"],
        json!([]),
        "only real sessions are scanned"
    );
    assert_eq!(harness.get("/v1/files").await.ok()["data"], json!([]));
    harness
        .get("/v1/files?scope_id=env_abc")
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn the_control_endpoint_checks_its_input() {
    let harness = Harness::start().await;
    let session = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();
    harness
        .put_output("sesn_missing", "a.txt", "text/plain", b"x".to_vec())
        .await
        .expect_error(404, "not_found_error");
    for bad in [
        "x%2F..%2F..%2Fescape.txt",
        "a%2F.%2Fb.txt",
        ".emulator-tmp-x",
    ] {
        harness
            .put_output(session_id, bad, "text/plain", b"x".to_vec())
            .await
            .expect_error(400, "invalid_request_error");
    }
    assert!(
        !harness
            .emulator
            .data_dir()
            .join("sessions/escape.txt")
            .exists()
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn an_output_below_a_file_is_400() {
    let harness = Harness::start().await;
    let session = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();
    harness
        .put_output(session_id, "sub/dir/a.txt", "text/plain", b"a".to_vec())
        .await
        .ok();
    for below in ["sub/dir/a.txt/child", "sub/dir/a.txt/deeper/child"] {
        let message = harness
            .put_output(session_id, below, "text/plain", b"x".to_vec())
            .await
            .expect_error(400, "invalid_request_error");
        assert!(message.contains("`sub/dir/a.txt` is a file"), "{message}");
    }
    harness
        .put_output(session_id, "sub/dir", "text/plain", b"x".to_vec())
        .await
        .expect_error(400, "invalid_request_error");
    let outputs = harness
        .emulator
        .session_outputs_dir(&SessionId::new(session_id).unwrap());
    assert_eq!(std::fs::read(outputs.join("sub/dir/a.txt")).unwrap(), b"a");
    harness.shutdown().await;
}

#[tokio::test]
async fn an_upload_that_is_not_multipart_names_its_content_type() {
    let harness = Harness::start().await;
    let message = harness
        .post("/v1/files", json!({"file": "x"}))
        .await
        .expect_error(400, "invalid_request_error");
    assert!(message.contains("`multipart/form-data`"), "{message}");
    assert!(message.contains("got `application/json`"), "{message}");
    assert!(!message.contains("boundary"), "{message}");

    let untyped = harness
        .send(harness.request(Method::POST, "/v1/files").body("x"))
        .await
        .expect_error(400, "invalid_request_error");
    assert!(untyped.contains("no content-type"), "{untyped}");

    let no_boundary = harness
        .send(
            harness
                .request(Method::POST, "/v1/files")
                .header("content-type", "multipart/form-data")
                .body("x"),
        )
        .await
        .expect_error(400, "invalid_request_error");
    assert!(no_boundary.contains("boundary"), "{no_boundary}");
    harness.shutdown().await;
}

#[tokio::test]
async fn files_can_be_listed_by_ids() {
    let harness = Harness::start().await;
    let mut ids = Vec::new();
    for index in 0..3 {
        let file = harness
            .upload(&format!("{index}.txt"), "text/plain", vec![b'x'])
            .await
            .ok();
        ids.push(file["id"].as_str().unwrap().to_owned());
    }
    let page = harness
        .get(&format!(
            "/v1/files?ids[]={}&ids[]={}&ids[]=file_gone",
            ids[0], ids[2]
        ))
        .await
        .ok();
    let mut listed: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["id"].as_str().unwrap())
        .collect();
    listed.sort_unstable();
    let mut expected = vec![ids[0].as_str(), ids[2].as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    assert_eq!(page["next_page"], serde_json::Value::Null);
    harness
        .get(&format!("/v1/files?ids[]={}&limit=2", ids[0]))
        .await
        .expect_error(400, "invalid_request_error");
    harness.shutdown().await;
}

#[tokio::test]
async fn an_output_sent_with_a_generic_content_type_gets_a_type_from_its_name() {
    let harness = Harness::start().await;
    let session = harness.session(json!({})).await;
    let session_id = session["id"].as_str().unwrap();
    for (path, sent, expected) in [
        (
            "report.md",
            "application/x-www-form-urlencoded",
            "text/markdown",
        ),
        ("data.csv", "application/octet-stream", "text/csv"),
        ("notes.txt", "", "text/plain"),
        (
            "table.csv",
            "text/plain; charset=utf-8",
            "text/plain; charset=utf-8",
        ),
    ] {
        let written = harness
            .put_output(session_id, path, sent, b"x".to_vec())
            .await
            .ok();
        assert_eq!(written["mime_type"], expected, "{path} sent as {sent:?}");
    }
    let request = harness
        .http
        .put(harness.url(&format!(
            "/_emulator/sessions/{session_id}/outputs/summary.md"
        )))
        .header("x-api-key", KEY)
        .body(b"# Summary".to_vec());
    let written = harness.send(request).await.ok();
    assert_eq!(written["mime_type"], "text/markdown", "no content-type");
    harness.shutdown().await;
}
