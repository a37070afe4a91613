//! `Debug` for model types: derived, or written out so that `@sensitive` values print as
//! `smithy_runtime::REDACTED` and show only where they are.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Members, Shape};
use crate::naming::UNKNOWN_VARIANT;

/// Whether a member's value must not appear in `Debug` or `Display` output: the member or
/// its target is `@sensitive`, or its target is a list or map that holds sensitive values.
/// (A structure or union target redacts its own sensitive parts.)
pub(crate) fn is_sensitive(types: &TypeMap<'_>, member: &Member) -> bool {
    member.traits.known.sensitive || holds_sensitive(types, &member.target)
}

fn holds_sensitive(types: &TypeMap<'_>, target: &crate::shape_id::ShapeId) -> bool {
    let shape = types.view.shape(target);
    shape.traits.known.sensitive
        || match &shape.kind {
            Kind::List(element) => is_sensitive(types, element),
            Kind::Map { key, value } => is_sensitive(types, key) || is_sensitive(types, value),
            _ => false,
        }
}

/// `Debug` that prints every field but the sensitive ones.
pub(crate) fn redacted_debug(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let name = ident.to_string();
    let whole = shape.traits.known.sensitive;
    let fields = members.values().map(|member| {
        let field = types.names.field_ident(&member.id);
        let label = field.to_string().trim_start_matches("r#").to_owned();
        if whole || is_sensitive(types, member) {
            quote! { .field(#label, &::smithy_runtime::REDACTED) }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#fields)* .finish()
            }
        }
    }
}

/// `Debug` for a union: derived, or written out when the union or a member is sensitive, so
/// that a sensitive value shows only its variant's name.
pub(crate) fn union_debug(
    types: &TypeMap<'_>,
    shape: &Shape,
    members: &Members,
) -> (Option<TokenStream>, Option<TokenStream>) {
    let whole = shape.traits.known.sensitive;
    if !whole && !members.values().any(|m| is_sensitive(types, m)) {
        return (Some(quote! { ::std::fmt::Debug, }), None);
    }
    let ident = types.names.type_ident(&shape.id);
    let arms = members.values().map(|member| {
        let variant = types.names.variant_ident(&member.id);
        let name = variant.to_string();
        if types.view.shape(&member.target).traits.known.unit_type {
            quote! { Self::#variant => f.write_str(#name), }
        } else if whole || is_sensitive(types, member) {
            quote! { Self::#variant(_) => f.debug_tuple(#name).field(&::smithy_runtime::REDACTED).finish(), }
        } else {
            quote! { Self::#variant(value) => f.debug_tuple(#name).field(value).finish(), }
        }
    });
    let unknown = format_ident!("{}", UNKNOWN_VARIANT);
    let implementation = quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                    Self::#unknown => f.write_str(#UNKNOWN_VARIANT),
                }
            }
        }
    };
    (None, Some(implementation))
}

/// `Debug` for an enum: derived, or redacted when the shape is `@sensitive`.
pub(crate) fn enum_debug(ident: &proc_macro2::Ident, shape: &Shape) -> (Option<TokenStream>, Option<TokenStream>) {
    if shape.traits.known.sensitive {
        let implementation = quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(::smithy_runtime::REDACTED)
                }
            }
        };
        (None, Some(implementation))
    } else {
        (Some(quote! { ::std::fmt::Debug, }), None)
    }
}
