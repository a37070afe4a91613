//! The protocol tests of operations with `@streaming` blobs: a stream is neither `PartialEq`
//! nor readable without a runtime, so its cases compare the streams' bytes and then the rest,
//! read a canned response through the streamed reader, and collect a written response.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::streaming::streaming_member;
use crate::emit::wire::TypeMap;
use crate::model::Kind;
use crate::shape_id::ShapeId;

/// Compares `actual` with `expected`, both of structure `id`: a streaming member by its
/// bytes (each stream taken out and read whole), then the rest by its debug text (the
/// taken streams are empty alike); any other structure as [`super::compare`] does.
pub fn compare(types: &TypeMap<'_>, id: &ShapeId, nan: bool) -> TokenStream {
    let Kind::Structure(members) = &types.view.shape(id).kind else { return super::compare(nan) };
    let Some(member) = streaming_member(types, members) else { return super::compare(nan) };
    let field = types.names.field_ident(&member.id);
    quote! {
        let (mut actual, mut expected) = (actual, expected);
        let actual_bytes = block_on(::std::mem::take(&mut actual.#field).collect()).unwrap();
        let expected_bytes = block_on(::std::mem::take(&mut expected.#field).collect()).unwrap();
        assert_eq!(actual_bytes, expected_bytes);
        assert_eq!(::std::format!("{actual:?}"), ::std::format!("{expected:?}"));
    }
}

/// The runtime function that reads a canned response into the output of an operation whose
/// output is `output`: the streamed reader when it holds a stream.
pub fn read_response(types: &TypeMap<'_>, output: &ShapeId) -> TokenStream {
    if crate::emit::streaming::structure_streams(types, output) {
        quote! { ::smithy_runtime::request::read_streamed_response }
    } else {
        quote! { ::smithy_runtime::request::read_response }
    }
}

/// The response `value` (of structure `id`) writes, in memory; an RPC service's writer is
/// told the protocol of the suite.
pub fn written_response(types: &TypeMap<'_>, id: &ShapeId) -> TokenStream {
    if crate::emit::streaming::structure_streams(types, id) {
        return quote! { block_on(::smithy_runtime::service::collect_response(value.into_response())) };
    }
    match types.view.protocol.filter(|p| p.is_rpc()) {
        Some(protocol) => {
            let protocol = protocol.runtime_value();
            quote! { value.into_response(#protocol) }
        }
        None => quote! { value.into_response() },
    }
}
