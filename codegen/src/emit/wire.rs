//! Rust types for shapes, and the serde adapters that give them their restJson1 body form.
//! One place decides both, so the type and its wire form cannot drift apart.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Kind, Member, Simple};
use crate::naming::Names;
use crate::service::ServiceView;
use crate::shape_id::ShapeId;
use crate::traits::TimestampFormat;

/// Maps shapes to Rust types and wire adapters for one service view.
pub struct TypeMap<'a> {
    /// The service view.
    pub view: &'a ServiceView,
    /// Its names.
    pub names: &'a Names,
}

impl TypeMap<'_> {
    /// The Rust type that holds a value of shape `target`.
    pub fn value_type(&self, target: &ShapeId) -> TokenStream {
        let shape = self.view.shape(target);
        match &shape.kind {
            // A @streaming blob is read as it arrives, never held whole.
            Kind::Simple(Simple::Blob) if shape.traits.known.streaming => quote! { ::smithy_runtime::ByteStream },
            // A @streaming union is a stream of its events, read and written as they come.
            Kind::Union(_) if shape.traits.known.streaming => {
                let ident = self.names.type_ident(target);
                quote! { ::smithy_runtime::EventStream<crate::types::#ident> }
            }
            Kind::Simple(simple) => simple_type(*simple),
            Kind::List(member) => {
                let element = self.element_type(member, shape.traits.known.sparse);
                quote! { ::std::vec::Vec<#element> }
            }
            Kind::Map { key, value } => {
                let key = self.value_type(&key.target);
                let value = self.element_type(value, shape.traits.known.sparse);
                quote! { ::std::collections::BTreeMap<#key, #value> }
            }
            Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_) => {
                let ident = self.names.type_ident(target);
                quote! { crate::types::#ident }
            }
            Kind::Operation(_) | Kind::Resource(_) | Kind::Service(_) => quote! { () },
        }
    }

    fn element_type(&self, member: &Member, sparse: bool) -> TokenStream {
        let element = self.value_type(&member.target);
        if sparse {
            quote! { ::std::option::Option<#element> }
        } else {
            element
        }
    }

    /// A timestamp member's format: its own `@timestampFormat`, else its target's, else the
    /// default of the place it is written (body, header, label or query).
    pub fn timestamp_format(&self, member: &Member, default_format: TimestampFormat) -> TimestampFormat {
        let target = self.view.shape(&member.target);
        member.traits.known.timestamp_format.or(target.traits.known.timestamp_format).unwrap_or(default_format)
    }

    /// The adapter (a `smithy_runtime::adapter` type) for a value of `member`'s target in a
    /// JSON body, or `None`
    /// when serde's own form is already the wire form all the way down.
    pub fn body_adapter(&self, member: &Member) -> Option<TokenStream> {
        let shape = self.view.shape(&member.target);
        match &shape.kind {
            Kind::Simple(Simple::Timestamp) => {
                Some(match self.timestamp_format(member, TimestampFormat::EpochSeconds) {
                    TimestampFormat::EpochSeconds => {
                        quote! { ::smithy_runtime::wire::EpochSeconds }
                    }
                    TimestampFormat::DateTime => quote! { ::smithy_runtime::wire::DateTimeString },
                    TimestampFormat::HttpDate => quote! { ::smithy_runtime::wire::HttpDate },
                })
            }
            Kind::Simple(Simple::Blob) => Some(quote! { ::smithy_runtime::wire::Base64 }),
            Kind::Simple(Simple::Float | Simple::Double) => Some(quote! { ::smithy_runtime::wire::Float }),
            Kind::List(element) => {
                let element = self.element_adapter(element, shape.traits.known.sparse)?;
                Some(quote! { ::std::vec::Vec<#element> })
            }
            Kind::Map { value, .. } => {
                let value = self.element_adapter(value, shape.traits.known.sparse)?;
                Some(quote! { ::std::collections::BTreeMap<::smithy_runtime::adapter::Identity, #value> })
            }
            _ => None,
        }
    }

    fn element_adapter(&self, member: &Member, sparse: bool) -> Option<TokenStream> {
        let adapter = self.body_adapter(member)?;
        Some(if sparse {
            quote! { ::std::option::Option<#adapter> }
        } else {
            adapter
        })
    }
}

fn simple_type(simple: Simple) -> TokenStream {
    match simple {
        Simple::Blob => quote! { ::smithy_runtime::Blob },
        Simple::Boolean => quote! { bool },
        Simple::String => quote! { ::std::string::String },
        Simple::Byte => quote! { i8 },
        Simple::Short => quote! { i16 },
        Simple::Integer => quote! { i32 },
        Simple::Long => quote! { i64 },
        Simple::Float => quote! { f32 },
        Simple::Double => quote! { f64 },
        Simple::BigInteger => quote! { ::smithy_runtime::BigInteger },
        Simple::BigDecimal => quote! { ::smithy_runtime::BigDecimal },
        Simple::Timestamp => quote! { ::smithy_runtime::DateTime },
        Simple::Document => quote! { ::smithy_runtime::Document },
    }
}
