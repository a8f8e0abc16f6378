//! Decoding response bodies, with errors that name the JSON path of the failing field.
//!
//! On `wasm32` the path is not tracked: the tracking wraps every type's decoder and would add
//! about a fifth to the browser package. There, [`DecodeError::path`] is empty and the message
//! gives the line and column instead.

use serde::de::DeserializeOwned;

/// A body that does not match the type it should decode to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode the response at `{path}`: {message}")]
pub struct DecodeError {
    /// The JSON path of the failing field, such as `data[3].config.networking` (empty on
    /// `wasm32`, where paths are not tracked).
    pub path: String,
    /// What was wrong there.
    pub message: String,
}

impl DecodeError {
    /// Builds a decode error.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Decodes JSON bytes into `T`, naming the path of the first field that fails.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        DecodeError::new(error.path().to_string(), error.into_inner().to_string())
    })?;
    deserializer
        .end()
        .map_err(|error| DecodeError::new(".", error.to_string()))?;
    Ok(value)
}

/// Decodes JSON bytes into `T`; the error gives the line and column of the failure.
#[cfg(target_arch = "wasm32")]
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(bytes).map_err(|error| DecodeError::new("", error.to_string()))
}

/// Decodes a JSON value into `T`, naming the path of the first field that fails.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value)
        .map_err(|error| DecodeError::new(error.path().to_string(), error.into_inner().to_string()))
}

/// Decodes a JSON value into `T`.
#[cfg(target_arch = "wasm32")]
pub fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    serde_json::from_value(value).map_err(|error| DecodeError::new("", error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environments::Environment;
    use crate::pagination::Page;

    #[test]
    fn errors_name_the_path() {
        let body = br#"{"data":[{"id":"env_1","type":"environment","name":5}]}"#;
        let error = decode_json::<Page<Environment>>(body).unwrap_err();
        assert_eq!(error.path, "data[0].name");
    }
}
