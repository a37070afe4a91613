//! The head of a client's request: the path, query and headers where the protocol routes
//! and binds them (restJson1's `@http` URI and binding traits, awsJson's `X-Amz-Target`,
//! rpcv2Cbor's operation path), and the `@endpoint` host prefix.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::bindings::{self, to_text};
use crate::emit::types::is_optional;
use crate::emit::wire::TypeMap;
use crate::model::{Member, Members};
use crate::service::OperationView;
use crate::traits::{PathSegment, TimestampFormat};

/// The headers an RPC request is routed by: `X-Amz-Target`, and the query mode of an
/// `@awsQueryCompatible` service.
pub fn rpc_headers(types: &TypeMap<'_>, target: &str) -> TokenStream {
    let query_mode = types.view.service.traits.has(crate::protocol::AWS_QUERY_COMPATIBLE).then(|| {
        quote! { builder.header(::smithy_runtime::protocol::aws_json::QUERY_MODE_HEADER, "true"); }
    });
    quote! {
        builder.path("/");
        builder.header(::smithy_runtime::protocol::aws_json::TARGET_HEADER, #target);
        #query_mode
    }
}

/// The path and headers of an rpcv2Cbor request: the operation's path, the protocol, the
/// media type it accepts, and the query mode of an `@awsQueryCompatible` service.
pub fn cbor_headers(types: &TypeMap<'_>, path: &str) -> TokenStream {
    let query_mode = types.view.service.traits.has(crate::protocol::AWS_QUERY_COMPATIBLE).then(|| {
        quote! { builder.header(::smithy_runtime::protocol::aws_json::QUERY_MODE_HEADER, "true"); }
    });
    quote! {
        builder.path(#path);
        builder.header(::smithy_runtime::protocol::rpc_v2_cbor::PROTOCOL_HEADER, ::smithy_runtime::protocol::rpc_v2_cbor::PROTOCOL);
        builder.header("accept", ::smithy_runtime::cbor::CONTENT_TYPE);
        #query_mode
    }
}

/// The path, query and headers of a restJson1 request, from the `@http` URI and the input's
/// binding traits.
pub fn http_bindings(types: &TypeMap<'_>, http: &crate::traits::Http, members: &Members) -> TokenStream {
    let label_member = |name: &str| members.values().find(|m| m.traits.known.http_label && m.name == name);
    let path = if http.path_segments().is_empty() { vec![quote! { builder.path("/"); }] } else { Vec::new() };
    let path = path.into_iter().chain(http.path_segments().into_iter().map(|segment| match segment {
        PathSegment::Literal(text) => {
            let text = format!("/{text}");
            quote! { builder.path(#text); }
        }
        PathSegment::Label { name, greedy } => {
            let value = match label_member(&name) {
                Some(member) => label_text(types, member),
                // Lowering reported a label with no member.
                None => quote! { ::std::string::String::new() },
            };
            quote! { builder.path("/"); builder.label(#name, &#value, #greedy); }
        }
    }));
    let literals = http.query_literals().into_iter().map(|(key, value)| match value {
        Some(value) => quote! { builder.query(#key, #value); },
        None => quote! { builder.query_flag(#key); },
    });
    let field_of = |member: &Member| {
        let field = types.names.field_ident(&member.id);
        quote! { self.#field }
    };
    let queries = members.values().filter_map(|member| {
        let key = member.traits.known.http_query.as_ref()?;
        Some(bindings::write_query(types, member, key, field_of(member)))
    });
    let query_params = members
        .values()
        .filter(|m| m.traits.known.http_query_params)
        .map(|member| bindings::write_query_params(types, member, field_of(member)));
    let headers = members.values().filter_map(|member| {
        let known = &member.traits.known;
        if let Some(name) = &known.http_header {
            Some(bindings::write_header(types, member, name, field_of(member)))
        } else {
            let prefix = known.http_prefix_headers.as_ref()?;
            Some(bindings::write_prefix_headers(member, prefix, &bound_headers(members), field_of(member)))
        }
    });
    quote! {
        #(#path)*
        #(#literals)*
        #(#queries)*
        #(#query_params)*
        #(#headers)*
    }
}
/// The lower-cased names of the headers `@httpHeader` members set, which prefix headers must
/// not repeat.
pub fn bound_headers(members: &Members) -> Vec<String> {
    members.values().filter_map(|m| m.traits.known.http_header.as_ref().map(|h| h.to_ascii_lowercase())).collect()
}

/// A label member's value as text (labels default to date-time timestamps).
fn label_text(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let field = types.names.field_ident(&member.id);
    let text = to_text(types, member, quote! { value }, TimestampFormat::DateTime);
    if is_optional(member) {
        quote! { self.#field.as_ref().map(|value| #text).unwrap_or_default() }
    } else {
        quote! { { let value = &self.#field; #text } }
    }
}

/// `builder.host_prefix(..)` for an operation with `@endpoint`: its `hostPrefix` with each
/// `{Label}` replaced by the `@hostLabel` member's value.
pub fn host_prefix(types: &TypeMap<'_>, op: &OperationView, members: &Members) -> Option<TokenStream> {
    let endpoint = types.view.shape(&op.id).traits.known.endpoint.clone()?;
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = endpoint.host_prefix.as_str();
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        let member = members.values().find(|m| m.traits.known.host_label && m.name == name)?;
        let text = label_text(types, member);
        args.push(quote! { builder.host_label(#name, #text) });
        format.push_str("{}");
        rest = &after[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        let prefix = endpoint.host_prefix;
        return Some(quote! { builder.host_prefix(#prefix); });
    }
    Some(quote! {
        let prefix = ::std::format!(#format #(, #args)*);
        builder.host_prefix(&prefix);
    })
}
