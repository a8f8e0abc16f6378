//! The client's one error type: API errors with everything needed to debug them, and the
//! failures that happen before or after the API answers.

use http::HeaderMap;
use managed_agents_types::error::ErrorResponse;
use managed_agents_types::{DecodeError, ErrorType, PaginationError, ValidationError};

use crate::transport::{TransportError, TransportErrorKind};

/// Everything that can go wrong in a call.
///
/// `Display` is one short line; the detail (the server's message, the failing field, the
/// underlying I/O error) is in [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error("the API answered {}", .0.summary())]
    Api(#[source] Box<ApiError>),
    /// The connection failed or broke before an answer arrived.
    #[error("connection error")]
    Connection(#[source] TransportError),
    /// An attempt took longer than its timeout.
    #[error("request timed out")]
    Timeout(#[source] TransportError),
    /// A success answer did not decode into the expected type.
    #[error("unexpected response body (request {})", .request_id.as_deref().unwrap_or("unknown"))]
    Decode {
        /// The failure, with the JSON path of the failing field.
        #[source]
        source: DecodeError,
        /// The `request-id` of the answer.
        request_id: Option<String>,
    },
    /// The request broke a documented rule and was not sent.
    #[error("invalid request")]
    Validation(#[source] ValidationError),
    /// A list could not be followed: the server repeated a cursor or left one out.
    #[error("cannot follow the list")]
    Pagination(#[source] PaginationError),
    /// A local file could not be read or written.
    #[error("file error at {path}")]
    Io {
        /// The file or folder concerned.
        path: String,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// The client is missing a setting or has an invalid one (for example no API key).
    #[error("client configuration error")]
    Config(#[source] ConfigError),
    /// The transport failed in another way (for example reading an upload's content).
    #[error("transport error")]
    Transport(#[source] TransportError),
    /// A download delivered a different number of bytes than the file's `size_bytes`: the
    /// content is incomplete (or longer than announced) and was not kept.
    #[error("the download delivered {received} bytes, but the file has {expected} bytes")]
    SizeMismatch {
        /// The file's `size_bytes`.
        expected: u64,
        /// The bytes the download delivered.
        received: u64,
    },
}

impl Error {
    /// True when a retry could succeed: connection errors, timeouts, and API errors whose
    /// status the retry policy retries (with `x-should-retry` taken into account).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(error) => crate::retry::status_is_retryable(error.status, &error.headers),
            Self::Connection(_) | Self::Timeout(_) => true,
            _ => false,
        }
    }

    /// True when an attempt timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(error) => Some(error.status),
            _ => None,
        }
    }

    /// The API error, when the API answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }

    pub(crate) fn from_transport(error: TransportError) -> Self {
        match error.kind() {
            TransportErrorKind::Connection => Self::Connection(error),
            TransportErrorKind::Timeout => Self::Timeout(error),
            _ => Self::Transport(error),
        }
    }
}

/// A transport failure as the client reports it: a connection failure or a timeout keeps its
/// kind (and so counts as retryable), anything else is [`Error::Transport`].
impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        Self::from_transport(error)
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Self::Validation(error)
    }
}

impl From<PaginationError> for Error {
    fn from(error: PaginationError) -> Self {
        Self::Pagination(error)
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}

/// An error status from the API, with everything the answer carried.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The `error.type` of the body, when the body was the error envelope.
    pub error_type: Option<ErrorType>,
    /// The `error.message` of the body, or the body as text when it was not the envelope.
    pub message: String,
    /// The `request-id` header (or the body's `request_id`).
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw response body.
    pub body: bytes::Bytes,
}

impl ApiError {
    /// Builds the error from a response's status, headers and body.
    pub fn from_response(status: u16, headers: HeaderMap, body: bytes::Bytes) -> Self {
        let envelope: Option<ErrorResponse> = serde_json::from_slice(&body).ok();
        let header_id = headers
            .get("request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let (error_type, message, body_id) = match envelope {
            Some(envelope) => (
                Some(envelope.error.error_type),
                envelope.error.message,
                envelope.request_id,
            ),
            None => (None, String::from_utf8_lossy(&body).into_owned(), None),
        };
        Self {
            status,
            error_type,
            message,
            request_id: header_id.or(body_id),
            headers,
            body,
        }
    }

    fn summary(&self) -> String {
        let mut summary = self.status.to_string();
        if let Some(error_type) = &self.error_type {
            summary.push_str(&format!(" {}", error_type.as_str()));
        }
        if !self.message.is_empty() {
            let message: String = self.message.chars().take(300).collect();
            summary.push_str(&format!(": {message}"));
        }
        if let Some(request_id) = &self.request_id {
            summary.push_str(&format!(" (request {request_id})"));
        }
        summary
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// A missing or invalid client setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn api_errors_keep_the_envelope() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", "req_1".parse().unwrap());
        let body = br#"{"type":"error","error":{"type":"not_found_error","message":"no such env"},
            "request_id":"req_1"}"#;
        let error = Error::Api(Box::new(ApiError::from_response(
            404,
            headers,
            bytes::Bytes::from_static(body),
        )));
        assert_eq!(
            error.to_string(),
            "the API answered 404 not_found_error: no such env (request req_1)"
        );
        assert_eq!(error.source().unwrap().to_string(), "no such env");
        assert_eq!(error.api().unwrap().error_type, Some(ErrorType::NotFound));
        assert!(!error.is_retryable());
    }

    #[test]
    fn unknown_error_types_and_plain_bodies_are_kept() {
        let body = br#"{"type":"error","error":{"type":"brand_new_error","message":"m"}}"#;
        let error = ApiError::from_response(503, HeaderMap::new(), bytes::Bytes::from_static(body));
        assert_eq!(error.error_type.unwrap().as_str(), "brand_new_error");
        let error = ApiError::from_response(502, HeaderMap::new(), "bad gateway".into());
        assert_eq!(
            (error.error_type, error.message.as_str()),
            (None, "bad gateway")
        );
    }
}
