//! Runtime support for the open tagged unions declared with `open_union!`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Serializes `inner` as a JSON object with `"type": tag` as its first key.
pub(crate) fn serialize_tagged<T: Serialize, S: serde::Serializer>(
    tag: &str,
    inner: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let fields = match serde_json::to_value(inner).map_err(S::Error::custom)? {
        Value::Object(fields) => fields,
        other => {
            return Err(S::Error::custom(format!(
                "a `{tag}` value must be an object, not {other}"
            )));
        }
    };
    let mut tagged = Map::with_capacity(fields.len() + 1);
    tagged.insert("type".to_owned(), Value::String(tag.to_owned()));
    tagged.extend(fields.into_iter().filter(|(key, _)| key != "type"));
    Value::Object(tagged).serialize(serializer)
}

/// Reads the `type` tag of a union member.
pub(crate) fn tag_of(raw: &Value) -> Result<String, String> {
    match raw {
        Value::Object(fields) => match fields.get("type") {
            Some(Value::String(tag)) => Ok(tag.clone()),
            Some(_) => Err("`type` must be a string".to_owned()),
            None => Err("missing field `type`".to_owned()),
        },
        _ => Err(format!(
            "expected an object with a `type` field, found {}",
            kind_of(raw)
        )),
    }
}

/// Decodes a known member, naming the inner field path on failure.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn decode_variant<T: DeserializeOwned>(raw: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(raw).map_err(|error| {
        let path = error.path().to_string();
        if path == "." {
            error.into_inner().to_string()
        } else {
            format!("{path}: {}", error.into_inner())
        }
    })
}

/// Decodes a known member (no inner path on `wasm32`; see [`crate::decode`]).
#[cfg(target_arch = "wasm32")]
pub(crate) fn decode_variant<T: DeserializeOwned>(raw: Value) -> Result<T, String> {
    serde_json::from_value(raw).map_err(|error| error.to_string())
}

/// The schema of one known member: the inner struct with a constant `type`.
pub(crate) fn variant_schema<T: schemars::JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
    tag: &str,
) -> Value {
    let mut schema = T::json_schema(generator).to_value();
    if let Value::Object(object) = &mut schema {
        let properties = object
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(properties) = properties {
            let mut with_tag = Map::new();
            with_tag.insert(
                "type".to_owned(),
                serde_json::json!({ "type": "string", "const": tag }),
            );
            with_tag.extend(std::mem::take(properties));
            *properties = with_tag;
        }
        let required = object
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(required) = required {
            required.insert(0, Value::String("type".to_owned()));
        }
    }
    schema
}

/// The schema of a member of a kind this version does not know.
pub(crate) fn unknown_schema(known: &[&str]) -> Value {
    serde_json::json!({
        "type": "object",
        "description": "A kind this version does not know, kept as raw JSON.",
        "properties": { "type": { "type": "string", "not": { "enum": known } } },
        "required": ["type"]
    })
}

/// Joins member schemas into one union schema.
pub(crate) fn union_schema(variants: Vec<Value>) -> schemars::Schema {
    schemars::json_schema!({ "oneOf": variants })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
