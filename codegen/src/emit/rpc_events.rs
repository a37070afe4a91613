//! Event-stream outputs in the RPC protocols (awsJson1_0/1_1): the response body is the
//! event stream, and its first message, `initial-response`, holds the output's other members
//! as the protocol's JSON (the output's `{Name}Body` struct, or `{}`). The server writes that
//! message before the handler's events; the client reads it before handing the stream over.
//! (Input event streams in these protocols are refused by the service view.)

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::streaming::is_event_stream;
use crate::emit::types::{body_members, is_optional};
use crate::emit::wire::TypeMap;
use crate::emit::{client_only, server_only};
use crate::model::{Kind, Member, Members};
use crate::service::OperationView;

/// Whether `op`'s output is an RPC event stream (then [`output_items`] writes its reader and
/// writer).
pub fn is_rpc_event_output(types: &TypeMap<'_>, op: &OperationView) -> bool {
    let rpc = types.view.protocol.is_some_and(crate::protocol::Protocol::is_rpc);
    rpc && stream_member(types, output_members(types, op)).is_some()
}

fn output_members<'v>(types: &TypeMap<'v>, op: &OperationView) -> Option<&'v Members> {
    match &types.view.shape(&op.output).kind {
        Kind::Structure(members) => Some(members),
        _ => None,
    }
}

fn stream_member<'m>(types: &TypeMap<'_>, members: Option<&'m Members>) -> Option<&'m Member> {
    members?.values().find(|m| is_event_stream(types, &m.target))
}

/// `into_response` (server) and `from_response` (client) of an RPC event-stream output.
pub fn output_items(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let Some(members) = output_members(types, op) else { return TokenStream::new() };
    let Some(stream) = stream_member(types, Some(members)) else { return TokenStream::new() };
    let ident = types.names.type_ident(&op.output);
    let body_ident = format_ident!("{}Body", ident);
    let initial = body_members(types, members).unwrap_or_default();
    let stream_field = types.names.field_ident(&stream.id);
    let fields: Vec<_> = initial.iter().map(|m| types.names.field_ident(&m.id)).collect();
    let members_json = if initial.is_empty() {
        quote! { &::smithy_runtime::event_stream::json::NoMembers }
    } else {
        quote! { &crate::types::#body_ident { #(#fields: self.#fields),* } }
    };
    let events = if is_optional(stream) {
        quote! { self.#stream_field.unwrap_or_default() }
    } else {
        quote! { self.#stream_field }
    };
    let read_body = (!initial.is_empty()).then(|| {
        quote! { let body: crate::types::#body_ident = ::smithy_runtime::request::read_json(initial)?; }
    });
    let received = quote! { ::smithy_runtime::EventStream::from_body(events, ::std::option::Option::None) };
    let received = if is_optional(stream) {
        quote! { ::std::option::Option::Some(#received) }
    } else {
        received
    };
    let (read_metadata, metadata) = crate::emit::metadata::read();
    let (server_only, client_only) = (server_only(), client_only());
    let unused = initial.is_empty().then(|| quote! { let _ = initial; });
    quote! {
        #server_only
        impl crate::types::#ident {
            /// Writes this as an event-stream response: the `initial-response` message with the
            /// other members, then the events.
            pub(crate) fn into_response(
                self,
                protocol: ::smithy_runtime::protocol::Protocol,
            ) -> ::smithy_runtime::http::Response<::smithy_runtime::ByteStream> {
                ::smithy_runtime::response::ResponseBuilder::new(200u16).rpc_event_stream(protocol, #members_json, #events)
            }
        }
        #client_only
        impl crate::types::#ident {
            /// Reads this from an event-stream response: `initial` is the payload of its
            /// `initial-response` message, `events` the rest of the body.
            pub(crate) fn from_response(
                status: u16,
                headers: &::smithy_runtime::http::HeaderMap,
                initial: &[u8],
                events: ::smithy_runtime::ByteStream,
            ) -> ::std::result::Result<Self, ::smithy_runtime::error::Rejection> {
                #unused
                #read_metadata
                #read_body
                ::std::result::Result::Ok(Self { #(#fields: body.#fields,)* #stream_field: #received, #metadata })
            }
        }
    }
}
