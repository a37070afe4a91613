//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): every request is `POST
//! /service/{Service}/operation/{Operation}` with `Smithy-Protocol: rpc-v2-cbor`, and every
//! member of an input, output or error travels in the CBOR body under its member name.
//! Resolving takes away what the protocol ignores: what awsJson ignores (the HTTP binding
//! traits and `@jsonName`), and `@timestampFormat`, since every timestamp is a tag 1 epoch.

use std::collections::BTreeSet;

use crate::model::{Model, Shape};
use crate::service::OperationView;
use crate::shape_id::ShapeId;
use crate::traits::ids;

/// The media type of CBOR bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// Resolves as awsJson does, then takes `@timestampFormat` off every member and timestamp
/// shape the service reaches.
pub fn resolve(model: &mut Model, operations: &[OperationView], shapes: &BTreeSet<ShapeId>) {
    super::aws_json::resolve(model, operations, shapes);
    for id in shapes {
        let Some(shape) = model.shapes.get_mut(id) else { continue };
        shape.traits.raw.shift_remove(ids::TIMESTAMP_FORMAT);
        shape.traits.known.timestamp_format = None;
        if let crate::model::Kind::Structure(members) | crate::model::Kind::Union(members) = &mut shape.kind {
            for member in members.values_mut() {
                member.traits.raw.shift_remove(ids::TIMESTAMP_FORMAT);
                member.traits.known.timestamp_format = None;
            }
        }
    }
}

/// The path of an operation: `/service/{Service}/operation/{Operation}`, by shape names.
pub fn path(service: &Shape, op: &OperationView) -> String {
    format!("/service/{}/operation/{}", service.id.name, op.id.name)
}
