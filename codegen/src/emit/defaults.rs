//! `@default` values as Rust expressions. A value that does not fit its member's type is a
//! problem found before anything is emitted.

use base64::Engine as _;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Simple};
use crate::problem::Sink;

/// How a field with a default gets it when the JSON leaves it out.
pub enum DefaultValue {
    /// `Default::default()` is the model's default (zero, false, empty).
    Zero,
    /// Any other value, built by this expression.
    Expr(TokenStream),
}

/// Reports every `@default` in the view that the generator cannot express.
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    for id in &types.view.shapes {
        let shape = types.view.shape(id);
        if let Kind::Structure(members) = &shape.kind {
            for member in members.values() {
                if let Some(value) = &member.traits.known.default {
                    if let Err(message) = default_value(types, member, value) {
                        sink.report(
                            Some(&member.id),
                            format!("{}.traits[\"smithy.api#default\"]", member.path),
                            message,
                        );
                    }
                }
            }
        }
    }
}

/// The default of `member` given its `@default` JSON value.
pub fn default_value(types: &TypeMap<'_>, member: &Member, value: &Value) -> Result<DefaultValue, String> {
    let target = types.view.shape(&member.target);
    let mismatch = || format!("default value {value} does not fit {}", describe(&target.kind));
    if crate::emit::streaming::is_streaming_blob(types, &member.target) {
        return streaming_default(value).ok_or_else(mismatch);
    }
    let zero = match (&target.kind, value) {
        (Kind::Simple(Simple::Boolean), Value::Bool(b)) => !b,
        (Kind::Simple(Simple::String), Value::String(s)) => s.is_empty(),
        (Kind::Simple(Simple::BigInteger | Simple::BigDecimal), Value::Number(_)) => false,
        (Kind::Simple(s), Value::Number(n)) if s.is_number() => n.as_f64() == Some(0.0),
        (Kind::List(_), Value::Array(items)) if items.is_empty() => true,
        (Kind::Map { .. }, Value::Object(entries)) if entries.is_empty() => true,
        (Kind::Simple(Simple::Document), _) => false,
        (Kind::Simple(Simple::Blob), Value::String(_)) => false,
        (Kind::Enum(_) | Kind::IntEnum(_) | Kind::Simple(Simple::Timestamp), _) => false,
        _ => return Err(mismatch()),
    };
    if zero {
        return Ok(DefaultValue::Zero);
    }
    let ty = types.value_type(&member.target);
    let expr = match (&target.kind, value) {
        (Kind::Simple(Simple::Boolean), Value::Bool(b)) => quote! { #b },
        (Kind::Simple(Simple::String), Value::String(s)) => {
            quote! { ::std::string::String::from(#s) }
        }
        (Kind::Enum(_), Value::String(s)) => quote! { #ty::from(#s) },
        (Kind::IntEnum(_), Value::Number(n)) => {
            let n = n.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?;
            quote! { #ty::from(#n) }
        }
        (Kind::Simple(Simple::Timestamp), Value::Number(n)) => {
            let secs = n.as_f64().filter(|s| s.is_finite()).ok_or_else(mismatch)?;
            quote! { ::smithy_runtime::DateTime::from_secs_f64(#secs) }
        }
        (Kind::Simple(Simple::Document), value) => document_expr(value),
        (Kind::Simple(Simple::BigInteger), Value::Number(n)) if n.is_i64() || n.is_u64() => {
            let text = n.to_string();
            quote! { ::smithy_runtime::BigInteger::from_model_literal(#text) }
        }
        (Kind::Simple(Simple::BigDecimal), Value::Number(n)) => {
            let text = n.to_string();
            quote! { ::smithy_runtime::BigDecimal::from_model_literal(#text) }
        }
        (Kind::Simple(Simple::Blob), Value::String(text)) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| mismatch())?;
            quote! { ::smithy_runtime::Blob::new(::std::vec![#(#bytes),*]) }
        }
        (Kind::Simple(simple), Value::Number(n)) => number_literal(*simple, n).ok_or_else(mismatch)?,
        _ => return Err(format!("default value {value} for {} is not supported", describe(&target.kind))),
    };
    Ok(DefaultValue::Expr(expr))
}

/// The default of a `@streaming` blob member: an empty stream for `""` (what models have), a
/// stream of the base64 value's bytes otherwise.
fn streaming_default(value: &Value) -> Option<DefaultValue> {
    let text = value.as_str()?;
    if text.is_empty() {
        return Some(DefaultValue::Zero);
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(text).ok()?;
    let bytes = Literal::byte_string(&bytes);
    Some(DefaultValue::Expr(quote! { ::smithy_runtime::ByteStream::from(#bytes.to_vec()) }))
}

/// A JSON value as an expression building it, with typed number literals (the `json!` macro
/// would leave `3000000000` an `i32` literal) and escaped strings.
pub fn document_expr(value: &Value) -> TokenStream {
    let json = quote! { ::smithy_runtime::serde_json };
    match value {
        Value::Null => quote! { #json::Value::Null },
        Value::Bool(b) => quote! { #json::Value::Bool(#b) },
        Value::Number(n) => {
            let literal = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Literal::i64_suffixed(i),
                (None, Some(u), _) => Literal::u64_suffixed(u),
                (None, None, Some(f)) => Literal::f64_suffixed(f),
                (None, None, None) => return quote! { #json::Value::Null },
            };
            quote! { #json::Value::from(#literal) }
        }
        Value::String(text) => quote! { #json::Value::String(::std::string::String::from(#text)) },
        Value::Array(items) => {
            let items = items.iter().map(document_expr);
            quote! { #json::Value::Array(::std::vec![#(#items),*]) }
        }
        Value::Object(entries) if entries.is_empty() => quote! { #json::Value::Object(#json::Map::new()) },
        Value::Object(entries) => {
            let keys = entries.keys();
            let values = entries.values().map(document_expr);
            quote! {
                #json::Value::Object(::std::iter::IntoIterator::into_iter([
                    #( (::std::string::String::from(#keys), #values) ),*
                ]).collect())
            }
        }
    }
}

fn number_literal(simple: Simple, n: &serde_json::Number) -> Option<TokenStream> {
    let int = n.as_i64();
    let literal = match simple {
        Simple::Byte => Literal::i8_suffixed(i8::try_from(int?).ok()?),
        Simple::Short => Literal::i16_suffixed(i16::try_from(int?).ok()?),
        Simple::Integer => Literal::i32_suffixed(i32::try_from(int?).ok()?),
        Simple::Long => Literal::i64_suffixed(int?),
        // The model's decimal text is the value; narrowing to f32 is what the type means.
        #[allow(clippy::cast_possible_truncation)]
        Simple::Float => Literal::f32_suffixed(Some(n.as_f64()? as f32).filter(|f| f.is_finite())?),
        Simple::Double => Literal::f64_suffixed(n.as_f64()?),
        _ => return None,
    };
    Some(quote! { #literal })
}

/// "an integer", "a list": the shape type for messages.
fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Simple(simple) => {
            let name = format!("{simple:?}").to_lowercase();
            let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            format!("{article} {name}")
        }
        other => other.described(),
    }
}
