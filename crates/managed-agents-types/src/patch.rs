//! `Patch<T>`: the three states of a field in an update body.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field of an update body: left out (keep the stored value), `null` (clear it), or a value
/// (set it).
///
/// Fields of this type carry `#[serde(default, skip_serializing_if = "Patch::is_omitted")]`,
/// so that an omitted field stays omitted on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// The field is left out: the server keeps the stored value.
    #[default]
    Omitted,
    /// The field is `null`: the server clears the stored value.
    Null,
    /// The field is set to this value.
    Value(T),
}

impl<T> Patch<T> {
    /// True for [`Patch::Omitted`]; used by `skip_serializing_if`.
    pub fn is_omitted(&self) -> bool {
        matches!(self, Self::Omitted)
    }

    /// The value, when one is set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    /// Applies the patch to a stored optional value.
    pub fn apply_to(self, stored: &mut Option<T>) {
        match self {
            Self::Omitted => {}
            Self::Null => *stored = None,
            Self::Value(value) => *stored = Some(value),
        }
    }
}

/// Deserializes an optional field of an update body that may be left out but not `null`:
/// the object always carries it, so it cannot be cleared. Used with `#[serde(default,
/// deserialize_with = "crate::patch::not_null")]`, so that a left-out field stays `None`.
pub(crate) fn not_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom(
            "cannot be null: the field is always set, so it cannot be cleared; leave it out to \
             keep the stored value",
        )),
    }
}

impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Omitted | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::Patch;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_omitted")]
        description: Patch<String>,
    }

    #[test]
    fn three_states_survive_a_round_trip() {
        for (json, state) in [
            ("{}", Patch::Omitted),
            (r#"{"description":null}"#, Patch::Null),
            (r#"{"description":""}"#, Patch::Value(String::new())),
        ] {
            let body: Body = serde_json::from_str(json).unwrap();
            assert_eq!(body.description, state);
            assert_eq!(serde_json::to_string(&body).unwrap(), json);
        }
    }
}
