//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): every request is `POST
//! /service/{Service}/operation/{Operation}` with `Smithy-Protocol: rpc-v2-cbor`, and every
//! member of an input, output or error travels in the CBOR body under its member name.
//! Resolving takes away what the protocol ignores, as for awsJson: the HTTP binding traits and
//! `@jsonName`.

use std::collections::BTreeSet;

use crate::model::{Model, Shape};
use crate::service::OperationView;
use crate::shape_id::ShapeId;

/// The media type of CBOR bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// Resolves as awsJson does. `@timestampFormat` stays: CBOR writes every timestamp as tag 1
/// whatever its format (the wire adapters ask the serializer), and reads tag 1 into what the
/// format's adapter takes, so one set of types serves rpcv2Cbor and a JSON protocol alike.
pub fn resolve(model: &mut Model, operations: &[OperationView], shapes: &BTreeSet<ShapeId>) {
    super::aws_json::resolve(model, operations, shapes);
}

/// The path of an operation: `/service/{Service}/operation/{Operation}`, by shape names.
pub fn path(service: &Shape, op: &OperationView) -> String {
    format!("/service/{}/operation/{}", service.id.name, op.id.name)
}
