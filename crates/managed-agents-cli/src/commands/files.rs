//! `managed-agents files …`: uploads and downloads with progress bars, and session outputs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use managed_agents_client::NativeClient;
use managed_agents_types::files::{FileListParams, FileObject};
use managed_agents_types::{FileId, SessionId};
use tokio::io::AsyncWriteExt;

use super::collect;
use crate::cli::FileCommand;
use crate::error::CliError;
use crate::input;
use crate::output::{Column, Printer, or_dash};
use crate::target::Target;

/// The table columns of a file.
pub(crate) const COLUMNS: &[Column<FileObject>] = &[
    ("id", |file| file.id.to_string()),
    ("filename", |file| file.filename.clone()),
    ("mime_type", |file| file.mime_type.clone()),
    ("size_bytes", |file| file.size_bytes.to_string()),
    ("downloadable", |file| {
        file.downloadable
            .map_or("-".to_owned(), |yes| yes.to_string())
    }),
    ("scope", |file| {
        or_dash(file.scope.as_ref().and_then(|scope| match scope {
            managed_agents_types::files::FileScope::Session(session) => Some(session.id.as_str()),
            _ => None,
        }))
    }),
];

/// Runs one files command.
pub(crate) async fn run(
    target: &Target,
    printer: Printer,
    command: FileCommand,
) -> Result<(), CliError> {
    let files = target.client.files();
    match command {
        FileCommand::Upload { path, mime_type } => {
            let file = upload(&target.client, printer, &path, mime_type.as_deref()).await?;
            printer.object(&file);
        }
        FileCommand::List { scope_id, list } => {
            let scope_id = scope_id
                .map(|id| input::id::<SessionId>("--scope-id", &id))
                .transpose()?;
            let params = FileListParams {
                limit: list.page_size,
                scope_id,
                ..Default::default()
            };
            let items = collect(files.list_stream(&params), &list).await?;
            printer.list(&items, COLUMNS);
        }
        FileCommand::Get { id } => {
            let id: FileId = input::id("file ID", &id)?;
            printer.object(&files.retrieve(&id).await?);
        }
        FileCommand::Download { id, output, force } => {
            let id: FileId = input::id("file ID", &id)?;
            let file = files.retrieve(&id).await?;
            // Named as pull-outputs names files, so that a name such as `../x` or `C:\x`
            // cannot leave the folder.
            let destination = output.unwrap_or_else(|| {
                PathBuf::from(managed_agents_client::local_file_name(&file.filename))
            });
            if !force && destination.symlink_metadata().is_ok() {
                return Err(CliError::usage(format!(
                    "{} already exists: pass --output PATH to save elsewhere, or --force to \
                     replace it",
                    destination.display()
                )));
            }
            let written = download(&target.client, printer, &file, &destination).await?;
            if printer.json {
                let path = destination.display().to_string();
                printer
                    .object(&serde_json::json!({ "id": file.id, "path": path, "bytes": written }));
            } else {
                crate::output::out!("wrote {written} bytes to {}", destination.display());
            }
        }
        FileCommand::Delete { id } => {
            let id: FileId = input::id("file ID", &id)?;
            printer.object(&files.delete(&id).await?);
        }
        FileCommand::PullOutputs { session_id, dir } => {
            let session: SessionId = input::id("session ID", &session_id)?;
            // An unknown session would list no outputs: ask for it first, so that a typo is a
            // 404 instead of "0 outputs saved".
            target.client.sessions().retrieve(&session).await?;
            let saved = files.download_session_outputs(&session, &dir).await?;
            for output in &saved {
                printer.note(&format!(
                    "{} -> {} ({} bytes)",
                    output.file.id,
                    output.path.display(),
                    output.bytes
                ));
            }
            let objects: Vec<&FileObject> = saved.iter().map(|output| &output.file).collect();
            if printer.json {
                printer.list(&objects, &[]);
            } else {
                crate::output::out!(
                    "{} outputs of {session} saved in {}",
                    saved.len(),
                    dir.display()
                );
            }
        }
    }
    Ok(())
}

fn progress_bar(printer: Printer, length: u64, verb: &str) -> Option<ProgressBar> {
    if printer.json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(length);
    let template = format!("{verb} {{bar:40}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{eta}}");
    bar.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
    Some(bar)
}

/// Uploads `path`: with a progress bar on a terminal (the bar reads the file once, so that
/// upload is not retried), else streamed from the path and retried like any request.
pub(crate) async fn upload(
    client: &NativeClient,
    printer: Printer,
    path: &Path,
    mime_type: Option<&str>,
) -> Result<FileObject, CliError> {
    let metadata = tokio::fs::metadata(path)
        .await
        .map_err(|error| CliError::input(format!("reading {}", path.display()), error))?;
    if !metadata.is_file() {
        return Err(CliError::usage(format!("{} is not a file", path.display())));
    }
    let Some(bar) = progress_bar(printer, metadata.len(), "uploading") else {
        return Ok(client.files().upload_path(path, mime_type).await?);
    };
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| CliError::usage(format!("{} has no UTF-8 file name", path.display())))?;
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|error| CliError::input(format!("opening {}", path.display()), error))?;
    let params = managed_agents_types::files::FileUploadParams {
        filename: name.to_owned(),
        mime_type: mime_type.map(str::to_owned),
    };
    let upload =
        managed_agents_client::Upload::reader(bar.wrap_async_read(file), Some(metadata.len()));
    let result = client.files().upload(&params, upload).await;
    bar.finish_and_clear();
    Ok(result?)
}

/// Downloads a file to `destination` through a temporary file renamed into place, with a
/// progress bar on a terminal; a download whose size is not the file's `size_bytes` fails and
/// leaves nothing at the destination.
async fn download(
    client: &NativeClient,
    printer: Printer,
    file: &FileObject,
    destination: &Path,
) -> Result<u64, CliError> {
    let Some(bar) = progress_bar(printer, file.size_bytes, "downloading") else {
        return Ok(client
            .files()
            .download_file_to_path(file, destination)
            .await?);
    };
    // Short, so that a destination name as long as the file system allows still has room.
    let temporary = destination.with_file_name(format!(".download-{}.part", std::process::id()));
    let result = async {
        let handle = tokio::fs::File::create(&temporary)
            .await
            .map_err(|error| CliError::io(format!("creating {}", temporary.display()), error))?;
        let mut writer = bar.wrap_async_write(handle);
        let written = client
            .files()
            .download_file_to_writer(file, &mut writer)
            .await?;
        writer
            .flush()
            .await
            .map_err(|error| CliError::io("flushing the download", error))?;
        tokio::fs::rename(&temporary, destination)
            .await
            .map_err(|error| CliError::io(format!("writing {}", destination.display()), error))?;
        Ok(written)
    }
    .await;
    bar.finish_and_clear();
    if result.is_err() {
        let _ = tokio::fs::remove_file(&temporary).await;
    }
    result
}
