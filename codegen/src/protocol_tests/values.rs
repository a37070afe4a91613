//! A test case's `params` (a Smithy node value: member names as keys, blobs as UTF-8 text,
//! timestamps as epoch seconds or date-time text, floats' `NaN` and `Infinity` as strings) as a Rust
//! expression building the generated type that holds it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Number, Value};

use crate::emit::defaults::{self, DefaultValue};
use crate::emit::types::is_optional;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Simple};
use crate::shape_id::ShapeId;

/// The expression building the structure `id` from the JSON object `params`.
pub fn structure(types: &TypeMap<'_>, id: &ShapeId, params: &Value) -> Result<TokenStream, String> {
    top(types, id, params, false)
}

/// As [`structure`], with every required member that `params` leaves out (and has no
/// default) set to its type's `Default`: the other message of an event-stream case that
/// describes only one side.
pub fn filled_structure(types: &TypeMap<'_>, id: &ShapeId, params: &Value) -> Result<TokenStream, String> {
    top(types, id, params, true)
}

/// The expression building a value of the union `id` (an event) from `params`.
pub fn union(types: &TypeMap<'_>, id: &ShapeId, params: &Value) -> Result<TokenStream, String> {
    value(types, id, params, id.name.as_str(), false)
}

fn top(types: &TypeMap<'_>, id: &ShapeId, params: &Value, fill: bool) -> Result<TokenStream, String> {
    // A case without params has an empty structure.
    let empty = Value::Object(serde_json::Map::new());
    value(types, id, if params.is_null() { &empty } else { params }, id.name.as_str(), fill)
}

/// The expression building a value of shape `target` from `value`; `path` names the place
/// for messages. With `fill`, the structure's missing required members are zero values.
/// An event-stream member left out is an empty stream (or `None`), since a case gives its
/// events apart from the params.
fn value(
    types: &TypeMap<'_>,
    target: &ShapeId,
    value_json: &Value,
    path: &str,
    fill: bool,
) -> Result<TokenStream, String> {
    let shape = types.view.shape(target);
    let ty = if crate::emit::streaming::is_event_stream(types, target) {
        // An event: the union itself, not the stream of it that a member holds.
        let ident = types.names.type_ident(target);
        quote! { crate::types::#ident }
    } else {
        types.value_type(target)
    };
    let mismatch = || format!("{path}: {value_json} does not fit {}", shape.kind.type_name());
    Ok(match (&shape.kind, value_json) {
        (Kind::Structure(members), Value::Object(entries)) => {
            let mut fields = Vec::new();
            for member in members.values() {
                let field = types.names.field_ident(&member.id);
                let given = entries.get(&member.name).filter(|v| !v.is_null());
                let member_path = format!("{path}.{}", member.name);
                let expr = match given {
                    Some(given) => {
                        let mut expr = value(types, &member.target, given, &member_path, false)?;
                        if types.view.is_boxed(member) {
                            expr = quote! { ::std::boxed::Box::new(#expr) };
                        }
                        if is_optional(member) {
                            quote! { ::std::option::Option::Some(#expr) }
                        } else {
                            expr
                        }
                    }
                    None if is_optional(member) => quote! { ::std::option::Option::None },
                    None => match &member.traits.known.default {
                        Some(default) => match defaults::default_value(types, member, default)? {
                            DefaultValue::Zero => quote! { ::std::default::Default::default() },
                            DefaultValue::Expr(expr) => expr,
                        },
                        None if fill || crate::emit::streaming::is_event_stream(types, &member.target) => {
                            quote! { ::std::default::Default::default() }
                        }
                        None => return Err(format!("{member_path}: the case leaves out this required member")),
                    },
                };
                fields.push(quote! { #field: #expr });
            }
            for key in entries.keys() {
                if !members.contains_key(key) {
                    return Err(format!("{path}: the shape has no member {key}"));
                }
            }
            let metadata = crate::emit::metadata::carries(types, shape).then(crate::emit::metadata::unset);
            quote! { #ty { #(#fields,)* #metadata } }
        }
        (Kind::Union(members), Value::Object(entries)) if entries.len() == 1 => {
            let (key, given) = entries.iter().next().ok_or_else(mismatch)?;
            let member = members.get(key).ok_or_else(|| format!("{path}: the union has no member {key}"))?;
            let variant = types.names.variant_ident(&member.id);
            if types.view.shape(&member.target).traits.known.unit_type {
                quote! { #ty::#variant }
            } else {
                let mut expr = value(types, &member.target, given, &format!("{path}.{key}"), false)?;
                if types.view.is_boxed(member) {
                    expr = quote! { ::std::boxed::Box::new(#expr) };
                }
                quote! { #ty::#variant(#expr) }
            }
        }
        (Kind::Enum(_), Value::String(text)) => quote! { #ty::from(#text) },
        (Kind::IntEnum(_), Value::Number(n)) => {
            let n = n.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?;
            quote! { #ty::from(#n) }
        }
        (Kind::List(member), Value::Array(items)) => {
            let sparse = shape.traits.known.sparse;
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| element(types, &member.target, item, sparse, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            quote! { ::std::vec![#(#items),*] }
        }
        (Kind::Map { key, value: member }, Value::Object(entries)) => {
            let sparse = shape.traits.known.sparse;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let entry_path = format!("{path}.{k}");
                    let key = value(types, &key.target, &Value::String(k.clone()), &entry_path, false)?;
                    let v = element(types, &member.target, v, sparse, &entry_path)?;
                    Ok(quote! { (#key, #v) })
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote! { ::std::collections::BTreeMap::from([#(#entries),*]) }
        }
        (Kind::Simple(Simple::Blob), Value::String(text)) if shape.traits.known.streaming => {
            let bytes = Literal::byte_string(text.as_bytes());
            quote! { ::smithy_runtime::ByteStream::from(#bytes.to_vec()) }
        }
        (Kind::Simple(simple), _) => simple_value(*simple, value_json).ok_or_else(mismatch)?,
        _ => return Err(mismatch()),
    })
}

/// A list or map element: `Option` in a sparse collection.
fn element(
    types: &TypeMap<'_>,
    target: &ShapeId,
    item: &Value,
    sparse: bool,
    path: &str,
) -> Result<TokenStream, String> {
    match (sparse, item) {
        (true, Value::Null) => Ok(quote! { ::std::option::Option::None }),
        (true, item) => {
            let expr = value(types, target, item, path, false)?;
            Ok(quote! { ::std::option::Option::Some(#expr) })
        }
        (false, item) => value(types, target, item, path, false),
    }
}

fn simple_value(simple: Simple, value: &Value) -> Option<TokenStream> {
    Some(match (simple, value) {
        (Simple::String, Value::String(text)) => quote! { ::std::string::String::from(#text) },
        (Simple::Boolean, Value::Bool(b)) => quote! { #b },
        (Simple::Blob, Value::String(text)) => {
            let bytes = Literal::byte_string(text.as_bytes());
            quote! { ::smithy_runtime::Blob::new(#bytes.to_vec()) }
        }
        (Simple::Document, value) => defaults::document_expr(value),
        (Simple::Timestamp, Value::Number(n)) => timestamp(n)?,
        // A node value may also write a timestamp as date-time text.
        (Simple::Timestamp, Value::String(text)) => quote! {
            ::smithy_runtime::DateTime::from_str(#text, ::smithy_runtime::DateTimeFormat::DateTime).expect("a date-time")
        },
        (Simple::BigInteger, Value::Number(n)) => {
            let text = n.to_string();
            quote! { ::smithy_runtime::BigInteger::from_model_literal(#text) }
        }
        (Simple::BigDecimal, Value::Number(n)) => {
            let text = n.to_string();
            quote! { ::smithy_runtime::BigDecimal::from_model_literal(#text) }
        }
        (Simple::Float, Value::String(text)) => special_float(quote! { f32 }, text)?,
        (Simple::Double, Value::String(text)) => special_float(quote! { f64 }, text)?,
        (simple, Value::Number(n)) => number(simple, n)?,
        _ => return None,
    })
}

fn special_float(ty: TokenStream, text: &str) -> Option<TokenStream> {
    Some(match text {
        "NaN" => quote! { #ty::NAN },
        "Infinity" => quote! { #ty::INFINITY },
        "-Infinity" => quote! { #ty::NEG_INFINITY },
        _ => return None,
    })
}

fn number(simple: Simple, n: &Number) -> Option<TokenStream> {
    let int = n.as_i64();
    let literal = match simple {
        Simple::Byte => Literal::i8_suffixed(i8::try_from(int?).ok()?),
        Simple::Short => Literal::i16_suffixed(i16::try_from(int?).ok()?),
        Simple::Integer => Literal::i32_suffixed(i32::try_from(int?).ok()?),
        Simple::Long => Literal::i64_suffixed(int?),
        // The case's decimal text is the value; narrowing to f32 is what the type means.
        #[allow(clippy::cast_possible_truncation)]
        Simple::Float => Literal::f32_suffixed(n.as_f64()? as f32),
        Simple::Double => Literal::f64_suffixed(n.as_f64()?),
        _ => return None,
    };
    Some(quote! { #literal })
}

/// Epoch seconds from the number's decimal text, so fractions keep every digit.
fn timestamp(n: &Number) -> Option<TokenStream> {
    let text = n.to_string();
    if let Some(secs) = n.as_i64() {
        return Some(quote! { ::smithy_runtime::DateTime::from_secs(#secs) });
    }
    let (whole, fraction) = text.split_once('.')?;
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        let secs = n.as_f64()?;
        return Some(quote! { ::smithy_runtime::DateTime::from_secs_f64(#secs) });
    }
    let mut secs: i64 = whole.parse().ok()?;
    let mut nanos: u32 = format!("{fraction:0<9}").parse().ok()?;
    if whole.starts_with('-') && nanos > 0 {
        secs -= 1;
        nanos = 1_000_000_000 - nanos;
    }
    Some(quote! { ::smithy_runtime::DateTime::from_secs_and_nanos(#secs, #nanos) })
}
