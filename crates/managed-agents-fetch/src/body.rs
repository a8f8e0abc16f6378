//! A `fetch` response body, read whole or chunk by chunk from its `ReadableStream`.

use bytes::Bytes;
use js_sys::{Reflect, Uint8Array};
use managed_agents_client::transport::{ResponseBody, TransportError, TransportErrorKind};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

use crate::js_error;

/// The body of a `fetch` response.
#[derive(Debug)]
pub struct FetchBody {
    response: Response,
    reader: Option<ReadableStreamDefaultReader>,
}

impl FetchBody {
    pub(crate) fn new(response: Response) -> Self {
        Self {
            response,
            reader: None,
        }
    }

    /// The JS `Response` itself, for callers that hand the body on to JavaScript unread.
    pub fn into_response(self) -> Response {
        self.response
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
        let promise = self.response.array_buffer().map_err(|e| read_error(&e))?;
        let buffer = JsFuture::from(promise).await.map_err(|e| read_error(&e))?;
        Ok(Bytes::from(Uint8Array::new(&buffer).to_vec()))
    }

    async fn chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        let Some(reader) = self.reader()? else {
            return Ok(None);
        };
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| read_error(&e))?;
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
