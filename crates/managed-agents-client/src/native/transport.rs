//! The [`Transport`] implementation on reqwest and tokio.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt, stream};
use managed_agents_types::endpoints::Method;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use crate::error::{ConfigError, Error};
use crate::transport::{
    HttpRequest, HttpResponse, RequestBody, ResponseBody, Transport, TransportError,
    TransportErrorKind,
};

/// The size of the chunks an upload is read in.
const UPLOAD_CHUNK: usize = 256 * 1024;

/// The native transport: reqwest for HTTP, tokio for time and files.
#[derive(Debug, Clone)]
pub struct NativeTransport {
    http: reqwest::Client,
}

impl NativeTransport {
    /// A transport with its own connection pool, connecting within `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|error| ConfigError(format!("cannot build the HTTP client: {error}")))?;
        Ok(Self { http })
    }

    /// A transport over an existing reqwest client (its proxy, TLS and pool settings).
    pub fn from_reqwest(http: reqwest::Client) -> Self {
        Self { http }
    }
}

/// The content of a native upload.
pub struct Upload {
    source: Source,
}

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    Reader {
        reader: Option<Box<dyn AsyncRead + Send + Unpin>>,
        length: Option<u64>,
    },
}

impl Upload {
    /// The content of the file at `path`, read afresh on every attempt (replayable).
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self {
            source: Source::Path(path.into()),
        }
    }

    /// Content already in memory (replayable; retries share the buffer).
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self {
            source: Source::Bytes(bytes.into()),
        }
    }

    /// Content read once from `reader`; `length`, when known, is sent as the content length.
    /// A reader cannot be replayed, so an upload from one is never retried.
    pub fn reader(reader: impl AsyncRead + Send + Unpin + 'static, length: Option<u64>) -> Self {
        Self {
            source: Source::Reader {
                reader: Some(Box::new(reader)),
                length,
            },
        }
    }
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::Path(path) => f.debug_tuple("Upload::Path").field(path).finish(),
            Source::Bytes(bytes) => write!(f, "Upload::Bytes({} bytes)", bytes.len()),
            Source::Reader { length, .. } => write!(f, "Upload::Reader(length {length:?})"),
        }
    }
}

/// A response body read from reqwest, each wait bounded by the attempt's timeout.
#[derive(Debug)]
pub struct NativeBody {
    response: reqwest::Response,
    idle_timeout: Duration,
}

impl ResponseBody for NativeBody {
    async fn bytes(self) -> Result<Bytes, TransportError> {
        tokio::time::timeout(self.idle_timeout, self.response.bytes())
            .await
            .map_err(|_| {
                TransportError::new(TransportErrorKind::Timeout, "reading the body timed out")
            })?
            .map_err(|error| classify(error, false))
    }

    async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        tokio::time::timeout(self.idle_timeout, self.response.chunk())
            .await
            .map_err(|_| {
                TransportError::new(TransportErrorKind::Timeout, "reading the body timed out")
            })?
            .map_err(|error| classify(error, false))
    }
}

impl Transport for NativeTransport {
    type Upload = Upload;
    type Body = NativeBody;

    async fn send(
        &self,
        request: HttpRequest<'_, Upload>,
    ) -> Result<HttpResponse<NativeBody>, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .http
            .request(method, request.url)
            .headers(request.headers.clone());
        let body_failed = Arc::new(AtomicBool::new(false));
        match request.body {
            RequestBody::Empty => {}
            RequestBody::Bytes(bytes) => builder = builder.body(bytes),
            RequestBody::Multipart { envelope, upload } => {
                let (content, length) = content_stream(upload, Arc::clone(&body_failed)).await?;
                if let Some(length) = length {
                    builder = builder.header(
                        reqwest::header::CONTENT_LENGTH,
                        envelope.body_length(length),
                    );
                }
                let head = Bytes::from(envelope.head.clone());
                let tail = Bytes::from(envelope.tail.clone());
                let body = stream::iter([Ok(head)])
                    .chain(content)
                    .chain(stream::iter([Ok(tail)]));
                builder = builder.body(reqwest::Body::wrap_stream(body));
            }
        }

        let response = tokio::time::timeout(request.timeout, builder.send())
            .await
            .map_err(|_| {
                TransportError::new(
                    TransportErrorKind::Timeout,
                    "no response within the timeout",
                )
            })?
            .map_err(|error| classify(error, body_failed.load(Ordering::SeqCst)))?;
        Ok(HttpResponse {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: NativeBody {
                response,
                idle_timeout: request.timeout,
            },
        })
    }

    fn is_replayable(&self, upload: &Upload) -> bool {
        !matches!(upload.source, Source::Reader { .. })
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    #[allow(
        clippy::disallowed_methods,
        reason = "the native transport supplies the time"
    )]
    fn now_unix_ms(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as u64)
    }

    fn random(&self) -> f64 {
        fastrand::f64()
    }
}

type ContentStream =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// The upload's content as a stream, and its length when known. A failure reading it is
/// flagged in `failed`, so that it is reported as a body error and not a connection error.
async fn content_stream(
    upload: &mut Upload,
    failed: Arc<AtomicBool>,
) -> Result<(ContentStream, Option<u64>), TransportError> {
    let (content, length): (ContentStream, Option<u64>) = match &mut upload.source {
        Source::Bytes(bytes) => {
            let bytes = bytes.clone();
            let length = bytes.len() as u64;
            (Box::pin(stream::iter([Ok(bytes)])), Some(length))
        }
        Source::Path(path) => {
            let file = tokio::fs::File::open(&path).await.map_err(|error| {
                TransportError::new(
                    TransportErrorKind::Body,
                    format!("cannot open {}", path.display()),
                )
                .with_source(error)
            })?;
            let length = file.metadata().await.map(|metadata| metadata.len()).ok();
            let stream = ReaderStream::with_capacity(file, UPLOAD_CHUNK);
            (Box::pin(stream), length)
        }
        Source::Reader { reader, length } => {
            let reader = reader.take().ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Body,
                    "the upload reader was already read",
                )
            })?;
            (
                Box::pin(ReaderStream::with_capacity(reader, UPLOAD_CHUNK)),
                *length,
            )
        }
    };
    let content = match length {
        Some(declared) => checked_length(content, declared),
        None => content,
    };
    let content = content.inspect_err(move |_| failed.store(true, Ordering::SeqCst));
    Ok((Box::pin(content), length))
}

/// Fails the body when the content gives more or fewer bytes than the length announced in
/// `content-length` (a reader given the wrong length, a file that changed size): a local
/// error naming both figures, not a broken connection.
fn checked_length(content: ContentStream, declared: u64) -> ContentStream {
    let mismatch = move |given: u64| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the upload content has {given} bytes but {declared} were declared"),
        )
    };
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    let counted = content.map(move |chunk| {
        let chunk = chunk?;
        let length = chunk.len() as u64;
        let total = counter.fetch_add(length, Ordering::SeqCst) + length;
        if total > declared {
            return Err(mismatch(total));
        }
        Ok(chunk)
    });
    let end = stream::once(async move {
        let total = seen.load(Ordering::SeqCst);
        (total != declared).then(|| Err(mismatch(total)))
    })
    .filter_map(|item| async move { item });
    Box::pin(counted.chain(end))
}

fn classify(error: reqwest::Error, body_failed: bool) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if body_failed {
        TransportErrorKind::Body
    } else {
        TransportErrorKind::Connection
    };
    let message = match kind {
        TransportErrorKind::Timeout => "the request timed out",
        TransportErrorKind::Body => "reading the upload failed",
        _ => "the connection failed",
    };
    TransportError::new(kind, message).with_source(error)
}
