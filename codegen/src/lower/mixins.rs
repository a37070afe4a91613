//! Mixin flattening: a shape takes its mixins' members and traits (its own win), mixins of
//! mixins first. The `@mixin` shapes stay in the model but are never emitted.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::missing_member;
use crate::model::{Kind, Member, Model, Shape};
use crate::problem::Sink;
use crate::shape_id::ShapeId;
use crate::traits::ids;

/// Mixin references by the shape that names them, each with its JSON path.
pub type MixinRefs = BTreeMap<ShapeId, Vec<(ShapeId, String)>>;

/// Flattens every shape that names mixins.
pub fn flatten(model: &mut Model, refs: &MixinRefs, sink: &mut Sink) {
    let mut done = BTreeSet::new();
    for id in refs.keys() {
        flatten_one(model, refs, id, &mut done, &mut Vec::new(), sink);
    }
}

fn flatten_one(
    model: &mut Model,
    refs: &MixinRefs,
    id: &ShapeId,
    done: &mut BTreeSet<ShapeId>,
    stack: &mut Vec<ShapeId>,
    sink: &mut Sink,
) {
    if done.contains(id) {
        return;
    }
    if stack.contains(id) {
        let at = model.get(id).map(|s| s.path.clone()).unwrap_or_default();
        sink.report(Some(id), format!("{at}.mixins"), "mixins form a cycle");
        return;
    }
    stack.push(id.clone());
    let mut mixins = Vec::new();
    for (mixin_id, at) in refs.get(id).into_iter().flatten() {
        if refs.contains_key(mixin_id) {
            flatten_one(model, refs, mixin_id, done, stack, sink);
        }
        match model.get(mixin_id) {
            None => sink.report(Some(id), at, format!("mixin {mixin_id} does not exist")),
            Some(mixin) if !mixin.traits.has(ids::MIXIN) => {
                sink.report(Some(id), at, format!("{mixin_id} is used as a mixin but has no @mixin trait"));
            }
            Some(mixin) => mixins.push((mixin.clone(), at.clone())),
        }
    }
    stack.pop();
    done.insert(id.clone());
    if let Some(shape) = model.shapes.get_mut(id) {
        for (mixin, at) in &mixins {
            inherit(shape, mixin, at, sink);
        }
    }
}

/// Merges one mixin into `shape`: the shape's own traits and member traits win.
fn inherit(shape: &mut Shape, mixin: &Shape, at: &str, sink: &mut Sink) {
    let local = local_traits(mixin);
    for (trait_id, value) in &mixin.traits.raw {
        if trait_id != ids::MIXIN && !local.contains(trait_id.as_str()) && !shape.traits.raw.contains_key(trait_id) {
            shape.traits.raw.insert(trait_id.clone(), value.clone());
        }
    }
    let id = shape.id.clone();
    match (&mut shape.kind, &mixin.kind) {
        (Kind::Structure(own), Kind::Structure(inherited))
        | (Kind::Union(own), Kind::Union(inherited))
        | (Kind::Enum(own), Kind::Enum(inherited))
        | (Kind::IntEnum(own), Kind::IntEnum(inherited)) => {
            let mut merged = IndexMap::new();
            for (name, member) in inherited {
                let mut member = rebased(member, &id);
                if let Some(mine) = own.shift_remove(name) {
                    if mine.target != member.target {
                        sink.report(
                            Some(&mine.id),
                            &mine.path,
                            format!("redefines mixin member `{name}` with another target"),
                        );
                    }
                    member.traits.raw.extend(mine.traits.raw);
                }
                merged.insert(name.clone(), member);
            }
            merged.extend(own.drain(..));
            *own = merged;
        }
        (Kind::List(own), Kind::List(inherited)) => inherit_element(own, inherited, &id),
        (Kind::Map { key, value }, Kind::Map { key: k, value: v }) => {
            inherit_element(key, k, &id);
            inherit_element(value, v, &id);
        }
        (Kind::Operation(own), Kind::Operation(inherited)) => {
            for error in &inherited.errors {
                if !own.errors.contains(error) {
                    own.errors.push(error.clone());
                }
            }
        }
        (Kind::Simple(a), Kind::Simple(b)) if a == b => {}
        (Kind::Service(_), Kind::Service(_)) | (Kind::Resource(_), Kind::Resource(_)) => {}
        (kind, other) => sink.report(
            Some(&id),
            at,
            format!("{} cannot use mixin {} of type {}", kind.described(), mixin.id, other.type_name()),
        ),
    }
}

fn inherit_element(own: &mut Member, inherited: &Member, id: &ShapeId) {
    if own.target == missing_member() {
        *own = rebased(inherited, id);
    } else {
        let mut traits = inherited.traits.raw.clone();
        traits.extend(std::mem::take(&mut own.traits.raw));
        own.traits.raw = traits;
    }
}

/// A mixin's member as a member of `owner`.
fn rebased(member: &Member, owner: &ShapeId) -> Member {
    Member { id: owner.with_member(&member.name), ..member.clone() }
}

/// The traits a mixin keeps to itself (`@mixin(localTraits: [...])`).
fn local_traits(mixin: &Shape) -> BTreeSet<&str> {
    match mixin.traits.raw.get(ids::MIXIN).and_then(|m| m.get("localTraits")) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}
