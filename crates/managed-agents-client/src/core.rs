//! The client and its send loop: headers, attempts, retries with backoff, tracing, decoding.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use managed_agents_types::endpoints::{API_VERSION, Body, Endpoint, Request};
use managed_agents_types::files::MultipartEnvelope;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::{ClientConfig, Credentials, RequestOptions};
use crate::error::{ApiError, ConfigError, Error};
use crate::retry::{self, Outcome};
use crate::transport::{
    HttpRequest, HttpResponse, RequestBody, ResponseBody, Transport, TransportErrorKind,
};

/// A client of the Managed Agents API over the transport `T`.
///
/// Cloning is cheap: clones share the settings and the transport. Calls are grouped as the
/// API is: [`Client::environments`], [`Client::sessions`] (and its
/// [`resources`](crate::sessions::Sessions::resources)), [`Client::files`], [`Client::agents`],
/// [`Client::vaults`] and [`Client::memory_stores`].
pub struct Client<T: Transport> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    config: ClientConfig,
    transport: T,
    /// The headers every request carries: credentials, version, default headers.
    headers: HeaderMap,
}

impl<T: Transport> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T: Transport> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T> {
    /// A client with these settings over `transport`. Fails when a credential or a default
    /// header cannot be sent as an HTTP header.
    pub fn with_transport(config: ClientConfig, transport: T) -> Result<Self, Error> {
        let headers = base_headers(&config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                transport,
                headers,
            }),
        })
    }

    /// The client's settings.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends `endpoint` and decodes its answer.
    pub(crate) async fn call<O: DeserializeOwned>(
        &self,
        endpoint: Endpoint<O>,
        options: &RequestOptions,
    ) -> Result<O, Error> {
        let response = self.send(&endpoint.request, options, None).await?;
        let request_id = header_string(&response.headers, "request-id");
        let body = response.body.bytes().await.map_err(Error::from_transport)?;
        endpoint
            .decode(&body)
            .map_err(|source| Error::Decode { source, request_id })
    }

    /// Sends `request`, retrying as spec section 9 says, and returns the first success
    /// response with its body unread. `upload` is the content of a multipart request.
    pub(crate) async fn send(
        &self,
        request: &Request,
        options: &RequestOptions,
        upload: Option<&mut T::Upload>,
    ) -> Result<HttpResponse<T::Body>, Error> {
        let span = tracing::debug_span!(
            "request",
            method = request.method.as_str(),
            path = request.path.as_str()
        );
        self.send_attempts(request, options, upload)
            .instrument(span)
            .await
    }

    async fn send_attempts(
        &self,
        request: &Request,
        options: &RequestOptions,
        mut upload: Option<&mut T::Upload>,
    ) -> Result<HttpResponse<T::Body>, Error> {
        let transport = &self.inner.transport;
        let config = &self.inner.config;
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let timeout = options.timeout.unwrap_or(config.timeout);
        check_base_url(&config.base_url)?;
        let url = format!("{}{}", config.base_url, request.path_and_query());
        let envelope = match &request.body {
            Body::Multipart(params) => Some(MultipartEnvelope::new(params, &self.boundary())),
            _ => None,
        };
        let headers = self.request_headers(request, options, envelope.as_ref())?;
        let json = match &request.body {
            Body::Json(bytes) => Bytes::copy_from_slice(bytes),
            _ => Bytes::new(),
        };
        if envelope.is_some() && upload.is_none() {
            return Err(ConfigError("an upload needs its content".to_owned()).into());
        }

        let mut retries = 0;
        loop {
            let attempt = retries + 1;
            let body = match (&request.body, &envelope, upload.as_deref_mut()) {
                (Body::Json(_), _, _) => RequestBody::Bytes(json.clone()),
                (Body::Multipart(_), Some(envelope), Some(upload)) => {
                    RequestBody::Multipart { envelope, upload }
                }
                _ => RequestBody::Empty,
            };
            let result = transport
                .send(HttpRequest {
                    method: request.method,
                    url: &url,
                    headers: &headers,
                    body,
                    timeout,
                })
                .await;
            let replayable = upload
                .as_deref()
                .is_none_or(|upload| transport.is_replayable(upload));
            let may_retry = retries < max_retries && replayable;

            match result {
                Ok(response) if (200..300).contains(&response.status) => {
                    trace_attempt(request, attempt, Some(&response), None);
                    return Ok(response);
                }
                Ok(response) => {
                    trace_attempt(request, attempt, Some(&response), None);
                    let retry = may_retry
                        && retry::is_retryable(Outcome::Status(response.status, &response.headers));
                    let HttpResponse {
                        status,
                        headers: response_headers,
                        body,
                    } = response;
                    let body = body.bytes().await.unwrap_or_default();
                    if !retry {
                        let error = ApiError::from_response(status, response_headers, body);
                        return Err(Error::Api(Box::new(error)));
                    }
                    self.pause(Some(&response_headers), retries).await;
                }
                Err(error) => {
                    trace_attempt::<T::Body>(request, attempt, None, Some(error.kind()));
                    let outcome = match error.kind() {
                        TransportErrorKind::Connection => Some(Outcome::Connection),
                        TransportErrorKind::Timeout => Some(Outcome::Timeout),
                        _ => None,
                    };
                    let retry = may_retry && outcome.is_some_and(retry::is_retryable);
                    if !retry {
                        return Err(Error::from_transport(error));
                    }
                    self.pause(None, retries).await;
                }
            }
            retries += 1;
        }
    }

    async fn pause(&self, headers: Option<&HeaderMap>, retries: u32) {
        let transport = &self.inner.transport;
        let delay = retry::delay(
            headers,
            retries,
            transport.now_unix_ms(),
            transport.random(),
        );
        tracing::debug!(
            retry = retries + 1,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
        transport.sleep(delay).await;
    }

    fn boundary(&self) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let random: String = (0..32)
            .map(|_| {
                let index = (self.inner.transport.random() * ALPHABET.len() as f64) as usize;
                ALPHABET[index.min(ALPHABET.len() - 1)] as char
            })
            .collect();
        format!("managed-agents-{random}")
    }

    fn request_headers(
        &self,
        request: &Request,
        options: &RequestOptions,
        envelope: Option<&MultipartEnvelope>,
    ) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.headers.clone();
        let extra_betas = self
            .inner
            .config
            .betas
            .iter()
            .chain(&options.betas)
            .map(String::as_str);
        if let Some(beta) = request.beta_header(extra_betas) {
            headers.insert("anthropic-beta", header_value("anthropic-beta", &beta)?);
        }
        let content_type = match (&request.body, envelope) {
            (Body::Json(_), _) => Some("application/json".to_owned()),
            (Body::Multipart(_), Some(envelope)) => Some(envelope.content_type()),
            _ => None,
        };
        if let Some(content_type) = content_type {
            headers.insert(
                http::header::CONTENT_TYPE,
                header_value("content-type", &content_type)?,
            );
        }
        for (name, value) in &options.headers {
            headers.insert(header_name(name)?, header_value(name, value)?);
        }
        Ok(headers)
    }
}

/// The headers of every request: credentials, version, accept, then the default headers.
fn base_headers(config: &ClientConfig) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let (name, value) = match &config.credentials {
        Credentials::ApiKey(key) => ("x-api-key", key.expose().to_owned()),
        Credentials::BearerToken(token) => ("authorization", format!("Bearer {}", token.expose())),
    };
    let mut value = HeaderValue::from_str(&value)
        .map_err(|_| ConfigError(format!("the credential cannot be sent as `{name}`")))?;
    value.set_sensitive(true);
    headers.insert(name, value);
    headers.insert("anthropic-version", HeaderValue::from_static(API_VERSION));
    headers.insert(
        http::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in &config.default_headers {
        headers.insert(header_name(name)?, header_value(name, value)?);
    }
    Ok(headers)
}

/// Fails unless `base_url` is an `http` or `https` URL with a host and nothing that a URL
/// cannot hold, so that a malformed setting is a configuration error at once rather than a
/// connection error retried with backoff. A base URL with credentials (`user:password@`), a
/// query or a fragment is refused without being repeated, since those parts can hold secrets.
fn check_base_url(base_url: &str) -> Result<(), Error> {
    let refuse = |why: &str| -> Result<(), Error> { Err(ConfigError(why.to_owned()).into()) };
    // The scheme is case-insensitive; an `@` anywhere is taken as credentials, whatever the
    // URL's shape, so that a malformed URL holding a password is never repeated either.
    let scheme_end = base_url.find("://").map(|index| index + 3);
    let rest = scheme_end
        .filter(|&end| {
            matches!(
                base_url[..end].to_ascii_lowercase().as_str(),
                "http://" | "https://"
            )
        })
        .map(|end| &base_url[end..]);
    let authority = rest.and_then(|rest| rest.split(['/', '?', '#']).next());
    if base_url.contains('@') {
        return refuse(
            "the base URL carries credentials (`user:password@`); pass the API key or token \
             through the client's credentials instead",
        );
    }
    if base_url.contains(['?', '#']) {
        return refuse(
            "the base URL carries a query or a fragment; give only scheme, host and path",
        );
    }
    let well_formed = authority.is_some_and(|host| !host.is_empty())
        && !base_url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'));
    if well_formed {
        Ok(())
    } else {
        refuse(&format!(
            "the base URL `{base_url}` is not an http:// or https:// URL with a host"
        ))
    }
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::try_from(name)
        .map_err(|_| ConfigError(format!("`{name}` is not a valid header name")).into())
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| ConfigError(format!("the value of `{name}` is not a valid header value")))?;
    value.set_sensitive(true);
    Ok(value)
}

pub(crate) fn header_string(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// One tracing event per attempt; it carries no header value and no body.
fn trace_attempt<B>(
    request: &Request,
    attempt: u32,
    response: Option<&HttpResponse<B>>,
    failure: Option<TransportErrorKind>,
) {
    let status = response.map(|response| response.status);
    let request_id = response.and_then(|response| header_string(&response.headers, "request-id"));
    tracing::debug!(
        method = request.method.as_str(),
        path = request.path.as_str(),
        attempt,
        status,
        request_id = request_id.as_deref(),
        failure = failure.map(|kind| format!("{kind:?}")),
        "attempt"
    );
}

/// Declares a handle for one group of endpoints, holding the client and per-call options.
macro_rules! resource_group {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        pub struct $name<'a, T: $crate::transport::Transport> {
            pub(crate) client: &'a $crate::core::Client<T>,
            pub(crate) options: $crate::config::RequestOptions,
        }

        impl<'a, T: $crate::transport::Transport> $name<'a, T> {
            pub(crate) fn new(
                client: &'a $crate::core::Client<T>,
                options: $crate::config::RequestOptions,
            ) -> Self {
                Self { client, options }
            }

            /// The same handle with `options` applied to every call made through it.
            pub fn with_options(mut self, options: $crate::config::RequestOptions) -> Self {
                self.options = options;
                self
            }
        }

        impl<T: $crate::transport::Transport> std::fmt::Debug for $name<'_, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("options", &self.options).finish()
            }
        }
    };
}
pub(crate) use resource_group;

/// Declares the create, list, retrieve, update and archive calls that environments, agents,
/// vaults and memory stores share, over the types crate's endpoint module `$endpoints`.
macro_rules! object_calls {
    (
        group: $group:ident,
        endpoints: $endpoints:path,
        id: $id:ty,
        object: $object:ty,
        create: $create:ty,
        update: $update:ty,
        list: $list:ty,
        noun: $noun:literal $(,)?
    ) => {
        impl<T: $crate::transport::Transport> $group<'_, T> {
            #[doc = concat!("Creates ", $noun, ". The parameters are validated before sending.")]
            pub async fn create(&self, params: &$create) -> Result<$object, $crate::Error> {
                use $endpoints as endpoints;
                self.client
                    .call(endpoints::create(params)?, &self.options)
                    .await
            }

            #[doc = concat!("Retrieves ", $noun, " by ID.")]
            pub async fn retrieve(&self, id: &$id) -> Result<$object, $crate::Error> {
                use $endpoints as endpoints;
                self.client
                    .call(endpoints::retrieve(id)?, &self.options)
                    .await
            }

            #[doc = concat!("Updates ", $noun, "; omitted fields keep their values.")]
            pub async fn update(
                &self,
                id: &$id,
                params: &$update,
            ) -> Result<$object, $crate::Error> {
                use $endpoints as endpoints;
                self.client
                    .call(endpoints::update(id, params)?, &self.options)
                    .await
            }

            #[doc = concat!("Archives ", $noun, "; archiving cannot be undone.")]
            pub async fn archive(&self, id: &$id) -> Result<$object, $crate::Error> {
                use $endpoints as endpoints;
                self.client
                    .call(endpoints::archive(id)?, &self.options)
                    .await
            }

            /// One page of the list, starting where `params.cursor` says; see also
            /// [`Self::list_stream`].
            pub async fn list(
                &self,
                params: &$list,
            ) -> Result<managed_agents_types::Page<$object>, $crate::Error> {
                use $endpoints as endpoints;
                self.client
                    .call(endpoints::list(params)?, &self.options)
                    .await
            }

            /// Every item of the list from `params.cursor` on, fetching pages lazily as the
            /// stream is polled, in either envelope. A page the server cannot continue (a
            /// repeated cursor, `has_more` without `last_id`) ends it with an error.
            ///
            /// ```no_run
            /// # async fn example(client: managed_agents_client::NativeClient)
            /// #     -> Result<(), managed_agents_client::Error> {
            /// use futures_util::TryStreamExt;
            ///
            /// let stream = client.environments().list_stream(&Default::default());
            /// let mut stream = std::pin::pin!(stream);
            /// while let Some(environment) = stream.try_next().await? {
            ///     println!("{}", environment.name);
            /// }
            /// # Ok(()) }
            /// ```
            pub fn list_stream(
                &self,
                params: &$list,
            ) -> impl futures_core::Stream<Item = Result<$object, $crate::Error>>
            + $crate::transport::MaybeSend
            + 'static {
                use $endpoints as endpoints;
                $crate::pagination::list_stream(self.client, &self.options, params, endpoints::list)
            }
        }
    };
}
pub(crate) use object_calls;
