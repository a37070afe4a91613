//! Builders and accessors: how users make and read structures. Structures are
//! `#[non_exhaustive]`, so that a model that grows an optional member does not break the
//! crates built on ours; a builder per structure is then the way to make one, and its
//! `build()` names every `@required` member left unset at once.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::defaults::{default_value, DefaultValue};
use crate::emit::types::is_optional;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Members, Shape, Simple};

/// What a structure's builder needs to know beyond its members.
pub struct BuilderTraits {
    /// The structure derives `Clone` (it holds no stream).
    pub clone: bool,
    /// The structure derives `Debug` (nothing in it is sensitive, no stream).
    pub debug: bool,
}

/// `Shape::builder()`, the accessors, and `Default` when every member may be left unset.
pub fn structure_methods(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let builder = builder_ident(types, shape);
    let doc = format!(" A builder for [`{ident}`]: set its members, then call `build()`.");
    let accessors = members.values().map(|member| accessor(types, member));
    let default = (!has_required(members)).then(|| {
        quote! {
            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    Self::builder().build()
                }
            }
        }
    });
    quote! {
        impl #ident {
            #[doc = #doc]
            pub fn builder() -> crate::types::builders::#builder {
                ::std::default::Default::default()
            }
            #(#accessors)*
        }
        #default
    }
}

/// The builder of a structure, for the `types::builders` module.
pub fn builder(types: &TypeMap<'_>, shape: &Shape, members: &Members, traits: BuilderTraits) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let builder = builder_ident(types, shape);
    let doc = format!(" Makes a [`{ident}`](crate::types::{ident}), one member at a time.");
    let mut derives = vec![quote! { ::std::default::Default }];
    if traits.clone {
        derives.push(quote! { ::std::clone::Clone });
    }
    // A builder of a structure with sensitive values or a stream shows only its name.
    let debug_impl = if traits.debug {
        derives.push(quote! { ::std::fmt::Debug });
        None
    } else {
        let name = builder.to_string();
        Some(quote! {
            impl ::std::fmt::Debug for #builder {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name).finish_non_exhaustive()
                }
            }
        })
    };
    let fields = members.values().map(|member| {
        let field = types.names.field_ident(&member.id);
        let ty = field_type(types, member);
        quote! { #field: ::std::option::Option<#ty>, }
    });
    let setters = members.values().map(|member| setters(types, member));
    let build = build_fn(types, shape, members);
    quote! {
        #[doc = #doc]
        #[derive(#(#derives),*)]
        pub struct #builder {
            #(#fields)*
        }
        impl #builder {
            #(#setters)*
            #build
        }
        #debug_impl
    }
}

/// `{Name}Builder`; it lives in `types::builders`, apart from the model's names.
fn builder_ident(types: &TypeMap<'_>, shape: &Shape) -> proc_macro2::Ident {
    format_ident!("{}Builder", types.names.type_ident(&shape.id))
}

/// Whether a member must be set: `@required` without a `@default` to fall back on.
fn must_be_set(member: &Member) -> bool {
    member.traits.known.required && member.traits.known.default.is_none()
}

/// Whether a structure has a member its builder cannot do without.
pub fn has_required(members: &Members) -> bool {
    members.values().any(must_be_set)
}

/// The type a member's value has, without the `Option` of an optional member.
fn field_type(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let ty = types.value_type(&member.target);
    if types.view.is_boxed(member) {
        quote! { ::std::boxed::Box<#ty> }
    } else {
        ty
    }
}

/// `.name(value)` and `.set_name(option)`. Strings take `impl Into<String>` (so `"text"`
/// works); every other type is taken as it is, since `Into` would leave `.into()` and
/// `.collect()` arguments without a type to infer. A boxed member (recursion) is boxed
/// here, so callers never see the `Box`.
fn setters(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let field = types.names.field_ident(&member.id);
    let (plain, set) = types.names.setter_idents(&member.id);
    let (param, ty) = setter_types(types, member);
    let is_string = matches!(types.view.shape(&member.target).kind, Kind::Simple(Simple::String));
    let value = if is_string {
        quote! { value.into() }
    } else {
        quote! { value }
    };
    let (value, option) = if types.view.is_boxed(member) {
        (quote! { ::std::boxed::Box::new(#value) }, quote! { value.map(::std::boxed::Box::new) })
    } else {
        (value, quote! { value })
    };
    let name = &member.name;
    let required = if must_be_set(member) { " Required." } else { "" };
    let plain_doc = format!(" Sets `{name}`.{required}");
    let set_doc = format!(" Sets `{name}`, or unsets it with `None`.");
    quote! {
        #[doc = #plain_doc]
        pub fn #plain(mut self, value: #param) -> Self {
            self.#field = ::std::option::Option::Some(#value);
            self
        }
        #[doc = #set_doc]
        pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
            self.#field = #option;
            self
        }
    }
}

/// What a member's two setters take: the value (`impl Into<String>` for a string) and the
/// type inside the `Option` of the `set_` one.
pub fn setter_types(types: &TypeMap<'_>, member: &Member) -> (TokenStream, TokenStream) {
    let ty = types.value_type(&member.target);
    match types.view.shape(&member.target).kind {
        Kind::Simple(Simple::String) => (quote! { impl ::std::convert::Into<#ty> }, ty),
        _ => (ty.clone(), ty),
    }
}

/// `build()`: the structure, or a `BuildError` naming every required member left unset.
/// Without required members it cannot fail and returns the structure itself.
fn build_fn(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let required: Vec<&Member> = members.values().filter(|m| must_be_set(m)).collect();
    // The `match` below binds each required value to `required_{n}`: a binding named after
    // its field could be one clippy's `disallowed_names` refuses (the suite has `foo`).
    let bindings: Vec<proc_macro2::Ident> = (0..required.len()).map(|n| format_ident!("required_{}", n)).collect();
    let binding_of = |member: &Member| required.iter().position(|m| m.id == member.id).map(|n| bindings[n].clone());
    let values = members.values().map(|member| {
        let field = types.names.field_ident(&member.id);
        if let Some(binding) = binding_of(member) {
            quote! { #field: #binding, }
        } else if is_optional(member) {
            quote! { #field: self.#field, }
        } else {
            match defaulted(types, member) {
                Some(default) => quote! { #field: self.#field.unwrap_or(#default), },
                None => quote! { #field: self.#field.unwrap_or_default(), },
            }
        }
    });
    let values: Vec<TokenStream> =
        values.chain(crate::emit::metadata::carries(types, shape).then(crate::emit::metadata::unset)).collect();
    if required.is_empty() {
        let doc =
            format!(" The [`{ident}`](crate::types::{ident}); members left unset are absent or take their default.");
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> crate::types::#ident {
                crate::types::#ident { #(#values)* }
            }
        };
    }
    let fields: Vec<_> = required.iter().map(|m| types.names.field_ident(&m.id)).collect();
    let setter_names: Vec<String> = required
        .iter()
        .map(|m| types.names.setter_idents(&m.id).0.to_string().trim_start_matches("r#").to_owned())
        .collect();
    let shape_name = ident.to_string();
    let doc = format!(" The [`{ident}`](crate::types::{ident}), or an error naming every required member left unset.");
    quote! {
        #[doc = #doc]
        pub fn build(self) -> ::std::result::Result<crate::types::#ident, ::smithy_runtime::BuildError> {
            match (#(self.#fields,)*) {
                (#(::std::option::Option::Some(#bindings),)*) => {
                    ::std::result::Result::Ok(crate::types::#ident { #(#values)* })
                }
                (#(#bindings,)*) => ::std::result::Result::Err(::smithy_runtime::BuildError::missing(
                    #shape_name,
                    [#( #bindings.is_none().then_some(#setter_names) ),*],
                )),
            }
        }
    }
}

/// The expression of a defaulted member's default value; `None` when it is the type's
/// `Default` (or a default `defaults::check` reported as inexpressible).
fn defaulted(types: &TypeMap<'_>, member: &Member) -> Option<TokenStream> {
    match member.traits.known.default.as_ref().map(|value| default_value(types, member, value)) {
        Some(Ok(DefaultValue::Expr(expr))) => Some(expr),
        _ => None,
    }
}

/// How an accessor hands a member's value out.
enum Access {
    /// `Copy` values (numbers, booleans, timestamps, intEnums) by value.
    Copied,
    /// Strings as `&str`, lists as slices, boxes as what they hold.
    Derefed(TokenStream),
    /// Anything else by reference.
    Borrowed,
}

fn access(types: &TypeMap<'_>, member: &Member) -> Access {
    let target = types.view.shape(&member.target);
    if types.view.is_boxed(member) {
        return Access::Derefed(types.value_type(&member.target));
    }
    match &target.kind {
        Kind::Simple(Simple::String) => Access::Derefed(quote! { str }),
        Kind::Simple(
            Simple::Boolean
            | Simple::Byte
            | Simple::Short
            | Simple::Integer
            | Simple::Long
            | Simple::Float
            | Simple::Double
            | Simple::Timestamp,
        )
        | Kind::IntEnum(_) => Access::Copied,
        Kind::List(element) => {
            let element = types.value_type(&element.target);
            let element = if target.traits.known.sparse {
                quote! { ::std::option::Option<#element> }
            } else {
                element
            };
            Access::Derefed(quote! { [#element] })
        }
        _ => Access::Borrowed,
    }
}

/// `account.name()`: the member's value, as `Option` when the member is optional.
fn accessor(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let field = types.names.field_ident(&member.id);
    let method = types.names.accessor_ident(&member.id);
    let ty = types.value_type(&member.target);
    let doc = format!(" The `{}` member.", member.name);
    let (returns, body) = match (access(types, member), is_optional(member)) {
        (Access::Copied, false) => (ty, quote! { self.#field }),
        (Access::Copied, true) => (quote! { ::std::option::Option<#ty> }, quote! { self.#field }),
        (Access::Derefed(target), false) => (quote! { &#target }, quote! { &self.#field }),
        (Access::Derefed(target), true) => {
            (quote! { ::std::option::Option<&#target> }, quote! { self.#field.as_deref() })
        }
        (Access::Borrowed, false) => (quote! { &#ty }, quote! { &self.#field }),
        (Access::Borrowed, true) => (quote! { ::std::option::Option<&#ty> }, quote! { self.#field.as_ref() }),
    };
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> #returns {
            #body
        }
    }
}
