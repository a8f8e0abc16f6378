//! Finding the fields of a JSON value that a type's request schema does not declare, at any
//! depth: what the API answers with "Extra inputs are not permitted", and what the emulator
//! and the command-line tool's `--from-file` both refuse.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use schemars::JsonSchema;
use serde_json::Value;

use super::{Direction, schema_for};

/// The path of every object key in `value` (`config.networking.allowed_hostz`,
/// `tools[0].name`) that `T`'s request schema does not declare, in document order. Unions are
/// followed through the member the value's `type` tag (or JSON type) selects; a member of a
/// kind the types do not know, and free-form objects such as `metadata`, are not looked into.
pub fn extra_fields<T: JsonSchema + 'static>(value: &Value) -> Vec<String> {
    let schema = cached_schema::<T>();
    let mut extra = Vec::new();
    find_extra_fields(&schema, &schema, value, "", &mut extra);
    extra
}

/// The JSON Schema of `T`, built once per type.
fn cached_schema<T: JsonSchema + 'static>() -> Arc<Value> {
    static SCHEMAS: OnceLock<Mutex<HashMap<std::any::TypeId, Arc<Value>>>> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(Mutex::default);
    let mut schemas = schemas
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    schemas
        .entry(std::any::TypeId::of::<T>())
        .or_insert_with(|| Arc::new(schema_for::<T>("body", Direction::Request).to_value()))
        .clone()
}

/// Collects the path of every object key in `value` that `schema` does not declare.
fn find_extra_fields(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    extra: &mut Vec<String>,
) {
    let schema = resolve(root, schema);
    let Some(rules) = schema.as_object() else {
        return;
    };
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = rules.get(key).and_then(Value::as_array)
            && let Some(member) = pick_member(root, members, value)
        {
            find_extra_fields(root, member, value, path, extra);
        }
    }
    match value {
        Value::Object(fields) => {
            let properties = rules.get("properties").and_then(Value::as_object);
            let additional = rules.get("additionalProperties");
            if properties.is_none() && additional.is_none() || rules.contains_key("allOf") {
                return;
            }
            for (name, field) in fields {
                let field_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                match (properties.and_then(|known| known.get(name)), additional) {
                    (Some(declared), _) => {
                        find_extra_fields(root, declared, field, &field_path, extra);
                    }
                    (None, None | Some(Value::Bool(false))) => extra.push(field_path),
                    (None, Some(Value::Bool(true))) => {}
                    (None, Some(other)) => {
                        find_extra_fields(root, other, field, &field_path, extra)
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = rules.get("items") {
                for (index, item) in items.iter().enumerate() {
                    find_extra_fields(root, item_schema, item, &format!("{path}[{index}]"), extra);
                }
            }
        }
        _ => {}
    }
}

/// Follows `$ref`s (`#/$defs/…`) to the schema they name.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference.strip_prefix('#').and_then(|at| root.pointer(at)) {
                Some(target) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// The union member a value belongs to: by its `type` tag when the members are tagged (none
/// for an unknown tag), otherwise the first member whose JSON type admits it.
fn pick_member<'a>(root: &'a Value, members: &'a [Value], value: &Value) -> Option<&'a Value> {
    let admitted: Vec<&Value> = members
        .iter()
        .map(|member| resolve(root, member))
        .filter(|member| admits(root, member, value))
        .collect();
    if let Some(tag) = value.get("type").and_then(Value::as_str) {
        let tag_of = |member: &Value| member.pointer("/properties/type/const").cloned();
        if admitted.iter().any(|member| tag_of(member).is_some()) {
            return admitted
                .into_iter()
                .find(|member| tag_of(member).as_ref().and_then(Value::as_str) == Some(tag));
        }
    }
    admitted.into_iter().next()
}

/// Whether a schema's `type`, `const` or union admits the value's JSON type.
fn admits(root: &Value, schema: &Value, value: &Value) -> bool {
    let schema = resolve(root, schema);
    if let Some(constant) = schema.get("const") {
        return constant == value;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            return members.iter().any(|member| admits(root, member, value));
        }
    }
    let type_admits = |name: &str| match (name, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => number.is_i64() || number.is_u64(),
        _ => false,
    };
    match schema.get("type") {
        Some(Value::String(name)) => type_admits(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(type_admits),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::extra_fields;
    use crate::environments::EnvironmentCreateParams;

    #[test]
    fn fields_inside_unions_are_found_with_their_full_path() {
        let body = json!({
            "name": "x",
            "metadata": {"free": "form"},
            "config": {"type": "cloud", "networking": {"type": "limited", "allowed_hostz": []}},
        });
        assert_eq!(
            extra_fields::<EnvironmentCreateParams>(&body),
            ["config.networking.allowed_hostz"]
        );
        let body = json!({"name": "x", "config": {"type": "cloud"}});
        assert!(extra_fields::<EnvironmentCreateParams>(&body).is_empty());
    }
}
