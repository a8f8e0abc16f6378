//! Uploads and downloads at the file level: names, content types, binary content, the
//! temporary-file guarantee, and a session's outputs saved into a folder.

mod common;

use common::{Harness, params};
use managed_agents_client::Upload;
use managed_agents_types::SessionId;
use managed_agents_types::files::FileUploadParams;

async fn idle_session(harness: &Harness) -> SessionId {
    idle_session_named(harness, "outputs").await
}

fn every_byte() -> Vec<u8> {
    (0..=255u8).cycle().take(70_000).collect()
}

#[tokio::test]
async fn a_reader_with_the_wrong_length_is_a_local_error_not_retried() {
    let harness = Harness::start().await;
    for (content, declared) in [(b"hello".to_vec(), 50), (b"hello world".to_vec(), 3)] {
        let error = harness
            .client
            .files()
            .upload_reader("lie.txt", std::io::Cursor::new(content), Some(declared))
            .await
            .unwrap_err();
        assert!(!error.is_retryable(), "{error:?}");
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        assert!(
            chain.contains(&format!("{declared} were declared")),
            "{chain}"
        );
    }
    let listed = harness
        .client
        .files()
        .list(&Default::default())
        .await
        .unwrap();
    assert!(
        listed.data.is_empty(),
        "a short upload was stored: {:?}",
        listed.data
    );
}

#[tokio::test]
async fn uploads_keep_utf8_names_and_guess_or_take_the_type() {
    let harness = Harness::start().await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("Grüner Baum – 報告.pdf");
    std::fs::write(&path, b"%PDF-1.7").unwrap();
    let files = harness.client.files();

    let from_path = files.upload_path(&path, None).await.unwrap();
    assert_eq!(from_path.filename, "Grüner Baum – 報告.pdf");
    assert_eq!(
        (from_path.mime_type.as_str(), from_path.size_bytes),
        ("application/pdf", 8)
    );

    let typed = files
        .upload_path(&path, Some("application/x-custom"))
        .await
        .unwrap();
    assert_eq!(typed.mime_type, "application/x-custom");

    let quoted = files
        .upload_bytes("say \"hi\".md", &b"# hi"[..])
        .await
        .unwrap();
    assert_eq!(quoted.mime_type, "text/markdown");

    let reader = std::io::Cursor::new(every_byte());
    let unknown_length = files
        .upload_reader("stream.bin", reader, None)
        .await
        .unwrap();
    assert_eq!(unknown_length.size_bytes, 70_000);

    let missing = files
        .upload_path(folder.path().join("absent.csv"), None)
        .await
        .unwrap_err();
    assert!(!missing.is_retryable(), "{missing:?}");

    let bad_name = files
        .upload(&FileUploadParams::new("a\nb.txt"), Upload::bytes(&b"x"[..]))
        .await
        .unwrap_err();
    assert!(matches!(
        bad_name,
        managed_agents_client::Error::Validation(_)
    ));
    harness.shutdown().await;
}

#[tokio::test]
async fn downloads_are_byte_exact_and_leave_no_partial_file() {
    let harness = Harness::start().await;
    let session = idle_session(&harness).await;
    let content = every_byte();
    let output = harness.write_output(&session, "chart.png", &content).await;
    let files = harness.client.files();
    let folder = tempfile::tempdir().unwrap();

    let destination = folder.path().join("chart.png");
    let written = files
        .download_to_path(&output.id, &destination)
        .await
        .unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&destination).unwrap(), content);

    let mut buffer = Vec::new();
    files
        .download_to_writer(&output.id, &mut buffer)
        .await
        .unwrap();
    assert_eq!(buffer, content);
    assert_eq!(files.download_bytes(&output.id).await.unwrap(), content);

    let upload = files
        .upload_bytes("private.txt", &b"not downloadable"[..])
        .await
        .unwrap();
    let kept = folder.path().join("kept.txt");
    std::fs::write(&kept, b"earlier content").unwrap();
    let error = files.download_to_path(&upload.id, &kept).await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(std::fs::read(&kept).unwrap(), b"earlier content");
    let fresh = folder.path().join("fresh.txt");
    assert!(files.download_to_path(&upload.id, &fresh).await.is_err());
    assert!(!fresh.exists());
    let mut names: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["chart.png", "kept.txt"],
        "no temporary file is left behind"
    );
    harness.shutdown().await;
}

#[tokio::test]
async fn session_outputs_are_saved_into_a_folder() {
    let harness = Harness::start().await;
    let session = idle_session(&harness).await;
    let report = b"# Report\n\nAll good.\n".to_vec();
    let chart = every_byte();
    harness.write_output(&session, "report.md", &report).await;
    harness
        .write_output(&session, "charts/chart.png", &chart)
        .await;
    let other = idle_session_named(&harness, "other").await;
    harness.write_output(&other, "not-mine.txt", b"x").await;

    let folder = tempfile::tempdir().unwrap();
    let saved = harness
        .client
        .files()
        .download_session_outputs(&session, folder.path().join("out"))
        .await
        .unwrap();
    assert_eq!(saved.len(), 2);
    for output in &saved {
        assert!(output.path.starts_with(folder.path().join("out")));
        let bytes = std::fs::read(&output.path).unwrap();
        let expected = if output.file.filename.ends_with(".md") {
            &report
        } else {
            &chart
        };
        assert_eq!(&bytes, expected);
        assert_eq!(output.bytes, expected.len() as u64);
    }

    let empty = idle_session_named(&harness, "quiet").await;
    let none = harness
        .client
        .files()
        .session_outputs(&empty)
        .await
        .unwrap();
    assert!(none.is_empty());
    harness.shutdown().await;
}

#[tokio::test]
async fn session_outputs_never_replace_a_file_already_in_the_folder() {
    let harness = Harness::start().await;
    let session = idle_session(&harness).await;
    harness.write_output(&session, "report.md", b"new").await;
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("report.md"), b"mine").unwrap();
    std::fs::write(folder.path().join("report (2).md"), b"mine too").unwrap();

    for expected in ["report (3).md", "report (4).md"] {
        let saved = harness
            .client
            .files()
            .download_session_outputs(&session, folder.path())
            .await
            .unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].path, folder.path().join(expected));
        assert_eq!(std::fs::read(&saved[0].path).unwrap(), b"new");
    }
    assert_eq!(
        std::fs::read(folder.path().join("report.md")).unwrap(),
        b"mine"
    );
    assert_eq!(
        std::fs::read(folder.path().join("report (2).md")).unwrap(),
        b"mine too"
    );
    let names = std::fs::read_dir(folder.path()).unwrap().count();
    assert_eq!(names, 4, "no temporary file is left behind");
    harness.shutdown().await;
}

async fn idle_session_named(harness: &Harness, name: &str) -> SessionId {
    let client = &harness.client;
    let environment = client
        .environments()
        .create(&params(serde_json::json!({ "name": name })))
        .await
        .unwrap();
    let agent = client
        .agents()
        .create(&params(
            serde_json::json!({"name": name, "model": "claude-opus-4-7"}),
        ))
        .await
        .unwrap();
    let session = client
        .sessions()
        .create(&params(
            serde_json::json!({"agent": agent.id, "environment_id": environment.id}),
        ))
        .await
        .unwrap();
    session.id
}
