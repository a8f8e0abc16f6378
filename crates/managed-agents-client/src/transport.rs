//! The transport trait: the small surface a runtime implements so the core can send requests.
//!
//! The core ([`crate::Client`]) owns everything about the protocol: headers, retries, backoff,
//! pagination, decoding and errors. A transport only moves bytes and supplies what depends on
//! the runtime: sleeping, the current time, randomness, and the per-attempt timeout.
//!
//! Implementing a transport means:
//!
//! - choosing [`Transport::Upload`], the type of a file's content for an upload (native: a
//!   path, bytes or an async reader; a browser: a `Blob` that never enters wasm memory), and
//!   saying through [`Transport::is_replayable`] whether it can be sent again on a retry;
//! - sending one [`HttpRequest`] in [`Transport::send`], failing with
//!   [`TransportErrorKind::Timeout`] when it takes longer than [`HttpRequest::timeout`] to get
//!   the response head, and returning the status, headers and a streamable body;
//! - [`Transport::sleep`], [`Transport::now_unix_ms`] and [`Transport::random`].
//!
//! Futures returned by a transport are `Send` on native targets (checked through
//! [`MaybeSend`]); on `wasm32` they need not be, as browser futures hold JS values.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use managed_agents_types::endpoints::Method;
use managed_agents_types::files::MultipartEnvelope;

/// `Send` on native targets; implemented by every type on `wasm32`, where futures hold JS
/// values and run on one thread.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}

/// `Send` on native targets; implemented by every type on `wasm32`, where futures hold JS
/// values and run on one thread.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on native targets; implemented by every type on `wasm32`.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}

/// `Sync` on native targets; implemented by every type on `wasm32`.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}

/// One attempt of a request, ready to go on the wire.
#[derive(Debug)]
pub struct HttpRequest<'a, U> {
    /// The method.
    pub method: Method,
    /// The absolute URL, query included.
    pub url: &'a str,
    /// Every header to send, authentication included. Transports must not log them.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: RequestBody<'a, U>,
    /// How long this attempt may take to receive the response head; past it the transport
    /// fails with [`TransportErrorKind::Timeout`].
    pub timeout: Duration,
}

/// The body of one attempt.
#[derive(Debug)]
pub enum RequestBody<'a, U> {
    /// No body.
    Empty,
    /// Bytes sent as they are (JSON); the core sets `content-type`.
    Bytes(Bytes),
    /// A `multipart/form-data` upload: the transport sends `envelope.head`, the content of
    /// `upload`, then `envelope.tail`, with `content-type` from
    /// [`MultipartEnvelope::content_type`].
    Multipart {
        /// The bytes around the content.
        envelope: &'a MultipartEnvelope,
        /// The content. A transport may consume a one-shot source; the core never retries
        /// a source that [`Transport::is_replayable`] calls one-shot.
        upload: &'a mut U,
    },
}

/// What a transport answers for one attempt: the response head and a body still to be read.
#[derive(Debug)]
pub struct HttpResponse<B> {
    /// The status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, read by the core (JSON) or streamed by the caller (downloads).
    pub body: B,
}

/// A response body that can be read whole or chunk by chunk.
pub trait ResponseBody: MaybeSend + Sized {
    /// Reads the rest of the body into memory.
    fn bytes(self) -> impl Future<Output = Result<Bytes, TransportError>> + MaybeSend;

    /// The next chunk of the body, or `None` at its end.
    fn chunk(&mut self) -> impl Future<Output = Result<Option<Bytes>, TransportError>> + MaybeSend;
}

/// The runtime-specific half of the client.
pub trait Transport: MaybeSend + MaybeSync + 'static {
    /// The content of a file upload, as this runtime holds it.
    type Upload: MaybeSend;

    /// The body of a response.
    type Body: ResponseBody;

    /// Sends one attempt and returns the response head once it arrives.
    fn send(
        &self,
        request: HttpRequest<'_, Self::Upload>,
    ) -> impl Future<Output = Result<HttpResponse<Self::Body>, TransportError>> + MaybeSend;

    /// True when `upload` can be sent again after an attempt consumed it.
    fn is_replayable(&self, upload: &Self::Upload) -> bool;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + MaybeSend;

    /// The current time in milliseconds since the Unix epoch, to read `retry-after` dates.
    fn now_unix_ms(&self) -> u64;

    /// A random number in `[0, 1)`, for backoff jitter and multipart boundaries.
    fn random(&self) -> f64;
}

/// What went wrong below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made or broke before a response arrived.
    Connection,
    /// The attempt took longer than its timeout.
    Timeout,
    /// Reading the request's content (an upload) failed.
    Body,
    /// Anything else the transport reports.
    Other,
}

/// A failure below HTTP, reported by a transport.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error. It must be `Send + Sync`; a transport whose errors are
    /// not (browser `JsValue`s) puts their text in the message instead.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}
