//! Protocols: which one a service is generated for, and everything the emitters must know
//! about it, decided here and nowhere else. Each protocol is a module:
//!
//! - [`rest_json1`]: routes from `@http`, members bound by the HTTP binding traits, errors
//!   named by `X-Amzn-Errortype`;
//! - [`aws_json`]: awsJson1_0 and awsJson1_1, `POST /` routed by `X-Amz-Target`, every
//!   member in the JSON body under its member name, errors also named by `__type`;
//! - [`rpc_v2_cbor`]: Smithy RPC v2 CBOR, `POST /service/{S}/operation/{O}`, every member in
//!   the CBOR body under its member name, errors named by `__type`.
//!
//! A protocol *resolves* a service view before anything is emitted: it checks what it needs
//! of the model, and leaves on each member only the bindings it honours (awsJson takes the
//! HTTP binding traits and `@jsonName` away), so the emitters read one resolved model and
//! ask [`Protocol`] for the rest: the route, the media type, the error code.

pub mod aws_json;
pub mod rest_json1;
pub mod rpc_v2_cbor;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, Shape};
use crate::problem::Sink;
use crate::service::OperationView;
use crate::shape_id::ShapeId;
use crate::traits::Http;

/// The protocols whose clients and servers this generator writes. A service that declares
/// several is generated for the first of these in the model's order of its traits.
pub const GENERATED: &[Protocol] =
    &[Protocol::RestJson1, Protocol::AwsJson1_0, Protocol::AwsJson1_1, Protocol::RpcV2Cbor];

/// Protocol traits the generator knows of but does not write: a service with only these is
/// refused, since wire code for another protocol would be wrong on the wire. (A service with
/// no protocol trait at all gets types only.)
const NOT_GENERATED: &[&str] = &["aws.protocols#restXml", "aws.protocols#awsQuery", "aws.protocols#ec2Query"];

/// The `@awsQueryCompatible` trait: an awsJson service that was once awsQuery.
pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";

/// A protocol the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#restJson1`.
    RestJson1,
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `smithy.protocols#rpcv2Cbor`.
    RpcV2Cbor,
}

/// How a request reaches an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// An HTTP method and URI pattern (restJson1's `@http`).
    Http(Http),
    /// `POST /` with this `X-Amz-Target` (awsJson).
    Target(String),
    /// `POST` to this path (rpcv2Cbor's `/service/{S}/operation/{O}`).
    Path(String),
}

impl Protocol {
    /// The protocol trait's shape ID.
    pub fn trait_id(self) -> &'static str {
        match self {
            Self::RestJson1 => "aws.protocols#restJson1",
            Self::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Self::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Self::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
        }
    }

    /// The protocol's name as its trait spells it (`awsJson1_0`).
    pub fn name(self) -> &'static str {
        self.trait_id().split_once('#').map_or("", |(_, name)| name)
    }

    /// The protocols a service is generated for, in the model's order of its traits: empty
    /// when it declares none (types only), an error naming the protocol when it declares only
    /// ones the generator does not write. A crate speaks several RPC protocols at once
    /// (awsJson, rpcv2Cbor: every member in the body, so one set of types serves them all);
    /// restJson1 binds members to the HTTP message and is spoken alone, when it comes first
    /// (a later one is left out when RPC protocols come first).
    pub fn of_service(service: &Shape) -> Result<Vec<Self>, String> {
        let declared: Vec<Self> =
            service.traits.raw.keys().filter_map(|id| GENERATED.iter().find(|p| p.trait_id() == id).copied()).collect();
        match declared.first() {
            Some(Self::RestJson1) => return Ok(vec![Self::RestJson1]),
            Some(_) => return Ok(declared.into_iter().filter(|p| p.is_rpc()).collect()),
            None => {}
        }
        match NOT_GENERATED.iter().find(|p| service.traits.has(p)) {
            Some(other) => {
                let written: Vec<&str> = GENERATED.iter().map(|p| p.name()).collect();
                Err(format!("the service speaks {other}; this generator writes {} only", written.join(", ")))
            }
            None => Ok(Vec::new()),
        }
    }

    /// The name of the runtime's `Protocol` variant for this protocol.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            Self::RestJson1 => "RestJson1",
            Self::AwsJson1_0 => "AwsJson1_0",
            Self::AwsJson1_1 => "AwsJson1_1",
            Self::RpcV2Cbor => "RpcV2Cbor",
        }
    }

    /// The runtime's value for this protocol, in generated code.
    pub fn runtime_value(self) -> TokenStream {
        let variant = quote::format_ident!("{}", self.runtime_variant());
        quote! { ::smithy_runtime::protocol::Protocol::#variant }
    }

    /// Whether requests are routed by a header naming the operation rather than by URI.
    pub fn is_rpc(self) -> bool {
        !matches!(self, Self::RestJson1)
    }

    /// The media type of the protocol's bodies.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::RestJson1 => rest_json1::CONTENT_TYPE,
            Self::AwsJson1_0 => aws_json::CONTENT_TYPE_1_0,
            Self::AwsJson1_1 => aws_json::CONTENT_TYPE_1_1,
            Self::RpcV2Cbor => rpc_v2_cbor::CONTENT_TYPE,
        }
    }

    /// Checks the model for what the protocol needs, and resolves every member's binding
    /// (see the module documentation).
    pub fn resolve(self, model: &mut Model, operations: &[OperationView], shapes: &BTreeSet<ShapeId>, sink: &mut Sink) {
        match self {
            Self::RestJson1 => rest_json1::check_http_bindings(model, operations, sink),
            Self::AwsJson1_0 | Self::AwsJson1_1 => aws_json::resolve(model, operations, shapes),
            Self::RpcV2Cbor => rpc_v2_cbor::resolve(model, operations, shapes),
        }
    }

    /// How a request reaches `op` of `service`; `None` when the model gives no route
    /// (resolving reported it).
    pub fn route(self, model: &Model, service: &Shape, op: &OperationView) -> Option<Route> {
        match self {
            Self::RestJson1 => model.get(&op.id)?.traits.known.http.clone().map(Route::Http),
            Self::AwsJson1_0 | Self::AwsJson1_1 => Some(Route::Target(aws_json::target(service, op))),
            Self::RpcV2Cbor => Some(Route::Path(rpc_v2_cbor::path(service, op))),
        }
    }

    /// The code an error is answered with (`X-Amzn-Errortype`, and the RPC protocols'
    /// `__type`): the shape's name, or for awsJson1_0 and rpcv2Cbor its whole ID, as the
    /// protocols' specifications and AWS's services have them.
    pub fn error_code(self, error: &ShapeId) -> String {
        match self {
            Self::AwsJson1_0 | Self::RpcV2Cbor => error.to_string(),
            Self::RestJson1 | Self::AwsJson1_1 => error.name.clone(),
        }
    }
}
