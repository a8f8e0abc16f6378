//! The crate's one error type, and how an error crosses to JavaScript: a plain object the JS
//! glue turns into the matching `Error` class.

use std::error::Error as _;

use js_sys::{Object, Reflect};
use managed_agents_client::Error as ClientError;
use managed_agents_types::IdError;
use wasm_bindgen::JsValue;

/// Everything that can go wrong in a binding call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum BindingError {
    /// The client core failed: an API error, a connection failure, a timeout, validation.
    #[error(transparent)]
    Client(ClientError),
    /// An argument from JavaScript is not what the operation takes.
    #[error("invalid argument `{field}`: {message}")]
    Argument {
        /// The argument or the JSON path inside it.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The call's resource group was left out of this build (its cargo feature is off).
    #[error(
        "`{group}` is not in this build of the package: it was built without the cargo \
         feature `{feature}`"
    )]
    Unavailable {
        /// The group as JavaScript names it, for example `memoryStores`.
        group: &'static str,
        /// The cargo feature that adds it.
        feature: &'static str,
    },
}

impl BindingError {
    /// An argument error for `field`.
    pub(crate) fn argument(field: impl Into<String>, message: impl ToString) -> Self {
        Self::Argument {
            field: field.into(),
            message: message.to_string(),
        }
    }

    /// An ID that is not well formed.
    pub(crate) fn id(field: &str, error: IdError) -> Self {
        Self::argument(field, error)
    }

    /// What the JS glue needs to build its error: the kind and every detail, as a plain
    /// object built directly (no JSON text in between).
    fn to_js(&self) -> Object {
        let fields = Object::new();
        set(&fields, "message", &full_message(self).into());
        let kind = match self {
            Self::Argument { field, .. } => {
                set(&fields, "field", &field.into());
                "invalid_argument"
            }
            Self::Client(error) => client_kind(error, &fields),
            Self::Unavailable { .. } => "unavailable",
        };
        set(&fields, "kind", &kind.into());
        fields
    }
}

/// Sets `object[key]`; setting a property of a plain object cannot fail.
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

/// A string, or `null` when there is none.
fn string_or_null(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// The kind of a client error, with the details of an API error added to `fields`.
fn client_kind(error: &ClientError, fields: &Object) -> &'static str {
    match error {
        ClientError::Api(api) => {
            set(fields, "status", &api.status.into());
            let error_type = api.error_type.as_ref().map(|kind| kind.as_str());
            set(fields, "type", &string_or_null(error_type));
            set(fields, "error_message", &api.message.as_str().into());
            set(
                fields,
                "request_id",
                &string_or_null(api.request_id.as_deref()),
            );
            let body = String::from_utf8_lossy(&api.body);
            set(fields, "body", &body.as_ref().into());
            let headers = Object::new();
            for (name, value) in &api.headers {
                if let Ok(value) = value.to_str() {
                    set(&headers, name.as_str(), &value.into());
                }
            }
            set(fields, "headers", &headers);
            "api"
        }
        ClientError::Connection(_) => "connection",
        ClientError::Timeout(_) => "timeout",
        ClientError::Validation(_) => "validation",
        ClientError::Decode { .. } => "decode",
        ClientError::Pagination(_) => "pagination",
        _ => "client",
    }
}

/// The error's message followed by each of its sources', joined by `: `.
fn full_message(error: &BindingError) -> String {
    let mut message = error.to_string();
    let mut source = match error {
        // An API error's summary already holds the server's message.
        BindingError::Client(ClientError::Api(_)) => None,
        BindingError::Client(error) => error.source(),
        BindingError::Argument { .. } | BindingError::Unavailable { .. } => None,
    };
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The JS value a failed call rejects with: `{ managedAgentsError: { kind, message, … } }`.
pub(crate) fn into_js(error: BindingError) -> JsValue {
    let wrapper = Object::new();
    set(&wrapper, "managedAgentsError", &error.to_js());
    wrapper.into()
}
