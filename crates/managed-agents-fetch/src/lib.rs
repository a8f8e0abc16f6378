//! A [`Transport`] over the JavaScript `fetch` API, so that the Managed Agents client runs on
//! `wasm32-unknown-unknown` in browsers, web workers, edge runtimes and Node with the very
//! same retries, pagination, errors and validation as on native.
//!
//! Everything that depends on the runtime comes from JavaScript: the per-attempt timeout is an
//! `AbortController` fired by a JS timer, sleeps are JS timers, the clock is `Date.now()`, and
//! jitter comes from `Math.random()`. Nothing here reads the OS clock or starts a thread.
//!
//! The global `fetch`, `setTimeout` and `clearTimeout` are used, not `window`'s, so the same
//! module works where there is no window (workers, edge runtimes, Node 18 and later).
//!
//! The crate is empty on other targets: its futures hold JS values, which are not `Send`.
//! Use it as `Client::with_transport(config, FetchTransport::new())`; the wasm package in
//! `bindings/` does exactly that.

#![cfg(target_arch = "wasm32")]

mod body;
mod global;

use std::time::Duration;

use http::HeaderMap;
use js_sys::{Array, Uint8Array};
use managed_agents_client::transport::{
    HttpRequest, HttpResponse, RequestBody, Transport, TransportError, TransportErrorKind,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Blob, Headers, RequestInit, Response};

pub use body::FetchBody;

/// The content of a file upload: a `Blob` (a browser `File` is one).
///
/// The content never enters wasm memory: the request body is a new `Blob` made of the
/// multipart head, this `Blob` and the multipart tail, which the browser streams itself.
/// A `Blob` is immutable, so a retry sends it again whole.
#[derive(Debug, Clone)]
pub struct Upload {
    blob: Blob,
}

impl Upload {
    /// The content of `blob` (or of a `File`, which is a `Blob`).
    pub fn from_blob(blob: Blob) -> Self {
        Self { blob }
    }

    /// The content of `bytes`, copied once into a new `Blob`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TransportError> {
        let parts = Array::of1(&Uint8Array::from(bytes));
        let blob = Blob::new_with_u8_array_sequence(&parts)
            .map_err(|error| js_error(TransportErrorKind::Body, "cannot make a Blob", &error))?;
        Ok(Self { blob })
    }

    /// The size of the content in bytes.
    pub fn size(&self) -> f64 {
        self.blob.size()
    }
}

/// The fetch transport. It holds no state: every request is one `fetch` call.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    browser_access: bool,
}

impl FetchTransport {
    /// A transport over the global `fetch`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Says whether the client sends `anthropic-dangerous-direct-browser-access: true`; only
    /// the wording of a failed request's error depends on it (a likely CORS refusal names the
    /// missing opt-in).
    pub fn with_browser_access(mut self, browser_access: bool) -> Self {
        self.browser_access = browser_access;
        self
    }

    /// Explains a `fetch` that failed without a response. Browsers give no detail for a CORS
    /// refusal, so a cross-origin request from a page says that this is the likely cause.
    fn failure_message(&self, url: &str, error: &JsValue) -> String {
        let detail = js_message(error);
        let mut message = format!("the request to {url} failed before any response ({detail})");
        if global::is_browser() && global::is_cross_origin(url) {
            message.push_str(
                "; in a browser this is also how a CORS refusal looks: the server did not \
                 allow this page's origin",
            );
            if !self.browser_access {
                message.push_str(
                    " (the API answers CORS only to clients constructed with \
                     `dangerouslyAllowBrowser: true`)",
                );
            }
        }
        message
    }
}

impl Transport for FetchTransport {
    type Upload = Upload;
    type Body = FetchBody;

    async fn send(
        &self,
        request: HttpRequest<'_, Upload>,
    ) -> Result<HttpResponse<FetchBody>, TransportError> {
        let init = request_init(&request)?;
        let controller = AbortController::new()
            .map_err(|error| js_error(TransportErrorKind::Other, "no AbortController", &error))?;
        init.set_signal(Some(&controller.signal()));

        let abort = controller.clone();
        let deadline = global::Deadline::start(request.timeout, move || abort.abort());
        let result = JsFuture::from(global::fetch(request.url, &init)).await;
        let timed_out = deadline.has_fired();
        drop(deadline);

        let response: Response = match result {
            Ok(response) => response.unchecked_into(),
            Err(_) if timed_out => {
                return Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!(
                        "no response from {} within {} ms",
                        request.url,
                        request.timeout.as_millis()
                    ),
                ));
            }
            Err(error) => {
                return Err(TransportError::new(
                    TransportErrorKind::Connection,
                    self.failure_message(request.url, &error),
                ));
            }
        };
        Ok(HttpResponse {
            status: response.status(),
            headers: response_headers(&response.headers()),
            body: FetchBody::new(response, controller, request.timeout),
        })
    }

    fn is_replayable(&self, _upload: &Upload) -> bool {
        true
    }

    async fn sleep(&self, duration: Duration) {
        global::sleep(duration).await;
    }

    fn now_unix_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// The method, headers and body of one attempt as a `RequestInit`.
fn request_init(request: &HttpRequest<'_, Upload>) -> Result<RequestInit, TransportError> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());

    let headers = Headers::new()
        .map_err(|error| js_error(TransportErrorKind::Other, "no Headers", &error))?;
    for (name, value) in request.headers {
        let value = value.to_str().map_err(|_| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("the value of `{name}` is not visible ASCII, which fetch cannot send"),
            )
        })?;
        headers
            .append(name.as_str(), value)
            .map_err(|error| js_error(TransportErrorKind::Other, "a header was refused", &error))?;
    }
    init.set_headers(&headers);

    match &request.body {
        RequestBody::Empty => {}
        RequestBody::Bytes(bytes) => init.set_body(&Uint8Array::from(bytes.as_ref())),
        RequestBody::Multipart { envelope, upload } => {
            let parts = Array::of3(
                &Uint8Array::from(envelope.head.as_slice()),
                &upload.blob,
                &Uint8Array::from(envelope.tail.as_slice()),
            );
            let body = Blob::new_with_blob_sequence(&parts).map_err(|error| {
                js_error(
                    TransportErrorKind::Body,
                    "cannot assemble the upload",
                    &error,
                )
            })?;
            init.set_body(&body);
        }
    }
    Ok(init)
}

/// The response headers as a `HeaderMap`; a header that is not a valid HTTP header is left out.
fn response_headers(headers: &Headers) -> HeaderMap {
    let mut map = HeaderMap::new();
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return map;
    };
    for entry in entries.flatten() {
        let pair: Array = entry.unchecked_into();
        let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
            continue;
        };
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            map.append(name, value);
        }
    }
    map
}

/// The message of a thrown JS value: an `Error`'s message (and its cause's), or its text.
pub(crate) fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        let mut message = String::from(error.message());
        let cause = error.cause();
        if !cause.is_undefined() && !cause.is_null() {
            message.push_str(": ");
            message.push_str(&js_message(&cause));
        }
        return message;
    }
    value
        .as_string()
        .unwrap_or_else(|| String::from(js_sys::JSON::stringify(value).unwrap_or_default()))
}

/// A transport error of `kind` with `context` and the thrown value's message.
pub(crate) fn js_error(kind: TransportErrorKind, context: &str, value: &JsValue) -> TransportError {
    TransportError::new(kind, format!("{context}: {}", js_message(value)))
}
