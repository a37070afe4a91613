//! What the model says a body is, as static data the generator writes: the members of each
//! structure and union, what they hold, and which are required. The server's required-member
//! check ([`crate::presence`]) and the CBOR reader ([`crate::cbor`]) both walk it. Recursive
//! shapes are statics that refer to each other.

/// What a value is, as far as required members go.
#[derive(Debug)]
pub enum Node {
    /// A value with nothing required inside, and what stands in for it when it is missing.
    Leaf(Placeholder),
    /// A structure's members.
    Structure(&'static [Field]),
    /// A union's members; one set member is checked like a structure member.
    Union(&'static [Field]),
    /// A list of the node.
    List(&'static Node),
    /// A map to the node.
    Map(&'static Node),
}

/// A member of a structure or union.
#[derive(Debug)]
pub struct Field {
    /// Its JSON name.
    pub name: &'static str,
    /// Whether it is `@required` (and has no default).
    pub required: bool,
    /// What it holds.
    pub node: &'static Node,
}

/// JSON that types as a leaf value when the real one is missing.
#[derive(Debug, Clone, Copy)]
pub enum Placeholder {
    /// `""`: strings and enums.
    String,
    /// `""` (no bytes, in base64): blobs.
    Blob,
    /// `0`: numbers, intEnums, epoch-seconds timestamps.
    Number,
    /// `false`.
    Boolean,
    /// `null`: documents.
    Null,
    /// A fixed text: timestamps in the http-date format.
    Text(&'static str),
    /// A timestamp in the date-time format, `1970-01-01T00:00:00Z` when missing. The scan
    /// refuses one with a UTC offset, as a server must (the typed read accepts offsets, as a
    /// client must).
    DateTime,
}
