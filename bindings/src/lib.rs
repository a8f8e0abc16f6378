//! The Managed Agents client as one wasm module: the low-level exports that the npm package's
//! JavaScript (`bindings/js/`) wraps into an API shaped like the official TypeScript SDK.
//!
//! Values cross the boundary as JSON text in both directions, so JavaScript sees exactly the
//! wire shape (plain objects, numbers) after one `JSON.parse`, and the wasm carries no
//! per-type conversion code. Files cross as a `Blob` (upload) and a `Response` (download), so
//! their content never enters wasm memory.
//!
//! Every call goes through the same client core as on native (`managed-agents-client`) over the
//! fetch transport (`managed-agents-fetch`): validation, retries, pagination and errors are
//! the very same code.

#![cfg(target_arch = "wasm32")]

mod dispatch;
mod error;
mod fields;
mod lists;
mod options;

use managed_agents_client::Client;
use managed_agents_fetch::FetchTransport;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;

pub use lists::ItemStream;

use crate::error::{BindingError, into_js};

/// A client: settings, credentials and the fetch transport. The JS glue makes one per
/// `ManagedAgents` object.
#[wasm_bindgen]
pub struct WasmClient {
    client: Client<FetchTransport>,
}

#[wasm_bindgen]
impl WasmClient {
    /// A client from the JSON text of the JS options (`apiKey`, `authToken`, `baseURL`,
    /// `maxRetries`, `timeout` in milliseconds, `defaultHeaders`, `betas`,
    /// `dangerouslyAllowBrowser`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<WasmClient, JsValue> {
        let options = options::ClientOptions::parse(options).map_err(into_js)?;
        let transport = FetchTransport::new().with_browser_access(options.browser_access());
        let config = options.into_config().map_err(into_js)?;
        let client = Client::with_transport(config, transport)
            .map_err(|error| into_js(BindingError::Client(error)))?;
        Ok(Self { client })
    }

    /// Calls `operation` (for example `environments.create`) and resolves to the answer as
    /// JSON text. `id` and `session_id` are the path IDs the operation needs, `params` the
    /// JSON text of its body or query, `options` the JSON text of per-call options.
    pub fn call(
        &self,
        operation: &str,
        id: Option<String>,
        session_id: Option<String>,
        params: Option<String>,
        options: Option<String>,
    ) -> js_sys::Promise {
        let prepared = dispatch::prepare(dispatch::Call {
            operation,
            id: id.as_deref(),
            session_id: session_id.as_deref(),
            params: params.as_deref(),
            options: options.as_deref(),
        });
        let client = self.client.clone();
        future_to_promise(async move {
            let (request, options) = prepared.map_err(into_js)?;
            let json = client.call_raw(request, &options).await;
            json.map(|json| JsValue::from_str(json.get()))
                .map_err(|error| into_js(BindingError::Client(error)))
        })
    }

    /// Every item of the list `operation` (for example `sessions.resources.list`), fetched
    /// page by page as the stream is read.
    pub fn list(
        &self,
        operation: &str,
        session_id: Option<String>,
        params: Option<String>,
        options: Option<String>,
    ) -> Result<ItemStream, JsValue> {
        lists::open(
            &self.client,
            operation,
            session_id.as_deref(),
            params.as_deref(),
            options.as_deref(),
        )
        .map_err(into_js)
    }

    /// Uploads `content` (a `Blob` or `File`) named `filename`; resolves to the file object as
    /// JSON text. The content goes to `fetch` as a `Blob`, never through wasm memory.
    pub fn upload(
        &self,
        filename: String,
        mime_type: Option<String>,
        content: web_sys::Blob,
        options: Option<String>,
    ) -> js_sys::Promise {
        files::upload(self.client.clone(), filename, mime_type, content, options)
    }

    /// Downloads a file; resolves to its bytes as a `Uint8Array` over a JavaScript
    /// `ArrayBuffer` (the content never enters wasm memory). Each wait for the body is bounded
    /// by the attempt's timeout.
    pub fn download(&self, id: Option<String>, options: Option<String>) -> js_sys::Promise {
        files::download(self.client.clone(), id, options)
    }
}

/// Uploads and downloads in a build without the `files` feature: both reject.
#[cfg(not(feature = "files"))]
mod files {
    use managed_agents_client::Client;
    use managed_agents_fetch::FetchTransport;

    use crate::error::into_js;

    /// Rejects: files are not in this build.
    pub(crate) fn upload(
        _client: Client<FetchTransport>,
        _filename: String,
        _mime_type: Option<String>,
        _content: web_sys::Blob,
        _options: Option<String>,
    ) -> js_sys::Promise {
        unavailable()
    }

    /// Rejects: files are not in this build.
    pub(crate) fn download(
        _client: Client<FetchTransport>,
        _id: Option<String>,
        _options: Option<String>,
    ) -> js_sys::Promise {
        unavailable()
    }

    fn unavailable() -> js_sys::Promise {
        let error = crate::error::BindingError::Unavailable {
            group: "files",
            feature: "files",
        };
        js_sys::Promise::reject(&into_js(error))
    }
}

/// Uploads and downloads, compiled in with the `files` feature.
#[cfg(feature = "files")]
mod files {
    use managed_agents_client::Client;
    use managed_agents_fetch::{FetchTransport, Upload};
    use managed_agents_types::endpoints;
    use managed_agents_types::files::FileUploadParams;
    use managed_agents_types::ids::FileId;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::future_to_promise;

    use crate::error::{BindingError, into_js};
    use crate::options;

    /// Uploads `content` named `filename` (see [`crate::WasmClient::upload`]).
    pub(crate) fn upload(
        client: Client<FetchTransport>,
        filename: String,
        mime_type: Option<String>,
        content: web_sys::Blob,
        options: Option<String>,
    ) -> js_sys::Promise {
        future_to_promise(async move {
            let options = options::request_options(options.as_deref()).map_err(into_js)?;
            let params = FileUploadParams {
                filename,
                mime_type: mime_type.filter(|mime| !mime.is_empty()),
            };
            let endpoint = endpoints::files::upload(&params)
                .map_err(|error| into_js(BindingError::Client(error.into())))?;
            let mut content = Upload::from_blob(content);
            let file = client
                .upload_raw(endpoint, &mut content, &options)
                .await
                .map_err(|error| into_js(BindingError::Client(error)))?;
            Ok(JsValue::from_str(file.get()))
        })
    }

    /// Starts downloading the file `id` (see [`crate::WasmClient::download`]).
    pub(crate) fn download(
        client: Client<FetchTransport>,
        id: Option<String>,
        options: Option<String>,
    ) -> js_sys::Promise {
        future_to_promise(async move {
            let options = options::request_options(options.as_deref()).map_err(into_js)?;
            let id = id
                .ok_or_else(|| BindingError::argument("file_id", "this call needs an ID"))
                .and_then(|id| FileId::new(id).map_err(|error| BindingError::id("file_id", error)))
                .map_err(into_js)?;
            let download = client
                .files()
                .with_options(options)
                .download(&id)
                .await
                .map_err(|error| into_js(BindingError::Client(error)))?;
            let buffer = download
                .body
                .array_buffer()
                .await
                .map_err(|error| into_js(BindingError::Client(error.into())))?;
            Ok(js_sys::Uint8Array::new(&buffer).into())
        })
    }
}
