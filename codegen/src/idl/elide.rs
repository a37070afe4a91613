//! Target elision (`$id`): a member takes its target from the resource named by `for`
//! (identifiers, then properties) or from a mixin's member of the same name. It runs after
//! every source is converted, since the resource or mixin may be in another file.

use serde_json::{Map, Value};

use super::assemble::Shapes;
use super::diag::Diagnostic;

/// How deep a chain of mixins is followed looking for a member.
const MAX_DEPTH: usize = 64;

/// Fills every elided target, reporting those nothing provides. A member elided from a
/// mixin is the mixin's member: it is left out of its shape, and its own traits, if any,
/// are handed back (by member ID) to be written as an `apply` entry, as the JSON AST does.
pub(super) fn fill(shapes: &mut Shapes, diags: &mut Vec<Diagnostic>) -> Vec<(String, Map<String, Value>)> {
    let mut applies = Vec::new();
    // A mixin's own elided members may need filling first, so go round until nothing moves.
    loop {
        let mut progress = false;
        let mut pending = 0;
        let ids: Vec<String> =
            shapes.iter().filter(|(_, e)| !e.converted.elided.is_empty()).map(|(id, _)| id.clone()).collect();
        for id in ids {
            let Some(entry) = shapes.get(&id) else { continue };
            let mut found = Vec::new();
            for (name, _) in &entry.converted.elided {
                let from_resource =
                    entry.converted.for_resource.as_ref().and_then(|r| resource_target(shapes, r, name));
                let from_mixin =
                    || mixin_ids(&entry.converted.json).iter().find_map(|m| member_target(shapes, m, name, 0));
                // A member a mixin also has is the mixin's, wherever its target was found.
                let target = match (from_resource, from_mixin()) {
                    (Some(target), mixin) => {
                        let inherited = mixin.as_ref() == Some(&target);
                        Some((target, inherited))
                    }
                    (None, mixin) => mixin.map(|target| (target, true)),
                };
                found.push(target);
            }
            let Some(entry) = shapes.get_mut(&id) else { continue };
            let elided = std::mem::take(&mut entry.converted.elided);
            for ((name, at), target) in elided.into_iter().zip(found) {
                match target.and_then(|t| Some((member_mut(&mut entry.converted.json, &name)?, t))) {
                    Some((member, (target, inherited))) => {
                        member.insert("target".to_owned(), Value::String(target));
                        progress = true;
                        // A member that only repeats what its mixin has is the mixin's, and
                        // the JSON AST leaves it out.
                        if inherited {
                            let traits = member.get("traits").and_then(Value::as_object).cloned();
                            remove_member(&mut entry.converted.json, &name);
                            applies.extend(traits.map(|traits| (format!("{id}${name}"), traits)));
                        }
                    }
                    None => {
                        pending += 1;
                        entry.converted.elided.push((name, at));
                    }
                }
            }
        }
        if pending == 0 || !progress {
            break;
        }
    }
    inherited_enum_values(shapes);
    for (id, entry) in shapes.iter() {
        for (name, at) in &entry.converted.elided {
            let message = format!(
                "{id}${name}: the member's target was elided, but no bound resource or mixin has an identifier, \
                 property or member named `{name}`"
            );
            diags.push(Diagnostic::error(Some(at.clone()), None, message));
        }
        if let Some(resource) = &entry.converted.for_resource {
            let kind = shapes.get(resource).and_then(|r| r.converted.json.get("type")).and_then(Value::as_str);
            if kind.is_some_and(|k| k != "resource") {
                let message = format!(
                    "the target of `for` must be a resource shape, but `{resource}` is a {}",
                    kind.unwrap_or("")
                );
                diags.push(Diagnostic::error(Some(entry.converted.at.clone()), None, message));
            }
        }
    }
    applies
}

/// An enum member that a mixin already has takes the mixin's value: the converter's
/// default value (the member's name) is dropped.
fn inherited_enum_values(shapes: &mut Shapes) {
    let mut drops = Vec::new();
    for (id, entry) in shapes.iter() {
        let json = &entry.converted.json;
        if json.get("type").and_then(Value::as_str) != Some("enum") {
            continue;
        }
        let mixins = mixin_ids(json);
        for (name, member) in json.get("members").and_then(Value::as_object).into_iter().flatten() {
            let value = member.get("traits").and_then(|t| t.get("smithy.api#enumValue")).and_then(Value::as_str);
            if value == Some(name.as_str()) && mixins.iter().any(|m| member_target(shapes, m, name, 0).is_some()) {
                drops.push((id.clone(), name.clone()));
            }
        }
    }
    for (id, name) in drops {
        let Some(entry) = shapes.get_mut(&id) else { continue };
        let Some(member) = member_mut(&mut entry.converted.json, &name) else { continue };
        let emptied = member.get_mut("traits").and_then(Value::as_object_mut).is_some_and(|traits| {
            traits.shift_remove("smithy.api#enumValue");
            traits.is_empty()
        });
        if emptied {
            member.shift_remove("traits");
        }
    }
}

fn resource_target(shapes: &Shapes, resource: &str, name: &str) -> Option<String> {
    let json = &shapes.get(resource)?.converted.json;
    ["identifiers", "properties"]
        .iter()
        .find_map(|key| json.get(*key)?.get(name)?.get("target")?.as_str().map(str::to_owned))
}

fn mixin_ids(json: &Map<String, Value>) -> Vec<String> {
    let mixins = json.get("mixins").and_then(Value::as_array).into_iter().flatten();
    mixins.filter_map(|m| m.get("target")?.as_str().map(str::to_owned)).collect()
}

/// The target of member `name` of shape `id`, its own or a mixin's.
fn member_target(shapes: &Shapes, id: &str, name: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let json = &shapes.get(id)?.converted.json;
    let own = members(json).and_then(|m| m.get(name)?.get("target")?.as_str().map(str::to_owned));
    if own.is_some() {
        return own;
    }
    mixin_ids(json).iter().find_map(|m| member_target(shapes, m, name, depth + 1))
}

/// The members of a shape's JSON: `members`, or the list's and map's named members.
fn members(json: &Map<String, Value>) -> Option<Map<String, Value>> {
    if let Some(Value::Object(members)) = json.get("members") {
        return Some(members.clone());
    }
    let named: Map<String, Value> =
        ["member", "key", "value"].iter().filter_map(|k| Some(((*k).to_owned(), json.get(*k)?.clone()))).collect();
    (!named.is_empty()).then_some(named)
}

/// The JSON of member `name` of a shape, to edit.
pub(super) fn member_mut<'a>(json: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Map<String, Value>> {
    if json.contains_key("members") {
        return json.get_mut("members")?.get_mut(name)?.as_object_mut();
    }
    if matches!(name, "member" | "key" | "value") {
        return json.get_mut(name)?.as_object_mut();
    }
    None
}

/// [`member_mut`] on a shape held as a JSON value.
pub(super) fn member_mut_value<'a>(shape: &'a mut Value, name: &str) -> Option<&'a mut Map<String, Value>> {
    member_mut(shape.as_object_mut()?, name)
}

fn remove_member(json: &mut Map<String, Value>, name: &str) {
    match json.get_mut("members").and_then(Value::as_object_mut) {
        Some(members) => {
            members.shift_remove(name);
        }
        None => {
            json.shift_remove(name);
        }
    }
}
