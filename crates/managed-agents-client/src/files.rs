//! The Files API: uploads streamed from the transport's source, downloads streamed to the
//! caller, and a session's outputs (spec section 8).
//!
//! Uploads take the transport's [`Transport::Upload`] (see the native transport for paths,
//! bytes and readers); the multipart head and tail come from the types crate's
//! [`MultipartEnvelope`](managed_agents_types::files::MultipartEnvelope), so the content is
//! streamed between them with a known length.

use std::time::Duration;

use futures_core::Stream;
use managed_agents_types::Page;
use managed_agents_types::common::Deleted;
use managed_agents_types::endpoints::files as endpoints;
use managed_agents_types::files::{FileListParams, FileObject, FileUploadParams};
use managed_agents_types::ids::{FileId, SessionId};

use crate::core::{header_string, resource_group};
use crate::error::Error;
use crate::transport::{MaybeSend, ResponseBody, Transport};

/// How often an empty session outputs list is asked again (spec section 8: outputs can
/// appear 1 to 3 seconds after a session goes idle).
pub const OUTPUTS_RETRIES: u32 = 2;
/// The wait between those attempts.
pub const OUTPUTS_RETRY_DELAY: Duration = Duration::from_millis(1500);

resource_group! {
    /// The `/v1/files` calls, from [`Client::files`](crate::Client::files).
    ///
    /// ```no_run
    /// # async fn example(client: managed_agents_client::NativeClient,
    /// #     session: managed_agents_types::SessionId)
    /// #     -> Result<(), managed_agents_client::Error> {
    /// let file = client.files().upload_path("reports/Grüner Baum – 報告.pdf", None).await?;
    /// assert_eq!(file.filename, "Grüner Baum – 報告.pdf");
    /// for saved in client.files().download_session_outputs(&session, "outputs").await? {
    ///     println!("{} -> {}", saved.file.filename, saved.path.display());
    /// }
    /// # Ok(()) }
    /// ```
    Files
}

/// A download in progress: the response head, and the body to stream.
#[derive(Debug)]
pub struct Download<B> {
    /// The `content-type` of the file.
    pub content_type: Option<String>,
    /// The `content-length`, when the server sent one.
    pub content_length: Option<u64>,
    /// The `request-id` of the answer.
    pub request_id: Option<String>,
    /// The body; read it with [`ResponseBody::chunk`].
    pub body: B,
}

impl<T: Transport> Files<'_, T> {
    /// Uploads a file: `params` gives the name (kept byte for byte) and the content type
    /// (guessed from the name when unset), `content` the bytes in the transport's form.
    /// A replayable content is sent again whole on a retry; a one-shot one is never retried.
    pub async fn upload(
        &self,
        params: &FileUploadParams,
        mut content: T::Upload,
    ) -> Result<FileObject, Error> {
        let endpoint = endpoints::upload(params)?;
        let response = self
            .client
            .send(&endpoint.request, &self.options, Some(&mut content))
            .await?;
        let request_id = header_string(&response.headers, "request-id");
        let body = response.body.bytes().await.map_err(Error::from_transport)?;
        endpoint
            .decode(&body)
            .map_err(|source| Error::Decode { source, request_id })
    }

    /// One page of files; with `scope_id`, exactly one session's files.
    pub async fn list(&self, params: &FileListParams) -> Result<Page<FileObject>, Error> {
        self.client
            .call(endpoints::list(params)?, &self.options)
            .await
    }

    /// Every file matching `params`, fetching pages lazily.
    pub fn list_stream(
        &self,
        params: &FileListParams,
    ) -> impl Stream<Item = Result<FileObject, Error>> + MaybeSend + 'static {
        crate::pagination::list_stream(self.client, &self.options, params, endpoints::list)
    }

    /// A file's metadata.
    pub async fn retrieve(&self, id: &FileId) -> Result<FileObject, Error> {
        self.client
            .call(endpoints::retrieve(id)?, &self.options)
            .await
    }

    /// Deletes a file.
    pub async fn delete(&self, id: &FileId) -> Result<Deleted, Error> {
        self.client
            .call(endpoints::delete(id)?, &self.options)
            .await
    }

    /// Starts downloading a file's content; stream it from [`Download::body`]. Failures
    /// before the body starts are retried like any request.
    pub async fn download(&self, id: &FileId) -> Result<Download<T::Body>, Error> {
        let request = endpoints::download(id)?;
        let options = self.options.clone().header("accept", "*/*");
        let response = self.client.send(&request, &options, None).await?;
        let header = |name| header_string(&response.headers, name);
        Ok(Download {
            content_type: header("content-type"),
            content_length: header("content-length").and_then(|value| value.parse().ok()),
            request_id: header("request-id"),
            body: response.body,
        })
    }

    /// A file's whole content in memory; prefer [`Self::download`] for large files.
    pub async fn download_bytes(&self, id: &FileId) -> Result<bytes::Bytes, Error> {
        let download = self.download(id).await?;
        download.body.bytes().await.map_err(Error::from_transport)
    }

    /// Every file a session wrote to its outputs folder. An empty list is asked again up to
    /// [`OUTPUTS_RETRIES`] times, as outputs can appear shortly after a session goes idle.
    pub async fn session_outputs(&self, session: &SessionId) -> Result<Vec<FileObject>, Error> {
        let params = FileListParams {
            scope_id: Some(session.clone()),
            ..Default::default()
        };
        let mut attempts = 0;
        loop {
            let files = collect(self.list_stream(&params)).await?;
            if !files.is_empty() || attempts == OUTPUTS_RETRIES {
                return Ok(files);
            }
            attempts += 1;
            self.client.transport().sleep(OUTPUTS_RETRY_DELAY).await;
        }
    }
}

/// Collects a stream of results, stopping at the first error.
async fn collect<I>(stream: impl Stream<Item = Result<I, Error>>) -> Result<Vec<I>, Error> {
    use futures_util::TryStreamExt;
    stream.try_collect().await
}
