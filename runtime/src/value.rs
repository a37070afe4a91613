//! Value types for Smithy shapes that have no fitting type in `std`.

use std::fmt;
use std::str::FromStr;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A Smithy `document`: untyped JSON, which is exactly what restJson1 sends for it.
pub type Document = serde_json::Value;

/// Why a text is not a number of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormatError {
    text: String,
    kind: &'static str,
}

impl fmt::Display for NumberFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.text, self.kind)
    }
}

impl std::error::Error for NumberFormatError {}

/// Defines a number type that keeps its decimal text, so that no precision is lost in
/// transit; the two Smithy big number types differ only in which texts they accept.
macro_rules! big_number {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $accepts:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The number as decimal text, as it was received or built.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Builds the number from a literal the generator has already checked (a model's
            /// `@default`); user input goes through [`FromStr`].
            #[doc(hidden)]
            pub fn from_model_literal(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl FromStr for $name {
            type Err = NumberFormatError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let accepts: fn(&str) -> bool = $accepts;
                if accepts(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(NumberFormatError { text: text.to_owned(), kind: $kind })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if !serializer.is_human_readable() {
                    return crate::cbor::big_number::serialize(&self.0, serializer);
                }
                // A raw JSON number keeps every digit; `from_str` guaranteed the text is one.
                RawValue::from_string(self.0.clone())
                    .map_err(serde::ser::Error::custom)?
                    .serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // The raw JSON text keeps every digit, where serde's number visitors would
                // squeeze a big number through `f64`.
                let raw = <Box<RawValue>>::deserialize(deserializer)?;
                let text = match serde_json::from_str::<String>(raw.get()) {
                    Ok(quoted) => quoted,
                    Err(_) => raw.get().trim().to_owned(),
                };
                text.parse().map_err(de::Error::custom)
            }
        }
    };
}

big_number!(
    /// A Smithy `bigInteger`: an integer of any size, kept as its decimal digits.
    BigInteger,
    "big integer",
    is_integer_text
);

big_number!(
    /// A Smithy `bigDecimal`: a decimal number of any size and precision, kept as its text.
    BigDecimal,
    "big decimal",
    is_decimal_text
);

fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal_text(text: &str) -> bool {
    // JSON's number grammar is the right one: it is what travels on the wire.
    matches!(serde_json::from_str::<serde_json::Value>(text), Ok(serde_json::Value::Number(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integer_round_trips_its_digits() {
        let n: BigInteger = serde_json::from_str("123456789").unwrap();
        assert_eq!(n.as_str(), "123456789");
        assert_eq!(serde_json::to_string(&n).unwrap(), "123456789");
        let huge: BigInteger = "123456789012345678901234567890".parse().unwrap();
        assert_eq!(serde_json::to_string(&huge).unwrap(), "123456789012345678901234567890");
    }

    #[test]
    fn big_numbers_keep_digits_beyond_f64() {
        let n: BigInteger = serde_json::from_str("123456789012345678901234567890").unwrap();
        assert_eq!(n.as_str(), "123456789012345678901234567890");
        let d: BigDecimal = serde_json::from_str("0.1000000000000000000001").unwrap();
        assert_eq!(d.as_str(), "0.1000000000000000000001");
        let from_value: BigDecimal = serde_json::from_value(serde_json::json!(1.5)).unwrap();
        assert_eq!(from_value.as_str(), "1.5");
    }

    #[test]
    fn big_numbers_reject_text_that_is_not_a_number() {
        assert!("12a".parse::<BigInteger>().is_err());
        assert!("1.5".parse::<BigInteger>().is_err());
        assert!("1.5e3".parse::<BigDecimal>().is_ok());
        assert!("NaN".parse::<BigDecimal>().is_err());
        assert!(serde_json::from_str::<BigInteger>("true").is_err());
    }
}
