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

/// How long a chain of mixins may be; flattening recurses once per level.
const MAX_MIXIN_DEPTH: usize = 256;

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
    if stack.len() >= MAX_MIXIN_DEPTH {
        let at = model.get(id).map(|s| s.path.clone()).unwrap_or_default();
        sink.report(Some(id), format!("{at}.mixins"), format!("mixins chain more than {MAX_MIXIN_DEPTH} levels deep"));
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
        inherit_traits(shape, &mixins);
        inherit_members(shape, &mixins, sink);
    }
}

/// A shape takes its mixins' traits; among mixins the later wins, and the shape's own win
/// over all of them.
fn inherit_traits(shape: &mut Shape, mixins: &[(Shape, String)]) {
    let mut traits = IndexMap::new();
    for (mixin, _) in mixins {
        let local = local_traits(mixin);
        for (trait_id, value) in &mixin.traits.raw {
            if trait_id != ids::MIXIN && !local.contains(trait_id.as_str()) {
                traits.insert(trait_id.clone(), value.clone());
            }
        }
    }
    traits.extend(std::mem::take(&mut shape.traits.raw));
    shape.traits.raw = traits;
}

/// Members come in Smithy's order: each mixin's (already flattened, so depth-first), left
/// to right, then the shape's own. A member defined again keeps its first position and
/// takes the later definition's traits.
fn inherit_members(shape: &mut Shape, mixins: &[(Shape, String)], sink: &mut Sink) {
    let id = shape.id.clone();
    if let Kind::Structure(own) | Kind::Union(own) | Kind::Enum(own) | Kind::IntEnum(own) = &mut shape.kind {
        let mut merged: IndexMap<String, Member> = IndexMap::new();
        let inherited = mixins.iter().filter_map(|(mixin, _)| match &mixin.kind {
            Kind::Structure(m) | Kind::Union(m) | Kind::Enum(m) | Kind::IntEnum(m) => Some(m),
            _ => None,
        });
        let mine = std::mem::take(own).into_iter().map(|(_, member)| member);
        for member in inherited.flat_map(|members| members.values().map(|m| rebased(m, &id))).chain(mine) {
            match merged.get_mut(&member.name) {
                Some(existing) => {
                    if existing.target != member.target {
                        let message = format!("redefines mixin member `{}` with another target", member.name);
                        sink.report(Some(&member.id), &member.path, message);
                    }
                    existing.traits.raw.extend(member.traits.raw);
                }
                None => {
                    merged.insert(member.name.clone(), member);
                }
            }
        }
        *own = merged;
    }
    for (mixin, at) in mixins {
        inherit(shape, mixin, at, sink);
    }
}

/// Merges the rest of one mixin into `shape` (aggregate members are merged by
/// [`inherit_members`]), and reports a mixin of the wrong type.
fn inherit(shape: &mut Shape, mixin: &Shape, at: &str, sink: &mut Sink) {
    let id = shape.id.clone();
    match (&mut shape.kind, &mixin.kind) {
        (Kind::Structure(_), Kind::Structure(_))
        | (Kind::Union(_), Kind::Union(_))
        | (Kind::Enum(_), Kind::Enum(_))
        | (Kind::IntEnum(_), Kind::IntEnum(_)) => {}
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
