//! restJson1: every operation needs `@http`, and its URI labels and `@httpLabel` members (and
//! `@endpoint` host labels and `@hostLabel` members) must match one to one. Members keep their
//! HTTP binding traits, which the emitters follow.

use std::collections::BTreeSet;

use crate::model::Model;
use crate::problem::{path, Sink};
use crate::service::OperationView;
use crate::traits::PathSegment;

/// The media type of restJson1 bodies.
pub const CONTENT_TYPE: &str = "application/json";

/// Reports every operation without `@http`, and every label without its member (or member
/// without its label).
pub fn check_http_bindings(model: &Model, operations: &[OperationView], sink: &mut Sink) {
    for op in operations {
        let Some(shape) = model.get(&op.id) else { continue };
        let Some(http) = &shape.traits.known.http else {
            sink.report(Some(&op.id), path::shape(&op.id), "restJson1 needs an @http trait on every operation");
            continue;
        };
        let members = model.get(&op.input).map(|input| input.kind.members()).unwrap_or_default();
        let mut labels: BTreeSet<String> = http
            .path_segments()
            .into_iter()
            .filter_map(|segment| match segment {
                PathSegment::Label { name, .. } => Some(name),
                PathSegment::Literal(_) => None,
            })
            .collect();
        for member in members.iter().filter(|m| m.traits.known.http_label) {
            if !labels.remove(&member.name) {
                let message =
                    format!("is an @httpLabel, but the @http uri `{}` has no label {{{}}}", http.uri, member.name);
                sink.report(Some(&member.id), path::member(&member.id, &member.name), message);
            }
        }
        for label in labels {
            let message =
                format!("the @http uri `{}` has label {{{label}}}, but no input member is that @httpLabel", http.uri);
            sink.report(Some(&op.id), path::shape(&op.id), message);
        }
        if let Some(endpoint) = &shape.traits.known.endpoint {
            for part in endpoint.host_prefix.split('{').skip(1) {
                let name = part.split('}').next().unwrap_or_default();
                if !members.iter().any(|m| m.traits.known.host_label && m.name == name) {
                    let message = format!(
                        "the @endpoint hostPrefix has label {{{name}}}, but no input member is that @hostLabel"
                    );
                    sink.report(Some(&op.id), path::shape(&op.id), message);
                }
            }
        }
    }
}
