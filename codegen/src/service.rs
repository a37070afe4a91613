//! Derived facts about one service, computed once: its operations (through resources too),
//! synthetic input and output structures, the shapes it reaches, and which members must be
//! boxed to break recursion.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::model::{Kind, Member, Members, Model, Shape};
use crate::prelude;
use crate::problem::{path, Sink};
use crate::protocol::{Protocol, Route};
use crate::shape_id::ShapeId;
use crate::traits::ids;

/// The namespace of the structures the generator makes up.
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";

/// One operation as the generated code sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationView {
    /// The operation's shape ID.
    pub id: ShapeId,
    /// Its input structure: a synthetic `{Operation}Input`.
    pub input: ShapeId,
    /// Its output structure: a synthetic `{Operation}Output`.
    pub output: ShapeId,
    /// Its errors and the service's common errors, without repeats.
    pub errors: Vec<ShapeId>,
}

/// A service and everything it reaches.
#[derive(Debug, Clone)]
pub struct ServiceView {
    /// The model, with the synthetic input and output structures added.
    pub model: Model,
    /// The service shape.
    pub service: Shape,
    /// Its operations, sorted by shape ID.
    pub operations: Vec<OperationView>,
    /// Every data shape the operations reach, synthetic ones included.
    pub shapes: BTreeSet<ShapeId>,
    /// Members that hold their target in a `Box` because it contains them again.
    pub boxed: BTreeSet<ShapeId>,
    /// The protocol the client and server speak first; `None` for a service that declares
    /// none (its crate has types, errors and the service trait only).
    pub protocol: Option<Protocol>,
    /// Every protocol the client and server speak, `protocol` first (several only for RPC
    /// protocols, see [`Protocol::of_service`]).
    pub protocols: Vec<Protocol>,
}

impl ServiceView {
    /// Every error any operation can answer with, once each, ordered by shape ID.
    pub fn errors(&self) -> BTreeSet<&ShapeId> {
        self.operations.iter().flat_map(|op| &op.errors).collect()
    }

    /// A shape of the view. Lowering checked every reference, so a miss is a bug in the
    /// generator, reported as such rather than a panic.
    pub fn shape(&self, id: &ShapeId) -> &Shape {
        self.model.get(id).unwrap_or_else(|| unreachable!("shape {id} was checked during lowering"))
    }

    /// How a request reaches `op`, as the service's protocol says; `None` for a service
    /// with no protocol, or an operation the model gives no route (resolving reported it).
    pub fn route(&self, op: &OperationView) -> Option<Route> {
        self.protocol?.route(&self.model, &self.service, op)
    }

    /// Whether a member is boxed.
    pub fn is_boxed(&self, member: &Member) -> bool {
        self.boxed.contains(&member.id)
    }
}

/// Builds the view of the service `wanted`, or of the model's only service, without the
/// operations in `excluded`.
pub fn view(mut model: Model, wanted: Option<&ShapeId>, excluded: &[ShapeId], sink: &mut Sink) -> Option<ServiceView> {
    let service = select_service(&model, wanted, sink)?.clone();
    let protocols = match Protocol::of_service(&service) {
        Ok(protocols) => protocols,
        Err(message) => {
            sink.report(Some(&service.id), path::shape(&service.id), message);
            return None;
        }
    };
    let Kind::Service(body) = &service.kind else {
        return None;
    };
    let mut operation_ids = service_operations(&model, &service);
    exclude_operations(&service.id, &mut operation_ids, excluded, sink);
    refuse_event_streams(&model, &service, &operation_ids, sink);
    let mut operations = Vec::new();
    for id in operation_ids {
        let Some(Kind::Operation(op)) = model.get(&id).map(|s| s.kind.clone()) else {
            continue;
        };
        let synthetic_input = ShapeId::new(SYNTHETIC_NAMESPACE, &format!("{}Input", id.name));
        if model.get(&synthetic_input).is_some() {
            let message = format!("another operation of the service is also named {}; rename one", id.name);
            sink.report(Some(&id), path::shape(&id), message);
            continue;
        }
        let input = synthesize(&mut model, &id, &op.input, "Input", ids::INPUT);
        let output = synthesize(&mut model, &id, &op.output, "Output", ids::OUTPUT);
        let mut errors = op.errors.clone();
        for common in &body.errors {
            if !errors.contains(common) {
                errors.push(common.clone());
            }
        }
        operations.push(OperationView { id, input, output, errors });
    }
    let shapes = closure(&model, &operations);
    for protocol in &protocols {
        protocol.resolve(&mut model, &operations, &shapes, sink);
    }
    let boxed = boxed_members(&model, &shapes);
    let protocol = protocols.first().copied();
    Some(ServiceView { model, service, operations, shapes, boxed, protocol, protocols })
}

/// Takes the `--exclude-operation` operations out; naming one the service does not have is
/// a mistake worth reporting (a typo would otherwise leave the operation in).
fn exclude_operations(service: &ShapeId, operations: &mut BTreeSet<ShapeId>, excluded: &[ShapeId], sink: &mut Sink) {
    for id in excluded {
        if !operations.remove(id) {
            let message = format!("--exclude-operation {id}: the service {service} has no such operation");
            sink.report(Some(id), path::shape(service), message);
        }
    }
}

/// The service `wanted`, or the model's only one, when that is unambiguous.
pub fn find_service<'m>(model: &'m Model, wanted: Option<&ShapeId>) -> Option<&'m Shape> {
    select_service(model, wanted, &mut Sink::default())
}

/// The operations of `service` whose input or output has an event stream that the generator
/// refuses: all of them in a service of RPC protocols, none in a restJson1 one.
pub fn refused_event_stream_operations(model: &Model, service: &Shape) -> Vec<ShapeId> {
    let operations = service_operations(model, service);
    operations.into_iter().filter(|id| !refused_event_streams(model, service, id).is_empty()).collect()
}

/// The event-stream members of `operation` the generator refuses, with their side and union:
/// restJson1 streams either way; the JSON RPC protocols (awsJson1_0/1_1) stream outputs
/// (after an initial-response message) but not inputs yet (their initial-request message is
/// not written); rpcv2Cbor streams nothing yet (its events would be CBOR).
fn refused_event_streams<'m>(
    model: &'m Model,
    service: &Shape,
    operation: &ShapeId,
) -> Vec<(&'static str, &'m Member, &'m ShapeId)> {
    let protocols = Protocol::of_service(service).unwrap_or_default();
    let refuses = |side: &str| {
        protocols.iter().any(|p| match p {
            Protocol::RestJson1 => false,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => side == "input",
            Protocol::RpcV2Cbor => true,
        })
    };
    event_stream_members(model, operation).into_iter().filter(|(side, _, _)| refuses(side)).collect()
}

/// Event streams the generator does not write yet (see [`refused_event_streams`]): writing
/// their union as a plain body would make a crate that compiles and is wrong on the wire.
/// Each operation that has one is refused, naming the member and the flag that leaves it out.
fn refuse_event_streams(model: &Model, service: &Shape, operations: &BTreeSet<ShapeId>, sink: &mut Sink) {
    for id in operations {
        for (side, member, union) in refused_event_streams(model, service, id) {
            let message = format!(
                "operation {id} has an event stream: its {side} member `{}` targets the @streaming union {union}, \
                 and this protocol's {side} event streams are not generated yet (restJson1 streams both ways, \
                 awsJson outputs only); generate the rest of the service with --exclude-operation {id}",
                member.name
            );
            sink.report(Some(&member.id), &member.path, message);
        }
    }
}

/// The members of an operation's input and output that are event streams, with their side
/// and union.
fn event_stream_members<'m>(model: &'m Model, operation: &ShapeId) -> Vec<(&'static str, &'m Member, &'m ShapeId)> {
    let Some(Kind::Operation(op)) = model.get(operation).map(|s| &s.kind) else { return Vec::new() };
    let mut found = Vec::new();
    for (side, structure) in [("input", &op.input), ("output", &op.output)] {
        for member in model.get(structure).map(|s| s.kind.members()).unwrap_or_default() {
            let Some(target) = model.get(&member.target) else { continue };
            if target.is_event_stream() {
                found.push((side, member, &target.id));
            }
        }
    }
    found
}

fn select_service<'m>(model: &'m Model, wanted: Option<&ShapeId>, sink: &mut Sink) -> Option<&'m Shape> {
    let services: Vec<&Shape> = model.shapes.values().filter(|s| matches!(s.kind, Kind::Service(_))).collect();
    match (wanted, services.as_slice()) {
        (Some(id), _) => match model.get(id) {
            Some(shape) if matches!(shape.kind, Kind::Service(_)) => Some(shape),
            Some(shape) => {
                sink.report(Some(id), path::shape(id), format!("is {}, not a service", shape.kind.described()));
                None
            }
            None => {
                sink.report(Some(id), "$.shapes", "no such service in the model");
                None
            }
        },
        (None, [only]) => Some(only),
        (None, []) => {
            sink.report(None, "$.shapes", "the model defines no service shape");
            None
        }
        (None, many) => {
            let names: Vec<String> = many.iter().map(|s| s.id.to_string()).collect();
            let message =
                format!("the model defines {} services ({}); choose one with --service", many.len(), names.join(", "));
            sink.report(None, "$.shapes", message);
            None
        }
    }
}

/// Every operation of a service, bound to it directly or through its resources.
fn service_operations(model: &Model, service: &Shape) -> BTreeSet<ShapeId> {
    let Kind::Service(body) = &service.kind else { return BTreeSet::new() };
    let mut operations: BTreeSet<ShapeId> = body.operations.iter().cloned().collect();
    for resource in &body.resources {
        collect_resource_operations(model, resource, &mut operations, &mut BTreeSet::new());
    }
    operations
}

fn collect_resource_operations(model: &Model, id: &ShapeId, out: &mut BTreeSet<ShapeId>, seen: &mut BTreeSet<ShapeId>) {
    if !seen.insert(id.clone()) {
        return;
    }
    let Some(Kind::Resource(resource)) = model.get(id).map(|s| &s.kind) else {
        return;
    };
    out.extend(resource.operations.iter().map(|(_, op)| op.clone()));
    for child in &resource.resources {
        collect_resource_operations(model, child, out, seen);
    }
}

/// Adds the structure `{Operation}{suffix}`: a copy of the operation's input or output (or
/// an empty one for `Unit`), so every operation has types of its own to evolve.
fn synthesize(model: &mut Model, operation: &ShapeId, original: &ShapeId, suffix: &str, role: &str) -> ShapeId {
    let id = ShapeId::new(SYNTHETIC_NAMESPACE, &format!("{}{suffix}", operation.name));
    let source = model.get(original).filter(|_| *original != prelude::unit()).cloned();
    let (mut members, mut traits, at) = match source {
        Some(Shape { kind: Kind::Structure(members), traits, path, .. }) => (members, traits, path),
        _ => (Members::new(), Default::default(), path::shape(operation)),
    };
    // Labels and query parameters mean nothing in a response: an output member with one of
    // those traits travels in the body like any other.
    if role == ids::OUTPUT {
        for member in members.values_mut() {
            for request_only in [ids::HTTP_LABEL, ids::HTTP_QUERY, ids::HTTP_QUERY_PARAMS] {
                member.traits.raw.shift_remove(request_only);
            }
            let known = &mut member.traits.known;
            (known.http_label, known.http_query, known.http_query_params) = (false, None, false);
        }
    }
    // Members keep their original IDs, so problems and documentation point at the model
    // as written.
    traits.raw.insert(role.to_owned(), json!({}));
    if traits.known.documentation.is_none() {
        let lowered = suffix.to_lowercase();
        let doc = format!("The {lowered} of the {} operation.", operation.name);
        traits.raw.insert(ids::DOCUMENTATION.to_owned(), json!(doc));
        traits.known.documentation = Some(doc);
    }
    model.shapes.insert(id.clone(), Shape { id: id.clone(), path: at, kind: Kind::Structure(members), traits });
    id
}

/// Every shape reachable from the operations' inputs, outputs and errors.
fn closure(model: &Model, operations: &[OperationView]) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<ShapeId> = operations
        .iter()
        .flat_map(|op| [op.input.clone(), op.output.clone()].into_iter().chain(op.errors.iter().cloned()))
        .collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = model.get(&id) {
            stack.extend(shape.kind.members().into_iter().map(|m| m.target.clone()));
        }
    }
    seen.remove(&prelude::unit());
    seen
}

/// Members to box: a structure or union member whose target leads back to the member's own
/// shape without passing through a list or map (which already put it on the heap). Shapes
/// and members are visited in a fixed order, so the same model always boxes the same ones.
fn boxed_members(model: &Model, shapes: &BTreeSet<ShapeId>) -> BTreeSet<ShapeId> {
    let mut boxed = BTreeSet::new();
    let mut edges: BTreeMap<ShapeId, Vec<(ShapeId, ShapeId)>> = BTreeMap::new();
    for id in shapes {
        let Some(shape) = model.get(id) else { continue };
        if let Kind::Structure(members) | Kind::Union(members) = &shape.kind {
            let direct = members
                .values()
                .filter(|m| matches!(model.get(&m.target).map(|t| &t.kind), Some(Kind::Structure(_) | Kind::Union(_))))
                .map(|m| (m.id.clone(), m.target.clone()));
            edges.insert(id.clone(), direct.collect());
        }
    }
    for (owner, members) in &edges {
        for (member, target) in members {
            if reaches(&edges, &boxed, target, owner) {
                boxed.insert(member.clone());
            }
        }
    }
    boxed
}

/// Whether `from` contains `to` directly, through members that are not boxed.
fn reaches(
    edges: &BTreeMap<ShapeId, Vec<(ShapeId, ShapeId)>>,
    boxed: &BTreeSet<ShapeId>,
    from: &ShapeId,
    to: &ShapeId,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        for (member, target) in edges.get(id).into_iter().flatten() {
            if !boxed.contains(member) {
                stack.push(target);
            }
        }
    }
    false
}
