//! 1.0 shapes in a 2.0 model. One document has one version, so when 1.0 and 2.0 files are
//! mixed the 1.0 shapes are written with 2.0's meaning: a structure member that 1.0 made
//! non-null (it targets an unboxed boolean or number, and is neither boxed nor required)
//! gets the zero `@default` that says so in 2.0, as Smithy's own upgrade does.

use serde_json::{json, Value};

use super::assemble::Shapes;
use super::resolve::PRELUDE;
use super::syntax::Version;

/// Rewrites the members of every 1.0 structure for a 2.0 document.
pub(super) fn v1_to_v2(shapes: &mut Shapes) {
    let mut edits = Vec::new();
    for (id, entry) in shapes.iter() {
        let json = &entry.converted.json;
        if entry.converted.version != Version::V1 || json.get("type").and_then(Value::as_str) != Some("structure") {
            continue;
        }
        for (name, member) in json.get("members").and_then(Value::as_object).into_iter().flatten() {
            let traits = member.get("traits").and_then(Value::as_object);
            let has = |t: &str| traits.is_some_and(|traits| traits.contains_key(t));
            if has("smithy.api#box") || has("smithy.api#default") || has("smithy.api#required") {
                continue;
            }
            let Some(target) = member.get("target").and_then(Value::as_str) else { continue };
            if let Some(zero) = zero_of(shapes, target) {
                edits.push((id.clone(), name.clone(), zero));
            }
        }
    }
    for (id, name, zero) in edits {
        let member = shapes
            .get_mut(&id)
            .and_then(|e| e.converted.json.get_mut("members"))
            .and_then(|m| m.get_mut(&name))
            .and_then(Value::as_object_mut);
        if let Some(member) = member {
            let traits = member.entry("traits").or_insert_with(|| json!({}));
            if let Some(traits) = traits.as_object_mut() {
                traits.insert("smithy.api#default".to_owned(), zero);
            }
        }
    }
}

/// The zero a 1.0 member targeting `target` defaults to, when 1.0 made it non-null.
fn zero_of(shapes: &Shapes, target: &str) -> Option<Value> {
    if let Some(name) = target.strip_prefix(&format!("{PRELUDE}#")) {
        return match name {
            "PrimitiveBoolean" => Some(json!(false)),
            "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong" | "PrimitiveFloat"
            | "PrimitiveDouble" => Some(json!(0)),
            _ => None,
        };
    }
    let entry = shapes.get(target)?;
    let json = &entry.converted.json;
    let boxed = json.get("traits").and_then(|t| t.get("smithy.api#box")).is_some();
    if entry.converted.version != Version::V1 || boxed {
        return None;
    }
    match json.get("type").and_then(Value::as_str)? {
        "boolean" => Some(json!(false)),
        "byte" | "short" | "integer" | "long" | "float" | "double" => Some(json!(0)),
        _ => None,
    }
}
