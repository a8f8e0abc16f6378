//! Answers kept as the server's JSON text instead of decoded into the types crate's objects.
//!
//! This is for callers that hand answers on as they are, such as the wasm package, which gives
//! JavaScript the server's JSON: every field reaches the caller, including fields a newer server
//! adds, and no per-type decoding code is compiled in. Everything else is the typed API's:
//! the types crate's endpoint builders validate parameters before anything is sent, and the
//! send loop adds the same headers, retries the same way and returns the same errors. A raw
//! answer is checked to be one well-formed JSON value; its fields are not checked.
//!
//! ```no_run
//! # async fn example(client: managed_agents_client::NativeClient)
//! #     -> Result<(), managed_agents_client::Error> {
//! use managed_agents_client::RequestOptions;
//! use managed_agents_types::endpoints;
//! use managed_agents_types::environments::EnvironmentCreateParams;
//!
//! let params = EnvironmentCreateParams { name: "python-dev".into(), ..Default::default() };
//! let endpoint = endpoints::environments::create(&params)?;
//! let json = client.call_raw(endpoint, &RequestOptions::default()).await?;
//! println!("{}", json.get());
//! # Ok(()) }
//! ```

use std::future::Future;

use futures_core::Stream;
use managed_agents_types::endpoints::{Endpoint, Request};
use managed_agents_types::{Cursor, DecodeError, Page, ValidationError};
use serde_json::value::RawValue;

use crate::config::RequestOptions;
use crate::core::{Client, header_string};
use crate::error::Error;
use crate::transport::{MaybeSend, ResponseBody, Transport};

/// One JSON value as the server sent it (surrounding whitespace removed).
pub type RawJson = Box<RawValue>;

/// Describes the request for the page that starts at a cursor.
#[cfg(not(target_arch = "wasm32"))]
type PageRequest = Box<dyn Fn(Option<&Cursor>) -> Result<Request, ValidationError> + Send>;
/// Describes the request for the page that starts at a cursor.
#[cfg(target_arch = "wasm32")]
type PageRequest = Box<dyn Fn(Option<&Cursor>) -> Result<Request, ValidationError>>;

/// A request whose answer is kept as JSON text: an [`Endpoint`] without its answer type, so
/// that requests for different objects have one type (and one copy of the sending code).
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The request to send.
    pub request: Request,
    /// The answer an empty success body stands for (a delete answered with 204).
    empty_body: Option<serde_json::Value>,
}

impl<O> From<Endpoint<O>> for RawRequest {
    fn from(endpoint: Endpoint<O>) -> Self {
        let empty_body = endpoint.empty_body().cloned();
        Self {
            request: endpoint.request,
            empty_body,
        }
    }
}

impl<T: Transport> Client<T> {
    /// Sends `request` (an [`Endpoint`] of the types crate, whose parameters were validated
    /// when it was built) and returns its answer as JSON text, not decoded.
    ///
    /// The headers, retries and errors are the typed call's; an empty answer that stands for
    /// an object (a delete answered with 204) becomes that object's JSON. A body that is not
    /// one JSON value is an [`Error::Decode`].
    pub fn call_raw<'a>(
        &'a self,
        request: impl Into<RawRequest>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<RawJson, Error>> + 'a {
        // Not `async`: the future has one type whatever the endpoint's answer type.
        self.send_raw(request.into(), options, None)
    }

    /// Uploads `content` as [`Self::call_raw`] sends a request: `request` is the types
    /// crate's `files::upload` endpoint. A replayable content is sent again whole on a retry;
    /// a one-shot one is never retried.
    pub fn upload_raw<'a>(
        &'a self,
        request: impl Into<RawRequest>,
        content: &'a mut T::Upload,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<RawJson, Error>> + 'a {
        self.send_raw(request.into(), options, Some(content))
    }

    /// Every item of a list as JSON text, from `start` on, fetching pages lazily as the stream
    /// is polled. `make_endpoint` describes the page that starts at a cursor (the types crate's
    /// `list` endpoint with that cursor, see
    /// [`ListParams::with_cursor`](managed_agents_types::ListParams::with_cursor)). Only the
    /// page envelope is decoded; pages are followed as
    /// [`PageWalker`](managed_agents_types::PageWalker) says, in either envelope, and a page the
    /// server cannot continue ends the stream with an error after its items.
    pub fn list_raw_stream<O>(
        &self,
        options: &RequestOptions,
        start: Option<Cursor>,
        make_endpoint: impl Fn(Option<&Cursor>) -> Result<Endpoint<Page<O>>, ValidationError>
        + MaybeSend
        + 'static,
    ) -> impl Stream<Item = Result<RawJson, Error>> + MaybeSend + 'static {
        let page_request: PageRequest =
            Box::new(move |cursor| make_endpoint(cursor).map(|endpoint| endpoint.request));
        raw_items(self.clone(), options.clone(), start, page_request)
    }

    async fn send_raw(
        &self,
        request: RawRequest,
        options: &RequestOptions,
        upload: Option<&mut T::Upload>,
    ) -> Result<RawJson, Error> {
        let response = self.send(&request.request, options, upload).await?;
        let request_id = header_string(&response.headers, "request-id");
        let body = response.body.bytes().await.map_err(Error::from_transport)?;
        let decoded = match &request.empty_body {
            Some(fallback) if body.iter().all(u8::is_ascii_whitespace) => {
                serde_json::value::to_raw_value(fallback)
            }
            _ => serde_json::from_slice(&body),
        };
        decoded.map_err(|error| decode_error(error, request_id))
    }
}

/// The items of a raw list walk. Not generic over the endpoint, so that its code exists once
/// for every list.
fn raw_items<T: Transport>(
    client: Client<T>,
    options: RequestOptions,
    start: Option<Cursor>,
    page_request: PageRequest,
) -> impl Stream<Item = Result<RawJson, Error>> + MaybeSend + 'static {
    crate::pagination::walk(start, move |cursor| {
        let request = page_request(cursor);
        let client = client.clone();
        let options = options.clone();
        async move { fetch_page(&client, &request?, &options).await }
    })
}

/// Sends the request for one page and decodes only its envelope.
async fn fetch_page<T: Transport>(
    client: &Client<T>,
    request: &Request,
    options: &RequestOptions,
) -> Result<Page<RawJson>, Error> {
    let response = client.send(request, options, None).await?;
    let request_id = header_string(&response.headers, "request-id");
    let body = response.body.bytes().await.map_err(Error::from_transport)?;
    serde_json::from_slice(&body).map_err(|error| decode_error(error, request_id))
}

fn decode_error(error: serde_json::Error, request_id: Option<String>) -> Error {
    Error::Decode {
        source: DecodeError::new(".", error.to_string()),
        request_id,
    }
}
