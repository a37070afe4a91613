//! Member values as the text of labels, query parameters and headers: the expressions that
//! read a member from text and write it as text, with restJson1's default timestamp format per
//! location decided by the callers.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Simple};
use crate::traits::TimestampFormat;

/// `Option<T>` for a query parameter: one value, or every value for a list.
pub fn list_or_single(
    types: &TypeMap<'_>,
    member: &Member,
    what: &str,
    all: TokenStream,
    first: TokenStream,
    default_format: TimestampFormat,
) -> TokenStream {
    let target = types.view.shape(&member.target);
    if let Kind::List(item) = &target.kind {
        let convert = conversion(types, item, what, quote! { text }, default_format);
        return quote! {
            {
                let texts = #all;
                if texts.is_empty() {
                    ::std::option::Option::None
                } else {
                    ::std::option::Option::Some(
                        texts.into_iter().map(|text| #convert)
                            .collect::<::std::result::Result<::std::vec::Vec<_>, ::smithy_runtime::error::Rejection>>()?,
                    )
                }
            }
        };
    }
    single(first, conversion(types, member, what, quote! { text }, default_format))
}

/// `Option<T>` from an `Option<&str>`.
pub fn single(text: TokenStream, convert: TokenStream) -> TokenStream {
    quote! { ::smithy_runtime::text::optional(#text, |text| #convert)? }
}

/// `Option<T>` for a header: lists are comma-separated (HTTP dates in pairs).
pub fn header_value(types: &TypeMap<'_>, member: &Member, what: &str, header: TokenStream) -> TokenStream {
    let target = types.view.shape(&member.target);
    if let Kind::List(item) = &target.kind {
        let item_target = types.view.shape(&item.target);
        let is_http_date = matches!(item_target.kind, Kind::Simple(Simple::Timestamp))
            && types.timestamp_format(item, TimestampFormat::HttpDate) == TimestampFormat::HttpDate;
        let split = if is_http_date {
            quote! { ::smithy_runtime::text::split_http_dates(text) }
        } else {
            quote! { ::smithy_runtime::text::split_list(text) }
        };
        let convert = conversion(types, item, what, quote! { text.as_str() }, TimestampFormat::HttpDate);
        return quote! {
            ::smithy_runtime::text::optional(#header, |text| {
                #split.iter().map(|text| #convert)
                    .collect::<::std::result::Result<::std::vec::Vec<_>, ::smithy_runtime::error::Rejection>>()
            })?
        };
    }
    if is_media_typed_string(types, member) {
        return single(header, quote! { ::smithy_runtime::text::media_typed_string(#what, text) });
    }
    single(header, conversion(types, member, what, quote! { text }, TimestampFormat::HttpDate))
}

/// Whether a member is a string with `@mediaType`, which a header carries base64-encoded.
fn is_media_typed_string(types: &TypeMap<'_>, member: &Member) -> bool {
    let target = types.view.shape(&member.target);
    matches!(target.kind, Kind::Simple(Simple::String)) && target.traits.has(crate::traits::ids::MEDIA_TYPE)
}

/// An expression of type `Result<T, Rejection>` converting `text` to the member's type.
pub fn conversion(
    types: &TypeMap<'_>,
    member: &Member,
    what: &str,
    text: TokenStream,
    default_format: TimestampFormat,
) -> TokenStream {
    let target = types.view.shape(&member.target);
    let t = quote! { ::smithy_runtime::text };
    let ok = |value: TokenStream| quote! { ::std::result::Result::<_, ::smithy_runtime::error::Rejection>::Ok(#value) };
    let ty = types.value_type(&member.target);
    match &target.kind {
        Kind::Simple(Simple::String) => ok(quote! { ::std::borrow::ToOwned::to_owned(#text) }),
        Kind::Enum(_) => ok(quote! { #ty::from(#text) }),
        Kind::IntEnum(_) => quote! { #t::number::<i32>(#what, #text).map(#ty::from) },
        Kind::Simple(Simple::Boolean) => quote! { #t::boolean(#what, #text) },
        Kind::Simple(Simple::Byte) => quote! { #t::number::<i8>(#what, #text) },
        Kind::Simple(Simple::Short) => quote! { #t::number::<i16>(#what, #text) },
        Kind::Simple(Simple::Integer) => quote! { #t::number::<i32>(#what, #text) },
        Kind::Simple(Simple::Long) => quote! { #t::number::<i64>(#what, #text) },
        Kind::Simple(Simple::Float) => quote! { #t::float32(#what, #text) },
        Kind::Simple(Simple::Double) => quote! { #t::float(#what, #text) },
        Kind::Simple(Simple::BigInteger | Simple::BigDecimal) => quote! { #t::number::<#ty>(#what, #text) },
        Kind::Simple(Simple::Timestamp) => {
            let format = timestamp_format(types, member, default_format);
            quote! { #t::timestamp(#what, #text, #format) }
        }
        Kind::Simple(Simple::Blob) => quote! { #t::blob(#what, #text) },
        _ => ok(quote! { ::std::default::Default::default() }),
    }
}

/// The runtime's name for a member's timestamp format where `default_format` is the default.
fn timestamp_format(types: &TypeMap<'_>, member: &Member, default_format: TimestampFormat) -> TokenStream {
    match types.timestamp_format(member, default_format) {
        TimestampFormat::DateTime => quote! { ::smithy_runtime::DateTimeFormat::DateTime },
        TimestampFormat::HttpDate => quote! { ::smithy_runtime::DateTimeFormat::HttpDate },
        TimestampFormat::EpochSeconds => quote! { ::smithy_runtime::DateTimeFormat::EpochSeconds },
    }
}

/// A `String` expression: the member's value, `value` (a reference to it), as text.
pub fn to_text(
    types: &TypeMap<'_>,
    member: &Member,
    value: TokenStream,
    default_format: TimestampFormat,
) -> TokenStream {
    let t = quote! { ::smithy_runtime::text };
    match &types.view.shape(&member.target).kind {
        Kind::Enum(_) => quote! { ::std::borrow::ToOwned::to_owned((#value).as_str()) },
        Kind::IntEnum(_) => quote! { (#value).as_i32().to_string() },
        Kind::Simple(Simple::Float) => quote! { #t::format_float32(*(#value)) },
        Kind::Simple(Simple::Double) => quote! { #t::format_float(*(#value)) },
        Kind::Simple(Simple::Timestamp) => {
            let format = timestamp_format(types, member, default_format);
            quote! { #t::format_timestamp(#value, #format) }
        }
        Kind::Simple(Simple::Blob) => quote! { #t::format_blob(#value) },
        _ => quote! { (#value).to_string() },
    }
}

/// Runs `body` with `value` bound to a reference to the member's value, when it has one.
pub fn with_value(member: &Member, field: TokenStream, body: TokenStream) -> TokenStream {
    if crate::emit::types::is_optional(member) {
        quote! { if let ::std::option::Option::Some(value) = &#field { #body } }
    } else {
        quote! { { let value = &#field; #body } }
    }
}

/// Statements adding a header for the member (`field` is the member's place): lists are
/// comma-joined (HTTP dates as they are, other items quoted when they need it).
pub fn write_header(types: &TypeMap<'_>, member: &Member, name: &str, field: TokenStream) -> TokenStream {
    let text = match &types.view.shape(&member.target).kind {
        Kind::List(item) => {
            let item_text = to_text(types, item, quote! { item }, TimestampFormat::HttpDate);
            if matches!(types.view.shape(&item.target).kind, Kind::Simple(Simple::Timestamp)) {
                quote! { value.iter().map(|item| #item_text).collect::<::std::vec::Vec<_>>().join(", ") }
            } else {
                quote! { ::smithy_runtime::text::format_header_list(value.iter().map(|item| #item_text)) }
            }
        }
        _ if is_media_typed_string(types, member) => {
            quote! { ::smithy_runtime::text::format_media_typed_string(value) }
        }
        _ => to_text(types, member, quote! { value }, TimestampFormat::HttpDate),
    };
    with_value(member, field, quote! { builder.header(#name, &#text); })
}

/// Statements adding `@httpPrefixHeaders` headers from the member's map, except headers an
/// `@httpHeader` member sets (`bound`, lower case).
pub fn write_prefix_headers(member: &Member, prefix: &str, bound: &[String], field: TokenStream) -> TokenStream {
    let skip = (!bound.is_empty()).then(|| {
        quote! {
            if [#(#bound),*].contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
        }
    });
    with_value(
        member,
        field,
        quote! {
            for (key, item) in value {
                let name = ::std::format!("{}{}", #prefix, key);
                #skip
                builder.header(&name, item);
            }
        },
    )
}

/// Statements adding a query parameter for the member; a list adds one per item.
pub fn write_query(types: &TypeMap<'_>, member: &Member, key: &str, field: TokenStream) -> TokenStream {
    let body = match &types.view.shape(&member.target).kind {
        Kind::List(item) => {
            let item_text = to_text(types, item, quote! { item }, TimestampFormat::DateTime);
            quote! {
                for item in value {
                    builder.query(#key, &#item_text);
                }
            }
        }
        _ => {
            let text = to_text(types, member, quote! { value }, TimestampFormat::DateTime);
            quote! { builder.query(#key, &#text); }
        }
    };
    with_value(member, field, body)
}

/// Whether an `@httpQueryParams` member is a map of lists (every value of a repeated key) rather
/// than a map of strings.
pub fn is_map_of_lists(types: &TypeMap<'_>, member: &Member) -> bool {
    match &types.view.shape(&member.target).kind {
        Kind::Map { value, .. } => matches!(types.view.shape(&value.target).kind, Kind::List(_)),
        _ => false,
    }
}

/// Statements adding `@httpQueryParams` parameters, except keys an `@httpQuery` member set.
pub fn write_query_params(types: &TypeMap<'_>, member: &Member, field: TokenStream) -> TokenStream {
    let add = if is_map_of_lists(types, member) {
        quote! {
            for item in items {
                builder.query(key, item);
            }
        }
    } else {
        quote! { builder.query(key, items); }
    };
    with_value(
        member,
        field,
        quote! {
            for (key, items) in value {
                if !builder.has_query(key) {
                    #add
                }
            }
        },
    )
}
