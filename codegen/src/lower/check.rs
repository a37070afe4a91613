//! Reference checks: every target exists and is of a type that may stand there.

use std::collections::BTreeSet;

use crate::lower::{missing_member, mixin_ids};
use crate::model::{Kind, Member, Model, Shape, Simple};
use crate::problem::Sink;
use crate::shape_id::ShapeId;
use crate::traits::EnumValue;
use crate::{prelude, traits::ids};

/// Reports every reference in the model that points nowhere or at the wrong kind of shape.
pub fn references(model: &Model, unreadable: &BTreeSet<ShapeId>, sink: &mut Sink) {
    let mixins = mixin_ids(model);
    for shape in model.shapes.values() {
        for member in shape.kind.members() {
            if !unreadable.contains(&member.target.root()) {
                check_member(model, shape, member, mixins.contains(&member.target), sink);
            }
        }
        if let Kind::Enum(members) | Kind::IntEnum(members) = &shape.kind {
            unique_enum_values(shape, members.values(), sink);
        }
        if let Kind::Enum(members) | Kind::IntEnum(members) | Kind::Union(members) = &shape.kind {
            if members.is_empty() && !shape.traits.has(ids::MIXIN) {
                sink.report(
                    Some(&shape.id),
                    &shape.path,
                    format!("{} must have at least one member", shape.kind.described()),
                );
            }
        }
        if let Kind::List(_) | Kind::Map { .. } = &shape.kind {
            collection_nesting(model, shape, sink);
        }
        if let Kind::Structure(members) | Kind::Union(members) = &shape.kind {
            unique_wire_names(members.values(), sink);
        }
        bounds_in_order(&shape.id, &shape.path, &shape.traits.known, sink);
        for member in shape.kind.members() {
            bounds_in_order(&member.id, &member.path, &member.traits.known, sink);
        }
        match &shape.kind {
            Kind::Operation(op) => {
                let property = |name: &str| format!("{}.{name}.target", shape.path);
                if !unreadable.contains(&op.input) {
                    expect_structure(model, shape, &op.input, &property("input"), "input", sink);
                }
                if !unreadable.contains(&op.output) {
                    expect_structure(model, shape, &op.output, &property("output"), "output", sink);
                }
                check_errors(model, shape, &op.errors, unreadable, sink);
                if let Some(http) = &shape.traits.known.http {
                    if !http.uri.starts_with('/') {
                        let at = crate::problem::path::on_trait(&shape.path, ids::HTTP);
                        sink.report(
                            Some(&shape.id),
                            format!("{at}.uri"),
                            format!("@http uri `{}` must start with `/`", http.uri),
                        );
                    }
                }
            }
            Kind::Service(service) => {
                for (i, id) in service.operations.iter().enumerate() {
                    let property = format!("operations[{i}].target");
                    expect_kind(model, shape, id, &property, "an operation", |k| matches!(k, Kind::Operation(_)), sink);
                }
                for (i, id) in service.resources.iter().enumerate() {
                    let property = format!("resources[{i}].target");
                    expect_kind(model, shape, id, &property, "a resource", |k| matches!(k, Kind::Resource(_)), sink);
                }
                check_errors(model, shape, &service.errors, unreadable, sink);
            }
            Kind::Resource(resource) => {
                for (property, id) in &resource.operations {
                    expect_kind(model, shape, id, property, "an operation", |k| matches!(k, Kind::Operation(_)), sink);
                }
                for id in &resource.resources {
                    expect_kind(model, shape, id, "resources", "a resource", |k| matches!(k, Kind::Resource(_)), sink);
                }
            }
            _ => {}
        }
    }
}

fn check_member(model: &Model, shape: &Shape, member: &Member, targets_mixin: bool, sink: &mut Sink) {
    let report =
        |sink: &mut Sink, message: String| sink.report(Some(&member.id), format!("{}.target", member.path), message);
    if member.target == missing_member() {
        let message = format!("{} needs a `{}` member", shape.kind.described(), member.name);
        sink.report(Some(&shape.id), &shape.path, message);
        return;
    }
    if member.target.member.is_some() {
        report(sink, format!("target {} is a member ID; a member must target a shape", member.target));
        return;
    }
    let Some(target) = model.get(&member.target) else {
        report(sink, format!("target {} does not exist", member.target));
        return;
    };
    if targets_mixin {
        report(sink, format!("target {} is a mixin, which a member cannot target", member.target));
    }
    let is_unit = member.target == prelude::unit();
    match (&shape.kind, &target.kind) {
        (_, Kind::Operation(_) | Kind::Resource(_) | Kind::Service(_)) => {
            report(
                sink,
                format!("target {} is {}; a member must target a data shape", member.target, target.kind.described()),
            );
        }
        (Kind::Enum(_), _) => {
            if !is_unit {
                report(sink, "an enum member must target smithy.api#Unit".to_owned());
            }
            if let Some(EnumValue::Int(_)) = member.traits.known.enum_value {
                report(sink, "an enum member's @enumValue must be a string".to_owned());
            }
        }
        (Kind::IntEnum(_), _) => {
            if !is_unit {
                report(sink, "an intEnum member must target smithy.api#Unit".to_owned());
            }
            // A malformed @enumValue was reported where it is written.
            if !member.traits.has(ids::ENUM_VALUE) {
                sink.report(Some(&member.id), &member.path, "an intEnum member needs an integer @enumValue");
            }
        }
        (Kind::Union(_), _) => {}
        (_, _) if is_unit => report(sink, "only union and enum members may target smithy.api#Unit".to_owned()),
        (Kind::Map { .. }, target_kind)
            if member.name == "key" && !matches!(target_kind, Kind::Simple(Simple::String) | Kind::Enum(_)) =>
        {
            report(sink, format!("a map key must target a string or an enum, not {}", target_kind.described()));
        }
        _ => {}
    }
}

fn check_errors(model: &Model, shape: &Shape, errors: &[ShapeId], unreadable: &BTreeSet<ShapeId>, sink: &mut Sink) {
    for (i, id) in errors.iter().enumerate().filter(|(_, id)| !unreadable.contains(*id)) {
        let at = format!("{}.errors[{i}].target", shape.path);
        match model.get(id) {
            None => sink.report(Some(&shape.id), at, format!("error {id} does not exist")),
            Some(error) if !matches!(error.kind, Kind::Structure(_)) || !error.traits.has(ids::ERROR) => {
                sink.report(
                    Some(&shape.id),
                    at,
                    format!("{id} is listed as an error but is not a structure with @error"),
                );
            }
            Some(_) => {}
        }
    }
}

fn expect_structure(model: &Model, shape: &Shape, id: &ShapeId, at: &str, role: &str, sink: &mut Sink) {
    match model.get(id) {
        None => sink.report(Some(&shape.id), at, format!("{role} {id} does not exist")),
        Some(target) if !matches!(target.kind, Kind::Structure(_)) => {
            let message = format!("{role} {id} is {}, not a structure", target.kind.described());
            sink.report(Some(&shape.id), at, message);
        }
        Some(_) => {}
    }
}

fn expect_kind(
    model: &Model,
    shape: &Shape,
    id: &ShapeId,
    property: &str,
    expected: &str,
    fits: impl Fn(&Kind) -> bool,
    sink: &mut Sink,
) {
    let at = format!("{}.{property}", shape.path);
    match model.get(id) {
        None => sink.report(Some(&shape.id), at, format!("{id} does not exist")),
        Some(target) if !fits(&target.kind) => {
            sink.report(Some(&shape.id), at, format!("{id} is {}, not {expected}", target.kind.described()));
        }
        Some(_) => {}
    }
}

/// Two members of one enum with the same value would make the value ambiguous.
fn unique_enum_values<'a>(shape: &Shape, members: impl Iterator<Item = &'a Member>, sink: &mut Sink) {
    let mut seen = std::collections::BTreeMap::new();
    for member in members {
        let value = match &member.traits.known.enum_value {
            Some(EnumValue::String(s)) => s.clone(),
            Some(EnumValue::Int(n)) => n.to_string(),
            None => member.name.clone(),
        };
        if let Some(first) = seen.insert(value.clone(), member.name.clone()) {
            let message =
                format!("members `{first}` and `{}` of {} have the same value `{value}`", member.name, shape.id);
            sink.report(Some(&member.id), &member.path, message);
        }
    }
}

/// How deep lists and maps may nest directly in one another. Deeper models are not wrong in
/// Smithy, but no real API nests collections this far, and the emitters recurse per level.
const MAX_COLLECTION_DEPTH: usize = 64;

/// A list or map that contains itself with no structure or union in between can hold no
/// finite value, and one nested absurdly deep would exhaust the emitters' stack: both are
/// reported here, walking iteratively.
fn collection_nesting(model: &Model, shape: &Shape, sink: &mut Sink) {
    let mut current = shape;
    for _ in 0..MAX_COLLECTION_DEPTH {
        let element = match &current.kind {
            Kind::List(member) => &member.target,
            Kind::Map { value, .. } => &value.target,
            _ => return,
        };
        if element.root() == shape.id {
            let message = format!("{} contains itself with no structure or union in between", shape.kind.described());
            sink.report(Some(&shape.id), &shape.path, message);
            return;
        }
        match model.get(element) {
            Some(next) if element.member.is_none() => current = next,
            _ => return,
        }
    }
    let message = format!("lists and maps nest more than {MAX_COLLECTION_DEPTH} levels deep here");
    sink.report(Some(&shape.id), &shape.path, message);
}

/// `@length` and `@range` with a minimum above the maximum admit no value at all.
fn bounds_in_order(id: &ShapeId, at: &str, known: &crate::traits::Known, sink: &mut Sink) {
    if let Some(crate::traits::Length { min: Some(min), max: Some(max) }) = known.length {
        if min > max {
            let message = format!("@length has min {min} above max {max}");
            sink.report(Some(id), crate::problem::path::on_trait(at, ids::LENGTH), message);
        }
    }
    if let Some(crate::traits::Range { min: Some(min), max: Some(max) }) = &known.range {
        if min.as_f64() > max.as_f64() {
            let message = format!("@range has min {min} above max {max}");
            sink.report(Some(id), crate::problem::path::on_trait(at, ids::RANGE), message);
        }
    }
}

/// Two body members with one JSON name would be written twice and read ambiguously.
fn unique_wire_names<'a>(members: impl Iterator<Item = &'a Member>, sink: &mut Sink) {
    let mut seen = std::collections::BTreeMap::new();
    for member in members {
        let k = &member.traits.known;
        if k.binds_outside_body() || k.http_payload {
            continue;
        }
        let wire = k.json_name.clone().unwrap_or_else(|| member.name.clone());
        if let Some(first) = seen.insert(wire.clone(), member.name.clone()) {
            let message = format!("members `{first}` and `{}` both have the JSON name `{wire}`", member.name);
            sink.report(Some(&member.id), &member.path, message);
        }
    }
}
