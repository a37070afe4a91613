//! `@streaming` blobs: which members are streams, which operations stream their input or
//! output, and the model checks that keep streams where the generator can bind them (the
//! `@httpPayload` of an operation's input or output, never optional).
//!
//! A streaming member is a `smithy_runtime::ByteStream`, which cannot be cloned, compared or
//! serialized: the structures holding one derive only `Debug`, and the client, server and
//! dispatcher move the stream instead of buffering it.

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Members, Simple};
use crate::problem::Sink;
use crate::service::OperationView;
use crate::shape_id::ShapeId;

/// The ID of `@requiresLength`: the stream's length must be known before it is sent.
const REQUIRES_LENGTH: &str = "smithy.api#requiresLength";

/// Whether `target` is a `@streaming` blob (a `@streaming` union is an event stream, which is
/// not this).
pub fn is_streaming_blob(types: &TypeMap<'_>, target: &ShapeId) -> bool {
    let shape = types.view.shape(target);
    shape.traits.known.streaming && matches!(shape.kind, Kind::Simple(Simple::Blob))
}

/// The streaming blob member of a structure's members, if it has one.
pub fn streaming_member<'m>(types: &TypeMap<'_>, members: &'m Members) -> Option<&'m Member> {
    members.values().find(|member| is_streaming_blob(types, &member.target))
}

/// Whether a structure holds a streaming blob.
pub fn holds_stream(types: &TypeMap<'_>, members: &Members) -> bool {
    streaming_member(types, members).is_some()
}

/// Whether the structure `id` holds a streaming blob.
pub fn structure_streams(types: &TypeMap<'_>, id: &ShapeId) -> bool {
    match &types.view.shape(id).kind {
        Kind::Structure(members) => holds_stream(types, members),
        _ => false,
    }
}

/// Whether an operation's input has a streaming payload.
pub fn input_streams(types: &TypeMap<'_>, op: &OperationView) -> bool {
    structure_streams(types, &op.input)
}

/// Whether an operation's output has a streaming payload.
pub fn output_streams(types: &TypeMap<'_>, op: &OperationView) -> bool {
    structure_streams(types, &op.output)
}

/// Whether an operation streams either way.
pub fn operation_streams(types: &TypeMap<'_>, op: &OperationView) -> bool {
    input_streams(types, op) || output_streams(types, op)
}

/// Whether any operation of the service streams.
pub fn service_streams(types: &TypeMap<'_>) -> bool {
    types.view.operations.iter().any(|op| operation_streams(types, op))
}

/// Whether a streaming member's target has `@requiresLength`.
pub fn requires_length(types: &TypeMap<'_>, member: &Member) -> bool {
    types.view.shape(&member.target).traits.has(REQUIRES_LENGTH)
}

/// Reports every streaming blob member the generator cannot bind: one outside an operation's
/// top-level input or output, one that is not its `@httpPayload`, and an optional one (Smithy
/// requires `@required` or `@default`; a stream is never absent, only empty).
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    let operation_io = |id: &ShapeId| types.view.operations.iter().any(|op| op.input == *id || op.output == *id);
    for id in &types.view.shapes {
        let shape = types.view.shape(id);
        let Kind::Structure(members) = &shape.kind else { continue };
        for member in members.values().filter(|m| is_streaming_blob(types, &m.target)) {
            let known = &member.traits.known;
            let problem = if !operation_io(id) {
                Some("a @streaming blob can only be a member of an operation's input or output")
            } else if !known.http_payload {
                Some("a @streaming blob member must be the @httpPayload")
            } else if !known.required && known.default.is_none() {
                Some("a @streaming blob member must be @required or have a @default")
            } else {
                None
            };
            if let Some(problem) = problem {
                sink.report(Some(&member.id), member.path.clone(), problem);
            }
        }
    }
}
