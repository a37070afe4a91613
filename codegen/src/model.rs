//! The model IR: every shape by ID, every target resolved, mixins and `apply` merged, the
//! prelude present and the known traits typed. What the emitters read.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::shape_id::ShapeId;
use crate::traits::Traits;

/// A loaded and lowered model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Every shape, including the prelude's, by ID.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

impl Model {
    /// The shape with this ID; `None` for a member ID, which names no shape. Lowering
    /// guarantees every target exists, so emitters may rely on the shapes they reach.
    pub fn get(&self, id: &ShapeId) -> Option<&Shape> {
        if id.member.is_some() {
            return None;
        }
        self.shapes.get(id)
    }
}

/// One shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Its absolute ID.
    pub id: ShapeId,
    /// Where it was defined in the model's JSON (the prelude has its own pseudo-path).
    pub path: String,
    /// What kind of shape it is, with its members or references.
    pub kind: Kind,
    /// Its traits, mixins' and `apply`'s included.
    pub traits: Traits,
}

impl Shape {
    /// Whether this is an event stream: a `@streaming` union.
    pub fn is_event_stream(&self) -> bool {
        self.traits.known.streaming && matches!(self.kind, Kind::Union(_))
    }
}

/// The simple shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)] // each is the Smithy type of the same name
pub enum Simple {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

impl Simple {
    /// The simple type named by a JSON AST `type`.
    pub fn from_type_name(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => Self::Blob,
            "boolean" => Self::Boolean,
            "string" => Self::String,
            "byte" => Self::Byte,
            "short" => Self::Short,
            "integer" => Self::Integer,
            "long" => Self::Long,
            "float" => Self::Float,
            "double" => Self::Double,
            "bigInteger" => Self::BigInteger,
            "bigDecimal" => Self::BigDecimal,
            "timestamp" => Self::Timestamp,
            "document" => Self::Document,
            _ => return None,
        })
    }

    /// Whether it is a number (what `@range` applies to).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Self::Byte
                | Self::Short
                | Self::Integer
                | Self::Long
                | Self::Float
                | Self::Double
                | Self::BigInteger
                | Self::BigDecimal
        )
    }
}

/// Named members, in the order the model writes them (mixins' first).
pub type Members = IndexMap<String, Member>;

/// What a shape is.
// A few hundred shapes live once per run; boxing the map's members would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A simple shape.
    Simple(Simple),
    /// A list (a Smithy 1.0 `set` is a list with `@uniqueItems`).
    List(Member),
    /// A map.
    Map {
        /// The key member (a string or an enum).
        key: Member,
        /// The value member.
        value: Member,
    },
    /// A structure.
    Structure(Members),
    /// A union: exactly one member set.
    Union(Members),
    /// A string enum; each member's `@enumValue` is its wire value.
    Enum(Members),
    /// An integer enum; each member's `@enumValue` is its value.
    IntEnum(Members),
    /// An operation.
    Operation(Operation),
    /// A resource.
    Resource(Resource),
    /// A service.
    Service(Service),
}

impl Kind {
    /// The Smithy type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Simple(_) => "simple shape",
            Self::List(_) => "list",
            Self::Map { .. } => "map",
            Self::Structure(_) => "structure",
            Self::Union(_) => "union",
            Self::Enum(_) => "enum",
            Self::IntEnum(_) => "intEnum",
            Self::Operation(_) => "operation",
            Self::Resource(_) => "resource",
            Self::Service(_) => "service",
        }
    }

    /// The type name with its indefinite article, for messages: "an operation".
    pub fn described(&self) -> String {
        let name = self.type_name();
        // By sound, not by letter: "an intEnum", "a union".
        let article = if matches!(name, "intEnum" | "operation" | "enum") { "an" } else { "a" };
        format!("{article} {name}")
    }

    /// Every member of the shape, whatever its kind, in order.
    pub fn members(&self) -> Vec<&Member> {
        match self {
            Self::List(member) => vec![member],
            Self::Map { key, value } => vec![key, value],
            Self::Structure(members) | Self::Union(members) | Self::Enum(members) | Self::IntEnum(members) => {
                members.values().collect()
            }
            Self::Simple(_) | Self::Operation(_) | Self::Resource(_) | Self::Service(_) => Vec::new(),
        }
    }

    /// Mutable access to every member.
    pub fn members_mut(&mut self) -> Vec<&mut Member> {
        match self {
            Self::List(member) => vec![member],
            Self::Map { key, value } => vec![key, value],
            Self::Structure(members) | Self::Union(members) | Self::Enum(members) | Self::IntEnum(members) => {
                members.values_mut().collect()
            }
            Self::Simple(_) | Self::Operation(_) | Self::Resource(_) | Self::Service(_) => Vec::new(),
        }
    }
}

/// A member of a shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Its ID, `ns#Shape$name`.
    pub id: ShapeId,
    /// Its name: the part after `$`.
    pub name: String,
    /// Where it was defined in the JSON.
    pub path: String,
    /// The shape it holds.
    pub target: ShapeId,
    /// Its own traits.
    pub traits: Traits,
}

/// An operation's references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The input structure (`smithy.api#Unit` when there is none).
    pub input: ShapeId,
    /// The output structure (`smithy.api#Unit` when there is none).
    pub output: ShapeId,
    /// The errors it can answer with.
    pub errors: Vec<ShapeId>,
}

/// A resource's references.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    /// Identifier names to their shapes.
    pub identifiers: IndexMap<String, ShapeId>,
    /// Lifecycle and other operations, each with the property it is bound by.
    pub operations: Vec<(&'static str, ShapeId)>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

/// A service's references.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Service {
    /// Its version string.
    pub version: String,
    /// Operations bound directly.
    pub operations: Vec<ShapeId>,
    /// Resources bound directly.
    pub resources: Vec<ShapeId>,
    /// Errors common to every operation.
    pub errors: Vec<ShapeId>,
    /// Shape IDs to the names they take in this service.
    pub rename: BTreeMap<ShapeId, String>,
}
