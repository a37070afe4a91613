//! Messages other than the server's request parsing (see `request.rs`): the client writes an
//! input as a request; the server writes an output or an error as a response, and the client
//! reads them back. Members are where the protocol resolved them (see `crate::protocol`);
//! the route, media type and error encoding are the protocol's.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::bindings::{self, with_value};
use crate::emit::request::payload_value;
use crate::emit::request_head::{bound_headers, cbor_headers, host_prefix, http_bindings, rpc_headers};
use crate::emit::service::error_status;
use crate::emit::types::{body_members, has_body_struct, is_optional};
use crate::emit::wire::TypeMap;
use crate::emit::{client_only, server_only, streaming};
use crate::model::{Kind, Member, Members, Simple};
use crate::protocol::{Protocol, Route};
use crate::service::OperationView;
use crate::shape_id::ShapeId;
use crate::traits::ids;

/// Where a structure's body comes from or goes to.
enum Body<'a> {
    /// The separate `{Name}Body` struct of its body members.
    Struct(Vec<&'a Member>),
    /// The structure itself (an error with nothing bound outside the body).
    Whole,
    /// One `@httpPayload` member.
    Payload(&'a Member),
    /// No body members: an empty JSON object, except where the operation has no output at
    /// all (`smithy.api#Unit`) or the message is a request, where there is no body.
    Empty,
}

fn body_of<'a>(types: &TypeMap<'_>, id: &ShapeId, members: &'a Members) -> Body<'a> {
    let shape = types.view.shape(id);
    if let Some(payload) = members.values().find(|m| m.traits.known.http_payload) {
        return Body::Payload(payload);
    }
    if has_body_struct(types, shape, members) {
        return Body::Struct(body_members(types, members).unwrap_or_default());
    }
    if shape.traits.known.error.is_some() {
        return Body::Whole;
    }
    Body::Empty
}

fn body_ident(types: &TypeMap<'_>, id: &ShapeId) -> Ident {
    format_ident!("{}Body", types.names.type_ident(id))
}

/// `into_request` for an operation's input, `into_response` and `from_response` for its output.
pub fn operation_items(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let input = into_request(types, op);
    if crate::emit::rpc_events::is_rpc_event_output(types, op) {
        let output = crate::emit::rpc_events::output_items(types, op);
        return quote! { #input #output };
    }
    let output = match &types.view.shape(&op.output).kind {
        Kind::Structure(members) => {
            let operation = types.view.shape(&op.id);
            let status = match types.view.route(op) {
                Some(Route::Http(http)) => http.code,
                _ => 200,
            };
            let unit = matches!(&operation.kind, Kind::Operation(o) if o.output.to_string() == "smithy.api#Unit");
            // No output at all (`Unit`) is no body; an empty structure is `{}`. An RPC
            // protocol's runtime writer knows its own rules for both.
            let empty = match (unit, is_rpc(types)) {
                (_, true) => quote! { builder.rpc_empty(protocol, #unit) },
                (true, false) => quote! { builder.empty() },
                (false, false) => {
                    let content_type = content_type(types);
                    quote! { builder.body(#content_type, "{}") }
                }
            };
            let write = into_response(types, &op.output, members, status, None, empty);
            let read = from_response(types, &op.output, members);
            quote! { #write #read }
        }
        _ => TokenStream::new(),
    };
    quote! { #input #output }
}

/// `into_response` and `from_response` for every error an operation can return.
pub fn error_items(types: &TypeMap<'_>) -> TokenStream {
    let items = types.view.errors().into_iter().map(|id| match &types.view.shape(id).kind {
        Kind::Structure(members) => {
            let content_type = content_type(types);
            let empty = quote! { builder.body(#content_type, "{}") };
            let write = into_response(types, id, members, error_status(types, id), Some(id), empty);
            let read = from_response(types, id, members);
            quote! { #write #read }
        }
        _ => TokenStream::new(),
    });
    quote! { #(#items)* }
}

/// The parameter of a server's writer: RPC services answer in the protocol the request came
/// in (a service may speak several); restJson1 has one.
fn protocol_param(types: &TypeMap<'_>) -> Option<TokenStream> {
    is_rpc(types).then(|| quote! { , protocol: ::smithy_runtime::protocol::Protocol })
}

/// The server's writer of an output or error structure.
fn into_response(
    types: &TypeMap<'_>,
    id: &ShapeId,
    members: &Members,
    status: u16,
    error: Option<&ShapeId>,
    empty: TokenStream,
) -> TokenStream {
    let ident = types.names.type_ident(id);
    let protocol = types.view.protocol.unwrap_or(Protocol::RestJson1);
    if let (Some(error), true) = (error, protocol.is_rpc()) {
        return rpc_error_response(types, error, status);
    }
    let error_header = error.map(|error| {
        let code = protocol.error_code(error);
        quote! { builder.header(::smithy_runtime::error::ERROR_TYPE_HEADER, #code); }
    });
    let writes: Vec<TokenStream> = members
        .values()
        .map(|member| {
            let field = types.names.field_ident(&member.id);
            let known = &member.traits.known;
            if let Some(name) = &known.http_header {
                bindings::write_header(types, member, name, quote! { self.#field })
            } else if let Some(prefix) = &known.http_prefix_headers {
                bindings::write_prefix_headers(member, prefix, &bound_headers(members), quote! { self.#field })
            } else if known.http_response_code {
                with_value(member, quote! { self.#field }, quote! { builder.status(*value); })
            } else {
                TokenStream::new()
            }
        })
        .collect();
    let mutable = (error.is_some() || writes.iter().any(|w| !w.is_empty())).then(|| quote! { mut });
    let finish = write_body(types, id, members, TokenStream::new(), empty);
    let server_only = server_only();
    let body = body_type(types, members);
    let doc = format!(" Writes this as a {} response.", protocol_names(types));
    let param = protocol_param(types);
    quote! {
        #server_only
        impl crate::types::#ident {
            #[doc = #doc]
            pub(crate) fn into_response(self #param) -> ::smithy_runtime::http::Response<#body> {
                let #mutable builder = ::smithy_runtime::response::ResponseBuilder::new(#status);
                #error_header
                #(#writes)*
                #finish
            }
        }
    }
}

/// The server's writer of an error of an RPC protocol: the whole structure is the body, with
/// `__type` added, and `@awsQueryCompatible` services name the awsQuery code in a header.
fn rpc_error_response(types: &TypeMap<'_>, error: &ShapeId, status: u16) -> TokenStream {
    let ident = types.names.type_ident(error);
    let shape_id = error.to_string();
    let query_error = types.view.service.traits.has(crate::protocol::AWS_QUERY_COMPATIBLE).then(|| {
        let header = crate::protocol::aws_json::query_error_header(types.view.shape(error));
        quote! { builder.header(::smithy_runtime::protocol::aws_json::QUERY_ERROR_HEADER, #header); }
    });
    let mutable = query_error.is_some().then(|| quote! { mut });
    let server_only = server_only();
    let doc = format!(" Writes this as a {} response, in `protocol`.", protocol_names(types));
    quote! {
        #server_only
        impl crate::types::#ident {
            #[doc = #doc]
            pub(crate) fn into_response(
                self,
                protocol: ::smithy_runtime::protocol::Protocol,
            ) -> ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes> {
                let #mutable builder = ::smithy_runtime::response::ResponseBuilder::new(#status);
                #query_error
                builder.error_json(protocol, protocol.error_code(#shape_id), &self)
            }
        }
    }
}

/// The media type of the service's JSON bodies.
fn content_type(types: &TypeMap<'_>) -> &'static str {
    types.view.protocol.unwrap_or(Protocol::RestJson1).content_type()
}

/// Whether the service's protocol is an RPC one (awsJson, rpcv2Cbor), whose bodies are
/// always the whole structure.
fn is_rpc(types: &TypeMap<'_>) -> bool {
    types.view.protocol.is_some_and(Protocol::is_rpc)
}

/// The protocols' names, for doc comments: `awsJson1_0 or rpcv2Cbor`.
fn protocol_names(types: &TypeMap<'_>) -> String {
    let names: Vec<&str> = types.view.protocols.iter().map(|p| p.name()).collect();
    if names.is_empty() {
        "restJson1".to_owned()
    } else {
        names.join(" or ")
    }
}

/// Finishing `builder` with `value` as the body: restJson1's JSON, or an RPC protocol's body
/// in the protocol of the message (the server's `protocol`, the client's `context.protocol`),
/// which the runtime writes in its codec and media type.
fn json_call(types: &TypeMap<'_>, endpoint: &TokenStream, value: TokenStream) -> TokenStream {
    if !is_rpc(types) {
        return quote! { builder.json(#endpoint #value) };
    }
    let protocol = if endpoint.is_empty() {
        quote! { protocol }
    } else {
        quote! { context.protocol }
    };
    quote! { builder.rpc_body(#endpoint #protocol, #value) }
}

/// The client's reader of a response body: restJson1's JSON, or an RPC protocol's body in the
/// codec its `Content-Type` says.
fn read_call(types: &TypeMap<'_>) -> TokenStream {
    if is_rpc(types) {
        quote! { ::smithy_runtime::request::read_rpc(headers, body) }
    } else {
        quote! { ::smithy_runtime::request::read_json(body) }
    }
}

/// The type of a message's body: a stream when the structure holds one, else bytes.
fn body_type(types: &TypeMap<'_>, members: &Members) -> TokenStream {
    if streaming::holds_stream(types, members) {
        quote! { ::smithy_runtime::ByteStream }
    } else {
        quote! { ::smithy_runtime::bytes::Bytes }
    }
}

/// The expression that finishes `builder` with the structure's body; `endpoint` is the extra
/// first argument a request builder needs, `empty` finishes a message with no body members.
fn write_body(
    types: &TypeMap<'_>,
    id: &ShapeId,
    members: &Members,
    endpoint: TokenStream,
    empty: TokenStream,
) -> TokenStream {
    match body_of(types, id, members) {
        Body::Struct(body) => {
            let body_ident = body_ident(types, id);
            let fields = body.iter().map(|member| types.names.field_ident(&member.id));
            json_call(types, &endpoint, quote! { &crate::types::#body_ident { #(#fields: self.#fields),* } })
        }
        Body::Whole => json_call(types, &endpoint, quote! { &self }),
        Body::Payload(member) => {
            let field = types.names.field_ident(&member.id);
            let send = payload_write(types, member, &endpoint);
            // An absent structure payload is still a JSON object in a request; a response and
            // other payloads are empty (as the compliance suite has them).
            let is_request = !endpoint.is_empty();
            let absent = if is_request && matches!(types.view.shape(&member.target).kind, Kind::Structure(_)) {
                quote! { builder.body(#endpoint "application/json", "{}") }
            } else {
                quote! { builder.empty(#endpoint) }
            };
            if is_optional(member) && streaming::is_event_stream(types, &member.target) {
                // An unset event stream is sent as one without events.
                quote! { { let value = self.#field.unwrap_or_default(); #send } }
            } else if is_optional(member) {
                quote! {
                    match self.#field {
                        ::std::option::Option::Some(value) => #send,
                        ::std::option::Option::None => #absent,
                    }
                }
            } else {
                quote! { { let value = self.#field; #send } }
            }
        }
        Body::Empty => empty,
    }
}

/// The `Content-Type` of a body that is this `@httpPayload` member: its target's
/// `@mediaType`, else the restJson1 default for its type.
pub fn payload_media_type(types: &TypeMap<'_>, member: &Member) -> String {
    let target = types.view.shape(&member.target);
    if streaming::is_event_stream(types, &member.target) {
        return "application/vnd.amazon.eventstream".to_owned();
    }
    let modeled = target.traits.raw.get(ids::MEDIA_TYPE).and_then(serde_json::Value::as_str);
    let default = match &target.kind {
        Kind::Simple(Simple::Blob) => "application/octet-stream",
        Kind::Simple(Simple::String) | Kind::Enum(_) => "text/plain",
        _ => "application/json",
    };
    modeled.unwrap_or(default).to_owned()
}

/// The media type of the body of a message of structure `id` (an operation's input or
/// output), for the server's `Content-Type` and `Accept` checks: `None` when it has no body,
/// `Some("")` when it is an empty structure (an empty JSON object or nothing), `Some("*/*")`
/// for a blob payload without `@mediaType` (any bytes of any type), else the payload's or
/// JSON's.
pub fn body_media_type(types: &TypeMap<'_>, id: &ShapeId, unit: bool) -> Option<String> {
    let Kind::Structure(members) = &types.view.shape(id).kind else { return None };
    match body_of(types, id, members) {
        Body::Payload(member) => {
            let target = types.view.shape(&member.target);
            let untyped_blob = matches!(target.kind, Kind::Simple(Simple::Blob)) && !target.traits.has(ids::MEDIA_TYPE);
            Some(if untyped_blob { "*/*".to_owned() } else { payload_media_type(types, member) })
        }
        Body::Struct(_) | Body::Whole => Some(content_type(types).to_owned()),
        // An RPC protocol's body is always a JSON object, `{}` when empty.
        Body::Empty if is_rpc(types) => Some(content_type(types).to_owned()),
        Body::Empty if members.is_empty() && !unit => Some(String::new()),
        Body::Empty => None,
    }
}

/// Finishing `builder` with a payload member's `value` as the whole body.
fn payload_write(types: &TypeMap<'_>, member: &Member, endpoint: &TokenStream) -> TokenStream {
    let media_type = payload_media_type(types, member);
    if streaming::is_event_stream(types, &member.target) {
        // Each event is framed (and signed, by a client with credentials) as it is sent.
        return quote! { builder.event_stream(#endpoint value) };
    }
    if streaming::is_streaming_blob(types, &member.target) {
        // The stream goes out as it is read; a request also says whether it needs a length.
        if endpoint.is_empty() {
            return quote! { builder.stream(#media_type, value) };
        }
        let requires_length = streaming::requires_length(types, member);
        return quote! { builder.stream(#endpoint #media_type, value, #requires_length) };
    }
    match &types.view.shape(&member.target).kind {
        Kind::Simple(Simple::Blob) => {
            quote! { builder.body(#endpoint #media_type, value.into_inner()) }
        }
        Kind::Simple(Simple::String) => quote! { builder.body(#endpoint #media_type, value) },
        Kind::Enum(_) => {
            quote! { builder.body(#endpoint #media_type, ::std::borrow::ToOwned::to_owned(value.as_str())) }
        }
        _ => quote! { builder.json(#endpoint &value) },
    }
}

/// The client's reader of an output or error structure.
fn from_response(types: &TypeMap<'_>, id: &ShapeId, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(id);
    let rejection = quote! { ::smithy_runtime::error::Rejection };
    let read = read_call(types);
    let construct = match body_of(types, id, members) {
        Body::Whole => {
            let record = crate::emit::metadata::record(&quote! { value });
            quote! {
                let mut value: Self = #read?;
                #record
                ::std::result::Result::Ok(value)
            }
        }
        body => {
            let read_body = matches!(body, Body::Struct(_)).then(|| {
                let body_ident = body_ident(types, id);
                quote! { let body: crate::types::#body_ident = #read?; }
            });
            let fields = members.values().map(|member| {
                let field = types.names.field_ident(&member.id);
                let value = response_member(types, member);
                crate::emit::request::field_init(&field, value)
            });
            let reads_headers = members
                .values()
                .any(|m| m.traits.known.http_header.is_some() || m.traits.known.http_prefix_headers.is_some());
            let headers =
                reads_headers.then(|| quote! { let headers = ::smithy_runtime::text::Headers::new(headers); });
            let (read_metadata, metadata) = crate::emit::metadata::read();
            quote! {
                #read_metadata
                #headers
                #read_body
                ::std::result::Result::Ok(Self { #(#fields)* #metadata })
            }
        }
    };
    let client_only = client_only();
    // A streamed body is taken by value and is always the payload.
    let (body_type, unused) = if streaming::holds_stream(types, members) {
        (quote! { ::smithy_runtime::ByteStream }, quote! { (status, headers) })
    } else {
        (quote! { &[u8] }, quote! { (status, headers, body) })
    };
    let doc = format!(" Reads this from a {} response.", types.view.protocol.unwrap_or(Protocol::RestJson1).name());
    quote! {
        #client_only
        impl crate::types::#ident {
            #[doc = #doc]
            pub(crate) fn from_response(
                status: u16,
                headers: &::smithy_runtime::http::HeaderMap,
                body: #body_type,
            ) -> ::std::result::Result<Self, #rejection> {
                // A structure bound only to the body (or only to headers) leaves one unused.
                let _ = #unused;
                #construct
            }
        }
    }
}

/// Where a member of a response is read from, as an expression of the member's type.
fn response_member(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let known = &member.traits.known;
    let field = types.names.field_ident(&member.id);
    let optional = is_optional(member);
    let wrap = |value: TokenStream| {
        if optional {
            quote! { ::std::option::Option::Some(#value) }
        } else {
            value
        }
    };
    if let Some(name) = &known.http_header {
        let what = format!("header {name}");
        let value = bindings::header_value(types, member, &what, quote! { headers.get(#name)?.as_deref() });
        if optional {
            return value;
        }
        if let Some(or_default) = crate::emit::request::unrequired_default(types, member) {
            return quote! { (#value)#or_default };
        }
        let missing = format!("the response has no {name} header");
        return quote! {
            (#value).ok_or_else(|| ::smithy_runtime::error::Rejection::Malformed(::std::borrow::ToOwned::to_owned(#missing)))?
        };
    }
    if let Some(prefix) = &known.http_prefix_headers {
        return wrap(quote! { headers.with_prefix(#prefix)?.into_iter().collect() });
    }
    if known.http_response_code {
        return wrap(quote! { i32::from(status) });
    }
    if known.http_payload {
        return payload_value(types, member, false);
    }
    if known.binds_outside_body() {
        // Labels and query parameters do not occur in responses.
        return quote! { ::std::default::Default::default() };
    }
    quote! { body.#field }
}

/// The method and head of an operation's request: the route of the one protocol, or for a
/// service of several RPC protocols a `match` on the one the client speaks (all `POST`).
fn request_heads(types: &TypeMap<'_>, op: &OperationView, members: &Members) -> Option<(String, TokenStream)> {
    let head = |protocol: Protocol| match protocol.route(&types.view.model, &types.view.service, op)? {
        Route::Http(http) => Some((http.method.clone(), http_bindings(types, &http, members))),
        Route::Target(target) => Some(("POST".to_owned(), rpc_headers(types, &target))),
        Route::Path(path) => Some(("POST".to_owned(), cbor_headers(types, &path))),
    };
    let [first, rest @ ..] = types.view.protocols.as_slice() else { return None };
    if rest.is_empty() {
        return head(*first);
    }
    // The client speaks one of the listed protocols (it refuses to be built otherwise): the
    // last arm takes what the others do not.
    let mut arms = Vec::new();
    for (index, protocol) in types.view.protocols.iter().enumerate() {
        let (_, locate) = head(*protocol)?;
        let pattern = if index + 1 == types.view.protocols.len() {
            quote! { _ }
        } else {
            protocol.runtime_value()
        };
        arms.push(quote! { #pattern => { #locate } });
    }
    Some(("POST".to_owned(), quote! { match context.protocol { #(#arms)* } }))
}

/// `into_request` for an operation's input: the client's writer.
fn into_request(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let Kind::Structure(members) = &types.view.shape(&op.input).kind else { return TokenStream::new() };
    let (method, locate) = match request_heads(types, op, members) {
        Some(head) => head,
        None => return TokenStream::new(),
    };
    let ident = types.names.type_ident(&op.input);
    let host_prefix = host_prefix(types, op, members);
    let unit = matches!(&types.view.shape(&op.id).kind, Kind::Operation(o) if o.input.to_string() == "smithy.api#Unit");
    // An RPC protocol's runtime writer knows what an input without members sends.
    let empty = if is_rpc(types) {
        quote! { builder.rpc_empty(endpoint, context.protocol, #unit) }
    } else {
        quote! { builder.empty(endpoint) }
    };
    let mut finish = write_body(types, &op.input, members, quote! { endpoint, }, empty);
    // A stream is neither compressed nor hashed: both would need it whole before sending.
    let streams = streaming::holds_stream(types, members);
    let compression = types.view.shape(&op.id).traits.raw.get(ids::REQUEST_COMPRESSION).filter(|_| !streams);
    let encodings = compression.and_then(|c| c.get("encodings")).and_then(serde_json::Value::as_array);
    if encodings.is_some_and(|e| e.iter().any(|e| e.as_str() == Some("gzip"))) {
        finish = quote! { (#finish).map(::smithy_runtime::request::with_gzip) };
    }
    // The checksum is of the body as sent, so it comes after compression.
    if types.view.shape(&op.id).traits.has(ids::HTTP_CHECKSUM_REQUIRED) && !streams {
        finish = quote! { (#finish).map(::smithy_runtime::request::with_content_md5) };
    }
    // An unset @idempotencyToken is filled with a fresh UUID, so a retried call is recognised.
    let tokens: Vec<TokenStream> = members
        .values()
        .filter(|m| m.traits.known.idempotency_token && is_optional(m))
        .map(|member| {
            let field = types.names.field_ident(&member.id);
            quote! {
                if self.#field.is_none() {
                    self.#field = ::std::option::Option::Some((context.idempotency_token)());
                }
            }
        })
        .collect();
    let mutable_self = (!tokens.is_empty()).then(|| quote! { mut });
    let client_only = client_only();
    let body = body_type(types, members);
    let doc = format!(" Writes this input as a {} request to `context`'s endpoint.", protocol_names(types));
    quote! {
        #client_only
        impl crate::types::#ident {
            #[doc = #doc]
            pub(crate) fn into_request(
                #mutable_self self,
                context: &::smithy_runtime::request::WriteContext<'_>,
            ) -> ::std::result::Result<
                ::smithy_runtime::http::Request<#body>,
                ::smithy_runtime::request::BuildError,
            > {
                #(#tokens)*
                let endpoint = context.endpoint;
                let mut builder = ::smithy_runtime::request::RequestBuilder::new(#method);
                #host_prefix
                #locate
                #finish
            }
        }
    }
}
