//! The error envelope every failed request answers with (spec section 1.2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

open_enum! {
    /// The `error.type` of a failed request; an open set.
    pub enum ErrorType {
        /// 400 and other client errors.
        InvalidRequest = "invalid_request_error",
        /// 401.
        Authentication = "authentication_error",
        /// 402.
        Billing = "billing_error",
        /// 403.
        Permission = "permission_error",
        /// 404.
        NotFound = "not_found_error",
        /// 409 in newer servers.
        Conflict = "conflict_error",
        /// 413.
        RequestTooLarge = "request_too_large",
        /// 429.
        RateLimit = "rate_limit_error",
        /// 500.
        Api = "api_error",
        /// 504.
        Timeout = "timeout_error",
        /// 529.
        Overloaded = "overloaded_error",
    }
}

/// `{"type":"error","error":{"type":…,"message":…},"request_id":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorResponse {
    /// Always `error`.
    #[serde(rename = "type")]
    #[schemars(extend("const" = "error"))]
    pub object_type: String,
    /// What went wrong.
    pub error: ErrorDetail,
    /// The request's ID, as in the `request-id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The `error` member of the error envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorDetail {
    /// The error type.
    #[serde(rename = "type")]
    pub error_type: ErrorType,
    /// A message for people.
    pub message: String,
}

impl ErrorResponse {
    /// Builds an error envelope.
    pub fn new(
        error_type: ErrorType,
        message: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            object_type: "error".to_owned(),
            error: ErrorDetail {
                error_type,
                message: message.into(),
            },
            request_id,
        }
    }
}
