//! The service trait, one `async` method per operation, and each operation's error enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs;
use crate::emit::wire::TypeMap;
use crate::emit::{client_only, server_only};
use crate::model::{Kind, Members, Simple};
use crate::shape_id::ShapeId;
use crate::traits::Fault;

/// The items of `service.rs`: the trait.
pub fn service_module(types: &TypeMap<'_>) -> TokenStream {
    let trait_ident = types.names.service_ident();
    let service = &types.view.service;
    let doc =
        docs::attrs(service.traits.known.documentation.as_deref(), || format!("The {} service.", service.id.name));
    let methods = types.view.operations.iter().map(|op| {
        let shape = types.view.shape(&op.id);
        let method = types.names.method_ident(&op.id);
        let input = types.names.type_ident(&op.input);
        let output = types.names.type_ident(&op.output);
        let error = error_ident(&op.id);
        let doc = docs::attrs(shape.traits.known.documentation.as_deref(), || format!("The {} operation.", op.id.name));
        let name = &op.id.name;
        quote! {
            #doc
            fn #method(
                &self,
                input: crate::types::#input,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<crate::types::#output, crate::error::#error>,
            > + ::std::marker::Send {
                let _ = input;
                async { ::std::result::Result::Err(::smithy_runtime::error::Unhandled::not_implemented(#name).into()) }
            }
        }
    });
    quote! {
        //! The service as a Rust trait: one method per operation. The generated client implements
        //! it, and so does anything that serves the API (a real backend, a fake, a mock).
        #[doc = ""]
        #doc
        #[doc = ""]
        #[doc = " Every method has a default that answers 501 `NotImplemented`, so that an"]
        #[doc = " implementation keeps compiling when a new version of the model adds an operation."]
        pub trait #trait_ident: ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }
    }
}

/// The name of an operation's error enum; naming reserved it.
pub fn error_ident(operation: &ShapeId) -> proc_macro2::Ident {
    format_ident!("{}Error", heck::ToUpperCamelCase::to_upper_camel_case(operation.name.as_str()))
}

/// The HTTP status an error shape is answered with: `@httpError`, else 400 or 500 by fault.
pub fn error_status(types: &TypeMap<'_>, error: &ShapeId) -> u16 {
    let known = &types.view.shape(error).traits.known;
    known.http_error.unwrap_or(match known.error {
        Some(Fault::Server) => 500,
        _ => 400,
    })
}

/// Whether an error structure can be far larger than the others of its enum (clippy's
/// `large_enum_variant`, seen in the suite's JsonProtocol): more than a few members, or one
/// holding a structure, union, list, map or document. The lint is allowed on such an enum
/// rather than boxing by size, for the reason unions do (see `types::holds_aggregate`): which
/// variant is large depends on other types' layout, and a compatible model change must not
/// turn a variant into a `Box`.
fn holds_much(types: &TypeMap<'_>, error: &ShapeId) -> bool {
    let members = types.view.shape(error).kind.members();
    let small = |member: &&crate::model::Member| match &types.view.shape(&member.target).kind {
        Kind::Simple(simple) => simple.is_number() || matches!(simple, Simple::String | Simple::Boolean),
        Kind::Enum(_) | Kind::IntEnum(_) => true,
        _ => false,
    };
    members.len() > 5 || !members.iter().all(small)
}

/// The items of `error.rs`: one enum per operation.
pub fn error_module(types: &TypeMap<'_>) -> TokenStream {
    let enums = types.view.operations.iter().map(|op| {
        let ident = error_ident(&op.id);
        let doc = format!(" The errors of the {} operation.", op.id.name);
        let variants: Vec<_> = op.errors.iter().map(|e| types.names.type_ident(e)).collect();
        let codes: Vec<&str> = op.errors.iter().map(|e| e.name.as_str()).collect();
        let statuses: Vec<u16> = op.errors.iter().map(|e| error_status(types, e)).collect();
        let rest_json = types.view.protocol.map(|protocol| {
            // restJson1, the first protocol, is the macro's default.
            // An RPC error is written in the protocol the request came in.
            let protocol = protocol.is_rpc().then(|| quote! { rpc: });
            let (client_only, server_only) = (client_only(), server_only());
            quote! {
                #client_only
                ::smithy_runtime::rest_json_error_from_response!(#ident {
                    #( #variants(crate::types::#variants) = #codes ),*
                });
                #server_only
                ::smithy_runtime::rest_json_error_into_response!(#protocol #ident {
                    #( #variants(crate::types::#variants) ),*
                });
            }
        });
        let variant_docs = op.errors.iter().map(|e| {
            let shape = types.view.shape(e);
            docs::attrs(shape.traits.known.documentation.as_deref(), || format!("The {} error.", e.name))
        });
        let large = op.errors.iter().any(|e| holds_much(types, e)).then(|| {
            quote! { #[allow(clippy::large_enum_variant)] }
        });
        quote! {
            #[doc = #doc]
            #[derive(::std::fmt::Debug)]
            #large
            #[non_exhaustive]
            pub enum #ident {
                #( #variant_docs #variants(crate::types::#variants), )*
                /// An error the model does not list for this operation, or a response that could
                /// not be read as one it does.
                Unhandled(::smithy_runtime::error::Unhandled),
            }
            ::smithy_runtime::operation_error_impls!(#ident {
                #( #variants(crate::types::#variants) = (#codes, #statuses) ),*
            });
            #rest_json
        }
    });
    quote! {
        //! Each operation's errors: a variant per error the model lists, and one for the rest.
        #(#enums)*
    }
}

/// `message()` on an error structure: its text `message`/`Message` member, if it has one.
pub fn message_accessor(types: &TypeMap<'_>, ident: &proc_macro2::Ident, members: &Members) -> TokenStream {
    let member = members.values().find(|m| {
        m.name.eq_ignore_ascii_case("message")
            && matches!(types.view.shape(&m.target).kind, Kind::Simple(Simple::String) | Kind::Enum(_))
    });
    let body = match member {
        None => quote! { ::std::option::Option::None },
        Some(member) => {
            let field = types.names.field_ident(&member.id);
            let is_enum = matches!(types.view.shape(&member.target).kind, Kind::Enum(_));
            match (crate::emit::types::is_optional(member), is_enum) {
                (true, true) => quote! { self.#field.as_ref().map(|message| message.as_str()) },
                (true, false) => quote! { self.#field.as_deref() },
                (false, _) => quote! { ::std::option::Option::Some(self.#field.as_str()) },
            }
        }
    };
    quote! {
        impl #ident {
            /// The error's message, when it has one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                #body
            }
        }
    }
}
