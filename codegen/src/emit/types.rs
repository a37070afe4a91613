//! Model types: a struct per structure, an enum per union, enum and intEnum. Lists, maps and
//! simple shapes are inlined as `Vec`, `BTreeMap` and plain types where they are used.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::docs;
use crate::emit::builders::{builder, structure_methods, BuilderTraits};
use crate::emit::debug::{enum_debug, is_sensitive, redacted_debug, union_debug};
use crate::emit::defaults::{default_value, DefaultValue};
use crate::emit::derives::Equatable;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Members, Shape};
use crate::naming::UNKNOWN_VARIANT;
use crate::service::SYNTHETIC_NAMESPACE;

use crate::traits::{ids, EnumValue};

/// The items of `types.rs`: one per structure, union, enum and intEnum the service reaches.
pub fn types_module(types: &TypeMap<'_>) -> TokenStream {
    let equatable = Equatable::of(types);
    let mut builders = Vec::new();
    let items: Vec<TokenStream> = types
        .view
        .shapes
        .iter()
        .map(|id| {
            let shape = types.view.shape(id);
            match &shape.kind {
                Kind::Structure(members) => {
                    let (item, builder) = structure(types, &equatable, shape, members);
                    builders.push(builder);
                    item
                }
                Kind::Union(members) => union(types, &equatable, shape, members),
                Kind::Enum(members) => string_enum(types, shape, members),
                Kind::IntEnum(members) => int_enum(types, shape, members),
                _ => TokenStream::new(),
            }
        })
        .collect();
    let builders = (!builders.is_empty()).then(|| {
        quote! {
            /// A builder for every structure: `Shape::builder()` starts one.
            pub mod builders {
                #(#builders)*
            }
        }
    });
    quote! {
        #(#items)*
        #builders
    }
}

/// Documentation for a shape, or a sentence naming it when the model has none.
fn shape_docs(shape: &Shape) -> TokenStream {
    let documentation = shape.traits.known.documentation.as_deref().map(docs::markdown);
    let mut text = documentation
        .filter(|text| !text.trim().is_empty())
        .unwrap_or_else(|| format!("The `{}` shape of the model.", shape.id.name));
    // Names can step aside for one another (see `naming`), so every model type says which
    // shape it is; the synthetic ones say which operation they belong to instead.
    if shape.id.namespace != SYNTHETIC_NAMESPACE {
        text.push_str(&format!("\n\nSmithy shape: `{}`.", shape.id));
    }
    docs::lines_to_attrs(&text)
}

/// Documentation for a member: its own, else its target's, else a sentence naming it.
fn member_docs(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let target = types.view.shape(&member.target);
    let text = member.traits.known.documentation.as_deref().or(target.traits.known.documentation.as_deref());
    docs::attrs(text, || format!("The `{}` member.", member.name))
}

/// The wire name of a member in a JSON body.
pub fn json_name(member: &Member) -> &str {
    member.traits.known.json_name.as_deref().unwrap_or(&member.name)
}

/// Whether a structure member is an `Option`: neither required nor defaulted.
pub fn is_optional(member: &Member) -> bool {
    !member.traits.known.required && member.traits.known.default.is_none()
}

/// A structure's type and impls, and its builder (for `types::builders`).
fn structure(
    types: &TypeMap<'_>,
    equatable: &Equatable,
    shape: &Shape,
    members: &Members,
) -> (TokenStream, TokenStream) {
    let ident = types.names.type_ident(&shape.id);
    let doc = shape_docs(shape);
    // Operation inputs and outputs are split between the URI, headers and body: they get a
    // separate body struct instead. Every other structure is a JSON object as a whole.
    let synthetic = shape.id.namespace == SYNTHETIC_NAMESPACE;
    let on_the_wire = !synthetic;
    let mut default_fns = Vec::new();
    let fields = members.values().map(|member| {
        let field = field(types, shape, member, if on_the_wire { Role::Model } else { Role::Synthetic });
        default_fns.extend(field.default_fn);
        field.tokens
    });
    let metadata = crate::emit::metadata::carries(types, shape);
    let serde_reads = on_the_wire && !crate::emit::streaming::holds_stream(types, members);
    let metadata_field = metadata.then(|| crate::emit::metadata::field(serde_reads));
    let fields: Vec<TokenStream> = fields.chain(metadata_field).collect();
    let sensitive = shape.traits.known.sensitive || members.values().any(|m| is_sensitive(types, m));
    let derive_debug = (!sensitive).then(|| quote! { ::std::fmt::Debug, });
    // A structure holding a stream is moved, never copied or compared: a stream can be read
    // only once.
    let streams = crate::emit::streaming::holds_stream(types, members);
    let builder_traits = BuilderTraits { clone: !streams, debug: derive_debug.is_some() };
    let eq_hash = equatable.contains(&shape.id).then(|| quote! { ::std::cmp::Eq, ::std::hash::Hash, });
    let derives = match (derive_debug, streams) {
        (debug, false) => Some(quote! { #[derive(#debug ::std::clone::Clone, ::std::cmp::PartialEq, #eq_hash)] }),
        (Some(debug), true) => Some(quote! { #[derive(#debug)] }),
        (None, true) => None,
    };
    let serde = (on_the_wire && !streams).then(serde_derives);
    let debug_impl = sensitive.then(|| redacted_debug(types, shape, members));
    let error_impls = shape.traits.known.error.map(|_| error_impls(types, shape, members));
    let body = (types.view.protocol.is_some() && has_body_struct(types, shape, members))
        .then(|| body_struct(types, shape, members));
    let methods = structure_methods(types, shape, members);
    let request_id = metadata.then(|| crate::emit::metadata::request_id_impl(&ident));
    let item = quote! {
        #doc
        #serde
        #derives
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
        }
        #methods
        #request_id
        #debug_impl
        #error_impls
        #(#default_fns)*
        #body
    };
    (item, builder(types, shape, members, builder_traits))
}

/// The serde derives of a struct. Fields that need a wire adapter name it in their own
/// `#[serde(with = ...)]`, so the struct needs nothing more.
fn serde_derives() -> TokenStream {
    quote! {
        #[derive(::smithy_runtime::serde::Serialize, ::smithy_runtime::serde::Deserialize)]
        #[serde(crate = "::smithy_runtime::serde")]
    }
}

/// The members of an operation input or output that form its JSON body; `None` when there
/// are none, or when a member is the `@httpPayload` (then the body is that member alone).
pub fn body_members<'m>(types: &TypeMap<'_>, members: &'m Members) -> Option<Vec<&'m Member>> {
    if members.values().any(|m| m.traits.known.http_payload) {
        return None;
    }
    // In an RPC protocol an event stream is the body, after an initial message that holds the
    // other members: those are the JSON body (see `messages::Body::Events`).
    let in_body = |m: &&Member| {
        !m.traits.known.binds_outside_body() && !crate::emit::streaming::is_event_stream(types, &m.target)
    };
    let body: Vec<&Member> = members.values().filter(in_body).collect();
    (!body.is_empty()).then_some(body)
}

/// Whether a structure's JSON body is a separate `{Name}Body` struct: for operation inputs
/// and outputs, and for errors with members bound to headers or the status.
pub fn has_body_struct(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> bool {
    let is_operation_io = types.view.operations.iter().any(|op| op.input == shape.id || op.output == shape.id);
    let is_bound_error =
        shape.traits.known.error.is_some() && members.values().any(|m| m.traits.known.binds_outside_body());
    (is_operation_io || is_bound_error) && body_members(types, members).is_some()
}

/// `{Name}Body`: the JSON body of an operation input or output, for the protocol layer.
fn body_struct(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> Option<TokenStream> {
    let body = body_members(types, members)?;
    let ident = format_ident!("{}Body", types.names.type_ident(&shape.id));
    let mut default_fns = Vec::new();
    // A client leaves out the top-level members of an input that hold their default: the
    // service fills them in anyway, and it may have changed them since.
    let is_input = types.view.operations.iter().any(|op| op.input == shape.id);
    let fields: Vec<TokenStream> = body
        .iter()
        .map(|member| {
            let role = if is_input { Role::InputBody } else { Role::ResponseBody };
            let field = field(types, shape, member, role);
            default_fns.extend(field.default_fn);
            field.tokens
        })
        .collect();
    let serde = serde_derives();
    let doc = format!(" The JSON body of [`{}`].", types.names.type_ident(&shape.id));
    // Only the protocol layer reads and writes it.
    let either_side = crate::emit::either_side();
    Some(quote! {
        #[doc = #doc]
        #serde
        #either_side
        pub(crate) struct #ident {
            #(#fields)*
        }
        #( #either_side #default_fns )*
    })
}

/// The client's error correction of a response body (Smithy's "error correction"): a
/// `@required` member the service left out reads as its type's zero value, so that a
/// service that fails to send one does not make the whole response unreadable. Only
/// responses are corrected (the server reports a missing input member), and only members
/// with a zero value: strings, numbers, booleans, blobs, timestamps, lists and maps.
fn error_correction(types: &TypeMap<'_>, member: &Member) -> Option<TokenStream> {
    use crate::model::Simple;
    if types.view.is_boxed(member) {
        return None;
    }
    match &types.view.shape(&member.target).kind {
        Kind::Simple(Simple::Timestamp) => Some(quote! { , default = "::smithy_runtime::wire::epoch" }),
        Kind::Simple(Simple::Document | Simple::BigInteger | Simple::BigDecimal) => None,
        Kind::Simple(_) | Kind::List(_) | Kind::Map { .. } => Some(quote! { , default }),
        _ => None,
    }
}

/// Where a structure's fields are read and written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A model type: not on the wire by itself (a synthetic input or output).
    Synthetic,
    /// A model type on the wire as it is.
    Model,
    /// The JSON body of an operation input: a defaulted member holding its default is
    /// left out.
    InputBody,
    /// The JSON body of an output or error, which the client corrects.
    ResponseBody,
}

struct Field {
    tokens: TokenStream,
    default_fn: Option<TokenStream>,
}

/// A structure's field, with the serde attributes of its role.
fn field(types: &TypeMap<'_>, shape: &Shape, member: &Member, role: Role) -> Field {
    let (on_the_wire, skip_defaults) = (role != Role::Synthetic, role == Role::InputBody);
    let ident = types.names.field_ident(&member.id);
    let doc = member_docs(types, member);
    let mut ty = types.value_type(&member.target);
    let mut adapter = types.body_adapter(member);
    if types.view.is_boxed(member) {
        ty = quote! { ::std::boxed::Box<#ty> };
        adapter = adapter.map(|a| quote! { ::std::boxed::Box<#a> });
    }
    let optional = is_optional(member);
    if optional {
        ty = quote! { ::std::option::Option<#ty> };
        adapter = adapter.map(|a| quote! { ::std::option::Option<#a> });
    }
    let mut helpers = Vec::new();
    let serde = on_the_wire.then(|| {
        let wire = json_name(member);
        let with = adapter.as_ref().map(|a| {
            let path = as_path(a);
            quote! { , with = #path }
        });
        let default = member.traits.known.default.as_ref().map(|value| default_value(types, member, value));
        match (optional, default) {
            // `default`: an absent member is `None` (serde does not assume that for a field
            // read through `with`).
            (true, _) => quote! {
                #[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none" #with)]
            },
            (false, Some(Ok(default))) => {
                // A @clientOptional member holding its default is as good as unset.
                let skip = skip_defaults || member.traits.has(ids::CLIENT_OPTIONAL);
                let (attrs, helper) = defaulted_field(types, shape, &ident, &ty, adapter.as_ref(), default, skip);
                helpers.push(helper);
                quote! { #[serde(rename = #wire, #attrs)] }
            }
            // A default the generator cannot express was reported by `defaults::check`.
            (false, Some(Err(_))) => quote! { #[serde(rename = #wire #with)] },
            (false, None) => {
                let correction = (role == Role::ResponseBody).then(|| error_correction(types, member)).flatten();
                quote! { #[serde(rename = #wire #with #correction)] }
            }
        }
    });
    Field {
        tokens: quote! { #doc #serde pub #ident: #ty, },
        default_fn: (!helpers.is_empty()).then(|| quote! { #(#helpers)* }),
    }
}

/// `As::<A>`, which names adapter `A` where serde wants a module (`with = "As::<A>"`), as
/// attribute text.
fn as_path(adapter: &TokenStream) -> String {
    // Token spacing (`:: std :: vec`) is noise in the golden files; a type path reads the
    // same without any spaces.
    format!("::smithy_runtime::adapter::As::<{}>", adapter.to_string().replace(' ', ""))
}

/// The serde attributes and helper functions of a field with a `@default`: absent and JSON
/// null both read as the default.
fn defaulted_field(
    types: &TypeMap<'_>,
    shape: &Shape,
    field: &proc_macro2::Ident,
    ty: &TokenStream,
    adapter: Option<&TokenStream>,
    default: DefaultValue,
    skip_default: bool,
) -> (TokenStream, TokenStream) {
    let owner = types.names.type_ident(&shape.id);
    let [default_name, deserialize_name, is_default_name] = crate::naming::default_helper_names(&field.to_string());
    let default_fn = format_ident!("{}", default_name);
    let deserialize_fn = format_ident!("{}", deserialize_name);
    let default_path = format!("{owner}::{default_fn}");
    let deserialize_path = format!("{owner}::{deserialize_fn}");
    let default_expr = match default {
        DefaultValue::Zero => quote! { ::std::default::Default::default() },
        DefaultValue::Expr(expr) => expr,
    };
    // A field that needs a wire adapter reads the optional value through it, and writes
    // through it with `As::<A>::serialize`.
    let (read, serialize_attr) = match adapter {
        None => (quote! { ::smithy_runtime::serde::Deserialize::deserialize(deserializer)? }, None),
        Some(adapter) => {
            let write = format!("{}::serialize", as_path(adapter));
            (
                quote! { ::smithy_runtime::adapter::As::<::std::option::Option<#adapter>>::deserialize(deserializer)? },
                Some(quote! { serialize_with = #write, }),
            )
        }
    };
    let (skip_attr, skip_fn) = skip_default
        .then(|| {
            let is_default_fn = format_ident!("{}", is_default_name);
            let path = format!("{owner}::{is_default_fn}");
            (
                quote! { skip_serializing_if = #path, },
                quote! {
                    fn #is_default_fn(value: &#ty) -> bool {
                        *value == Self::#default_fn()
                    }
                },
            )
        })
        .unzip();
    let helper = quote! {
        impl #owner {
            #skip_fn
            fn #default_fn() -> #ty {
                #default_expr
            }
            fn #deserialize_fn<'de, D: ::smithy_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<#ty, D::Error> {
                let value: ::std::option::Option<#ty> = #read;
                ::std::result::Result::Ok(value.unwrap_or_else(Self::#default_fn))
            }
        }
    };
    (quote! { default = #default_path, deserialize_with = #deserialize_path, #serialize_attr #skip_attr }, helper)
}

/// `Display` (`Code: message`), `std::error::Error` and `message()` for an `@error` structure.
fn error_impls(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let accessor = crate::emit::service::message_accessor(types, &ident, members);
    let code = &shape.id.name;
    let displayable = |m: &&Member| {
        matches!(types.view.shape(&m.target).kind, Kind::Simple(crate::model::Simple::String) | Kind::Enum(_))
    };
    let message = members.values().filter(displayable).find(|m| m.name.eq_ignore_ascii_case("message")).map(|member| {
        let field = types.names.field_ident(&member.id);
        if shape.traits.known.sensitive || is_sensitive(types, member) {
            quote! { write!(f, ": {}", ::smithy_runtime::REDACTED)?; }
        } else if is_optional(member) {
            quote! {
                if let ::std::option::Option::Some(message) = &self.#field {
                    write!(f, ": {}", message)?;
                }
            }
        } else {
            quote! { write!(f, ": {}", self.#field)?; }
        }
    });
    quote! {
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#code)?;
                #message
                if let ::std::option::Option::Some(id) = ::smithy_runtime::RequestId::request_id(self) {
                    write!(f, " (request ID: {})", id)?;
                }
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for #ident {}
        #accessor
    }
}

/// Whether a union holds a structure or union inline, so that one variant can be far larger
/// than the others (clippy's `large_enum_variant`, seen in cleanrooms, bedrock and more). The
/// lint is allowed on such a union rather than boxing by size: which variant is large depends
/// on the layout of other types, so a compatible model change elsewhere (an optional member
/// added to a structure) would turn a variant into a `Box` and break the users' code.
fn holds_aggregate(types: &TypeMap<'_>, members: &Members) -> bool {
    members.values().any(|member| {
        let target = types.view.shape(&member.target);
        matches!(target.kind, Kind::Structure(_) | Kind::Union(_))
            && !target.traits.known.unit_type
            && !types.view.is_boxed(member)
    })
}

fn union(types: &TypeMap<'_>, equatable: &Equatable, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let name = &shape.id.name;
    let doc = shape_docs(shape);
    let unknown = format_ident!("{}", UNKNOWN_VARIANT);
    let mut variants = Vec::new();
    let mut encode = Vec::new();
    let mut decode = Vec::new();
    for member in members.values() {
        let variant = types.names.variant_ident(&member.id);
        let member_doc = member_docs(types, member);
        let wire = json_name(member);
        if types.view.shape(&member.target).traits.known.unit_type {
            variants.push(quote! { #member_doc #variant, });
            encode.push(quote! { Self::#variant => map.serialize_entry(#wire, &::smithy_runtime::union::Empty)?, });
            decode.push(quote! {
                #wire => map.next_value::<::std::option::Option<::smithy_runtime::serde::de::IgnoredAny>>()?.map(|_| Self::#variant),
            });
            continue;
        }
        let mut ty = types.value_type(&member.target);
        if types.view.is_boxed(member) {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        variants.push(quote! { #member_doc #variant(#ty), });
        match types.body_adapter(member) {
            None => {
                encode.push(quote! { Self::#variant(value) => map.serialize_entry(#wire, value)?, });
                decode.push(quote! {
                    #wire => map.next_value::<::std::option::Option<#ty>>()?.map(Self::#variant),
                });
            }
            Some(adapter) => {
                encode.push(quote! {
                    Self::#variant(value) => map.serialize_entry(
                        #wire,
                        &::smithy_runtime::adapter::SerializeAsWrap::<#ty, #adapter>::new(value),
                    )?,
                });
                decode.push(quote! {
                    #wire => map
                        .next_value::<::std::option::Option<::smithy_runtime::adapter::DeserializeAsWrap<#ty, #adapter>>>()?
                        .map(|value| Self::#variant(value.into_inner())),
                });
            }
        }
    }
    let (derive_debug, debug_impl) = union_debug(types, shape, members);
    let unknown_error = format!("cannot send the {UNKNOWN_VARIANT} variant of union {name}");
    let large_variants = holds_aggregate(types, members).then(|| {
        quote! { #[allow(clippy::large_enum_variant)] }
    });
    let eq_hash = equatable.contains(&shape.id).then(|| quote! { ::std::cmp::Eq, ::std::hash::Hash, });
    quote! {
        #doc
        #[derive(#derive_debug ::std::clone::Clone, ::std::cmp::PartialEq, #eq_hash)]
        #large_variants
        #[non_exhaustive]
        pub enum #ident {
            #(#variants)*
            /// A member this version of the model does not know: a newer service sent it.
            #unknown,
        }
        #debug_impl
        impl ::smithy_runtime::serde::Serialize for #ident {
            fn serialize<S: ::smithy_runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::smithy_runtime::serde::ser::{Error as _, SerializeMap as _};
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#encode)*
                    Self::#unknown => return ::std::result::Result::Err(S::Error::custom(#unknown_error)),
                }
                map.end()
            }
        }
        impl<'de> ::smithy_runtime::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::smithy_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::smithy_runtime::union::deserialize(deserializer)
            }
        }
        impl ::smithy_runtime::union::Union for #ident {
            const NAME: &'static str = #name;
            fn decode_member<'de, A: ::smithy_runtime::serde::de::MapAccess<'de>>(
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<::std::option::Option<Self>, A::Error> {
                ::std::result::Result::Ok(match key {
                    #(#decode)*
                    _ => {
                        ::smithy_runtime::union::skip_unknown_member(Self::NAME, key, map)?;
                        ::std::option::Option::Some(Self::#unknown)
                    }
                })
            }
        }
    }
}

/// The wire value of an enum member: its `@enumValue`, else its name.
fn enum_value(member: &Member) -> String {
    match &member.traits.known.enum_value {
        Some(EnumValue::String(value)) => value.clone(),
        _ => member.name.clone(),
    }
}

fn string_enum(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let doc = shape_docs(shape);
    let unknown = format_ident!("{}", UNKNOWN_VARIANT);
    let variants: Vec<_> = members.values().map(|m| types.names.variant_ident(&m.id)).collect();
    let values: Vec<String> = members.values().map(enum_value).collect();
    let variant_docs = members.values().map(|m| variant_docs(m, &enum_value(m)));
    let (derive_debug, debug_impl) = enum_debug(&ident, shape);
    quote! {
        #doc
        #[derive(#derive_debug ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #( #variant_docs #variants, )*
            /// A value this version of the model does not know: a newer service may send it.
            #unknown(::std::string::String),
        }
        #debug_impl
        impl #ident {
            /// Every value the model defines, in the model's order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// Whether the model defines this value (it is not [`Self::Unknown`]).
            pub fn is_known(&self) -> bool {
                !::std::matches!(self, Self::#unknown(_))
            }

            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        ::smithy_runtime::string_enum_impls!(#ident);
    }
}

fn variant_docs(member: &Member, value: &str) -> TokenStream {
    docs::attrs(member.traits.known.documentation.as_deref(), || format!("The value `{value}`."))
}

fn int_enum(types: &TypeMap<'_>, shape: &Shape, members: &Members) -> TokenStream {
    let ident = types.names.type_ident(&shape.id);
    let doc = shape_docs(shape);
    let unknown = format_ident!("{}", UNKNOWN_VARIANT);
    let variants: Vec<_> = members.values().map(|m| types.names.variant_ident(&m.id)).collect();
    let numbers: Vec<i32> = members
        .values()
        .map(|m| match m.traits.known.enum_value {
            Some(EnumValue::Int(n)) => n,
            // The reference check reported an intEnum member without an integer value.
            _ => 0,
        })
        .collect();
    let literals: Vec<Literal> = numbers.iter().map(|n| Literal::i32_unsuffixed(*n)).collect();
    let variant_docs = members.values().zip(&numbers).map(|(m, n)| variant_docs(m, &n.to_string()));
    let (derive_debug, debug_impl) = enum_debug(&ident, shape);
    quote! {
        #doc
        #[derive(#derive_debug ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #( #variant_docs #variants, )*
            /// A value this version of the model does not know: a newer service may send it.
            #unknown(i32),
        }
        #debug_impl
        impl #ident {
            /// Every value the model defines, in the model's order.
            pub const VALUES: &'static [i32] = &[#(#literals),*];

            /// Whether the model defines this value (it is not [`Self::Unknown`]).
            pub fn is_known(self) -> bool {
                !::std::matches!(self, Self::#unknown(_))
            }

            /// The value as it is written on the wire.
            pub fn as_i32(self) -> i32 {
                match self {
                    #( Self::#variants => #literals, )*
                    Self::#unknown(value) => value,
                }
            }
        }
        impl ::std::convert::From<i32> for #ident {
            fn from(value: i32) -> Self {
                match value {
                    #( #literals => Self::#variants, )*
                    other => Self::#unknown(other),
                }
            }
        }
        ::smithy_runtime::int_enum_impls!(#ident);
    }
}
