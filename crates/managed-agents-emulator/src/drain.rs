//! Reading the rest of a refused request body after the answer, so that a client that sends
//! its whole body before it reads (Node's fetch does) sees a 413 instead of a broken pipe.
//!
//! A request whose body is too large is answered 413 before the body is read. Closing the
//! connection at once would leave the client writing into a closed socket: it fails with
//! `EPIPE` or a reset, never reads the answer, and retries the upload as a connection error.
//! So the gateway hands every request body to its handler through a [`SharedBody`] and, after
//! a 413, keeps reading and discarding what is left of it in the background, one chunk at a
//! time, up to [`MAX_DRAIN_BYTES`], for at most [`MAX_DRAIN_TIME`], and only while the client
//! keeps sending (it stops after [`MAX_DRAIN_PAUSE`] without data); then the connection closes
//! (the 413 carries `connection: close`).

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;

/// The most bytes read and discarded after a 413.
pub(crate) const MAX_DRAIN_BYTES: u64 = 1 << 30;

/// The longest time spent reading and discarding after a 413.
pub(crate) const MAX_DRAIN_TIME: Duration = Duration::from_secs(30);

/// The longest wait for the next chunk after a 413: a client that declared a large body but
/// sends nothing more has stopped, and its connection is closed.
pub(crate) const MAX_DRAIN_PAUSE: Duration = Duration::from_secs(2);

/// A request body that the handler reads through a clone while the gateway keeps another, so
/// that the gateway can read what the handler left.
#[derive(Debug, Clone)]
pub(crate) struct SharedBody(Arc<Mutex<Body>>);

impl SharedBody {
    /// Moves the request's body into a shared body and gives the request a clone of it.
    pub(crate) fn share(request: Request) -> (Request, Self) {
        let (parts, body) = request.into_parts();
        let shared = Self(Arc::new(Mutex::new(body)));
        (
            Request::from_parts(parts, Body::new(shared.clone())),
            shared,
        )
    }

    /// Reads and discards the rest of the body in the background, within the bounds.
    pub(crate) fn discard_rest(self) {
        tokio::spawn(async move {
            let discarded = tokio::time::timeout(MAX_DRAIN_TIME, self.discard()).await;
            if discarded.is_err() {
                tracing::debug!("stopped discarding a refused request body: too slow");
            }
        });
    }

    async fn discard(self) {
        let mut read = 0u64;
        loop {
            let next = std::future::poll_fn(|cx| self.poll_next(cx));
            let frame = match tokio::time::timeout(MAX_DRAIN_PAUSE, next).await {
                Ok(Some(Ok(frame))) => frame,
                Ok(None | Some(Err(_))) => return,
                Err(_) => {
                    tracing::debug!("stopped discarding a refused request body: nothing sent");
                    return;
                }
            };
            if let Some(data) = frame.data_ref() {
                read = read.saturating_add(data.len() as u64);
                if read > MAX_DRAIN_BYTES {
                    tracing::debug!("stopped discarding a refused request body: too large");
                    return;
                }
            }
        }
    }

    fn poll_next(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut *self.lock()).poll_frame(cx)
    }

    fn lock(&self) -> MutexGuard<'_, Body> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl HttpBody for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        self.poll_next(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.lock().is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.lock().size_hint()
    }
}
