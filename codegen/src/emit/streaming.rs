//! Streams: `@streaming` blobs and event streams (`@streaming` unions); which members are
//! streams, which operations stream their input or output, and the model checks that keep
//! streams where the generator can bind them (the `@httpPayload` of an operation's input or
//! output; a blob never optional).
//!
//! A streaming blob member is a `smithy_runtime::ByteStream`, an event stream a
//! `smithy_runtime::EventStream` of its union; neither can be cloned, compared or serialized:
//! the structures holding one derive only `Debug`, and the client, server and dispatcher move
//! the stream instead of buffering it.

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

/// Whether `target` is a `@streaming` union: an event stream.
pub fn is_event_stream(types: &TypeMap<'_>, target: &ShapeId) -> bool {
    types.view.shape(target).is_event_stream()
}

/// Whether `target` is either kind of stream.
pub fn is_stream(types: &TypeMap<'_>, target: &ShapeId) -> bool {
    types.view.shape(target).traits.known.streaming
}

/// The stream member (a streaming blob or an event stream) of a structure's members, if it
/// has one.
pub fn streaming_member<'m>(types: &TypeMap<'_>, members: &'m Members) -> Option<&'m Member> {
    members.values().find(|member| is_stream(types, &member.target))
}

/// The unions of the service that are event streams, in shape order.
pub fn event_stream_unions<'v>(types: &TypeMap<'v>) -> Vec<&'v ShapeId> {
    types.view.shapes.iter().filter(|id| is_event_stream(types, id)).collect()
}

/// Whether a structure holds a stream.
pub fn holds_stream(types: &TypeMap<'_>, members: &Members) -> bool {
    streaming_member(types, members).is_some()
}

/// Whether the structure `id` holds a stream.
pub fn structure_streams(types: &TypeMap<'_>, id: &ShapeId) -> bool {
    match &types.view.shape(id).kind {
        Kind::Structure(members) => holds_stream(types, members),
        _ => false,
    }
}

/// Whether an operation's input has a streaming payload (bytes or events).
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

/// Reports every stream member the generator cannot bind: one outside an operation's
/// top-level input or output, one that is not its `@httpPayload` (in an HTTP protocol), and
/// an optional blob (Smithy requires `@required` or `@default`; a byte stream is never
/// absent, only empty; an event stream may be optional).
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    let operation_io = |id: &ShapeId| types.view.operations.iter().any(|op| op.input == *id || op.output == *id);
    let rpc = types.view.protocol.is_some_and(crate::protocol::Protocol::is_rpc);
    for id in &types.view.shapes {
        let shape = types.view.shape(id);
        let Kind::Structure(members) = &shape.kind else { continue };
        for member in members.values().filter(|m| is_stream(types, &m.target)) {
            let known = &member.traits.known;
            let events = is_event_stream(types, &member.target);
            let problem = if !operation_io(id) && events {
                Some("a @streaming union (an event stream) can only be a member of an operation's input or output")
            } else if !operation_io(id) {
                Some("a @streaming blob can only be a member of an operation's input or output")
            } else if !known.http_payload && !rpc && events {
                Some("a @streaming union (an event stream) member must be the @httpPayload")
            } else if !known.http_payload && !rpc {
                Some("a @streaming blob member must be the @httpPayload")
            } else if !events && !known.required && known.default.is_none() {
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
