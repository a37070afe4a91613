//! Decoding of restJson1 unions: a JSON object with exactly one member set.
//!
//! The loop, the checks and the messages are the same for every union, so they live here and
//! generated code only supplies the match from a member name to a variant.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::Deserializer;

/// Implemented by generated union types so that [`deserialize`] can decode them.
pub trait Union: Sized {
    /// The union's shape name, for error messages.
    const NAME: &'static str;

    /// Decodes the value of member `key` from `map`. Returns `Ok(None)` when the value is
    /// JSON null (restJson1 treats a null member as unset), and the unknown variant for a
    /// member the model does not know, so that a newer service's answer still decodes.
    fn decode_member<'de, A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Option<Self>, A::Error>;
}

/// Skips the value of union member `key`, which the model does not define: the union reads
/// as its `Unknown` variant, as a client must read a newer service's answer. (A server
/// refuses such a member before typed reading; see `presence::scan`.)
pub fn skip_unknown_member<'de, A: MapAccess<'de>>(union: &str, key: &str, map: &mut A) -> Result<(), A::Error> {
    let _ = (union, key);
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Decodes a union from a JSON object, requiring exactly one non-null member. The `__type`
/// member some services add to tell the type apart is ignored.
pub fn deserialize<'de, U: Union, D: Deserializer<'de>>(deserializer: D) -> Result<U, D::Error> {
    deserializer.deserialize_map(UnionVisitor(PhantomData))
}

struct UnionVisitor<U>(PhantomData<U>);

impl<'de, U: Union> Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object with exactly one member set", U::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        let mut found: Option<(String, U)> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "__type" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let Some(value) = U::decode_member(&key, &mut map)? else {
                continue;
            };
            if let Some((first, _)) = &found {
                return Err(de::Error::custom(format!(
                    "union {} must have exactly one member set, but both `{first}` and `{key}` are",
                    U::NAME
                )));
            }
            found = Some((key, value));
        }
        found.map(|(_, value)| value).ok_or_else(|| {
            de::Error::custom(format!("union {} must have exactly one member set, but none is", U::NAME))
        })
    }
}

/// The value of a union member that targets `smithy.api#Unit`: an empty JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Empty;

impl serde::Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Choice {
        Text(String),
        Unknown,
    }

    impl Union for Choice {
        const NAME: &'static str = "Choice";
        fn decode_member<'de, A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<Option<Self>, A::Error> {
            Ok(match key {
                "text" => map.next_value::<Option<String>>()?.map(Self::Text),
                _ => {
                    skip_unknown_member(Self::NAME, key, map)?;
                    Some(Self::Unknown)
                }
            })
        }
    }

    fn read(json: &str) -> Result<Choice, serde_json::Error> {
        deserialize(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn unknown_members_are_kept() {
        assert_eq!(read(r#"{"text": "a"}"#).unwrap(), Choice::Text("a".into()));
        assert_eq!(read(r#"{"newer": 1}"#).unwrap(), Choice::Unknown);
        let both = read(r#"{"text": "a", "newer": 1}"#).unwrap_err();
        assert!(both.to_string().contains("exactly one member"), "{both}");
    }
}
