//! Trait values against the shapes that define their traits: a structure needs an object
//! with known members and its required ones, a list an array, a string a string, and so on,
//! recursively. The built-in traits the generator reads (`@http`, `@restJson1`,
//! `@httpRequestTests`, ...) are defined this way, so a value of the wrong type is reported
//! where it was written instead of surfacing later as a vague failure.
//!
//! It is lenient where Smithy is: `null` is accepted anywhere (an absent optional value),
//! floats accept the strings `NaN`, `Infinity` and `-Infinity`, and values of `document`
//! shapes are free. A member the trait's structure does not have is a warning, not an error:
//! AWS's published models set members that newer trait definitions add (`aws.api#tagEnabled`
//! with `tagOnCreate`), and the generator must read them unmodified.

use serde_json::{Map, Value};

/// How deep a value is followed into nested shapes (models are far shallower; a recursive
/// shape with a hostile value must not recurse without end).
const MAX_DEPTH: usize = 32;

/// Finds the JSON of a shape by absolute ID.
pub trait Lookup {
    /// The shape `id`, when it is known.
    fn shape(&self, id: &str) -> Option<&Map<String, Value>>;
}

/// The first thing wrong with `value` as a value of shape `id`, as a message with the path
/// inside the value (`$.method`, `$[2].params`). Members the shapes do not have are added to
/// `unknown`, as messages, and do not fail the check.
pub fn check(value: &Value, id: &str, shapes: &dyn Lookup, unknown: &mut Vec<String>) -> Option<String> {
    check_at(value, id, &mut Cx { shapes, unknown }, "$", 0)
}

struct Cx<'a, 'b> {
    shapes: &'a dyn Lookup,
    unknown: &'b mut Vec<String>,
}

fn check_at(value: &Value, id: &str, cx: &mut Cx<'_, '_>, at: &str, depth: usize) -> Option<String> {
    let shapes = cx.shapes;
    if value.is_null() || depth > MAX_DEPTH {
        return None;
    }
    let shape = shapes.shape(id)?;
    let kind = shape.get("type").and_then(Value::as_str)?;
    let wrong = |expected: &str| Some(format!("{at}: expected {expected} ({id}), found {}", describe(value)));
    match kind {
        "structure" | "union" => {
            let Value::Object(entries) = value else { return wrong("an object") };
            let members = members(shape, shapes, 0);
            for (key, inner) in entries {
                let Some((_, member)) = members.iter().find(|(name, _)| name == key) else {
                    cx.unknown.push(format!("{at}: {id} has no member `{key}`"));
                    continue;
                };
                let target = member.get("target").and_then(Value::as_str).unwrap_or_default();
                if let Some(problem) = check_at(inner, target, cx, &format!("{at}.{key}"), depth + 1) {
                    return Some(problem);
                }
            }
            if kind == "union" && entries.len() != 1 && !entries.is_empty() {
                return Some(format!("{at}: a union value ({id}) sets exactly one member, found {}", entries.len()));
            }
            let required =
                members.iter().filter(|(_, m)| m.get("traits").is_some_and(|t| t.get("smithy.api#required").is_some()));
            for (name, _) in required {
                if kind == "structure" && !entries.contains_key(*name) {
                    return Some(format!("{at}: missing required member `{name}` of {id}"));
                }
            }
            None
        }
        "list" | "set" => {
            let Value::Array(items) = value else { return wrong("an array") };
            let target = element(shape, "member", shapes)?;
            items.iter().enumerate().find_map(|(i, item)| check_at(item, &target, cx, &format!("{at}[{i}]"), depth + 1))
        }
        "map" => {
            let Value::Object(entries) = value else { return wrong("an object") };
            let target = element(shape, "value", shapes)?;
            entries.iter().find_map(|(key, item)| check_at(item, &target, cx, &format!("{at}.{key}"), depth + 1))
        }
        "string" | "enum" | "blob" => (!value.is_string()).then(|| wrong("a string")).flatten(),
        "boolean" => (!value.is_boolean()).then(|| wrong("a boolean")).flatten(),
        "byte" | "short" | "integer" | "long" | "intEnum" | "bigInteger" => {
            (!(value.is_i64() || value.is_u64())).then(|| wrong("an integer")).flatten()
        }
        "float" | "double" | "bigDecimal" => {
            let special = matches!(value.as_str(), Some("NaN" | "Infinity" | "-Infinity"));
            (!(value.is_number() || special)).then(|| wrong("a number")).flatten()
        }
        "timestamp" => (!(value.is_number() || value.is_string())).then(|| wrong("a timestamp")).flatten(),
        _ => None,
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A structure's members, its mixins' included.
fn members<'a>(
    shape: &'a Map<String, Value>,
    shapes: &'a dyn Lookup,
    depth: usize,
) -> Vec<(&'a str, &'a Map<String, Value>)> {
    let mut out = Vec::new();
    if depth > MAX_DEPTH {
        return out;
    }
    for mixin in mixins(shape) {
        if let Some(mixin) = shapes.shape(&mixin) {
            out.extend(members(mixin, shapes, depth + 1));
        }
    }
    for (name, member) in shape.get("members").and_then(Value::as_object).into_iter().flatten() {
        if let Some(member) = member.as_object() {
            out.retain(|(n, _)| *n != name.as_str());
            out.push((name.as_str(), member));
        }
    }
    out
}

/// The target of a list's or map's element, its mixins' when it has none of its own.
fn element(shape: &Map<String, Value>, name: &str, shapes: &dyn Lookup) -> Option<String> {
    if let Some(target) = shape.get(name).and_then(|m| m.get("target")).and_then(Value::as_str) {
        return Some(target.to_owned());
    }
    mixins(shape).iter().find_map(|m| shapes.shape(m).and_then(|mixin| element(mixin, name, shapes)))
}

fn mixins(shape: &Map<String, Value>) -> Vec<String> {
    let list = shape.get("mixins").and_then(Value::as_array).into_iter().flatten();
    list.filter_map(|m| m.get("target")?.as_str().map(str::to_owned)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    struct Shapes(BTreeMap<String, Map<String, Value>>);

    impl Lookup for Shapes {
        fn shape(&self, id: &str) -> Option<&Map<String, Value>> {
            self.0.get(id)
        }
    }

    fn shapes() -> Shapes {
        let entries = [
            (
                "a#T",
                json!({"type": "structure", "members": {
                "method": {"target": "a#S", "traits": {"smithy.api#required": {}}},
                "codes": {"target": "a#L"}}}),
            ),
            ("a#S", json!({"type": "string"})),
            ("a#I", json!({"type": "integer"})),
            ("a#L", json!({"type": "list", "member": {"target": "a#I"}})),
        ];
        let map = entries.into_iter().filter_map(|(k, v)| Some((k.to_owned(), v.as_object()?.clone()))).collect();
        Shapes(map)
    }

    #[test]
    fn values_are_checked_against_their_shapes() {
        let s = shapes();
        let mut unknown = Vec::new();
        let mut check = |value: Value| check(&value, "a#T", &s, &mut unknown);
        assert_eq!(check(json!({"method": "GET", "codes": [1, 2]})), None);
        assert!(check(json!({"method": 1})).is_some_and(|m| m.contains("$.method")));
        assert!(check(json!({"codes": [1]})).is_some_and(|m| m.contains("required member `method`")));
        assert!(check(json!({"method": "GET", "codes": [1, "x"]})).is_some_and(|m| m.contains("$.codes[1]")));
        assert_eq!(check(json!({"method": "GET", "other": 1})), None);
        assert!(unknown.iter().any(|m| m.contains("no member `other`")), "{unknown:?}");
    }
}
