//! A `fetch` response body, read whole or chunk by chunk from its `ReadableStream`. Every
//! wait for the body is bounded by the attempt's timeout, as on native: when it passes, the
//! attempt's `AbortController` aborts the body and the read fails as a timeout.

use std::time::Duration;

use bytes::Bytes;
use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use managed_agents_client::transport::{ResponseBody, TransportError, TransportErrorKind};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, Response};

use crate::{global, js_error};

/// The body of a `fetch` response.
#[derive(Debug)]
pub struct FetchBody {
    response: Response,
    reader: Option<ReadableStreamDefaultReader>,
    /// Aborts the attempt, body included.
    controller: AbortController,
    /// How long one wait for the body may take.
    timeout: Duration,
}

impl FetchBody {
    pub(crate) fn new(response: Response, controller: AbortController, timeout: Duration) -> Self {
        Self {
            response,
            reader: None,
            controller,
            timeout,
        }
    }

    /// The whole body as an `ArrayBuffer`, which stays in JavaScript memory (it never enters
    /// wasm memory), read within the attempt's timeout.
    pub async fn array_buffer(self) -> Result<ArrayBuffer, TransportError> {
        let promise = self.response.array_buffer().map_err(|e| read_error(&e))?;
        let buffer = self.bounded(promise).await?;
        Ok(buffer.unchecked_into())
    }

    fn reader(&mut self) -> Result<Option<&ReadableStreamDefaultReader>, TransportError> {
        if self.reader.is_none() {
            let Some(stream) = self.response.body() else {
                return Ok(None);
            };
            let reader = stream.get_reader();
            self.reader = Some(reader.unchecked_into());
        }
        Ok(self.reader.as_ref())
    }

    /// Waits for `promise`, a read of the body, aborting the attempt if it takes longer than
    /// the timeout.
    async fn bounded(&self, promise: js_sys::Promise) -> Result<JsValue, TransportError> {
        let controller = self.controller.clone();
        let deadline = global::Deadline::start(self.timeout, move || controller.abort());
        let result = JsFuture::from(promise).await;
        let timed_out = deadline.has_fired();
        drop(deadline);
        result.map_err(|error| {
            if timed_out {
                TransportError::new(
                    TransportErrorKind::Timeout,
                    format!(
                        "the response body stalled for {} ms",
                        self.timeout.as_millis()
                    ),
                )
            } else {
                read_error(&error)
            }
        })
    }
}

fn read_error(error: &JsValue) -> TransportError {
    js_error(
        TransportErrorKind::Connection,
        "reading the response failed",
        error,
    )
}

impl ResponseBody for FetchBody {
    async fn bytes(mut self) -> Result<Bytes, TransportError> {
        if self.reader.is_some() {
            let mut whole = Vec::new();
            while let Some(chunk) = self.chunk().await? {
                whole.extend_from_slice(&chunk);
            }
            return Ok(Bytes::from(whole));
        }
        let buffer = self.array_buffer().await?;
        Ok(Bytes::from(Uint8Array::new(&buffer).to_vec()))
    }

    async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        let Some(reader) = self.reader()? else {
            return Ok(None);
        };
        let read = reader.read();
        let result = self.bounded(read).await?;
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .map_err(|e| read_error(&e))?
            .as_bool()
            .unwrap_or(true);
        if done {
            return Ok(None);
        }
        let value =
            Reflect::get(&result, &JsValue::from_str("value")).map_err(|e| read_error(&e))?;
        Ok(Some(Bytes::from(Uint8Array::new(&value).to_vec())))
    }
}
