//! The fluent form of the client: `client.update_user().account_id(a).user_id(u).send()`, one
//! call builder per operation with a setter per input member. It is sugar over the service
//! trait: `send()` builds the input and calls the trait's method, so the trait stays the one
//! contract clients, servers and fakes share.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::builders::{has_required, setter_types};
use crate::emit::service::error_ident;
use crate::emit::wire::TypeMap;
use crate::model::Kind;
use crate::service::OperationView;

/// `{Operation}Call`, the fluent call of an operation, in `client::fluent`.
pub fn call_ident(op: &OperationView) -> Ident {
    format_ident!("{}Call", op.id.name.to_upper_camel_case())
}

/// The closure that turns the input builder's `BuildError` into the operation's
/// `ConstructionFailure`; `None` when the input has no required member, so its builder cannot
/// fail. The fluent call and the paginator both build the input this way.
pub fn construction_error(types: &TypeMap<'_>, op: &OperationView) -> Option<TokenStream> {
    let fallible = matches!(&types.view.shape(&op.input).kind, Kind::Structure(members) if has_required(members));
    let error = error_ident(&op.id);
    fallible.then(|| {
        quote! {
            |error| {
                crate::error::#error::Unhandled(::smithy_runtime::error::Unhandled::construction(error))
            }
        }
    })
}

/// `Client::{operation}()` for every operation: each starts its fluent call.
pub fn entry_points(types: &TypeMap<'_>) -> TokenStream {
    let trait_ident = types.names.service_ident();
    let methods = types.view.operations.iter().map(|op| {
        let method = types.names.method_ident(&op.id);
        let call = call_ident(op);
        // `client.rs` imports the trait, so the link resolves by its label.
        let doc = format!(
            " Starts a {} call: set the input's members, then `send()`. The service trait's \
             [`{trait_ident}::{method}`] takes a whole input instead.",
            op.id.name
        );
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> fluent::#call {
                fluent::#call::new(::std::clone::Clone::clone(self))
            }
        }
    });
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}

/// The `client::fluent` module: a call builder per operation.
pub fn fluent_module(types: &TypeMap<'_>) -> TokenStream {
    let calls = types.view.operations.iter().map(|op| {
        let call = call(types, op);
        let paginator = crate::emit::paginators::paginator(types, op);
        quote! { #call #paginator }
    });
    let waiters = crate::emit::waiters::waiter_items(types);
    quote! {
        /// A call builder per operation, started by the client's method of the same name.
        pub mod fluent {
            #(#calls)*
            #waiters
        }
    }
}

/// A setter pair per input member that sets it on the input builder at `builder` (a place
/// expression such as `self.input`): the fluent call's and the waiter's.
pub fn setters(types: &TypeMap<'_>, op: &OperationView, builder: &TokenStream) -> Vec<TokenStream> {
    let members = types.view.shape(&op.input).kind.members();
    let setters = members.into_iter().map(|member| {
        let (plain, set) = types.names.setter_idents(&member.id);
        let (param, ty) = setter_types(types, member);
        let doc = format!(" Sets the input's `{}`.", member.name);
        let set_doc = format!(" Sets the input's `{}`, or unsets it with `None`.", member.name);
        quote! {
            #[doc = #doc]
            pub fn #plain(mut self, value: #param) -> Self {
                #builder = #builder.#plain(value);
                self
            }
            #[doc = #set_doc]
            pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
                #builder = #builder.#set(value);
                self
            }
        }
    });
    setters.collect()
}

fn call(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let trait_ident = types.names.service_ident();
    let method = types.names.method_ident(&op.id);
    let call = call_ident(op);
    let input = types.names.type_ident(&op.input);
    let output = types.names.type_ident(&op.output);
    let error = error_ident(&op.id);
    let builder = format_ident!("{}Builder", input);
    let setters = setters(types, op, &quote! { self.input });
    let doc = format!(" A {} call: set the input's members, then [`send`](Self::send).", op.id.name);
    let build = match construction_error(types, op) {
        Some(to_error) => quote! { self.input.build().map_err(#to_error)? },
        None => quote! { self.input.build() },
    };
    let name = call.to_string();
    quote! {
        #[doc = #doc]
        pub struct #call {
            client: crate::client::Client,
            input: crate::types::builders::#builder,
            overrides: ::smithy_runtime::client::CallConfig,
        }
        /// Only the call's name: its input may hold `@sensitive` values.
        impl ::std::fmt::Debug for #call {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name).finish_non_exhaustive()
            }
        }
        impl #call {
            pub(crate) fn new(client: crate::client::Client) -> Self {
                Self {
                    client,
                    input: ::std::default::Default::default(),
                    overrides: ::smithy_runtime::client::CallConfig::new(),
                }
            }
            #(#setters)*
            /// Runs this call with these overrides of the client's retries and timeouts.
            pub fn config_override(mut self, overrides: ::smithy_runtime::client::CallConfig) -> Self {
                self.overrides = overrides;
                self
            }
            /// Sends the call. A `@required` member left unset fails it before anything is
            /// sent, with an `Unhandled` error of code `ConstructionFailure` naming them all.
            pub async fn send(self) -> ::std::result::Result<crate::types::#output, crate::error::#error> {
                let input = #build;
                let client = self.client.with_call_config(&self.overrides);
                <crate::client::Client as crate::service::#trait_ident>::#method(&client, input).await
            }
        }
    }
}
