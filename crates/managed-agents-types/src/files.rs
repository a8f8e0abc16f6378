//! The Files API and session outputs (spec section 8).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::Timestamp;
use crate::ids::{FileId, SessionId};

/// The largest file the API accepts: 500 MB.
pub const MAX_FILE_SIZE: u64 = 500_000_000;

/// A file, as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = scope_and_expiry_optional)]
pub struct FileObject {
    /// The file's ID (`file_…`).
    pub id: FileId,
    /// Always `file`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "file"))]
    pub object_type: String,
    /// The file name, byte for byte as uploaded (last path component only).
    pub filename: String,
    /// The content type.
    pub mime_type: String,
    /// The size in bytes.
    pub size_bytes: u64,
    /// When it was created.
    pub created_at: Timestamp,
    /// Whether the content can be downloaded: false for uploads, true for session outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloadable: Option<bool>,
    /// The session the file belongs to, or null.
    #[serde(default)]
    pub scope: Option<FileScope>,
    /// When the file expires, or null.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
}

/// Marks `scope` and `expires_at` optional in the schema: they are written as `null` here,
/// but the API may leave them out.
fn scope_and_expiry_optional(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| name != "scope" && name != "expires_at");
    }
}

open_union! {
    /// What a file belongs to, tagged by `type`.
    pub enum FileScope {
        /// A session's output.
        Session(SessionScope) = "session",
    }
}

/// The session a file belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionScope {
    /// The session's ID.
    pub id: SessionId,
}

/// The query of `GET /v1/files`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileListParams {
    /// Page size, 1 to 1000 (default 20).
    pub limit: Option<u32>,
    /// Where the page starts.
    pub cursor: Option<crate::pagination::Cursor>,
    /// Only this session's files. Needs the managed-agents beta, which the endpoint adds.
    pub scope_id: Option<SessionId>,
}

/// What an upload sends besides the content: the multipart part's file name and content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUploadParams {
    /// The file name; only its last path component is kept by the server.
    pub filename: String,
    /// The content type; guessed from the name when unset.
    pub mime_type: Option<String>,
}

impl FileUploadParams {
    /// An upload named `filename` with its type guessed from the name.
    pub fn new(filename: impl Into<String>) -> Self {
        Self {
            filename: filename.into(),
            mime_type: None,
        }
    }

    /// The content type that will be sent.
    pub fn effective_mime_type(&self) -> &str {
        self.mime_type
            .as_deref()
            .unwrap_or_else(|| guess_mime_type(&self.filename))
    }
}

const MIME_TYPES: &[(&str, &str)] = &[
    ("csv", "text/csv"),
    ("gif", "image/gif"),
    ("htm", "text/html"),
    ("html", "text/html"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("jsonl", "application/jsonl"),
    ("md", "text/markdown"),
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("py", "text/x-python"),
    ("rs", "text/x-rust"),
    ("svg", "image/svg+xml"),
    ("tar", "application/x-tar"),
    ("toml", "application/toml"),
    ("tsv", "text/tab-separated-values"),
    ("txt", "text/plain"),
    ("webp", "image/webp"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("xml", "application/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("zip", "application/zip"),
];

/// The content type for a file name, from its extension; `application/octet-stream` when the
/// extension is unknown.
pub fn guess_mime_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    extension
        .and_then(|extension| {
            MIME_TYPES
                .iter()
                .find(|(known, _)| *known == extension)
                .map(|(_, mime)| *mime)
        })
        .unwrap_or("application/octet-stream")
}

/// The extension that goes with a content type, when one is known.
pub fn extension_for_mime_type(mime_type: &str) -> Option<&'static str> {
    let essence = mime_type.split(';').next().unwrap_or("").trim();
    MIME_TYPES
        .iter()
        .find(|(_, mime)| mime.eq_ignore_ascii_case(essence))
        .map(|(ext, _)| *ext)
}

/// The name the server keeps for an uploaded file: the last path component (after `/` or
/// `\`), byte for byte; an empty name becomes `unnamed`, with an extension for the content type
/// when one is known.
pub fn stored_filename(raw: &str, mime_type: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    if !last.is_empty() {
        return last.to_owned();
    }
    match extension_for_mime_type(mime_type) {
        Some(extension) => format!("unnamed.{extension}"),
        None => "unnamed".to_owned(),
    }
}

/// The fixed parts of a `multipart/form-data` upload body around the file content, so that a
/// transport can stream the content between them and know the length in advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartEnvelope {
    /// The boundary, also in [`Self::content_type`].
    pub boundary: String,
    /// The bytes before the content.
    pub head: Vec<u8>,
    /// The bytes after the content.
    pub tail: Vec<u8>,
}

impl MultipartEnvelope {
    /// Builds the envelope for one part named `file`. The boundary must not occur in the
    /// content; a random one of 32 or more characters makes that practically certain.
    pub fn new(params: &FileUploadParams, boundary: &str) -> Self {
        let filename = escape_quoted(&params.filename);
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{filename}\"\r\nContent-Type: {}\r\n\r\n",
            params.effective_mime_type()
        );
        Self {
            boundary: boundary.to_owned(),
            head: head.into_bytes(),
            tail: format!("\r\n--{boundary}--\r\n").into_bytes(),
        }
    }

    /// The `content-type` header value of the request.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The length of the whole body for content of `content_length` bytes.
    pub fn body_length(&self, content_length: u64) -> u64 {
        self.head.len() as u64 + content_length + self.tail.len() as u64
    }
}

/// Escapes a quoted header parameter as browsers do: `"` becomes `%22`, CR and LF become
/// `%0D` and `%0A`; every other character, UTF-8 included, is kept as it is.
fn escape_quoted(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_and_names() {
        assert_eq!(guess_mime_type("report.MD"), "text/markdown");
        assert_eq!(guess_mime_type("noext"), "application/octet-stream");
        assert_eq!(
            stored_filename("a/b\\Grüner Baum – 報告.pdf", "application/pdf"),
            "Grüner Baum – 報告.pdf"
        );
        assert_eq!(stored_filename("", "image/png"), "unnamed.png");
        assert_eq!(stored_filename("dir/", "x/unknown"), "unnamed");
    }

    #[test]
    fn envelope_keeps_utf8_names() {
        let params = FileUploadParams::new("Grüner \"Baum\".csv");
        let envelope = MultipartEnvelope::new(&params, "XYZ");
        let head = String::from_utf8(envelope.head.clone()).unwrap();
        assert!(head.contains("filename=\"Grüner %22Baum%22.csv\""));
        assert!(head.contains("Content-Type: text/csv"));
        assert_eq!(
            envelope.body_length(10),
            envelope.head.len() as u64 + 10 + envelope.tail.len() as u64
        );
    }
}
