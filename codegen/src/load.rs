//! Load: JSON text to the AST mirror, one shape at a time, so that every malformed shape is
//! reported with its JSON path and none hides the next.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::ast;
use crate::model::Simple;
use crate::problem::{path, Sink};
use crate::shape_id::ShapeId;

/// The Smithy IDL version a model is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlVersion {
    /// Smithy 1.0: `set`, `@box`, the `@enum` trait, non-null primitives.
    V1,
    /// Smithy 2.0.
    V2,
}

/// A shape as written, typed by its `type`.
#[derive(Debug, Clone)]
#[allow(missing_docs)] // each variant is the JSON AST type of the same name
pub enum AstShape {
    Simple(Simple, ast::Simple),
    List(ast::List),
    Set(ast::List),
    Map(ast::Map),
    Structure(ast::Aggregate),
    Union(ast::Aggregate),
    Enum(ast::Aggregate),
    IntEnum(ast::Aggregate),
    Operation(ast::Operation),
    Resource(ast::Resource),
    Service(ast::Service),
    Apply(ast::Simple),
}

/// One shape entry of the model file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key it was written under (a member ID only for `apply`).
    pub id: ShapeId,
    /// Its JSON path.
    pub path: String,
    /// Its content.
    pub shape: AstShape,
}

/// A model file, read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The IDL version it declares.
    pub version: IdlVersion,
    /// Its shape entries, in file order.
    pub entries: Vec<Entry>,
    /// Shapes present in the file that could not be read; their problems are already
    /// reported, so references to them are not reported again as dangling.
    pub unreadable: BTreeSet<ShapeId>,
}

/// Reads a Smithy JSON AST. Problems go to `sink`; shapes that could not be read are left
/// out of the result, so a caller must check the sink before trusting it.
pub fn load(text: &str, sink: &mut Sink) -> Option<Loaded> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let model: ast::Model = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(model) => model,
        Err(error) => {
            let inner = error.path().to_string();
            let at = if inner == "." { "$".to_owned() } else { format!("$.{inner}") };
            let error = error.into_inner();
            let what = if error.is_syntax() || error.is_eof() { "valid JSON" } else { "a Smithy JSON AST model" };
            sink.report(None, at, format!("the file is not {what}: {error}"));
            return None;
        }
    };
    let version = match model.smithy.as_str() {
        "1" | "1.0" => IdlVersion::V1,
        "2" | "2.0" => IdlVersion::V2,
        other => {
            sink.report(None, "$.smithy", format!("unsupported Smithy version `{other}` (expected 1.0 or 2.0)"));
            return None;
        }
    };
    let mut entries = Vec::new();
    let mut unreadable = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for (key, raw) in &model.shapes.0 {
        if !keys.insert(key.as_str()) {
            let at = format!("$.shapes[{}]", serde_json::Value::String(key.clone()));
            sink.report(ShapeId::parse(key).ok().as_ref(), at, "the shape is defined more than once");
            continue;
        }
        match read_entry(key, raw, sink) {
            Some(entry) => entries.push(entry),
            None => unreadable.extend(ShapeId::parse(key).ok()),
        }
    }
    Some(Loaded { version, entries, unreadable })
}

fn read_entry(key: &str, raw: &RawValue, sink: &mut Sink) -> Option<Entry> {
    let key_path = format!("$.shapes[{}]", serde_json::Value::String(key.to_owned()));
    let id = match ShapeId::parse(key) {
        Ok(id) => id,
        Err(message) => {
            sink.report(None, key_path, message);
            return None;
        }
    };
    let path = if id.member.is_some() { key_path } else { path::shape(&id) };
    let kind = read::<ast::ShapeType>(raw, &id, &path, sink)?.kind;
    if id.member.is_some() && kind != "apply" {
        sink.report(Some(&id), path, "only an `apply` entry may be keyed by a member ID");
        return None;
    }
    let shape = match kind.as_str() {
        "list" => AstShape::List(read(raw, &id, &path, sink)?),
        "set" => AstShape::Set(read(raw, &id, &path, sink)?),
        "map" => AstShape::Map(read(raw, &id, &path, sink)?),
        "structure" => AstShape::Structure(read(raw, &id, &path, sink)?),
        "union" => AstShape::Union(read(raw, &id, &path, sink)?),
        "enum" => AstShape::Enum(read(raw, &id, &path, sink)?),
        "intEnum" => AstShape::IntEnum(read(raw, &id, &path, sink)?),
        "operation" => AstShape::Operation(read(raw, &id, &path, sink)?),
        "resource" => AstShape::Resource(read(raw, &id, &path, sink)?),
        "service" => AstShape::Service(read(raw, &id, &path, sink)?),
        "apply" => AstShape::Apply(read(raw, &id, &path, sink)?),
        name => match Simple::from_type_name(name) {
            Some(simple) => AstShape::Simple(simple, read(raw, &id, &path, sink)?),
            None => {
                sink.report(Some(&id), format!("{path}.type"), format!("unknown shape type `{name}`"));
                return None;
            }
        },
    };
    Some(Entry { id, path, shape })
}

/// Reads one shape's JSON into its mirror, reporting the first thing wrong in it with the
/// exact path.
fn read<T: DeserializeOwned>(raw: &RawValue, id: &ShapeId, path: &str, sink: &mut Sink) -> Option<T> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Some(value),
        Err(error) => {
            let inner = error.path().to_string();
            let at = if inner == "." { path.to_owned() } else { format!("{path}.{inner}") };
            let message = error.into_inner().to_string();
            // serde_json appends a position inside this one shape's text, which would
            // mislead next to a path into the whole file.
            let message = message.split(" at line ").next().unwrap_or(&message);
            sink.report(Some(id), at, format!("malformed shape: {message}"));
            None
        }
    }
}
