//! Typed IDs, one per object kind, and their safe use as URL path segments.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in a path segment; everything else is percent-encoded, `.`
/// included, so that no ID can become `..` or carry a `/`, `?` or `#`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// An ID that does not have the form its kind requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{value}` is not a valid ID: it must start with `{prefix}` followed by at least one character"
)]
pub struct IdError {
    /// The rejected value.
    pub value: String,
    /// The prefix that was expected.
    pub prefix: &'static str,
}

pub(crate) fn check_id(value: &str, prefix: &'static str) -> Result<(), IdError> {
    let rest = value.strip_prefix(prefix);
    match rest {
        Some(rest) if !rest.is_empty() && !rest.chars().any(char::is_control) => Ok(()),
        _ => Err(IdError {
            value: value.to_owned(),
            prefix,
        }),
    }
}

pub(crate) fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

typed_id! {
    /// The ID of an environment (`env_…`).
    EnvironmentId = "env_"
}
typed_id! {
    /// The ID of a session (`sesn_…`).
    SessionId = "sesn_"
}
typed_id! {
    /// The ID of a resource mounted into a session (`sesrsc_…`).
    SessionResourceId = "sesrsc_"
}
typed_id! {
    /// The ID of a file (`file_…`).
    FileId = "file_"
}
typed_id! {
    /// The ID of an agent (`agent_…`).
    AgentId = "agent_"
}
typed_id! {
    /// The ID of a vault (`vlt_…`).
    VaultId = "vlt_"
}
typed_id! {
    /// The ID of a memory store (`memstore_…`).
    MemoryStoreId = "memstore_"
}
typed_id! {
    /// The ID the server gives each request (`req_…`), sent back in the `request-id` header.
    RequestId = "req_"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructor_checks_the_prefix() {
        assert!(EnvironmentId::new("env_011CabcDEF").is_ok());
        let error = EnvironmentId::new("sesn_011C").unwrap_err();
        assert_eq!(error.prefix, "env_");
        assert!(EnvironmentId::new("env_").is_err());
        assert!(SessionId::new("sesn_\n").is_err());
    }

    #[test]
    fn path_segments_cannot_escape() {
        let id: FileId = serde_json::from_str(r#""file_../../v1/environments?x=1#y""#).unwrap();
        let segment = id.path_segment().unwrap();
        assert!(!segment.contains('/') && !segment.contains('?') && !segment.contains('#'));
        assert!(!segment.contains('.'));
        assert_eq!(
            segment,
            "file_%2E%2E%2F%2E%2E%2Fv1%2Fenvironments%3Fx%3D1%23y"
        );

        let dots: FileId = serde_json::from_str(r#""..""#).unwrap();
        assert!(dots.path_segment().is_err());
        assert_eq!(
            FileId::new("file_Ab-9_z").unwrap().path_segment().unwrap(),
            "file_Ab-9_z"
        );
    }
}
