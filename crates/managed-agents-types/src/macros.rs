//! Declarative macros for the three shapes that repeat across the wire model: typed IDs, open
//! string enums and open tagged unions.

/// Declares a typed ID: a string newtype whose constructor checks the object's prefix.
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident = $prefix:literal) => {
        $(#[$meta])*
        ///
        #[doc = concat!("Well-formed values start with `", $prefix, "`.")]
        /// Decoding accepts any string so that a response is never lost over an ID;
        /// [`Self::new`] and request validation check the prefix before an ID goes into a URL.
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The prefix every ID of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// Checks the prefix and builds the ID.
            pub fn new(value: impl Into<String>) -> Result<Self, crate::ids::IdError> {
                let value = value.into();
                crate::ids::check_id(&value, $prefix)?;
                Ok(Self(value))
            }

            /// The ID as it appears on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// True when the ID has this kind's prefix and a non-empty remainder.
            pub fn is_well_formed(&self) -> bool {
                crate::ids::check_id(&self.0, $prefix).is_ok()
            }

            /// The ID percent-encoded as exactly one URL path segment.
            ///
            /// Fails for an ID without the right prefix, so an ID from an untrusted source can
            /// never point a request at another path.
            pub fn path_segment(&self) -> Result<String, crate::ids::IdError> {
                crate::ids::check_id(&self.0, $prefix)?;
                Ok(crate::ids::encode_segment(&self.0))
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::ids::IdError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = crate::ids::IdError;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = crate::ids::IdError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "description": concat!("An ID; well-formed values start with `", $prefix, "`."),
                    "pattern": concat!("^", $prefix),
                })
            }
        }
    };
}

/// Declares an open string enum: the known wire values plus `Other` for any value this version
/// does not know, which is kept and serialized back unchanged.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, kept exactly as received.
            Other(String),
        }

        impl $name {
            /// Every wire value this version knows.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)+
                    _ => Self::Other(value),
                }
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Other(value) => write!(f, "{}::Other({:?})", stringify!($name), value),
                    known => write!(f, "{}::{}", stringify!($name), known.as_str()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "anyOf": [
                        { "type": "string", "enum": [$($wire),+] },
                        { "type": "string", "description": "A value this version does not know." }
                    ]
                })
            }
        }
    };
}

/// Declares an open tagged union: an enum tagged by the JSON `type` field whose variants each
/// wrap a struct, plus `Unknown` holding the raw JSON of a kind this version does not know,
/// which serializes back unchanged.
macro_rules! open_union {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident($inner:ty) = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $($(#[$vmeta])* $variant($inner),)+
            /// A kind this version does not know, kept as its raw JSON.
            Unknown(serde_json::Value),
        }

        impl $name {
            /// Every `type` value this version knows.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The `type` tag of this value.
            pub fn type_name(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $wire,)+
                    Self::Unknown(raw) => {
                        raw.get("type").and_then(|tag| tag.as_str()).unwrap_or("")
                    }
                }
            }
        }

        $(
            impl From<$inner> for $name {
                fn from(value: $inner) -> Self {
                    Self::$variant(value)
                }
            }
        )+

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => {
                        crate::union::serialize_tagged($wire, inner, serializer)
                    })+
                    Self::Unknown(raw) => raw.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let raw = serde_json::Value::deserialize(deserializer)?;
                let tag = crate::union::tag_of(&raw).map_err(D::Error::custom)?;
                match tag.as_str() {
                    $($wire => crate::union::decode_variant(raw)
                        .map(Self::$variant)
                        .map_err(D::Error::custom),)+
                    _ => Ok(Self::Unknown(raw)),
                }
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let variants = vec![
                    $(crate::union::variant_schema::<$inner>(generator, $wire),)+
                    crate::union::unknown_schema(Self::KNOWN),
                ];
                crate::union::union_schema(variants)
            }
        }
    };
}
