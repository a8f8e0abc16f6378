//! The crate's one error type, and how an error crosses to JavaScript: a plain object the JS
//! glue turns into the matching `Error` class.

use std::error::Error as _;

use managed_agents_client::Error as ClientError;
use managed_agents_types::IdError;
use serde_json::{Map, Value, json};
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

    /// What the JS glue needs to build its error: the kind and every detail.
    fn to_value(&self) -> Value {
        let mut fields = Map::new();
        fields.insert("message".to_owned(), json!(full_message(self)));
        let kind = match self {
            Self::Argument { field, .. } => {
                fields.insert("field".to_owned(), json!(field));
                "invalid_argument"
            }
            Self::Client(error) => client_kind(error, &mut fields),
        };
        fields.insert("kind".to_owned(), json!(kind));
        Value::Object(fields)
    }
}

/// The kind of a client error, with the details of an API error added to `fields`.
fn client_kind(error: &ClientError, fields: &mut Map<String, Value>) -> &'static str {
    match error {
        ClientError::Api(api) => {
            fields.insert("status".to_owned(), json!(api.status));
            fields.insert(
                "type".to_owned(),
                json!(api.error_type.as_ref().map(|kind| kind.as_str().to_owned())),
            );
            fields.insert("error_message".to_owned(), json!(api.message));
            fields.insert("request_id".to_owned(), json!(api.request_id));
            fields.insert("body".to_owned(), json!(String::from_utf8_lossy(&api.body)));
            let headers: Map<String, Value> = api
                .headers
                .iter()
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), json!(value.to_str().ok()?)))
                })
                .collect();
            fields.insert("headers".to_owned(), Value::Object(headers));
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
        BindingError::Client(error) => error.source(),
        BindingError::Argument { .. } => None,
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
    let text = json!({ "managedAgentsError": error.to_value() }).to_string();
    js_sys::JSON::parse(&text).unwrap_or_else(|_| JsValue::from_str(&text))
}
