//! Session sandboxes: a folder per session holding its mounted files at their mount paths and
//! an outputs folder standing for `/mnt/session/outputs`, whose files are captured as
//! session-scoped, downloadable files.

use std::io::Write;
use std::path::{Path, PathBuf};

use managed_agents_types::files::{FileObject, FileScope, SessionScope, guess_mime_type};
use managed_agents_types::resources::OUTPUTS_DIR;
use managed_agents_types::validation::check_mount_path;
use managed_agents_types::{FileId, SessionId};

use crate::error::ApiError;
use crate::gateway::AppState;
use crate::store::{Kind, Store, new_id, now, sync_dir};

/// Names starting with this are the emulator's own temporary files and never captured.
pub(crate) const TEMP_PREFIX: &str = ".emulator-tmp-";

/// The longest output path accepted, in bytes.
pub(crate) const MAX_OUTPUT_PATH_BYTES: usize = 1024;

/// The most segments (folders plus the file name) an output path may have.
pub(crate) const MAX_OUTPUT_SEGMENTS: usize = 64;

/// The longest segment of an output path, in bytes (the usual file-name limit).
pub(crate) const MAX_OUTPUT_SEGMENT_BYTES: usize = 255;

/// Checks an output path relative to the outputs folder before anything is written: its size,
/// its depth, normalised `/`-separated segments, no backslash (so that the path names the
/// same file on every system and in the outputs-folder scan), no reserved name.
pub(crate) fn check_output_path(relative: &str) -> Result<(), ApiError> {
    let refuse = |message: String| Err(ApiError::invalid(format!("path: {message}")));
    if relative.len() > MAX_OUTPUT_PATH_BYTES {
        return refuse(format!(
            "must be at most {MAX_OUTPUT_PATH_BYTES} bytes, got {}",
            relative.len()
        ));
    }
    let segments = relative.split('/').count();
    if segments > MAX_OUTPUT_SEGMENTS {
        return refuse(format!(
            "must have at most {MAX_OUTPUT_SEGMENTS} segments, got {segments}"
        ));
    }
    check_mount_path(&format!("/{relative}")).or_else(refuse)?;
    for segment in relative.split('/') {
        if segment.len() > MAX_OUTPUT_SEGMENT_BYTES {
            return refuse(format!(
                "each segment must be at most {MAX_OUTPUT_SEGMENT_BYTES} bytes, got {}",
                segment.len()
            ));
        }
        if segment.contains('\\') {
            return refuse(format!(
                "must not contain `\\` (segments are separated by `/`), got `{relative}`"
            ));
        }
        if segment.starts_with(TEMP_PREFIX) {
            return refuse(format!("names starting with `{TEMP_PREFIX}` are reserved"));
        }
    }
    Ok(())
}

/// The sandbox folder of a session.
pub(crate) fn session_root(data_dir: &Path, session_id: &str) -> PathBuf {
    data_dir.join("sessions").join(session_id)
}

/// The folder standing for `/mnt/session/outputs` in a session's sandbox.
pub(crate) fn outputs_dir(data_dir: &Path, session_id: &str) -> PathBuf {
    sandbox_path(&session_root(data_dir, session_id), OUTPUTS_DIR)
}

/// Where an absolute container path lives inside a sandbox. The path must have passed
/// `check_mount_path`, so it cannot leave the sandbox.
pub(crate) fn sandbox_path(root: &Path, container_path: &str) -> PathBuf {
    root.join(container_path.trim_start_matches('/'))
}

/// Creates a session's sandbox with its empty outputs folder.
pub(crate) fn create(data_dir: &Path, session_id: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(outputs_dir(data_dir, session_id))
}

/// Removes a session's sandbox.
pub(crate) fn remove(data_dir: &Path, session_id: &str) {
    let root = session_root(data_dir, session_id);
    if let Err(error) = std::fs::remove_dir_all(&root)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(%error, session_id, "cannot remove a sandbox");
    }
}

/// Places a stored file at its mount path in the sandbox, read-only.
pub(crate) fn mount_file(
    store: &Store,
    session_id: &str,
    file_id: &str,
    mount_path: &str,
) -> Result<(), ApiError> {
    let target = sandbox_path(&session_root(store.root(), session_id), mount_path);
    let conflict = |error: std::io::Error| {
        ApiError::invalid(format!(
            "mount_path: `{mount_path}` cannot be created in the session ({error})"
        ))
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(conflict)?;
    }
    if target.exists() {
        return Err(ApiError::invalid(format!(
            "mount_path: `{mount_path}` is already used in this session"
        )));
    }
    let blob = store.blob_path(file_id);
    if std::fs::hard_link(&blob, &target).is_err() {
        std::fs::copy(&blob, &target).map_err(conflict)?;
    }
    let mut permissions = std::fs::metadata(&target)?.permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&target, permissions)?;
    Ok(())
}

/// Creates the (empty) folder a repository or memory store is mounted at.
pub(crate) fn mount_folder(
    data_dir: &Path,
    session_id: &str,
    mount_path: &str,
) -> Result<(), ApiError> {
    let target = sandbox_path(&session_root(data_dir, session_id), mount_path);
    std::fs::create_dir_all(&target).map_err(|error| {
        ApiError::invalid(format!(
            "mount_path: `{mount_path}` cannot be created in the session ({error})"
        ))
    })
}

/// Removes a mounted file from the sandbox.
pub(crate) fn unmount_file(data_dir: &Path, session_id: &str, mount_path: &str) {
    let target = sandbox_path(&session_root(data_dir, session_id), mount_path);
    let _ = std::fs::remove_file(target);
}

/// Captures every file in a session's outputs folder that is new or changed since it was last
/// captured, as a session-scoped, downloadable file.
pub(crate) async fn capture_outputs(state: &AppState, session_id: &str) -> Result<(), ApiError> {
    let _guard = state.capture_lock.lock().await;
    let outputs = outputs_dir(state.store.root(), session_id);
    let mut found = Vec::new();
    collect_files(&outputs, &outputs, &mut found);
    for (relative, path) in found {
        let Ok(metadata) = std::fs::metadata(&path) else {
            continue;
        };
        let size = metadata.len();
        let modified = modified_nanos(&metadata);
        let known = state.store.read(|db| db.captured(session_id, &relative))?;
        if known == Some((size, modified)) {
            continue;
        }
        let temp = TempFile::new(state.store.temp_path());
        copy_synced(&path, &temp.path)?;
        record_output(state, session_id, &relative, &temp, None, size, modified)?;
    }
    Ok(())
}

/// Stores a captured output: the content from `temp`, the file object, and the capture mark.
pub(crate) fn record_output(
    state: &AppState,
    session_id: &str,
    relative: &str,
    temp: &TempFile,
    mime_type: Option<String>,
    size: u64,
    modified: i64,
) -> Result<FileObject, ApiError> {
    let filename = relative.rsplit('/').next().unwrap_or(relative).to_owned();
    let file = FileObject {
        id: FileId::new(new_id("file_")).map_err(|e| ApiError::internal(e.to_string()))?,
        object_type: "file".to_owned(),
        mime_type: mime_type.unwrap_or_else(|| guess_mime_type(&filename).to_owned()),
        filename,
        size_bytes: std::fs::metadata(&temp.path)?.len(),
        created_at: now(),
        downloadable: Some(true),
        scope: Some(FileScope::Session(SessionScope {
            id: SessionId::new(session_id).map_err(|e| ApiError::internal(e.to_string()))?,
        })),
        expires_at: None,
    };
    state.store.commit_blob(&temp.path, file.id.as_str())?;
    state.store.write(|db| {
        db.insert(Kind::File, file.id.as_str(), None, &file, None)?;
        db.record_capture(session_id, relative, size, modified, file.id.as_str())
    })?;
    Ok(file)
}

/// The modification time of a file in nanoseconds, to notice rewritten outputs.
pub(crate) fn modified_nanos(metadata: &std::fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |duration| duration.as_nanos() as i64)
}

fn collect_files(base: &Path, folder: &Path, found: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            collect_files(base, &path, found);
        } else if file_type.is_file()
            && let Ok(relative) = path.strip_prefix(base)
        {
            let segments: Vec<_> = relative
                .components()
                .map(|segment| segment.as_os_str().to_string_lossy())
                .collect();
            found.push((segments.join("/"), path));
        }
    }
}

/// Copies a file and flushes the copy to disk.
pub(crate) fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let mut target = std::fs::File::create(to)?;
    std::io::copy(&mut source, &mut target)?;
    target.flush()?;
    target.sync_all()
}

/// Writes `temp`'s content to a session's outputs folder at `relative` (checked with
/// [`check_output_path`]), atomically; folders it created are removed again when it fails.
pub(crate) fn place_output(
    data_dir: &Path,
    session_id: &str,
    relative: &str,
    temp: &Path,
) -> Result<std::fs::Metadata, ApiError> {
    let outputs = outputs_dir(data_dir, session_id);
    if let Some(file) = file_above(&outputs, relative) {
        return Err(ApiError::invalid(format!(
            "path: `{file}` is a file, so `{relative}` cannot be written inside it"
        )));
    }
    let target = outputs.join(relative);
    let parent = target
        .parent()
        .ok_or_else(|| ApiError::invalid("the output path has no folder"))?
        .to_path_buf();
    let created = missing_folders(&outputs, &parent);
    let placed = create_folders(&created, relative).and_then(|()| {
        let staging = parent.join(format!("{TEMP_PREFIX}{}", crate::store::random_letters(12)));
        if let Err(error) = copy_synced(temp, &staging) {
            let _ = std::fs::remove_file(&staging);
            return Err(error.into());
        }
        if let Err(error) = std::fs::rename(&staging, &target) {
            let _ = std::fs::remove_file(&staging);
            return Err(ApiError::invalid(format!(
                "cannot write the output `{relative}`: {error}"
            )));
        }
        sync_dir(&parent)?;
        Ok(std::fs::metadata(&target)?)
    });
    if placed.is_err() {
        for folder in created.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
    placed
}

/// The first of the folders `relative` (checked with [`check_output_path`]) lies in, outermost
/// first, that exists in `outputs` as something other than a folder.
fn file_above(outputs: &Path, relative: &str) -> Option<String> {
    let segments: Vec<&str> = relative.split('/').collect();
    for end in 1..segments.len() {
        let folder = segments[..end].join("/");
        match std::fs::metadata(outputs.join(&folder)) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Some(folder),
            Err(_) => return None,
        }
    }
    None
}

/// The folders between `base` (excluded) and `folder` (included) that do not exist yet,
/// outermost first.
fn missing_folders(base: &Path, folder: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = folder
        .ancestors()
        .take_while(|ancestor| *ancestor != base && !ancestor.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Creates `folders`, outermost first.
fn create_folders(folders: &[PathBuf], relative: &str) -> Result<(), ApiError> {
    for folder in folders {
        std::fs::create_dir(folder).map_err(|error| {
            ApiError::invalid(format!("cannot create the folder of `{relative}`: {error}"))
        })?;
    }
    Ok(())
}

/// A temporary file removed when dropped, unless it was moved into place first.
#[derive(Debug)]
pub(crate) struct TempFile {
    pub(crate) path: PathBuf,
}

impl TempFile {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_removes_the_folders_it_created() {
        let data = tempfile::tempdir().unwrap();
        create(data.path(), "sesn_1").unwrap();
        let outputs = outputs_dir(data.path(), "sesn_1");
        std::fs::create_dir(outputs.join("kept")).unwrap();

        let no_content = data.path().join("missing");
        let written = place_output(data.path(), "sesn_1", "kept/new/deep/f.txt", &no_content);
        assert!(written.is_err());
        assert!(outputs.join("kept").is_dir());
        assert_eq!(std::fs::read_dir(outputs.join("kept")).unwrap().count(), 0);
    }

    #[test]
    fn output_paths_within_the_limits_pass() {
        let deepest = vec!["d"; MAX_OUTPUT_SEGMENTS].join("/");
        let widest = "w".repeat(MAX_OUTPUT_SEGMENT_BYTES);
        for path in [
            "a.txt",
            "charts/q1 report.png",
            deepest.as_str(),
            widest.as_str(),
        ] {
            assert!(check_output_path(path).is_ok(), "{path}");
        }
        let too_deep = vec!["d"; MAX_OUTPUT_SEGMENTS + 1].join("/");
        for path in [too_deep.as_str(), "a\\b", ".emulator-tmp-x", "a/../b", "/a"] {
            assert!(check_output_path(path).is_err(), "{path}");
        }
    }
}
