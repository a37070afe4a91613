//! The syntax tree of one IDL file: what was written, with spans, before any shape ID is
//! resolved. Shape IDs stay as written ([`Name`]) until the resolver sees every file.

use super::diag::Span;

/// A name or shape ID as written, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// The text, such as `String`, `smithy.api#String` or `Foo$bar`.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// A node value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its value.
    pub kind: NodeKind,
    /// Where it is.
    pub span: Span,
}

/// The forms a node value takes.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number as written.
    Number(String),
    /// A quoted string or text block.
    Str(String),
    /// An unquoted shape ID, resolved to an absolute ID string later.
    Id(String),
    /// `[ ... ]`.
    Array(Vec<Node>),
    /// `{ key: value, ... }`, in order.
    Object(Vec<(Name, Node)>),
}

/// A trait application: `@id` or `@id(value)`.
#[derive(Debug, Clone, PartialEq)]
pub struct TraitApp {
    /// The trait's shape ID as written.
    pub id: Name,
    /// The value; `None` for an annotation trait (`@id` or `@id()`).
    pub value: Option<Node>,
}

/// Which IDL version a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// 1.0, also when no `$version` is written.
    V1,
    /// 2.0.
    V2,
}

/// A member of a structure, union, list, map, enum or intEnum.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberDef {
    /// Its name.
    pub name: Name,
    /// Its target; `None` when elided (`$name`) or in an enum.
    pub target: Option<Name>,
    /// Its traits, documentation comment first.
    pub traits: Vec<TraitApp>,
    /// `= value`: the default of a structure member, the value of an enum member.
    pub assigned: Option<Node>,
}

/// What follows a shape's name.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A simple shape: nothing.
    Empty,
    /// Members in braces.
    Members(Vec<MemberDef>),
    /// A service, resource or operation: properties in braces.
    Properties(Vec<Property>),
}

/// A property of a service, resource or operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Its key.
    pub key: Name,
    /// Its value.
    pub value: PropertyValue,
}

/// A property's value: a node, or an inline input or output structure (`:=`).
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    /// A node value.
    Node(Node),
    /// An inline structure (defined beside the operation), by its name.
    Inline(Name),
}

/// A shape statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeDef {
    /// The type keyword, such as `structure`.
    pub kind: Name,
    /// The shape's name (relative: the file's namespace applies).
    pub name: Name,
    /// Its traits, documentation comment first.
    pub traits: Vec<TraitApp>,
    /// `with [...]`.
    pub mixins: Vec<Name>,
    /// `for Resource`.
    pub for_resource: Option<Name>,
    /// Members or properties.
    pub body: Body,
}

/// An `apply` statement, single or block.
#[derive(Debug, Clone, PartialEq)]
pub struct Apply {
    /// What it applies to.
    pub target: Name,
    /// The traits it applies.
    pub traits: Vec<TraitApp>,
}

/// One IDL file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Its declared version.
    pub version: Version,
    /// The suffix of inline input structures.
    pub input_suffix: String,
    /// The suffix of inline output structures.
    pub output_suffix: String,
    /// Metadata statements in order.
    pub metadata: Vec<(Name, Node)>,
    /// The namespace, when the file has shapes.
    pub namespace: Option<Name>,
    /// `use` statements.
    pub uses: Vec<Name>,
    /// Shape statements in order (inline input and output structures inside operations).
    pub shapes: Vec<ShapeDef>,
    /// `apply` statements in order.
    pub applies: Vec<Apply>,
    /// Things accepted but worth a warning (unknown control statements).
    pub warnings: Vec<(Span, String)>,
}
