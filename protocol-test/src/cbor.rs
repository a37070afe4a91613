//! CBOR bodies (`application/cbor`, the rpcv2Cbor protocol). The suite writes them as base64
//! of the CBOR bytes, and a body matches when it holds the same data, whatever encoding was
//! chosen for it:
//!
//! - map keys in any order (a CBOR map is unordered), arrays in order;
//! - definite and indefinite lengths alike (strings, arrays, maps);
//! - integers by value, whatever their width;
//! - floats by value, whatever their width (half, single, double): the decoder widens each
//!   to a double exactly, so `7.625` as a half equals `7.625` as a double. NaN equals NaN
//!   (any payload), and `-0.0` is not `0.0`;
//! - a float and an integer are different data, even of the same value: Smithy's float and
//!   double are major type 7 and its integers major types 0 and 1, so a serializer writing
//!   `1` for the double `1.0` is wrong. The exception is the content of tag 1 (epoch
//!   time): RFC 8949 (3.4.2) lets it be an integer or a float, and both name the same
//!   instant, so there they compare by numeric value;
//! - tags by number and content.

use std::fmt::Write as _;

use base64::Engine as _;
use ciborium::value::Value;

/// Whether a media type is CBOR (`application/cbor`, or a `+cbor` suffix).
pub fn is_cbor(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/cbor") || essence.to_ascii_lowercase().ends_with("+cbor")
}

/// The bytes of a case's base64 text.
///
/// # Errors
///
/// When the text is not base64.
pub fn from_base64(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|e| format!("not base64 ({e}): {text:?}"))
}

/// Decodes one CBOR data item, which must be the whole of `bytes`.
///
/// # Errors
///
/// When the bytes are not one well-formed CBOR item.
pub fn decode(bytes: &[u8]) -> Result<Value, String> {
    let mut rest = bytes;
    let value: Value = ciborium::de::from_reader(&mut rest).map_err(|e| format!("not CBOR: {e}"))?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after the CBOR item", rest.len()));
    }
    Ok(value)
}

/// Whether two CBOR values hold the same data (see the module documentation).
pub fn cbor_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => float_equal(*x, *y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| cbor_equal(x, y)),
        (Value::Map(x), Value::Map(y)) => x.len() == y.len() && map_within(x, y) && map_within(y, x),
        (Value::Tag(1, x), Value::Tag(1, y)) => match (epoch_seconds(x), epoch_seconds(y)) {
            (Some(x), Some(y)) => float_equal(x, y),
            _ => cbor_equal(x, y),
        },
        (Value::Tag(s, x), Value::Tag(t, y)) => s == t && cbor_equal(x, y),
        // Integers (by value), text, bytes, booleans and null.
        _ => a == b,
    }
}

/// Whether every entry of `x` has an entry of `y` with an equal key and an equal value.
fn map_within(x: &[(Value, Value)], y: &[(Value, Value)]) -> bool {
    x.iter().all(|(key, value)| y.iter().any(|(k, v)| cbor_equal(key, k) && cbor_equal(value, v)))
}

/// By value, NaN equal to NaN, and the sign of zero kept.
fn float_equal(x: f64, y: f64) -> bool {
    (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
}

/// The content of an epoch-time tag as seconds.
#[allow(clippy::cast_precision_loss)] // epoch seconds of any real date fit a double exactly
fn epoch_seconds(value: &Value) -> Option<f64> {
    match value {
        Value::Integer(i) => Some(i128::from(*i) as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Compares a body with a case's base64 CBOR `expected`, adding any mismatch to `problems`.
/// An empty `expected` asks for an empty body.
pub(crate) fn check_body(actual: &[u8], expected: &str, problems: &mut String) {
    let want = match from_base64(expected) {
        Ok(bytes) => bytes,
        Err(error) => {
            let _ = writeln!(problems, "body: the case's CBOR body is {error}");
            return;
        }
    };
    if want.is_empty() || actual.is_empty() {
        if want != actual {
            let _ = writeln!(problems, "body: expected {} bytes of CBOR, got {} bytes", want.len(), actual.len());
        }
        return;
    }
    let got_base64 = base64::engine::general_purpose::STANDARD.encode(actual);
    match (decode(&want), decode(actual)) {
        (Ok(want), Ok(got)) if cbor_equal(&want, &got) => {}
        (Ok(want), Ok(got)) => {
            let _ = writeln!(problems, "body: expected CBOR {}, got {} (base64 {got_base64})", diag(&want), diag(&got));
        }
        (Err(error), _) => {
            let _ = writeln!(problems, "body: the case's body is {error}");
        }
        (Ok(want), Err(error)) => {
            let _ = writeln!(problems, "body: expected CBOR {}, got base64 {got_base64}, {error}", diag(&want));
        }
    }
}

/// A value in CBOR's diagnostic notation (RFC 8949, 8): `{"a": [1, 1.5, h'00ff'], "t": 1(0)}`.
pub fn diag(value: &Value) -> String {
    let mut text = String::new();
    write_diag(value, &mut text);
    text
}

fn write_diag(value: &Value, out: &mut String) {
    match value {
        Value::Integer(i) => {
            let _ = write!(out, "{}", i128::from(*i));
        }
        Value::Float(f) if f.is_nan() => out.push_str("NaN"),
        Value::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
        Value::Float(f) => {
            let _ = write!(out, "{f:?}");
        }
        Value::Bytes(bytes) => {
            out.push_str("h'");
            for byte in bytes {
                let _ = write!(out, "{byte:02x}");
            }
            out.push('\'');
        }
        Value::Text(text) => {
            let _ = write!(out, "{text:?}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Null => out.push_str("null"),
        Value::Tag(tag, inner) => {
            let _ = write!(out, "{tag}(");
            write_diag(inner, out);
            out.push(')');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_diag(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_diag(key, out);
                out.push_str(": ");
                write_diag(value, out);
            }
            out.push('}');
        }
        // `Value` is non-exhaustive.
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Whether the two hex-written CBOR items hold the same data.
    fn same(a: &str, b: &str) -> bool {
        let bytes = |hex: &str| -> Vec<u8> {
            let hex: String = hex.split_whitespace().collect();
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
        };
        cbor_equal(&decode(&bytes(a)).unwrap(), &decode(&bytes(b)).unwrap())
    }

    #[test]
    fn maps_ignore_key_order_and_arrays_keep_theirs() {
        // {"a": 1, "b": 2} and {"b": 2, "a": 1}
        assert!(same("a2 6161 01 6162 02", "a2 6162 02 6161 01"));
        assert!(!same("a2 6161 01 6162 02", "a2 6161 02 6162 01"));
        // [1, 2] and [2, 1]
        assert!(!same("82 01 02", "82 02 01"));
        // {"a": 1} has fewer entries than {"a": 1, "b": 2}
        assert!(!same("a1 6161 01", "a2 6161 01 6162 02"));
        // A repeated key does not stand in for a missing one: {"a": 1, "a": 1} vs {"a": 1, "b": 1}
        assert!(!same("a2 6161 01 6161 01", "a2 6161 01 6162 01"));
    }

    #[test]
    fn indefinite_lengths_equal_definite_ones() {
        // {_ "ab": [_ 1]} and {"ab": [1]}
        assert!(same("bf 6261 62 9f 01 ff ff", "a1 6261 62 81 01"));
        // (_ "a", "b") and "ab"; (_ h'01', h'02') and h'0102'
        assert!(same("7f 6161 6162 ff", "62 6162"));
        assert!(same("5f 4101 4102 ff", "42 0102"));
        assert!(!same("7f 6161 6163 ff", "62 6162"));
    }

    #[test]
    fn integers_compare_by_value_whatever_their_width() {
        assert!(same("05", "18 05"));
        assert!(same("19 0100", "1a 00000100"));
        assert!(same("20", "38 00"));
        assert!(!same("05", "06"));
        assert!(!same("01", "20"));
    }

    #[test]
    fn floats_compare_by_value_whatever_their_width() {
        // 7.625 as half, single and double
        assert!(same("f9 47a0", "fa 40f40000"));
        assert!(same("fa 40f40000", "fb 401e800000000000"));
        assert!(!same("fa 40f40000", "fa 40f3f7cf"));
        // NaN (half, single with another payload, double) equals NaN, and nothing else
        assert!(same("f9 7e00", "fa 7fc00001"));
        assert!(same("fb 7ff8000000000000", "f9 7e00"));
        assert!(!same("f9 7e00", "f9 7c00"));
        // Infinity, and the sign of zero
        assert!(same("f9 7c00", "fb 7ff0000000000000"));
        assert!(!same("f9 7c00", "f9 fc00"));
        assert!(!same("f9 0000", "f9 8000"));
    }

    #[test]
    fn a_float_is_not_an_integer_except_as_epoch_time() {
        // 1.0 and 1
        assert!(!same("fb 3ff0000000000000", "01"));
        // 1(1.0) and 1(1): the same instant; 1(1.5) and 1(1) are not
        assert!(same("c1 fb 3ff0000000000000", "c1 01"));
        assert!(!same("c1 fb 3ff8000000000000", "c1 01"));
    }

    #[test]
    fn tags_compare_by_number_and_content() {
        assert!(same("c1 01", "c1 01"));
        assert!(!same("c1 01", "c0 01"));
        // A tagged value is not its content.
        assert!(!same("c1 01", "01"));
        assert!(!same("d8 20 6161", "d8 20 6162"));
    }

    #[test]
    fn text_bytes_booleans_and_null_are_distinct() {
        // "a" vs h'61'
        assert!(!same("61 61", "41 61"));
        assert!(!same("f4", "f5"));
        assert!(!same("f6", "f4"));
        assert!(same("f6", "f6"));
    }

    #[test]
    fn decoding_refuses_trailing_bytes_and_bad_input() {
        assert!(decode(&[0x01, 0x02]).is_err());
        assert!(decode(&[0xbf]).is_err());
        assert!(decode(&[]).is_err());
    }

    #[test]
    fn bodies_are_checked_from_base64_with_a_readable_difference() {
        // {_ } is "v/8=", {} is "oA=="
        let mut problems = String::new();
        check_body(&[0xa0], "v/8=", &mut problems);
        assert_eq!(problems, "");
        check_body(&[0xa1, 0x61, 0x61, 0xf9, 0x3c, 0x00], "v/8=", &mut problems);
        assert!(problems.contains(r#"expected CBOR {}, got {"a": 1.0}"#), "{problems}");
        let mut problems = String::new();
        check_body(&[0xa0], "", &mut problems);
        assert!(problems.contains("expected 0 bytes"), "{problems}");
        let mut problems = String::new();
        check_body(b"", "", &mut problems);
        assert_eq!(problems, "");
    }

    #[test]
    fn cbor_media_types_are_recognised() {
        assert!(is_cbor("application/cbor"));
        assert!(is_cbor("application/vnd.example+cbor; charset=x"));
        assert!(!is_cbor("application/json"));
    }
}
