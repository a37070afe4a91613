//! Paginators: `client.list_accounts().into_paginator().page_size(n).send()` is a
//! `Stream` of pages and `.items()` a `Stream` of the pages' items, for every `@paginated`
//! operation. The runtime's `client::paginate` does the walking; this writes, per operation,
//! how to read a page's next token and items and how to put the token into the next input.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::builders::setter_types;
use crate::emit::fluent::{call_ident, construction_error};
use crate::emit::paginate::{resolve, Pagination};
use crate::emit::service::error_ident;
use crate::emit::types::is_optional;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Simple};
use crate::service::OperationView;

/// `into_paginator()` on the operation's fluent call and its `{Operation}Paginator`, for a
/// paginated operation; nothing for the others (and for those `paginate::check` refused).
pub fn paginator(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let Ok(Some(pagination)) = resolve(types, op) else {
        return TokenStream::new();
    };
    let trait_ident = types.names.service_ident();
    let method = types.names.method_ident(&op.id);
    let call = call_ident(op);
    let paginator = format_ident!("{}Paginator", heck::ToUpperCamelCase::to_upper_camel_case(op.id.name.as_str()));
    let input = types.names.type_ident(&op.input);
    let output = types.names.type_ident(&op.output);
    let error = error_ident(&op.id);
    let next_token = next_token(types, &pagination);
    let set_token = set_token(types, &pagination);
    let first = match construction_error(types, op) {
        Some(to_error) => quote! { self.call.input.build().map_err(#to_error) },
        None => quote! { ::std::result::Result::Ok(self.call.input.build()) },
    };
    let page_size = pagination.page_size.map(|member| {
        let (plain, _) = types.names.setter_idents(&member.id);
        let (param, _) = setter_types(types, member);
        let doc = format!(" Asks for pages of at most this many items (the input's `{}`).", member.name);
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, size: #param) -> Self {
                self.call.input = self.call.input.#plain(size);
                self
            }
        }
    });
    let items = pagination.items.as_ref().map(|path| items_fn(types, &output, &error, path));
    let doc = format!(
        " The pages of {} calls, each asking for the page after the last: see [`send`](Self::send).",
        op.id.name
    );
    quote! {
        impl #call {
            /// All the pages of this call, one call per page, as a `Stream`.
            pub fn into_paginator(self) -> #paginator {
                #paginator { call: self }
            }
        }
        #[doc = #doc]
        #[derive(::std::fmt::Debug)]
        pub struct #paginator {
            call: #call,
        }
        impl #paginator {
            #page_size
            /// The pages, as a `Stream`: the first with the call's input, each next one with
            /// the token the page before gave, until a page gives none or repeats the token it
            /// was asked with. A failed call is the stream's last item.
            pub fn send(self) -> impl ::smithy_runtime::futures_core::Stream<
                Item = ::std::result::Result<crate::types::#output, crate::error::#error>,
            > + ::std::marker::Send {
                let first = #first;
                let client = self.call.client.with_call_config(&self.call.overrides);
                ::smithy_runtime::client::paginate::paginate(
                    first,
                    move |input: crate::types::#input| {
                        let client = ::std::clone::Clone::clone(&client);
                        async move { <crate::client::Client as crate::service::#trait_ident>::#method(&client, input).await }
                    },
                    #next_token,
                    #set_token,
                )
            }
            #items
        }
    }
}

/// `.items()`: the pages' items, one after another.
fn items_fn(
    types: &TypeMap<'_>,
    output: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
    path: &[&Member],
) -> TokenStream {
    let last = path[path.len() - 1];
    let item = match &types.view.shape(&last.target).kind {
        Kind::List(element) => {
            let ty = types.value_type(&element.target);
            if types.view.shape(&last.target).traits.known.sparse {
                quote! { ::std::option::Option<#ty> }
            } else {
                ty
            }
        }
        Kind::Map { key, value } => {
            let key = types.value_type(&key.target);
            let value = types.value_type(&value.target);
            quote! { (#key, #value) }
        }
        _ => quote! { () },
    };
    let moved = moved_path(types, path);
    quote! {
        /// The items of every page, one after another, as a `Stream`; a failed call is the
        /// last item.
        pub fn items(self) -> impl ::smithy_runtime::futures_core::Stream<
            Item = ::std::result::Result<#item, crate::error::#error>,
        > + ::std::marker::Send {
            ::smithy_runtime::client::paginate::items(self.send(), |page: crate::types::#output| #moved)
        }
    }
}

/// A value reached through members from `page`: certainly there, or perhaps.
enum Reached {
    /// A place expression (`page.result.items`).
    Place(TokenStream),
    /// An `Option` expression.
    Maybe(TokenStream),
}

/// `|page: &Output| -> Option<Token>`: the next token, borrowed down the path and cloned;
/// an empty string token counts as none (services send `""` on the last page).
fn next_token(types: &TypeMap<'_>, pagination: &Pagination<'_>) -> TokenStream {
    let mut reached = Reached::Place(quote! { page });
    for member in &pagination.output_token {
        let field = types.names.field_ident(&member.id);
        let boxed = types.view.is_boxed(member);
        let as_ref = if boxed {
            quote! { as_deref }
        } else {
            quote! { as_ref }
        };
        reached = match (reached, is_optional(member)) {
            (Reached::Place(place), true) => Reached::Maybe(quote! { #place.#field.#as_ref() }),
            (Reached::Place(place), false) => Reached::Place(quote! { #place.#field }),
            (Reached::Maybe(maybe), true) => Reached::Maybe(quote! { #maybe.and_then(|v| v.#field.#as_ref()) }),
            (Reached::Maybe(maybe), false) => Reached::Maybe(quote! { #maybe.map(|v| &v.#field) }),
        };
    }
    let token = match reached {
        Reached::Place(place) => quote! { ::std::option::Option::Some(::std::clone::Clone::clone(&#place)) },
        Reached::Maybe(maybe) => quote! { #maybe.cloned() },
    };
    let last = pagination.output_token[pagination.output_token.len() - 1];
    let is_string = matches!(types.view.shape(&last.target).kind, Kind::Simple(Simple::String));
    let token = if is_string {
        quote! { #token.filter(|token| !token.is_empty()) }
    } else {
        token
    };
    quote! { |page: &_| #token }
}

/// `|input: &mut Input, token|`: the token into the next call's input.
fn set_token(types: &TypeMap<'_>, pagination: &Pagination<'_>) -> TokenStream {
    let field = types.names.field_ident(&pagination.input_token.id);
    if is_optional(pagination.input_token) {
        quote! { |input: &mut _, token| input.#field = ::std::option::Option::Some(token) }
    } else {
        quote! { |input: &mut _, token| input.#field = token }
    }
}

/// The items moved out of `page` down the path, empty when a member on the way is absent.
fn moved_path(types: &TypeMap<'_>, path: &[&Member]) -> TokenStream {
    let mut reached = Reached::Place(quote! { page });
    for member in path {
        let field = types.names.field_ident(&member.id);
        let unbox = types.view.is_boxed(member).then(|| quote! { .map(|boxed| *boxed) });
        reached = match (reached, is_optional(member)) {
            (Reached::Place(place), true) => Reached::Maybe(quote! { #place.#field #unbox }),
            (Reached::Place(place), false) => Reached::Place(quote! { #place.#field }),
            (Reached::Maybe(maybe), true) => Reached::Maybe(quote! { #maybe.and_then(|v| v.#field #unbox) }),
            (Reached::Maybe(maybe), false) => Reached::Maybe(quote! { #maybe.map(|v| v.#field) }),
        };
    }
    match reached {
        Reached::Place(place) => place,
        Reached::Maybe(maybe) => quote! { #maybe.unwrap_or_default() },
    }
}
