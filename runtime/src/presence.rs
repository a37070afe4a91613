//! `@required` members on the wire. A typed input cannot hold a missing required member (it
//! is a plain field), so a body that lacks one is checked as JSON: every absent or null
//! required member is reported, a placeholder is put in its place so the rest of the body
//! still types and validates, and violations found under a placeholder are dropped.
//!
//! The generator describes each body as a tree of static [`Node`]s; recursive shapes are
//! statics that refer to each other.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::validation::{required, Path, Violation};

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
    /// `""`: strings, enums, blobs.
    String,
    /// `0`: numbers, intEnums, epoch-seconds timestamps.
    Number,
    /// `false`.
    Boolean,
    /// `null`: documents.
    Null,
    /// A fixed text: timestamps in a text format.
    Text(&'static str),
}

/// How deep placeholders are built; a required member cannot recurse forever in a valid
/// model, this only bounds a model that tries.
const MAX_PLACEHOLDER_DEPTH: usize = 32;

/// Reports every required member missing under `value` and fills each with a placeholder,
/// recording the placeholders' paths in `filled`. A value of the wrong JSON type is left for
/// serde to reject as malformed.
pub fn check(value: &mut Value, node: &Node, path: &Path<'_>, out: &mut Vec<Violation>, filled: &mut Vec<String>) {
    match (node, value) {
        (Node::Structure(fields), Value::Object(map)) => {
            for field in *fields {
                match map.get_mut(field.name) {
                    Some(Value::Null) | None if field.required => {
                        required(field.name, path, out);
                        filled.push(path.name(field.name).render());
                        map.insert(field.name.to_owned(), placeholder(field.node, 0));
                    }
                    Some(inner) if !inner.is_null() => check(inner, field.node, &path.name(field.name), out, filled),
                    _ => {}
                }
            }
        }
        (Node::Union(fields), Value::Object(map)) => {
            for (key, inner) in map.iter_mut() {
                if let Some(field) = fields.iter().find(|f| f.name == key) {
                    check(inner, field.node, &path.name(key), out, filled);
                }
            }
        }
        (Node::List(item), Value::Array(items)) => {
            for (index, inner) in items.iter_mut().enumerate() {
                check(inner, item, &path.index(index), out, filled);
            }
        }
        (Node::Map(item), Value::Object(map)) => {
            for (key, inner) in map.iter_mut() {
                check(inner, item, &path.name(key), out, filled);
            }
        }
        _ => {}
    }
}

/// JSON that deserializes as the node with every required member present.
fn placeholder(node: &Node, depth: usize) -> Value {
    if depth > MAX_PLACEHOLDER_DEPTH {
        return Value::Null;
    }
    match node {
        Node::Leaf(Placeholder::String) => Value::String(String::new()),
        Node::Leaf(Placeholder::Number) => Value::from(0),
        Node::Leaf(Placeholder::Boolean) => Value::Bool(false),
        Node::Leaf(Placeholder::Null) => Value::Null,
        Node::Leaf(Placeholder::Text(text)) => Value::String((*text).to_owned()),
        Node::Structure(fields) => Value::Object(
            fields.iter().filter(|f| f.required).map(|f| (f.name.to_owned(), placeholder(f.node, depth + 1))).collect(),
        ),
        Node::Union(fields) => {
            let mut map = Map::new();
            if let Some(first) = fields.first() {
                map.insert(first.name.to_owned(), placeholder(first.node, depth + 1));
            }
            Value::Object(map)
        }
        Node::List(_) => Value::Array(Vec::new()),
        Node::Map(_) => Value::Object(Map::new()),
    }
}

/// Drops violations at or under a placeholder's path: they are about the stand-in, not
/// about anything the caller sent.
pub fn without_placeholders(violations: Vec<Violation>, filled: &[String]) -> Vec<Violation> {
    violations
        .into_iter()
        .filter(|v| {
            !filled
                .iter()
                .any(|p| v.path == *p || (v.path.starts_with(p.as_str()) && v.path[p.len()..].starts_with('/')))
        })
        .collect()
}

/// Reads a JSON body as `T`. The fast path deserializes directly; only when that fails is the
/// body read as JSON, checked for missing required members (reported into `out`, filled into
/// `filled`), and typed again. `Err` is a malformed body: not JSON, or JSON of the wrong shape.
/// An empty body reads as `{}`.
pub fn read_body<T: DeserializeOwned>(
    body: &[u8],
    node: &Node,
    out: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, serde_json::Error> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) if error.is_syntax() || error.is_eof() => return Err(error),
        Err(_) => {}
    }
    let mut value: Value = serde_json::from_slice(body)?;
    check(&mut value, node, &Path::ROOT, out, filled);
    serde_json::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    static LEAF: Node = Node::Leaf(Placeholder::String);
    static ITEM: Node = Node::Structure(&[
        Field { name: "UserId", required: true, node: &LEAF },
        Field { name: "LicenseType", required: false, node: &LEAF },
    ]);
    static ITEMS: Node = Node::List(&ITEM);
    static BODY: Node = Node::Structure(&[Field { name: "Items", required: true, node: &ITEMS }]);
    // A recursive shape: a tree whose children are trees.
    static TREE: Node = Node::Structure(&[
        Field { name: "name", required: true, node: &LEAF },
        Field { name: "children", required: false, node: &TREES },
    ]);
    static TREES: Node = Node::List(&TREE);

    fn checked(json: &str, node: &Node) -> (Value, Vec<String>, Vec<String>) {
        let mut value: Value = serde_json::from_str(json).unwrap();
        let (mut out, mut filled) = (Vec::new(), Vec::new());
        check(&mut value, node, &Path::ROOT, &mut out, &mut filled);
        (value, out.into_iter().map(|v| v.message).collect(), filled)
    }

    #[test]
    fn missing_and_null_required_members_are_reported_and_filled() {
        let (value, out, filled) =
            checked(r#"{"Items": [{"UserId": "a"}, {"LicenseType": "Pro"}, {"UserId": null}]}"#, &BODY);
        assert_eq!(
            out,
            [
                "Value at '/Items/1/UserId' failed to satisfy constraint: Member must not be null",
                "Value at '/Items/2/UserId' failed to satisfy constraint: Member must not be null"
            ]
        );
        assert_eq!(filled, ["/Items/1/UserId", "/Items/2/UserId"]);
        assert_eq!(value["Items"][1]["UserId"], "");
    }

    #[test]
    fn recursion_is_followed() {
        let (_, out, _) = checked(r#"{"name": "a", "children": [{"children": [{}]}]}"#, &TREE);
        assert_eq!(out.len(), 2);
        assert!(out[1].contains("'/children/0/children/0/name'"), "{out:?}");
    }

    #[test]
    fn violations_under_placeholders_are_dropped() {
        let violation = |path: &str| Violation { path: path.into(), message: String::new() };
        let kept = without_placeholders(
            vec![violation("/Items/1/UserId"), violation("/Items/1/UserIdentity"), violation("/Items/10/UserId")],
            &["/Items/1/UserId".to_owned(), "/Items/1".to_owned()],
        );
        assert_eq!(kept.into_iter().map(|v| v.path).collect::<Vec<_>>(), ["/Items/10/UserId"]);
    }
}
