//! Unknown fields: every field given in a call's parameters must be one the request carries.
//!
//! The parameter types keep only the fields they know, at every depth (tagged unions and
//! untagged forms included), so a field of the given JSON that is missing from the request
//! body made from it is one no parameter type took: a misspelling, or a field the call does
//! not take. Comparing the two JSON trees needs no code per type, which keeps the module small
//! (a decoder wrapper would be compiled again for every parameter type, and the schema-based
//! `managed_agents_types::schema::extra_fields` that the emulator and the CLI use would bring
//! every parameter type's JSON Schema into the module).

use serde_json::Value;

use crate::error::BindingError;

/// One step into a JSON value: a key of an object or an index of an array.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The field at `place` inside `value`, if there is one.
fn field<'v>(value: &'v Value, place: &[Step<'_>]) -> Option<&'v Value> {
    place.iter().try_fold(value, |value, step| match *step {
        Step::Key(key) => value.get(key),
        Step::Index(index) => value.get(index),
    })
}

/// The field at `place` inside `value`, to change it.
fn field_mut<'v>(value: &'v mut Value, place: &[Step<'_>]) -> Option<&'v mut Value> {
    place.iter().try_fold(value, |value, step| match *step {
        Step::Key(key) => value.get_mut(key),
        Step::Index(index) => value.get_mut(index),
    })
}

/// The path of `place` as the error names it, such as `resources[1].mount_path`.
fn path(place: &[Step<'_>]) -> String {
    let mut path = String::new();
    for step in place {
        match *step {
            Step::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// Fails with the path of the first field of `given` (the JSON text of the parameters) that
/// `sent` (the request body made from them) leaves out.
///
/// A field given as `null` may be left out because it is known and empty (an optional field);
/// such a field is asked about again through `resend`, which makes the body from other JSON
/// text the way `sent` was made: with the `null` replaced by `[]`, a known field either refuses
/// the value or is kept, and an unknown field is still left out.
pub(crate) fn check(
    given: &str,
    sent: &[u8],
    resend: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<(), BindingError> {
    let parse = |json: &[u8]| serde_json::from_slice::<Value>(json).ok();
    let (Some(given), Some(sent)) = (parse(given.as_bytes()), parse(sent)) else {
        return Ok(());
    };
    let mut missing = Vec::new();
    left_out(&given, &sent, &mut Vec::new(), &mut missing);
    for place in missing {
        let unknown = match field(&given, &place) {
            Some(Value::Null) => {
                let mut probe = given.clone();
                if let Some(field) = field_mut(&mut probe, &place) {
                    *field = Value::Array(Vec::new());
                }
                let sent = serde_json::to_string(&probe)
                    .ok()
                    .and_then(|json| resend(&json));
                sent.and_then(|sent| parse(&sent))
                    .is_some_and(|sent| field(&sent, &place).is_none())
            }
            _ => true,
        };
        if unknown {
            return Err(BindingError::argument(
                "params",
                format!("{}: unknown field", path(&place)),
            ));
        }
    }
    Ok(())
}

/// Collects the places of the fields of `given` that `sent` leaves out; `at` is where both are.
fn left_out<'a>(
    given: &'a Value,
    sent: &Value,
    at: &mut Vec<Step<'a>>,
    missing: &mut Vec<Vec<Step<'a>>>,
) {
    let mut visit = |step: Step<'a>, given: &'a Value, sent: Option<&Value>| {
        at.push(step);
        match sent {
            Some(sent) => left_out(given, sent, at, missing),
            None => missing.push(at.clone()),
        }
        at.pop();
    };
    match (given, sent) {
        (Value::Object(given), Value::Object(sent)) => {
            for (key, value) in given {
                visit(Step::Key(key), value, sent.get(key));
            }
        }
        (Value::Array(given), Value::Array(sent)) => {
            for (index, (given, sent)) in given.iter().zip(sent).enumerate() {
                visit(Step::Index(index), given, Some(sent));
            }
        }
        _ => {}
    }
}
