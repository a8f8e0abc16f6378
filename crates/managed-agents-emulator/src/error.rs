//! The crate's error type and the API error answered to clients.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use managed_agents_types::{ErrorResponse, ErrorType, ValidationError};

/// Why the emulator could not start or run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// A file or socket operation failed.
    #[error("{context}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be opened or read.
    #[error("{context}")]
    Database {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// Another emulator process holds the lock on the data folder. Two processes on one
    /// folder would remove each other's uploads, so the second one does not start.
    #[error(
        "the data folder {} is in use by another emulator process; stop that process or \
         choose another folder",
        data_dir.display()
    )]
    DataDirInUse {
        /// The data folder.
        data_dir: std::path::PathBuf,
    },
    /// A configuration value is unusable, such as a fault plan file that does not parse.
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// An error answered to a client: a status, the error envelope and extra headers. The request
/// ID is filled in by the gateway on the way out.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) error_type: ErrorType,
    pub(crate) message: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type: error_type_for(status),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("{kind} `{id}` was not found"),
        )
    }

    /// A 413 `request_too_large`, answered before the rest of the body is read; the gateway
    /// then reads and discards that rest (bounded, see `crate::drain`) and the connection is
    /// closed.
    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message).with_header("connection", "close")
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(crate) fn with_type(mut self, error_type: ErrorType) -> Self {
        self.error_type = error_type;
        self
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }
}

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        Self::invalid(error.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        tracing::error!(%error, "database error");
        Self::internal("the emulator's database failed; see its log")
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> Self {
        tracing::error!(%error, "file system error");
        Self::internal("the emulator could not read or write its files; see its log")
    }
}

/// The error type the API uses for a status.
pub(crate) fn error_type_for(status: StatusCode) -> ErrorType {
    match status.as_u16() {
        401 => ErrorType::Authentication,
        402 => ErrorType::Billing,
        403 => ErrorType::Permission,
        404 => ErrorType::NotFound,
        413 => ErrorType::RequestTooLarge,
        429 => ErrorType::RateLimit,
        504 => ErrorType::Timeout,
        529 => ErrorType::Overloaded,
        code if code >= 500 => ErrorType::Api,
        _ => ErrorType::InvalidRequest,
    }
}

/// Marks a response as an error whose body the gateway writes, with the request ID in it.
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub(crate) ErrorResponse);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
            .extensions_mut()
            .insert(PendingError(ErrorResponse::new(
                self.error_type,
                self.message,
                None,
            )));
        response
    }
}
