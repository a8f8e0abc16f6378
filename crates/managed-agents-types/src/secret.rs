//! A string that never shows itself in `Debug` or `Display` output.

use std::borrow::Cow;

/// A secret such as an API key or a repository's `authorization_token`.
///
/// `Debug` and `Display` print a fixed mask; serialization writes the plain value, because the
/// wire needs it. Read the value with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// What `Debug` and `Display` print instead of the value.
    pub const MASK: &'static str = "[redacted]";

    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value must go on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", Self::MASK)
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Self::MASK)
    }
}

impl schemars::JsonSchema for Secret {
    fn schema_name() -> Cow<'static, str> {
        "Secret".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "writeOnly": true,
            "description": "A secret: sent by the client, never returned by the server."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn formatting_hides_the_value() {
        let secret = Secret::new("ghp_topsecret");
        assert!(!format!("{secret:?} {secret} {secret:#?}").contains("topsecret"));
        assert_eq!(
            serde_json::to_string(&secret).unwrap(),
            r#""ghp_topsecret""#
        );
    }
}
