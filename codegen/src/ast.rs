//! A serde mirror of the Smithy JSON AST, as written, before anything is resolved.
//!
//! Objects are read into [`UniqueMap`] so that a key written twice (a duplicate member, a
//! shape defined twice) is a problem instead of silently keeping the last value.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// A JSON object read in order, in which every key must be unique.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueMap<V>(pub IndexMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        Self(IndexMap::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UniqueVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueVisitor<V> {
            type Value = UniqueMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = IndexMap::new();
                while let Some(key) = access.next_key::<String>()? {
                    if map.contains_key(&key) {
                        return Err(de::Error::custom(format!("`{key}` is defined more than once")));
                    }
                    let value = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(UniqueMap(map))
            }
        }

        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}

/// A JSON object read as its entries in order, repeats kept, so that a caller can report a
/// repeated key where it is and go on with the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries<V>(pub Vec<(String, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// The top of a model file. Shapes stay raw JSON here so that each can be read on its own
/// and every bad shape reported, not only the first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model<'a> {
    /// The IDL version, `1.0` or `2.0` (`1` and `2` are accepted too).
    pub smithy: String,
    /// Free-form metadata; kept, never interpreted.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Shapes by absolute shape ID, as raw JSON.
    #[serde(default, borrow)]
    pub shapes: Entries<&'a RawValue>,
}

/// Only the `type` property of a shape, read first to know which mirror to read the rest into.
#[derive(Debug, Deserialize)]
pub struct ShapeType {
    /// The shape type, such as `structure`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ref {
    /// The absolute ID of the shape referred to.
    pub target: String,
}

/// A member: a target and the member's own traits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The absolute ID of the member's target.
    pub target: String,
    /// The member's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
}

/// A simple shape (`string`, `integer`, `timestamp`, ...), or an `apply` statement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simple {
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// A `list` or `set`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    /// The element member. Absent only in a shape that takes it from a mixin.
    pub member: Option<Member>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// A `map`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    /// The key member.
    pub key: Option<Member>,
    /// The value member.
    pub value: Option<Member>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// A `structure`, `union`, `enum` or `intEnum`: named members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Members in the order they are written.
    #[serde(default)]
    pub members: UniqueMap<Member>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// An `operation`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The input structure; `smithy.api#Unit` when absent.
    pub input: Option<Ref>,
    /// The output structure; `smithy.api#Unit` when absent.
    pub output: Option<Ref>,
    /// The errors the operation can answer with.
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// A `resource`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Identifier names to the string shapes that hold them.
    #[serde(default)]
    pub identifiers: UniqueMap<Ref>,
    /// Property names to their shapes.
    #[serde(default)]
    pub properties: UniqueMap<Ref>,
    /// Lifecycle operation `create`.
    pub create: Option<Ref>,
    /// Lifecycle operation `put`.
    pub put: Option<Ref>,
    /// Lifecycle operation `read`.
    pub read: Option<Ref>,
    /// Lifecycle operation `update`.
    pub update: Option<Ref>,
    /// Lifecycle operation `delete`.
    pub delete: Option<Ref>,
    /// Lifecycle operation `list`.
    pub list: Option<Ref>,
    /// Instance operations.
    #[serde(default)]
    pub operations: Vec<Ref>,
    /// Collection operations.
    #[serde(default, rename = "collectionOperations")]
    pub collection_operations: Vec<Ref>,
    /// Child resources.
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}

/// A `service`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The service's version string.
    #[serde(default)]
    pub version: String,
    /// Operations bound directly to the service.
    #[serde(default)]
    pub operations: Vec<Ref>,
    /// Resources bound to the service.
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// Errors every operation of the service can answer with.
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// Shape IDs to the names they take in this service, to settle name conflicts.
    #[serde(default)]
    pub rename: UniqueMap<String>,
    /// The shape's traits, by absolute trait ID.
    #[serde(default)]
    pub traits: UniqueMap<Value>,
    /// Mixins whose members and traits this shape takes.
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// The `type` property, already read through [`ShapeType`].
    #[serde(default, rename = "type")]
    pub kind: IgnoredAny,
}
