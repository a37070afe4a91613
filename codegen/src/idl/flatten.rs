//! Mixin flattening on a JSON AST document, for `cargo xtask ast --flatten` and the loader
//! tests' `.flattened.smithy` cases: each shape takes its mixins' members and traits (its own
//! win), mixins of mixins first, and the mixin shapes themselves are dropped. The generator
//! does not use this: it flattens in the lowering, on the model IR.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

const MIXIN: &str = "smithy.api#mixin";

/// Flattens every shape of `document` that names mixins, and removes the mixins.
pub fn flatten(document: &mut Value) {
    let Some(shapes) = document.get_mut("shapes").and_then(Value::as_object_mut) else { return };
    let ids: Vec<String> = shapes.keys().cloned().collect();
    let mut done = BTreeSet::new();
    for id in &ids {
        flatten_one(shapes, id, &mut done, 0);
    }
    shapes.retain(|_, shape| shape.get("type").and_then(Value::as_str) != Some("apply"));
    shapes.retain(|_, shape| shape.get("traits").and_then(|t| t.get(MIXIN)).is_none());
}

fn flatten_one(shapes: &mut Map<String, Value>, id: &str, done: &mut BTreeSet<String>, depth: usize) {
    if depth > 64 || !done.insert(id.to_owned()) {
        return;
    }
    let mixins: Vec<String> = shapes
        .get(id)
        .and_then(|s| s.get("mixins"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("target")?.as_str().map(str::to_owned))
        .collect();
    if mixins.is_empty() {
        return;
    }
    for mixin in &mixins {
        flatten_one(shapes, mixin, done, depth + 1);
    }
    let inherited: Vec<Map<String, Value>> =
        mixins.iter().filter_map(|m| shapes.get(m).and_then(Value::as_object).cloned()).collect();
    let Some(Value::Object(shape)) = shapes.get_mut(id) else { return };
    shape.remove("mixins");
    let mut traits = Map::new();
    for mixin in &inherited {
        let local = local_traits(mixin);
        for (trait_id, value) in mixin.get("traits").and_then(Value::as_object).into_iter().flatten() {
            if trait_id != MIXIN && !local.contains(trait_id.as_str()) {
                traits.insert(trait_id.clone(), value.clone());
            }
        }
    }
    if let Some(Value::Object(own)) = shape.remove("traits") {
        traits.extend(own);
    }
    if !traits.is_empty() {
        shape.insert("traits".to_owned(), Value::Object(traits));
    }
    inherit_members(shape, &inherited);
    for mixin in &inherited {
        inherit(shape, mixin);
    }
    // `apply` entries for members only a mixin gave can be merged now, before a shape that
    // uses this one as a mixin takes its members.
    let prefix = format!("{id}$");
    let applies: Vec<(String, Value)> = shapes
        .iter()
        .filter(|(key, s)| key.starts_with(&prefix) && s.get("type").and_then(Value::as_str) == Some("apply"))
        .filter_map(|(key, s)| Some((key[prefix.len()..].to_owned(), s.get("traits")?.clone())))
        .collect();
    for (member, traits) in applies {
        let target = shapes.get_mut(id).and_then(|s| super::elide::member_mut_value(s, &member));
        if let (Some(target), Value::Object(traits)) = (target, traits) {
            let own = target.entry("traits").or_insert_with(|| Value::Object(Map::new()));
            if let Some(own) = own.as_object_mut() {
                own.extend(traits);
            }
        }
    }
}

fn local_traits(mixin: &Map<String, Value>) -> BTreeSet<&str> {
    let local = mixin.get("traits").and_then(|t| t.get(MIXIN)).and_then(|m| m.get("localTraits"));
    local.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

/// Merges the members of every (already flattened) mixin into `shape`: theirs first, in
/// mixin order (a later mixin's traits over an earlier one's), then its own.
fn inherit_members(shape: &mut Map<String, Value>, inherited: &[Map<String, Value>]) {
    if !inherited.iter().any(|m| m.contains_key("members")) {
        return;
    }
    let mut merged = Map::new();
    for mixin in inherited {
        for (name, member) in mixin.get("members").and_then(Value::as_object).into_iter().flatten() {
            match merged.get_mut(name) {
                Some(existing) => merge_member(existing, member.clone()),
                None => {
                    merged.insert(name.clone(), member.clone());
                }
            }
        }
    }
    if let Some(Value::Object(own)) = shape.remove("members") {
        for (name, member) in own {
            match merged.get_mut(&name) {
                Some(existing) => merge_member(existing, member),
                None => {
                    merged.insert(name, member);
                }
            }
        }
    }
    shape.insert("members".to_owned(), Value::Object(merged));
}

/// Merges the rest of one (already flattened) mixin into `shape`.
fn inherit(shape: &mut Map<String, Value>, mixin: &Map<String, Value>) {
    for key in ["member", "key", "value"] {
        if let Some(inherited) = mixin.get(key) {
            match shape.get_mut(key) {
                Some(own) => {
                    let mine = own.clone();
                    *own = inherited.clone();
                    merge_member(own, mine);
                }
                None => {
                    shape.insert(key.to_owned(), inherited.clone());
                }
            }
        }
    }
    for (key, value) in mixin {
        if matches!(key.as_str(), "type" | "traits" | "members" | "member" | "key" | "value" | "mixins") {
            continue;
        }
        match (shape.get_mut(key), value) {
            (Some(Value::Array(own)), Value::Array(more)) => {
                // The mixin's come first, as Smithy orders them.
                let mine = std::mem::take(own);
                own.extend(more.iter().cloned());
                own.extend(mine.into_iter().filter(|item| !more.contains(item)));
            }
            (Some(Value::Object(own)), Value::Object(more)) => {
                for (k, v) in more {
                    own.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            (Some(_), _) => {}
            (None, value) => {
                shape.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A redefined member: its own target, the inherited traits with its own over them.
fn merge_member(existing: &mut Value, own: Value) {
    let Value::Object(own) = own else { return };
    let Some(existing) = existing.as_object_mut() else { return };
    if let Some(target) = own.get("target") {
        existing.insert("target".to_owned(), target.clone());
    }
    if let Some(Value::Object(traits)) = own.get("traits") {
        let into = existing.entry("traits").or_insert_with(|| Value::Object(Map::new()));
        if let Some(into) = into.as_object_mut() {
            into.extend(traits.clone());
        }
    }
}
