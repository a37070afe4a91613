//! awsJson1_0 and awsJson1_1: every request is `POST /` with `X-Amz-Target:
//! {Service}.{Operation}`, and every member of an input, output or error travels in the JSON
//! body under its member name. Resolving takes away what the protocol ignores: the HTTP
//! binding traits (labels, query, headers, payload, status) and `@jsonName`, so that the
//! emitters, which follow those traits, write the body these protocols send.

use std::collections::BTreeSet;

use crate::model::{Kind, Model, Shape};
use crate::service::OperationView;
use crate::shape_id::ShapeId;
use crate::traits::ids;

/// The media type of awsJson1_0 bodies.
pub const CONTENT_TYPE_1_0: &str = "application/x-amz-json-1.0";

/// The media type of awsJson1_1 bodies.
pub const CONTENT_TYPE_1_1: &str = "application/x-amz-json-1.1";

/// The member traits awsJson ignores.
const IGNORED_MEMBER_TRAITS: &[&str] = &[
    ids::HTTP_LABEL,
    ids::HTTP_QUERY,
    ids::HTTP_QUERY_PARAMS,
    ids::HTTP_HEADER,
    ids::HTTP_PREFIX_HEADERS,
    ids::HTTP_PAYLOAD,
    ids::HTTP_RESPONSE_CODE,
    ids::JSON_NAME,
];

/// Takes the ignored traits off every member of the shapes the service reaches (synthetic
/// inputs and outputs included), and `@http` off its operations.
pub fn resolve(model: &mut Model, operations: &[OperationView], shapes: &BTreeSet<ShapeId>) {
    for id in shapes.iter().chain(operations.iter().map(|op| &op.id)) {
        let Some(shape) = model.shapes.get_mut(id) else { continue };
        if let Kind::Operation(_) = shape.kind {
            shape.traits.raw.shift_remove(ids::HTTP);
            shape.traits.known.http = None;
            continue;
        }
        if let Kind::Structure(members) | Kind::Union(members) = &mut shape.kind {
            for member in members.values_mut() {
                for ignored in IGNORED_MEMBER_TRAITS {
                    member.traits.raw.shift_remove(*ignored);
                }
                let known = &mut member.traits.known;
                (known.http_label, known.http_query, known.http_query_params) = (false, None, false);
                (known.http_header, known.http_prefix_headers) = (None, None);
                (known.http_payload, known.http_response_code, known.json_name) = (false, false, None);
            }
        }
    }
}

/// The `X-Amz-Target` of an operation: the service shape's name, a dot, the operation's.
pub fn target(service: &Shape, op: &OperationView) -> String {
    format!("{}.{}", service.id.name, op.id.name)
}

/// The `@awsQueryError` trait: the code an error had in awsQuery.
const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";

/// The value of an `@awsQueryCompatible` service's `x-amzn-query-error` header for an
/// error: its awsQuery code (`@awsQueryError`, else the shape's name) and who is at fault.
pub fn query_error_header(error: &Shape) -> String {
    let code = error.traits.raw.get(AWS_QUERY_ERROR).and_then(|value| value.get("code")).and_then(|c| c.as_str());
    let fault = match error.traits.known.error {
        Some(crate::traits::Fault::Server) => "Receiver",
        _ => "Sender",
    };
    format!("{};{fault}", code.unwrap_or(&error.id.name))
}
