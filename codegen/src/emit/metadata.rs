//! Response metadata on the structures a client reads from responses: every operation output
//! and every error structure keeps the request ID and HTTP status of its response
//! (`smithy_runtime::ResponseMetadata`), reached through `smithy_runtime::RequestId`. This is
//! the one place that decides which structures carry it and what the field is called.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::wire::TypeMap;
use crate::model::Shape;

/// The hidden field that holds the metadata. Members cannot take this name: the naming of
/// fields drops leading underscores.
const FIELD: &str = "_response_metadata";

/// Whether a structure is read from a response on its own: an operation's output or an error.
pub fn carries(types: &TypeMap<'_>, shape: &Shape) -> bool {
    shape.traits.known.error.is_some() || types.view.operations.iter().any(|op| op.output == shape.id)
}

/// The field's declaration in the structure. A structure serde reads whole (an error) skips
/// it: the metadata is set from the response's head, never from its body.
pub fn field(serde: bool) -> TokenStream {
    let field = format_ident!("{FIELD}");
    let skip = serde.then(|| quote! { #[serde(skip)] });
    quote! {
        #skip
        pub(crate) #field: ::smithy_runtime::metadata::ResponseMetadataField,
    }
}

/// The field's initializer in a struct literal built by a program (a builder): no response.
pub fn unset() -> TokenStream {
    let field = format_ident!("{FIELD}");
    quote! { #field: ::std::default::Default::default(), }
}

/// For a `from_response(status, headers, ..)` that builds its structure as a literal: the
/// statement that reads the metadata (first, while `headers` is still the `HeaderMap`), and
/// the field's initializer.
pub fn read() -> (TokenStream, TokenStream) {
    let field = format_ident!("{FIELD}");
    let read =
        quote! { let metadata = ::smithy_runtime::metadata::ResponseMetadataField::from_response(status, headers); };
    (read, quote! { #field: metadata, })
}

/// The statement that records the response's metadata on `value`, a structure serde just
/// read whole in a `from_response(status, headers, ..)`.
pub fn record(value: &TokenStream) -> TokenStream {
    let field = format_ident!("{FIELD}");
    quote! { #value.#field = ::smithy_runtime::metadata::ResponseMetadataField::from_response(status, headers); }
}

/// The statement that forgets what response `value` was read from, so that its debug text
/// equals that of one built with the same members (the protocol tests compare by it when a
/// NaN makes `==` useless).
pub fn forget(value: &TokenStream) -> TokenStream {
    let field = format_ident!("{FIELD}");
    quote! { #value.#field = ::std::default::Default::default(); }
}

/// `impl RequestId` for the structure `ident`.
pub fn request_id_impl(ident: &proc_macro2::Ident) -> TokenStream {
    let field = format_ident!("{FIELD}");
    quote! {
        impl ::smithy_runtime::RequestId for #ident {
            fn response_metadata(&self) -> &::smithy_runtime::ResponseMetadata {
                self.#field.get()
            }
        }
    }
}
