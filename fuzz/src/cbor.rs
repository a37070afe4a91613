//! The `cbor` target: bytes to the CBOR reader (`smithy_runtime::cbor::to_json`) alone, read
//! strictly against one of a few model nodes and leniently.
//!
//! The first byte picks the node (its value modulo their number); the rest is the body. The
//! reader must never panic, and three properties must hold: what a strict reading accepts
//! a lenient one accepts too; a lenient reading is deterministic; and what it gives, written
//! back as CBOR, reads as the same value.

use smithy_runtime::cbor;
use smithy_runtime::node::{Field, Node, Placeholder};

static STRING: Node = Node::Leaf(Placeholder::String);
static NUMBER: Node = Node::Leaf(Placeholder::Number);
static BLOB: Node = Node::Leaf(Placeholder::Blob);
static BOOLEAN: Node = Node::Leaf(Placeholder::Boolean);
static DOCUMENT: Node = Node::Leaf(Placeholder::Null);
static DATE_TIME: Node = Node::Leaf(Placeholder::DateTime);
static HTTP_DATE: Node = Node::Leaf(Placeholder::Text("Thu, 01 Jan 1970 00:00:00 GMT"));
static TAGS: Node = Node::Map(&STRING);
/// The fixture's Reading, with a date-time, a document and a union besides.
static READING: Node = Node::Structure(&[
    Field { name: "at", required: true, node: &NUMBER },
    Field { name: "value", required: true, node: &NUMBER },
    Field { name: "raw", required: false, node: &BLOB },
    Field { name: "tags", required: false, node: &TAGS },
    Field { name: "seen", required: false, node: &DATE_TIME },
    Field { name: "sent", required: false, node: &HTTP_DATE },
    Field { name: "ok", required: false, node: &BOOLEAN },
    Field { name: "doc", required: false, node: &DOCUMENT },
    Field { name: "latest", required: false, node: &MEASUREMENT },
]);
static READINGS: Node = Node::List(&READING);
static MEASUREMENT: Node = Node::Union(&[
    Field { name: "number", required: false, node: &NUMBER },
    Field { name: "text", required: false, node: &STRING },
    Field { name: "frame", required: false, node: &BLOB },
    Field { name: "at", required: false, node: &NUMBER },
]);
/// PutReadings' input.
static PUT_READINGS: Node = Node::Structure(&[
    Field { name: "station", required: true, node: &STRING },
    Field { name: "readings", required: true, node: &READINGS },
    Field { name: "clientToken", required: false, node: &STRING },
]);
static EMPTY: Node = Node::Structure(&[]);

/// The nodes a body is read against (strictly), `None` for the lenient reading alone.
static NODES: &[Option<&Node>] =
    &[None, Some(&PUT_READINGS), Some(&READING), Some(&MEASUREMENT), Some(&READINGS), Some(&EMPTY), Some(&DOCUMENT)];

/// Reads `data` as described in the module documentation; a broken property panics.
pub fn cbor(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let node = NODES[usize::from(mode) % NODES.len()];
    let lenient = cbor::to_json(body, None);
    if let Some(node) = node {
        if let Ok(strict) = cbor::to_json(body, Some(node)) {
            assert!(lenient.is_ok(), "strictly read as {strict}, but not leniently: {lenient:?}");
        }
    }
    assert_eq!(lenient, cbor::to_json(body, None), "two readings differ");
    if let Ok(value) = lenient {
        let written = cbor::to_vec(&value).unwrap_or_else(|error| panic!("{value} cannot be written: {error}"));
        let again = cbor::to_json(&written, None);
        assert_eq!(again.as_ref(), Ok(&value), "{value} written as {written:02x?} reads back otherwise");
    }
}
