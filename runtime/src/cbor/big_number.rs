//! Smithy's big numbers in CBOR, as rpcv2Cbor has them: a `bigInteger` is a plain integer
//! when it fits 64 bits, else a bignum (tag 2 for n, tag 3 for -1 - n, over the magnitude's
//! big-endian bytes); a `bigDecimal` is a decimal fraction (tag 4 over `[exponent,
//! mantissa]`, the mantissa an integer as above). Both ways go through the decimal text the
//! value types keep, so no digit is lost. (The arithmetic is a few lines of base conversion
//! on digit strings: no big-number crate is needed for it.)

use serde::{Serialize, Serializer};

/// Unsigned bignum.
pub const POSITIVE_BIGNUM: u64 = 2;
/// Negative bignum (-1 - n).
pub const NEGATIVE_BIGNUM: u64 = 3;
/// Decimal fraction `[exponent, mantissa]`: mantissa × 10^exponent.
pub const DECIMAL_FRACTION: u64 = 4;

/// Writes a big number's decimal `text` (an integer, or a JSON-grammar decimal) in CBOR.
pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let (mantissa, exponent) =
        split_decimal(text).ok_or_else(|| serde::ser::Error::custom(format!("`{text}` is not a decimal number")))?;
    if exponent == 0 {
        return Integer(&mantissa).serialize(serializer);
    }
    ciborium::tag::Required::<_, DECIMAL_FRACTION>((exponent, Integer(&mantissa))).serialize(serializer)
}

/// An integer's decimal digits (with an optional `-`), written as CBOR writes integers.
struct Integer<'a>(&'a str);

impl Serialize for Integer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Ok(n) = self.0.parse::<i64>() {
            return serializer.serialize_i64(n);
        }
        if let Ok(n) = self.0.parse::<u64>() {
            return serializer.serialize_u64(n);
        }
        match self.0.strip_prefix('-') {
            Some(digits) => {
                // Tag 3 holds -1 - n: the magnitude less one.
                let mut magnitude = decimal_to_bytes(digits);
                decrement(&mut magnitude);
                ciborium::tag::Required::<_, NEGATIVE_BIGNUM>(ByteString(magnitude)).serialize(serializer)
            }
            None => {
                let magnitude = decimal_to_bytes(self.0);
                ciborium::tag::Required::<_, POSITIVE_BIGNUM>(ByteString(magnitude)).serialize(serializer)
            }
        }
    }
}

/// Bytes that serialize as a CBOR byte string.
struct ByteString(Vec<u8>);

impl Serialize for ByteString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// `text` as an integer mantissa (decimal digits, maybe `-`) and a power of ten:
/// `"1.25e3"` is `("125", 1)`. `None` when it is not a number.
pub fn split_decimal(text: &str) -> Option<(String, i64)> {
    let (number, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (negative, number) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let joined = format!("{whole}{fraction}");
    let digits = match joined.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let sign = if negative && digits != "0" { "-" } else { "" };
    Some((format!("{sign}{digits}"), exponent))
}

/// Decimal digits as a big-endian magnitude.
fn decimal_to_bytes(digits: &str) -> Vec<u8> {
    // Little-endian while building: each digit multiplies what is there by ten.
    let mut bytes: Vec<u8> = Vec::new();
    for digit in digits.bytes().map(|b| b - b'0') {
        let mut carry = u32::from(digit);
        for byte in &mut bytes {
            let value = u32::from(*byte) * 10 + carry;
            *byte = value.to_le_bytes()[0];
            carry = value >> 8;
        }
        while carry > 0 {
            bytes.push(carry.to_le_bytes()[0]);
            carry >>= 8;
        }
    }
    bytes.reverse();
    bytes
}

/// Subtracts one from a non-zero big-endian magnitude.
fn decrement(bytes: &mut [u8]) {
    for byte in bytes.iter_mut().rev() {
        if *byte > 0 {
            *byte -= 1;
            return;
        }
        *byte = 0xff;
    }
}

/// A bignum's big-endian magnitude as decimal digits.
pub fn bytes_to_decimal(bytes: &[u8]) -> String {
    // Little-endian decimal digits while building: each byte multiplies by 256.
    let mut digits: Vec<u8> = Vec::new();
    for byte in bytes {
        let mut carry = u32::from(*byte);
        for digit in &mut digits {
            let value = u32::from(*digit) * 256 + carry;
            *digit = (value % 10).to_le_bytes()[0];
            carry = value / 10;
        }
        while carry > 0 {
            digits.push((carry % 10).to_le_bytes()[0]);
            carry /= 10;
        }
    }
    if digits.is_empty() {
        return "0".to_owned();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// Adds one to decimal digits (tag 3 holds -1 - n).
pub fn increment_decimal(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().rev().collect();
    for digit in &mut out {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return out.iter().rev().map(|b| char::from(*b)).collect();
        }
    }
    out.push(b'1');
    out.iter().rev().map(|b| char::from(*b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_split_into_mantissa_and_exponent() {
        assert_eq!(split_decimal("1.25e3"), Some(("125".to_owned(), 1)));
        assert_eq!(split_decimal("-0.001"), Some(("-1".to_owned(), -3)));
        assert_eq!(split_decimal("42"), Some(("42".to_owned(), 0)));
        assert_eq!(split_decimal("-0"), Some(("0".to_owned(), 0)));
        assert_eq!(split_decimal("1.5x"), None);
    }

    #[test]
    fn magnitudes_convert_both_ways() {
        let digits = "123456789012345678901234567890";
        assert_eq!(bytes_to_decimal(&decimal_to_bytes(digits)), digits);
        assert_eq!(decimal_to_bytes("18446744073709551616"), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(increment_decimal("199"), "200");
        assert_eq!(increment_decimal("99"), "100");
        let mut bytes = vec![1, 0];
        decrement(&mut bytes);
        assert_eq!(bytes, [0, 0xff]);
    }

    /// Writes a string as a big number, for the test below.
    struct Text<'a>(&'a str);

    impl Serialize for Text<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }

    fn cbor(text: &str) -> Vec<u8> {
        crate::cbor::to_vec(&Text(text)).unwrap_or_default()
    }

    #[test]
    fn big_numbers_are_integers_bignums_or_decimal_fractions() {
        assert_eq!(cbor("1"), [0x01]);
        assert_eq!(cbor("-2"), [0x21]);
        // 2^64: tag 2 over 9 bytes.
        assert_eq!(cbor("18446744073709551616"), [0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        // -2^64 - 1 is -1 - 2^64: tag 3 over 2^64.
        assert_eq!(cbor("-18446744073709551617"), [0xc3, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        // 273.15: tag 4 [-2, 27315].
        assert_eq!(cbor("273.15"), [0xc4, 0x82, 0x21, 0x19, 0x6a, 0xb3]);
    }
}
