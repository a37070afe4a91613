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

pub use crate::node::{Field, Node, Placeholder};

/// The placeholder of a missing date-time timestamp.
const EPOCH_DATE_TIME: &str = "1970-01-01T00:00:00Z";

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
        Node::Leaf(Placeholder::String | Placeholder::Blob) => Value::String(String::new()),
        Node::Leaf(Placeholder::Number) => Value::from(0),
        Node::Leaf(Placeholder::Boolean) => Value::Bool(false),
        Node::Leaf(Placeholder::Null) => Value::Null,
        Node::Leaf(Placeholder::Text(text)) => Value::String((*text).to_owned()),
        Node::Leaf(Placeholder::DateTime) => Value::String(EPOCH_DATE_TIME.to_owned()),
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
/// An empty body reads as `{}`. Before any of that, [`scan`] refuses what serde alone would
/// let through.
pub fn read_body<T: DeserializeOwned>(
    body: &[u8],
    node: &Node,
    out: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, serde_json::Error> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    scan(body, node)?;
    match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) if error.is_syntax() || error.is_eof() => return Err(error),
        Err(_) => {}
    }
    let mut value: Value = serde_json::from_slice(body)?;
    check(&mut value, node, &Path::ROOT, out, filled);
    serde_json::from_value(value)
}

/// Reads a body already in the JSON data model (a CBOR body, see [`crate::cbor::to_json`],
/// which made the checks [`scan`] makes of JSON while reading it) as `T`, the way
/// [`read_body`] reads JSON: directly when it types, else with missing required members
/// reported and filled.
pub fn read_value<T: DeserializeOwned>(
    mut value: Value,
    node: &Node,
    out: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, serde_json::Error> {
    if let Ok(typed) = T::deserialize(&value) {
        return Ok(typed);
    }
    check(&mut value, node, &Path::ROOT, out, filled);
    serde_json::from_value(value)
}

/// Checks a whole JSON body against what typed reading alone would let through:
///
/// - a key twice in one object (RFC 8259 leaves its meaning open, so two readers of the same
///   bytes could disagree; and the JSON fallback of [`read_body`] would silently keep the last);
/// - an array where the model has a structure, union or map (serde's derived structures also
///   read positional arrays, which restJson1 never sends);
/// - nesting deeper than serde_json's limit of 128, and numbers beyond `f64`, anywhere, even
///   under members the model does not know (which are otherwise skipped unread);
/// - a union member the model does not define (a client keeps one as `Unknown`: a newer
///   service may send it; a caller must send what the model defines);
/// - a date-time timestamp with a UTC offset (a client accepts one).
///
/// These are the server's strict rules; the types' own reading is the client's lenient one,
/// so which side reads is decided by the call, not by a mode.
pub fn scan(body: &[u8], node: &Node) -> Result<(), serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    serde::de::DeserializeSeed::deserialize(Scan(Some(node)), &mut reader)?;
    reader.end()
}

/// One value being scanned, and what the model says it is (`None` under unknown members).
#[derive(Clone, Copy)]
struct Scan<'n>(Option<&'n Node>);

impl Scan<'_> {
    /// A number where the model has a text timestamp is refused: the typed reading takes
    /// epoch seconds there (CBOR's form, and a lenient client's), a JSON request may not.
    fn number<E: serde::de::Error>(self) -> Result<(), E> {
        match self.0 {
            Some(Node::Leaf(Placeholder::DateTime | Placeholder::Text(_))) => {
                Err(E::custom("a timestamp of this member is text, not a number"))
            }
            _ => Ok(()),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.number()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.number()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.number()
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        if let Some(Node::Leaf(Placeholder::DateTime)) = self.0 {
            let format = aws_smithy_types::date_time::Format::DateTime;
            if aws_smithy_types::DateTime::from_str(text, format).is_err() {
                return Err(E::custom(format_args!("`{text}` is not a valid date-time timestamp")));
            }
        }
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let item = match self.0 {
            Some(Node::Structure(_) | Node::Union(_) | Node::Map(_)) => {
                return Err(serde::de::Error::invalid_type(serde::de::Unexpected::Seq, &"a JSON object"));
            }
            Some(Node::List(item)) => Some(*item),
            _ => None,
        };
        while items.next_element_seed(Scan(item))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(key) = entries.next_key::<String>()? {
            let inner = match self.0 {
                Some(Node::Structure(fields)) => fields.iter().find(|f| f.name == key).map(|f| f.node),
                Some(Node::Union(fields)) => match fields.iter().find(|f| f.name == key) {
                    Some(field) => Some(field.node),
                    // Some services name the union's type; it is not a member.
                    None if key == "__type" => None,
                    None => return Err(serde::de::Error::custom(format_args!("the union has no member `{key}`"))),
                },
                Some(Node::Map(item)) => Some(*item),
                _ => None,
            };
            entries.next_value_seed(Scan(inner))?;
            if let Some(key) = seen.replace(key) {
                return Err(serde::de::Error::custom(format_args!("the key `{key}` appears twice in one object")));
            }
        }
        Ok(())
    }
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

    static STAMP: Node = Node::Leaf(Placeholder::DateTime);
    static CHOICE: Node = Node::Union(&[Field { name: "at", required: false, node: &STAMP }]);

    #[test]
    fn the_scan_holds_a_caller_to_the_server_s_rules() {
        let refused = |json: &str| scan(json.as_bytes(), &CHOICE).map_err(|e| e.to_string()).unwrap_err();
        assert!(refused(r#"{"newer": 1}"#).contains("the union has no member `newer`"));
        assert!(refused(r#"{"at": "1996-12-19T16:39:57-08:00"}"#).contains("not a valid date-time"));
        assert!(scan(br#"{"at": "1996-12-19T16:39:57Z"}"#, &CHOICE).is_ok());
        assert!(scan(br#"{"__type": "Choice", "at": "1996-12-19T16:39:57Z"}"#, &CHOICE).is_ok());
        // The typed reading takes epoch seconds for a text timestamp (CBOR's form); JSON may not.
        assert!(refused(r#"{"at": 851013597}"#).contains("a timestamp of this member is text"));
    }

    #[test]
    fn the_scan_refuses_what_typed_reading_would_let_through() {
        let refused = |json: &str| scan(json.as_bytes(), &BODY).map_err(|e| e.to_string()).unwrap_err();
        assert!(refused(r#"{"Items": [], "Items": [{"UserId": "a"}]}"#).contains("`Items` appears twice"));
        assert!(refused(r#"{"Items": [{"UserId": "a", "UserId": "b"}]}"#).contains("`UserId` appears twice"));
        assert!(refused(r#"{"Other": {"k": 1, "k": 2}}"#).contains("`k` appears twice"));
        assert!(refused(r#"[[{"UserId": "a"}]]"#).contains("expected a JSON object"));
        assert!(refused(r#"{"Items": [["a"]]}"#).contains("expected a JSON object"));
        let deep = format!(r#"{{"Items": [], "Unknown": {}{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
        assert!(refused(&deep).contains("recursion limit"));
        assert!(refused(r#"{"Unknown": 1e999}"#).contains("out of range"));
        assert!(scan(br#"{"Items": [{"UserId": "a"}], "Unknown": [[1, {"k": [2]}], null, true]}"#, &BODY).is_ok());
        // Scalars of the wrong type are left for serde to refuse.
        assert!(scan(br#"[1, "two", {"UserId": "a"}]"#, &ITEMS).is_ok());
        assert!(scan(br#"[{"UserId": "a"}, ["b"]]"#, &ITEMS).is_err());
        assert!(scan(br#"[{"UserId": "a"}, {"UserId": "b"}]"#, &ITEMS).is_ok());
    }
}
