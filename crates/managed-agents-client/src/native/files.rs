//! File helpers over the local file system: uploads from paths, bytes and readers; downloads
//! to a path (through a temporary file and a rename) or a writer; a session's outputs saved
//! into a folder under sanitised names.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use managed_agents_types::files::{FileObject, FileUploadParams};
use managed_agents_types::ids::{FileId, SessionId};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::transport::{NativeTransport, Upload};
use crate::error::{ConfigError, Error};
use crate::files::Files;
use crate::transport::ResponseBody;

/// A session output saved by [`Files::download_session_outputs`].
#[derive(Debug, Clone)]
pub struct SavedOutput {
    /// The file's metadata.
    pub file: FileObject,
    /// Where its content was written.
    pub path: PathBuf,
    /// How many bytes were written.
    pub bytes: u64,
}

impl Files<'_, NativeTransport> {
    /// Uploads the file at `path`, named after its last component; the content type is
    /// guessed from the name unless `mime_type` is given. The content is streamed, and sent
    /// again whole if the upload is retried.
    pub async fn upload_path(
        &self,
        path: impl AsRef<Path>,
        mime_type: Option<&str>,
    ) -> Result<FileObject, Error> {
        let path = path.as_ref();
        tokio::fs::metadata(path)
            .await
            .map_err(|source| io_error(path, source))?;
        let filename = path
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| {
                ConfigError(format!(
                    "{} has no UTF-8 file name to upload",
                    path.display()
                ))
            })?;
        let params = FileUploadParams {
            filename: filename.to_owned(),
            mime_type: mime_type.map(str::to_owned),
        };
        self.upload(&params, Upload::path(path)).await
    }

    /// Uploads bytes in memory under `filename`.
    pub async fn upload_bytes(
        &self,
        filename: &str,
        content: impl Into<Bytes>,
    ) -> Result<FileObject, Error> {
        self.upload(&FileUploadParams::new(filename), Upload::bytes(content))
            .await
    }

    /// Uploads what `reader` yields under `filename`; never retried, as a reader cannot be
    /// read twice. `length`, when known, is sent as the content length.
    pub async fn upload_reader(
        &self,
        filename: &str,
        reader: impl AsyncRead + Send + Unpin + 'static,
        length: Option<u64>,
    ) -> Result<FileObject, Error> {
        self.upload(
            &FileUploadParams::new(filename),
            Upload::reader(reader, length),
        )
        .await
    }

    /// Streams a file's content into `writer`; returns the number of bytes written.
    pub async fn download_to_writer(
        &self,
        id: &FileId,
        writer: &mut (impl AsyncWrite + Unpin),
    ) -> Result<u64, Error> {
        let mut download = self.download(id).await?;
        let mut written = 0;
        while let Some(chunk) = download.body.chunk().await.map_err(Error::from_transport)? {
            writer.write_all(&chunk).await.map_err(|source| Error::Io {
                path: "the writer".to_owned(),
                source,
            })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|source| Error::Io {
            path: "the writer".to_owned(),
            source,
        })?;
        Ok(written)
    }

    /// Streams a file's content to `destination` through a temporary file in the same
    /// folder, renamed into place once complete: a failed download leaves nothing at the
    /// destination (and an earlier file there untouched).
    pub async fn download_to_path(
        &self,
        id: &FileId,
        destination: impl AsRef<Path>,
    ) -> Result<u64, Error> {
        self.download_checked(id, destination.as_ref(), Ok).await
    }

    /// Streams `file`'s content into `writer`, then checks that the byte count is the file's
    /// `size_bytes`: a short (or long) download is [`Error::SizeMismatch`]. What was written
    /// stays in the writer, so write to something that can be thrown away on error.
    pub async fn download_file_to_writer(
        &self,
        file: &FileObject,
        writer: &mut (impl AsyncWrite + Unpin),
    ) -> Result<u64, Error> {
        let written = self.download_to_writer(&file.id, writer).await?;
        check_size(file, written)
    }

    /// Streams `file`'s content to `destination` like [`Self::download_to_path`], and checks
    /// the byte count against the file's `size_bytes` before the rename: a download of a
    /// different size is [`Error::SizeMismatch`] and leaves nothing at the destination.
    pub async fn download_file_to_path(
        &self,
        file: &FileObject,
        destination: impl AsRef<Path>,
    ) -> Result<u64, Error> {
        self.download_checked(&file.id, destination.as_ref(), |written| {
            check_size(file, written)
        })
        .await
    }

    /// Streams the content of `id` into a temporary file next to `destination`, passes the
    /// byte count through `check`, and renames the file into place only when it passes; on
    /// any failure the temporary file is removed.
    async fn download_checked(
        &self,
        id: &FileId,
        destination: &Path,
        check: impl FnOnce(u64) -> Result<u64, Error>,
    ) -> Result<u64, Error> {
        let temporary = temporary_path(destination);
        let result = match self.download_into(id, &temporary).await.and_then(check) {
            Ok(written) => tokio::fs::rename(&temporary, destination)
                .await
                .map(|()| written)
                .map_err(|source| io_error(destination, source)),
            Err(error) => Err(error),
        };
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temporary).await;
        }
        result
    }

    async fn download_into(&self, id: &FileId, temporary: &Path) -> Result<u64, Error> {
        let mut file = tokio::fs::File::create(temporary)
            .await
            .map_err(|source| io_error(temporary, source))?;
        let written = self.download_to_writer(id, &mut file).await?;
        file.sync_all()
            .await
            .map_err(|source| io_error(temporary, source))?;
        Ok(written)
    }

    /// Downloads every output of `session` into `folder` (created when missing), each under
    /// its file name made safe: only the last component is kept, so nothing escapes the
    /// folder, and a name already taken, by another output or by a file already in the
    /// folder, gets a ` (2)`, ` (3)` … suffix: no file is ever replaced. An empty list is
    /// asked again briefly, as outputs can appear just after a session goes idle. Each
    /// download is checked against the file's `size_bytes` ([`Error::SizeMismatch`]).
    pub async fn download_session_outputs(
        &self,
        session: &SessionId,
        folder: impl AsRef<Path>,
    ) -> Result<Vec<SavedOutput>, Error> {
        let folder = folder.as_ref();
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(|source| io_error(folder, source))?;
        let files = self.session_outputs(session).await?;
        let mut taken = HashSet::new();
        let mut saved = Vec::with_capacity(files.len());
        for file in files {
            let name = sanitize_filename(&file.filename);
            let temporary = temporary_path(&folder.join(&name));
            let downloaded = self
                .download_into(&file.id, &temporary)
                .await
                .and_then(|written| check_size(&file, written));
            let placed = match downloaded {
                Ok(bytes) => place_without_replacing(&temporary, folder, &name, &mut taken)
                    .await
                    .map(|path| (path, bytes)),
                Err(error) => Err(error),
            };
            let (path, bytes) = match placed {
                Ok(placed) => placed,
                Err(error) => {
                    let _ = tokio::fs::remove_file(&temporary).await;
                    return Err(error);
                }
            };
            saved.push(SavedOutput { file, path, bytes });
        }
        Ok(saved)
    }
}

/// Gives the complete download at `temporary` the first name from [`unique_name`] that no
/// file in `folder` has, without ever replacing one: the name is claimed by a hard link,
/// which fails when the name exists, so a file created meanwhile by another process is safe.
/// On a file system without hard links the name is claimed by creating an empty file
/// exclusively and renaming the download over it; only in that case can a process that
/// opens the claimed (empty) file in between see it replaced.
async fn place_without_replacing(
    temporary: &Path,
    folder: &Path,
    name: &str,
    taken: &mut HashSet<String>,
) -> Result<PathBuf, Error> {
    loop {
        let path = folder.join(unique_name(name, taken));
        match tokio::fs::hard_link(temporary, &path).await {
            Ok(()) => {
                let _ = tokio::fs::remove_file(temporary).await;
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {}
        }
        let claimed = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await;
        match claimed {
            Ok(_) => {
                return tokio::fs::rename(temporary, &path)
                    .await
                    .map(|()| path.clone())
                    .map_err(|source| io_error(&path, source));
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(io_error(&path, source)),
        }
    }
}

/// `written` when it is `file`'s `size_bytes`, else [`Error::SizeMismatch`].
fn check_size(file: &FileObject, written: u64) -> Result<u64, Error> {
    if written == file.size_bytes {
        Ok(written)
    } else {
        Err(Error::SizeMismatch {
            expected: file.size_bytes,
            received: written,
        })
    }
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A short hidden name beside the destination: short, so that a destination whose name is
/// already as long as the file system allows still gets a temporary file.
fn temporary_path(destination: &Path) -> PathBuf {
    let suffix: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(12)
        .collect();
    destination.with_file_name(format!(".download-{suffix}.part"))
}

/// The longest file name most file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// `stem` cut on a character boundary so that `stem` + `tail` fits in [`MAX_NAME_BYTES`].
fn fit_name(stem: &str, tail: &str) -> String {
    let budget = MAX_NAME_BYTES.saturating_sub(tail.len());
    let mut end = stem.len().min(budget);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{tail}", &stem[..end])
}

/// The name under which a file the server calls `server_name` is saved locally, as
/// [`Files::download_session_outputs`] names its files: the last component after `/` or `\`,
/// control characters replaced, `.`, `..` and empty names made `unnamed`, cut on a character
/// boundary to fit in 255 bytes. A file saved under it stays in the folder it is saved into.
pub fn local_file_name(server_name: &str) -> String {
    let name = sanitize_filename(server_name);
    let (stem, extension) = split_extension(&name);
    fit_name(stem, &extension)
}

/// `name` as its stem and its extension (with the dot; empty when there is none, or when
/// the part after the last dot is too long to be one).
fn split_extension(name: &str) -> (&str, String) {
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && extension.len() < 32 => {
            (stem, format!(".{extension}"))
        }
        _ => (name, String::new()),
    }
}

/// A file name that stays inside a folder: the last component after `/` or `\`, with
/// control characters replaced; empty, `.` and `..` become `unnamed`.
pub(crate) fn sanitize_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|character| {
            if character.is_control() {
                '_'
            } else {
                character
            }
        })
        .collect();
    match cleaned.trim() {
        "" | "." | ".." => "unnamed".to_owned(),
        _ => cleaned,
    }
}

/// `name`, or `name (2)`, `name (3)` … before the extension, whichever is not yet taken, cut
/// to fit in [`MAX_NAME_BYTES`].
fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    let (stem, extension) = split_extension(name);
    let mut candidate = fit_name(stem, &extension);
    let mut counter = 1;
    while !taken.insert(candidate.clone()) {
        counter += 1;
        candidate = fit_name(stem, &format!(" ({counter}){extension}"));
    }
    candidate
}

#[cfg(test)]
mod tests {

    #[test]
    fn local_names_stay_in_their_folder_and_fit() {
        assert_eq!(local_file_name("../../x.txt"), "x.txt");
        assert_eq!(local_file_name("C:\\z"), "z");
        assert_eq!(local_file_name(".."), "unnamed");
        let long = format!("{}.csv", "é".repeat(300));
        let fitted = local_file_name(&long);
        assert!(fitted.len() <= 255 && fitted.ends_with(".csv"), "{fitted}");
    }

    use super::*;

    #[test]
    fn long_names_fit_the_file_system() {
        let mut taken = HashSet::new();
        let long = format!("{}.md", "y".repeat(300));
        let first = unique_name(&long, &mut taken);
        let second = unique_name(&long, &mut taken);
        assert!(first.len() <= MAX_NAME_BYTES && first.ends_with(".md"));
        assert!(second.len() <= MAX_NAME_BYTES && second.ends_with(" (2).md"));
        let wide = "報".repeat(100);
        assert!(unique_name(&wide, &mut taken).len() <= MAX_NAME_BYTES);
        let temporary = temporary_path(Path::new("/tmp/x"));
        assert!(temporary.file_name().unwrap().len() < 32);
    }

    #[test]
    fn names_cannot_escape_the_folder() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(sanitize_filename(".."), "unnamed");
        assert_eq!(sanitize_filename("reports/"), "unnamed");
        assert_eq!(sanitize_filename("a\u{0}b\nc.txt"), "a_b_c.txt");
        assert_eq!(
            sanitize_filename("Grüner Baum – 報告.pdf"),
            "Grüner Baum – 報告.pdf"
        );
    }

    #[test]
    fn clashing_names_get_a_counter() {
        let mut taken = HashSet::new();
        assert_eq!(unique_name("report.md", &mut taken), "report.md");
        assert_eq!(unique_name("report.md", &mut taken), "report (2).md");
        assert_eq!(unique_name("report.md", &mut taken), "report (3).md");
        assert_eq!(unique_name(".env", &mut taken), ".env");
        assert_eq!(unique_name(".env", &mut taken), ".env (2)");
    }
}
