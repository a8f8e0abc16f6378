//! A connection's byte stream, which gives hyper's own answers the API's error envelope.
//!
//! hyper answers a request it cannot parse (a URI over 65,534 bytes: 414, a head too large:
//! 431, a malformed head: 400) by itself, with an empty body, before any route or middleware
//! sees it, and then closes the connection. [`EnvelopedIo`] recognises such an answer when no
//! response of the router is being written, and sends in its place the same status with the
//! error envelope, a `request-id` header and `connection: close`.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::StatusCode;
use managed_agents_types::ErrorResponse;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::error_type_for;

/// The longest answer hyper writes by itself (a status line, `content-length: 0`, `date`).
const MAX_AUTOMATIC_ANSWER: usize = 256;

/// Counts the router's responses that are not finished yet on one connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    /// Marks a response as started; it counts until `body` is dropped.
    pub(crate) fn track(&self, body: Body) -> Body {
        self.0.fetch_add(1, Ordering::SeqCst);
        Body::new(TrackedBody {
            body,
            in_flight: self.clone(),
        })
    }

    fn idle(&self) -> bool {
        self.0.load(Ordering::SeqCst) == 0
    }
}

/// A response body that keeps its response counted as in flight until it is dropped.
struct TrackedBody {
    body: Body,
    in_flight: InFlight,
}

impl Drop for TrackedBody {
    fn drop(&mut self) {
        self.in_flight.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A connection's stream that replaces hyper's bare error answers with enveloped ones.
#[derive(Debug)]
pub(crate) struct EnvelopedIo<T> {
    inner: T,
    in_flight: InFlight,
    /// An enveloped answer still to write, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> EnvelopedIo<T> {
    pub(crate) fn new(inner: T, in_flight: InFlight) -> Self {
        Self {
            inner,
            in_flight,
            pending: None,
        }
    }
}

impl<T: AsyncWrite + Unpin> EnvelopedIo<T> {
    /// Writes what is left of the replacement answer.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((answer, written)) = &mut self.pending {
            if *written == answer.len() {
                self.pending = None;
                break;
            }
            let count = ready!(Pin::new(&mut self.inner).poll_write(cx, &answer[*written..]))?;
            if count == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += count;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes `bytes` in place of hyper's own answer when they are one.
    fn replace(&mut self, bytes: &[u8]) -> bool {
        if !self.in_flight.idle() {
            return false;
        }
        let Some(status) = automatic_answer_status(bytes) else {
            return false;
        };
        self.pending = Some((enveloped_answer(status), 0));
        true
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for EnvelopedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for EnvelopedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if self.replace(buf) {
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        let total: usize = bufs.iter().map(|buf| buf.len()).sum();
        if total <= MAX_AUTOMATIC_ANSWER {
            let joined: Vec<u8> = bufs.iter().flat_map(|buf| buf.iter().copied()).collect();
            if self.replace(&joined) {
                return Poll::Ready(Ok(total));
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The status of `bytes` when they are exactly an answer hyper writes by itself: an error
/// status line and only `content-length: 0`, `date` and `connection` headers. The router's
/// answers always carry a `request-id` header, so they never match.
fn automatic_answer_status(bytes: &[u8]) -> Option<StatusCode> {
    if bytes.len() > MAX_AUTOMATIC_ANSWER {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let head = text.strip_suffix("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let rest = status_line
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| status_line.strip_prefix("HTTP/1.0 "))?;
    let code = rest.get(..3)?;
    if !code.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let status = StatusCode::from_bytes(code.as_bytes()).ok()?;
    if !status.is_client_error() && !status.is_server_error() {
        return None;
    }
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" if value.trim() == "0" => {}
            "date" | "connection" => {}
            _ => return None,
        }
    }
    Some(status)
}

/// The bytes of an enveloped answer for a request hyper refused.
fn enveloped_answer(status: StatusCode) -> Vec<u8> {
    let request_id = crate::store::new_id("req_");
    let message = match status {
        StatusCode::URI_TOO_LONG => "the request URI is too long (at most 65,534 bytes)".to_owned(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "the request headers are too large or too many".to_owned()
        }
        StatusCode::BAD_REQUEST => "the request is not valid HTTP/1.1".to_owned(),
        other => other.canonical_reason().unwrap_or("error").to_owned(),
    };
    tracing::info!(
        status = status.as_u16(),
        request_id,
        "request refused before routing"
    );
    let envelope = ErrorResponse::new(error_type_for(status), message, Some(request_id.clone()));
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         request-id: {request_id}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_error_answers_are_recognised() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\
                     date: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n";
        assert_eq!(
            automatic_answer_status(bare),
            Some(StatusCode::URI_TOO_LONG)
        );
        let ours = b"HTTP/1.1 404 Not Found\r\nrequest-id: req_1\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(automatic_answer_status(ours), None);
        let success = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(automatic_answer_status(success), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(automatic_answer_status(with_body), None);
    }

    #[test]
    fn the_replacement_is_an_enveloped_answer() {
        let answer = String::from_utf8(enveloped_answer(StatusCode::URI_TOO_LONG)).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let envelope: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(envelope["error"]["type"], "invalid_request_error");
        let request_id = envelope["request_id"].as_str().unwrap();
        assert!(head.contains(&format!("request-id: {request_id}")));
    }
}
