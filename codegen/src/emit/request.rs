//! Request parsing for the server (restJson1 and awsJson alike: awsJson's members were all
//! resolved into the body): each operation input gets `from_request`, which
//! binds labels, query parameters, headers and the body to members, reports every missing
//! required member and every constraint violation together, and tells a malformed request
//! apart from an invalid one.

use std::collections::BTreeSet;

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::types::{body_members, is_optional, json_name};
use crate::emit::wire::TypeMap;
use crate::emit::{bindings, messages, server_only};
use crate::model::{Kind, Member, Members, Simple};
use crate::shape_id::ShapeId;
use crate::traits::TimestampFormat;

/// The ID of the unit type: an operation with it as input or output has no such message.
const UNIT: &str = "smithy.api#Unit";

/// The items of `protocol.rs`, or `None` for a service that does not speak restJson1.
pub fn protocol_module(types: &TypeMap<'_>) -> Option<TokenStream> {
    types.view.protocol?;
    let nodes = presence_nodes(types);
    let parsers = types.view.operations.iter().map(|op| {
        let shape = types.view.shape(&op.input);
        let Kind::Structure(members) = &shape.kind else { return TokenStream::new() };
        from_request(types, &op.input, members)
    });
    let messages = types.view.operations.iter().map(|op| messages::operation_items(types, op));
    let errors = messages::error_items(types);
    let events = crate::emit::events::event_items(types);
    let doc = format!(
        " {}: where each input member is found in a request (the server reading, the",
        types.view.protocol.map_or("", crate::protocol::Protocol::name)
    );
    Some(quote! {
        #![doc = #doc]
        //! client writing), and each output and error member in a response. Each item is
        //! compiled only with the feature of the side that uses it.
        #nodes
        #(#parsers)*
        #(#messages)*
        #errors
        #events
    })
}

/// The static presence schema node of a structure or union.
fn node_ident(types: &TypeMap<'_>, id: &ShapeId) -> Ident {
    format_ident!("NODE_{}", types.names.type_ident(id).to_string().trim_start_matches("r#").to_shouty_snake_case())
}

/// Presence schema statics for every structure and union an input body can hold, and one
/// for each input body.
fn presence_nodes(types: &TypeMap<'_>) -> TokenStream {
    let mut reachable = BTreeSet::new();
    let mut stack: Vec<ShapeId> = types.view.operations.iter().map(|op| op.input.clone()).collect();
    while let Some(id) = stack.pop() {
        if reachable.insert(id.clone()) {
            let shape = types.view.shape(&id);
            let is_input = types.view.operations.iter().any(|op| op.input == id);
            // An input's presence check covers its JSON body only; a payload is read whole.
            let members = match &shape.kind {
                Kind::Structure(members) if is_input => body_members(types, members).unwrap_or_default(),
                kind => kind.members(),
            };
            stack.extend(members.into_iter().map(|m| m.target.clone()));
        }
    }
    let mut statics = Vec::new();
    for id in reachable.iter().filter(|id| types.view.shapes.contains(*id)) {
        let shape = types.view.shape(id);
        let (variant, members): (TokenStream, Vec<&Member>) = match &shape.kind {
            Kind::Structure(members) if types.view.operations.iter().any(|op| &op.input == id) => {
                match body_members(types, members) {
                    Some(body) => (quote! { Structure }, body),
                    None => continue,
                }
            }
            Kind::Structure(members) => (quote! { Structure }, members.values().collect()),
            Kind::Union(members) => (quote! { Union }, members.values().collect()),
            _ => continue,
        };
        let ident = node_ident(types, id);
        let fields = members.iter().map(|member| {
            let name = json_name(member);
            let required = !is_optional(member) && member.traits.known.default.is_none();
            let node = node_expr(types, member);
            quote! { ::smithy_runtime::presence::Field { name: #name, required: #required, node: #node } }
        });
        let server_only = server_only();
        statics.push(quote! {
            #server_only
            static #ident: ::smithy_runtime::presence::Node = ::smithy_runtime::presence::Node::#variant(&[#(#fields),*]);
        });
    }
    quote! { #(#statics)* }
}

/// A reference to the presence node of a member's value.
fn node_expr(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let node = quote! { ::smithy_runtime::presence };
    let target = types.view.shape(&member.target);
    match &target.kind {
        // A unit member of a union holds `{}` or null; nothing inside it can be missing.
        Kind::Structure(_) if target.traits.known.unit_type => quote! { &#node::Node::Leaf(#node::Placeholder::Null) },
        Kind::Structure(_) | Kind::Union(_) => {
            let ident = node_ident(types, &member.target);
            quote! { &#ident }
        }
        Kind::List(item) => {
            let inner = node_expr(types, item);
            quote! { &#node::Node::List(#inner) }
        }
        Kind::Map { value, .. } => {
            let inner = node_expr(types, value);
            quote! { &#node::Node::Map(#inner) }
        }
        Kind::Simple(Simple::Boolean) => quote! { &#node::Node::Leaf(#node::Placeholder::Boolean) },
        Kind::Simple(Simple::Document) => quote! { &#node::Node::Leaf(#node::Placeholder::Null) },
        Kind::Simple(Simple::Timestamp) => match types.timestamp_format(member, TimestampFormat::EpochSeconds) {
            TimestampFormat::EpochSeconds => quote! { &#node::Node::Leaf(#node::Placeholder::Number) },
            TimestampFormat::DateTime => {
                quote! { &#node::Node::Leaf(#node::Placeholder::DateTime) }
            }
            TimestampFormat::HttpDate => {
                quote! { &#node::Node::Leaf(#node::Placeholder::Text("Thu, 01 Jan 1970 00:00:00 GMT")) }
            }
        },
        Kind::Simple(simple) if simple.is_number() => quote! { &#node::Node::Leaf(#node::Placeholder::Number) },
        Kind::Simple(Simple::Blob) => quote! { &#node::Node::Leaf(#node::Placeholder::Blob) },
        Kind::IntEnum(_) => quote! { &#node::Node::Leaf(#node::Placeholder::Number) },
        _ => quote! { &#node::Node::Leaf(#node::Placeholder::String) },
    }
}

/// `from_request` for one operation input.
fn from_request(types: &TypeMap<'_>, input: &ShapeId, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(input);
    let body_ident = format_ident!("{}Body", ident);
    let body = body_members(types, members);
    let rpc = types.view.protocol.is_some_and(crate::protocol::Protocol::is_rpc);
    let read_body = match &body {
        // An RPC body is read in the protocol the request came in.
        Some(_) if rpc => {
            let node = node_ident(types, input);
            quote! {
                let body: crate::types::#body_ident = ::smithy_runtime::server::read_rpc_body(
                    request.protocol(), body, &#node, &mut violations, &mut filled,
                )?;
            }
        }
        Some(_) => {
            let node = node_ident(types, input);
            quote! {
                let body: crate::types::#body_ident =
                    ::smithy_runtime::server::read_body(body, &#node, &mut violations, &mut filled)?;
            }
        }
        // An RPC body is always an object (a map), an input without members too: anything
        // else is malformed, as it would be for an operation with members.
        None if rpc => quote! { ::smithy_runtime::server::read_rpc_empty(request.protocol(), body)?; },
        None => TokenStream::new(),
    };
    // Only the body and required headers or query parameters record missing members (one
    // with a `@default` that is not required takes the default instead).
    let records = body.is_some()
        || members.values().any(|m| {
            let bound = m.traits.known.http_header.is_some() || m.traits.known.http_query.is_some();
            bound && !is_optional(m) && unrequired_default(types, m).is_none()
        });
    let mutable = records.then(|| quote! { mut });
    let fields = members.values().map(|member| {
        let field = types.names.field_ident(&member.id);
        let value = member_value(types, member, body.is_some());
        field_init(&field, value)
    });
    let streams = crate::emit::streaming::holds_stream(types, members);
    let media_types = media_type_check(types, input, streams);
    let length_check = crate::emit::streaming::streaming_member(types, members)
        .filter(|member| crate::emit::streaming::requires_length(types, member))
        .map(|_| quote! { request.require_length(&body)?; });
    let server_only = server_only();
    let names: Vec<&str> = types.view.protocols.iter().map(|p| p.name()).collect();
    let doc = format!(" Reads this input from a routed {} request and checks it. Every missing", names.join(" or "));
    // A streamed body is taken by value, unread; any other is read whole before parsing.
    // (The media type check always reads `request`, and the payload is always `body`.)
    let (body_type, unused) = if streams {
        (quote! { ::smithy_runtime::ByteStream }, None)
    } else {
        (quote! { &[u8] }, Some(quote! { let _ = (request, body); }))
    };
    quote! {
        #server_only
        impl crate::types::#ident {
            #[doc = #doc]
            /// required member and every constraint violation is reported together; a request
            /// that cannot be read at all is `Malformed`.
            pub fn from_request(
                request: &::smithy_runtime::server::RequestParts<'_>,
                body: #body_type,
            ) -> ::std::result::Result<Self, ::smithy_runtime::error::Rejection> {
                // An input bound only to the URI (or only to the body) leaves one unused.
                #unused
                #media_types
                #length_check
                let #mutable violations = ::std::vec::Vec::new();
                let #mutable filled = ::std::vec::Vec::<::std::string::String>::new();
                #read_body
                let input = Self { #(#fields)* };
                request.accept(input, violations, &filled)
            }
        }
    }
}

/// `field: value,` in a struct literal, or `field,` when the value is a variable of the same
/// name (a streamed payload member named `body`), which clippy wants shorthand.
pub fn field_init(field: &Ident, value: TokenStream) -> TokenStream {
    if *field == value.to_string() {
        quote! { #field, }
    } else {
        quote! { #field: #value, }
    }
}

/// The `Content-Type` and `Accept` checks of the operation whose input is `input`.
fn media_type_check(types: &TypeMap<'_>, input: &ShapeId, streams: bool) -> TokenStream {
    let Some(op) = types.view.operations.iter().find(|op| op.input == *input) else { return TokenStream::new() };
    let (unit_input, unit_output) = match &types.view.shape(&op.id).kind {
        Kind::Operation(o) => (o.input.to_string() == UNIT, o.output.to_string() == UNIT),
        _ => (false, false),
    };
    let option = |media_type: Option<String>| match media_type {
        Some(media_type) => quote! { ::std::option::Option::Some(#media_type) },
        None => quote! { ::std::option::Option::None },
    };
    // An RPC body is in the media type of the protocol the request came in.
    let rpc = types.view.protocol.is_some_and(crate::protocol::Protocol::is_rpc);
    let content_type = if rpc {
        quote! { ::std::option::Option::Some(request.protocol().content_type()) }
    } else {
        option(messages::body_media_type(types, &op.input, unit_input))
    };
    // An empty output accepts anything, as one with no body does; RPC clients are not held
    // to an `Accept` (AWS's awsJson services answer whatever it says).
    let output_type = messages::body_media_type(types, &op.output, unit_output).filter(|m| !m.is_empty() && !rpc);
    let accept = option(output_type);
    if streams {
        return quote! { request.check_stream_media_types(&body, #content_type, #accept)?; };
    }
    quote! { request.check_media_types(body, #content_type, #accept)?; }
}

/// Where a member's value comes from, as an expression of the member's type.
fn member_value(types: &TypeMap<'_>, member: &Member, has_body: bool) -> TokenStream {
    let known = &member.traits.known;
    let field = types.names.field_ident(&member.id);
    let name = &member.name;
    if known.http_label {
        let what = format!("label {name}");
        let convert = bindings::conversion(types, member, &what, quote! { text }, TimestampFormat::DateTime);
        return quote! { { let text = request.label(#name)?; (#convert)? } };
    }
    if let Some(key) = &known.http_query {
        let what = format!("query parameter {key}");
        return optional_or_required(
            types,
            member,
            bindings::list_or_single(
                types,
                member,
                &what,
                quote! { request.query_all(#key) },
                quote! { request.query(#key) },
                TimestampFormat::DateTime,
            ),
        );
    }
    if let Some(header) = &known.http_header {
        let what = format!("header {header}");
        let header_text = quote! { request.headers().get(#header)?.as_deref() };
        return optional_or_required(types, member, bindings::header_value(types, member, &what, header_text));
    }
    if known.http_query_params {
        // Servers put every query parameter in the map, bound ones included (the protocol
        // tests ask for it); a map of lists keeps every value of a repeated key.
        let map = if bindings::is_map_of_lists(types, member) {
            quote! { ::smithy_runtime::server::query_map_of_lists(request.query_pairs()) }
        } else {
            quote! { ::smithy_runtime::server::query_map(request.query_pairs()) }
        };
        return optional_wrap(member, map);
    }
    if let Some(prefix) = &known.http_prefix_headers {
        return optional_wrap(
            member,
            quote! {
                request.headers().with_prefix(#prefix)?.into_iter().collect()
            },
        );
    }
    if known.http_payload {
        return payload_value(types, member, true);
    }
    if has_body {
        return quote! { body.#field };
    }
    quote! { ::std::default::Default::default() }
}

/// Wraps a value that is always present in `Some` when the member is optional.
fn optional_wrap(member: &Member, value: TokenStream) -> TokenStream {
    if is_optional(member) {
        quote! { ::std::option::Option::Some(#value) }
    } else {
        value
    }
}

/// An `Option<T>` expression for the member: kept for an optional member; for a required one,
/// a missing value is a violation and a placeholder stands in.
fn optional_or_required(types: &TypeMap<'_>, member: &Member, option: TokenStream) -> TokenStream {
    if is_optional(member) {
        return option;
    }
    if let Some(or_default) = unrequired_default(types, member) {
        return quote! { (#option)#or_default };
    }
    let name = &member.name;
    let placeholder = placeholder_value(types, member);
    // Bound first: the option may be a block, which clippy will not have as a scrutinee.
    quote! {
        {
            let found = #option;
            match found {
                ::std::option::Option::Some(value) => value,
                ::std::option::Option::None => {
                    ::smithy_runtime::validation::required(#name, &::smithy_runtime::validation::Path::ROOT, &mut violations);
                    filled.push(::std::format!("/{}", #name));
                    #placeholder
                }
            }
        }
    }
}

/// For a member that may be left out because it has a `@default` (and is not `@required`),
/// the method call that turns an `Option` of its value into the value, the default when
/// absent (`.unwrap_or_default()`, or `.unwrap_or(..)`: a default is a constant, cheap to
/// build, and clippy refuses a closure around one); `None` for any other member.
pub fn unrequired_default(types: &TypeMap<'_>, member: &Member) -> Option<TokenStream> {
    let known = &member.traits.known;
    let value = known.default.as_ref().filter(|_| !known.required)?;
    Some(match crate::emit::defaults::default_value(types, member, value).ok()? {
        crate::emit::defaults::DefaultValue::Zero => quote! { .unwrap_or_default() },
        crate::emit::defaults::DefaultValue::Expr(expr) => quote! { .unwrap_or(#expr) },
    })
}

/// A stand-in value of the member's type for a missing required member.
fn placeholder_value(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let target = types.view.shape(&member.target);
    let ty = types.value_type(&member.target);
    match &target.kind {
        Kind::Enum(_) => quote! { #ty::from("") },
        Kind::IntEnum(_) => quote! { #ty::from(0) },
        Kind::Simple(Simple::Timestamp) => quote! { ::smithy_runtime::DateTime::from_secs(0) },
        Kind::Simple(Simple::Blob) => quote! { ::smithy_runtime::Blob::new(::std::vec::Vec::new()) },
        Kind::Simple(Simple::BigInteger) => quote! { ::smithy_runtime::BigInteger::from_model_literal("0") },
        Kind::Simple(Simple::BigDecimal) => quote! { ::smithy_runtime::BigDecimal::from_model_literal("0") },
        _ => quote! { <#ty as ::std::default::Default>::default() },
    }
}

/// The `@httpPayload` member from the raw body, read by the server (`from_request`, where
/// `request` is the request's parts) or the client.
pub fn payload_value(types: &TypeMap<'_>, member: &Member, server: bool) -> TokenStream {
    let target = types.view.shape(&member.target);
    if crate::emit::streaming::is_streaming_blob(types, &member.target) {
        // Never optional (checked): a stream that carries nothing is an empty one.
        return quote! { body };
    }
    if crate::emit::streaming::is_event_stream(types, &member.target) {
        // Both sides read the body's events as they arrive; a server checks their signatures.
        let events = if server {
            quote! { request.event_stream(body) }
        } else {
            quote! { ::smithy_runtime::EventStream::from_body(body, ::std::option::Option::None) }
        };
        return if is_optional(member) {
            quote! { ::std::option::Option::Some(#events) }
        } else {
            events
        };
    }
    let value = match &target.kind {
        Kind::Simple(Simple::Blob) => quote! { ::smithy_runtime::Blob::new(body.to_vec()) },
        Kind::Simple(Simple::String) => quote! {
            ::std::string::String::from_utf8(body.to_vec())
                .map_err(|_| ::smithy_runtime::error::Rejection::Malformed("the request body is not UTF-8 text".into()))?
        },
        Kind::Enum(_) => {
            let ty = types.value_type(&member.target);
            quote! {
                #ty::from(::std::str::from_utf8(body)
                    .map_err(|_| ::smithy_runtime::error::Rejection::Malformed("the request body is not UTF-8 text".into()))?)
            }
        }
        _ => quote! {
            ::smithy_runtime::serde_json::from_slice(body).map_err(|error| {
                ::smithy_runtime::error::Rejection::Malformed(::std::format!("the request body is not valid: {error}"))
            })?
        },
    };
    // A structure payload of `{}` is absent too: it is what a client sends for none.
    let absent = if matches!(target.kind, Kind::Structure(_)) {
        quote! { ::smithy_runtime::wire::is_empty_object(body) }
    } else {
        quote! { body.is_empty() }
    };
    if is_optional(member) {
        quote! { if #absent { ::std::option::Option::None } else { ::std::option::Option::Some(#value) } }
    } else {
        value
    }
}
