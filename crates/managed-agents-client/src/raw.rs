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
//! let json = client.call_raw(&endpoint, &RequestOptions::default()).await?;
//! println!("{}", json.get());
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;
use managed_agents_types::endpoints::{Endpoint, Request};
use managed_agents_types::{Cursor, DecodeError, Page, PageWalker, ValidationError};
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

impl<T: Transport> Client<T> {
    /// Sends `endpoint` and returns its answer as JSON text, not decoded into `O`.
    ///
    /// The request is the typed call's (`endpoint` was validated when it was built), with the
    /// same headers, retries and errors; an empty answer that stands for an object (a delete
    /// answered with 204) becomes that object's JSON. A body that is not one JSON value is an
    /// [`Error::Decode`].
    pub fn call_raw<'a, O>(
        &'a self,
        endpoint: &'a Endpoint<O>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<RawJson, Error>> + 'a {
        // Not `async`: the future is the same type for every `O`, so its code exists once.
        self.send_raw(&endpoint.request, endpoint.empty_body(), options, None)
    }

    /// Uploads `content` as [`Self::call_raw`] sends a request: `endpoint` is the types
    /// crate's `files::upload`. A replayable content is sent again whole on a retry; a one-shot
    /// one is never retried.
    pub fn upload_raw<'a, O>(
        &'a self,
        endpoint: &'a Endpoint<O>,
        content: &'a mut T::Upload,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<RawJson, Error>> + 'a {
        self.send_raw(&endpoint.request, None, options, Some(content))
    }

    /// Every item of a list as JSON text, from `start` on, fetching pages lazily as the stream
    /// is polled. `make_endpoint` describes the page that starts at a cursor (the types crate's
    /// `list` endpoint with that cursor). Only the page envelope is decoded; pages are followed
    /// as [`PageWalker`] says, in either envelope, and a page the server cannot continue ends
    /// the stream with an error after its items.
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
        let walk = RawWalk {
            client: self.clone(),
            options: options.clone(),
            walker: PageWalker::new(start),
            items: VecDeque::new(),
            pending_error: None,
            failed: false,
            page_request,
        };
        futures_util::stream::unfold(walk, |mut walk| async move {
            loop {
                if let Some(item) = walk.items.pop_front() {
                    return Some((Ok(item), walk));
                }
                if let Some(error) = walk.pending_error.take() {
                    return Some((Err(error), walk));
                }
                if walk.failed || walk.walker.is_finished() {
                    return None;
                }
                walk.next_page().await;
            }
        })
    }

    async fn send_raw(
        &self,
        request: &Request,
        empty_body: Option<&serde_json::Value>,
        options: &RequestOptions,
        upload: Option<&mut T::Upload>,
    ) -> Result<RawJson, Error> {
        let response = self.send(request, options, upload).await?;
        let request_id = header_string(&response.headers, "request-id");
        let body = response.body.bytes().await.map_err(Error::from_transport)?;
        let decoded = match empty_body {
            Some(fallback) if body.iter().all(u8::is_ascii_whitespace) => {
                serde_json::value::to_raw_value(fallback)
            }
            _ => serde_json::from_slice(&body),
        };
        decoded.map_err(|error| decode_error(error, request_id))
    }
}

/// The state of a raw list walk.
struct RawWalk<T: Transport> {
    client: Client<T>,
    options: RequestOptions,
    walker: PageWalker,
    items: VecDeque<RawJson>,
    pending_error: Option<Error>,
    failed: bool,
    page_request: PageRequest,
}

impl<T: Transport> RawWalk<T> {
    /// Fetches the next page, queues its items and advances the walker. A failure to fetch
    /// ends the walk; a page the walker cannot follow still yields its items, then the error.
    async fn next_page(&mut self) {
        let page = match (self.page_request)(self.walker.cursor()) {
            Ok(request) => fetch_page(&self.client, &request, &self.options).await,
            Err(error) => Err(error.into()),
        };
        match page {
            Ok(page) => {
                if let Err(error) = self.walker.advance(&page) {
                    self.pending_error = Some(error.into());
                }
                self.items.extend(page.data);
            }
            Err(error) => {
                self.failed = true;
                self.pending_error = Some(error);
            }
        }
    }
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
