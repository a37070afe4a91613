//! Wire formats for values that JSON has no native form for.
//!
//! Each type here is an [adapter](crate::adapter): generated code writes
//! `#[serde(with = "adapter::As::<Option<wire::EpochSeconds>>")]` and the adapter decides the
//! form, so one place owns each format however deeply the value is nested in lists and maps.
//!
//! A human-readable serializer (JSON) gets the JSON forms. One that is not (CBOR, see
//! [`crate::cbor`]) gets the native ones: a blob is a byte string, a float stays a float even
//! when it is not finite, and every timestamp is tag 1 over epoch seconds whatever its
//! `@timestampFormat`, as rpcv2Cbor has it. (Reading always goes through the JSON data model,
//! see [`crate::cbor::to_json`], so the readers below are JSON's.)

use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

use crate::adapter::{DeserializeAs, SerializeAs};

/// A timestamp as seconds since the Unix epoch: a JSON number, fractional when it has to be.
pub struct EpochSeconds;

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return tagged_epoch_seconds(value, serializer);
        }
        if value.subsec_nanos() == 0 {
            serializer.serialize_i64(value.secs())
        } else {
            serializer.serialize_f64(value.as_secs_f64())
        }
    }
}

impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        epoch_seconds(&serde_json::Number::deserialize(deserializer)?)
    }
}

/// A timestamp as CBOR writes it: tag 1 over its epoch seconds, an integer when it can be.
fn tagged_epoch_seconds<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize as _;
    if value.subsec_nanos() == 0 {
        ciborium::tag::Required::<i64, 1>(value.secs()).serialize(serializer)
    } else {
        ciborium::tag::Required::<f64, 1>(value.as_secs_f64()).serialize(serializer)
    }
}

/// Reads a text timestamp in place: its text in `format`, or epoch seconds (CBOR's form, and
/// a lenient client's).
struct TextTimestamp {
    format: Format,
    what: &'static str,
}

impl Visitor<'_> for TextTimestamp {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} timestamp, or epoch seconds", self.what)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
        DateTime::from_str(text, self.format)
            .map_err(|_| E::custom(format!("`{text}` is not a valid {} timestamp", self.what)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        epoch_seconds(&serde_json::Number::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        epoch_seconds(&serde_json::Number::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        let number = serde_json::Number::from_f64(v).ok_or_else(|| E::custom("epoch seconds must be finite"))?;
        epoch_seconds(&number)
    }
}

/// A timestamp from epoch seconds, exactly as its shortest decimal text says.
fn epoch_seconds<E: de::Error>(number: &serde_json::Number) -> Result<DateTime, E> {
    // The number's shortest decimal text parses exactly; going through `f64` arithmetic
    // would turn `.123` into `.122999`.
    DateTime::from_str(&number.to_string(), Format::EpochSeconds)
        .map_err(|_| de::Error::custom(format!("{number} is not a valid epoch-seconds timestamp")))
}

/// Defines an adapter for a timestamp written as a JSON string in one of Smithy's text formats.
macro_rules! text_timestamp {
    ($(#[$doc:meta])* $name:ident, $format:expr, $what:literal) => {
        $(#[$doc])*
        pub struct $name;

        impl SerializeAs<DateTime> for $name {
            fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
                if !serializer.is_human_readable() {
                    return tagged_epoch_seconds(value, serializer);
                }
                let text = value.fmt($format).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
        }

        impl<'de> DeserializeAs<'de, DateTime> for $name {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
                // A date-time may carry a UTC offset: a service may send one; and it may come
                // as epoch seconds, which is how CBOR carries every timestamp. (A server
                // refuses both in a JSON request before typed reading; see `presence::scan`.)
                let format = match $format {
                    Format::DateTime => Format::DateTimeWithOffset,
                    format => format,
                };
                deserializer.deserialize_any(TextTimestamp { format, what: $what })
            }
        }
    };
}

text_timestamp!(
    /// A timestamp as an RFC 3339 `date-time` string, such as `2019-12-16T23:48:18Z`.
    DateTimeString,
    Format::DateTime,
    "date-time"
);

text_timestamp!(
    /// A timestamp as an RFC 7231 `http-date` string, such as `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    Format::HttpDate,
    "http-date"
);

/// A blob as a base64 JSON string.
pub struct Base64;

impl SerializeAs<Blob> for Base64 {
    fn serialize_as<S: Serializer>(value: &Blob, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return serializer.serialize_bytes(value.as_ref());
        }
        serializer.serialize_str(&aws_smithy_types::base64::encode(value.as_ref()))
    }
}

impl<'de> DeserializeAs<'de, Blob> for Base64 {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Blob, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        aws_smithy_types::base64::decode(text.as_ref())
            .map(Blob::new)
            .map_err(|_| de::Error::custom("a blob must be valid base64"))
    }
}

/// A float or double: a JSON number, or the strings `NaN`, `Infinity` and `-Infinity`, which
/// is how restJson1 carries the values JSON numbers cannot hold.
pub struct Float;

/// The wire text of a non-finite float, or `None` for a finite one.
fn non_finite_text(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

impl SerializeAs<f64> for Float {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(*value).filter(|_| serializer.is_human_readable()) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f64(*value),
        }
    }
}

impl SerializeAs<f32> for Float {
    fn serialize_as<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(f64::from(*value)).filter(|_| serializer.is_human_readable()) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f32(*value),
        }
    }
}

impl<'de> DeserializeAs<'de, f64> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl<'de> DeserializeAs<'de, f32> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        // Narrowing is what a float member means: the model asked for 32 bits.
        #[allow(clippy::cast_possible_truncation)]
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or one of \"NaN\", \"Infinity\", \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// The zero timestamp (the epoch): what a client reads for a `@required` timestamp a
/// response left out (error correction).
pub fn epoch() -> DateTime {
    DateTime::from_secs(0)
}

/// Whether a body is empty or an empty JSON object: what a client sends for an absent
/// structure payload, and what a server answers with for one.
pub fn is_empty_object(body: &[u8]) -> bool {
    let mut text = body.iter().filter(|b| !b.is_ascii_whitespace());
    match text.next() {
        None => true,
        Some(b'{') => text.next() == Some(&b'}') && text.next().is_none(),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::{DeserializeAsWrap, SerializeAsWrap};

    fn to_json<T, A: SerializeAs<T>>(value: &T) -> String {
        serde_json::to_string(&SerializeAsWrap::<T, A>::new(value)).unwrap()
    }

    fn from_json<T, A: for<'de> DeserializeAs<'de, T>>(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str::<DeserializeAsWrap<T, A>>(json).map(DeserializeAsWrap::into_inner)
    }

    #[test]
    fn epoch_seconds_are_whole_when_they_can_be() {
        assert_eq!(to_json::<_, EpochSeconds>(&DateTime::from_secs(1515531081)), "1515531081");
        let fractional = DateTime::from_millis(1515531081123);
        assert_eq!(to_json::<_, EpochSeconds>(&fractional), "1515531081.123");
        assert_eq!(from_json::<_, EpochSeconds>("1515531081.123").unwrap(), fractional);
        assert_eq!(from_json::<_, EpochSeconds>("1515531081").unwrap().secs(), 1515531081);
        assert!(from_json::<_, EpochSeconds>("\"soon\"").is_err());
    }

    #[test]
    fn text_timestamps_use_their_format() {
        let t = DateTime::from_secs(1576540098);
        assert_eq!(to_json::<_, DateTimeString>(&t), "\"2019-12-16T23:48:18Z\"");
        assert_eq!(to_json::<_, HttpDate>(&t), "\"Mon, 16 Dec 2019 23:48:18 GMT\"");
        assert_eq!(from_json::<_, HttpDate>("\"Mon, 16 Dec 2019 23:48:18 GMT\"").unwrap(), t);
        let err = from_json::<_, DateTimeString>("\"yesterday\"").unwrap_err();
        assert!(err.to_string().contains("`yesterday` is not a valid date-time timestamp"), "{err}");
    }

    #[test]
    fn date_time_offsets_are_read() {
        // As a client reads them; a server's scan refuses them first.
        let offset = "\"2019-12-17T00:48:18+01:00\"";
        assert_eq!(from_json::<_, DateTimeString>(offset).unwrap(), DateTime::from_secs(1576540098));
        let utc = "\"2019-12-16T23:48:18Z\"";
        assert_eq!(from_json::<_, DateTimeString>(utc).unwrap(), DateTime::from_secs(1576540098));
    }

    #[test]
    fn blobs_are_base64() {
        let blob = Blob::new(b"binary-value".to_vec());
        assert_eq!(to_json::<_, Base64>(&blob), "\"YmluYXJ5LXZhbHVl\"");
        assert_eq!(from_json::<_, Base64>("\"YmluYXJ5LXZhbHVl\"").unwrap(), blob);
        assert!(from_json::<Blob, Base64>("\"not base64!\"").is_err());
    }

    #[test]
    fn non_finite_floats_are_strings() {
        assert_eq!(to_json::<_, Float>(&f64::NAN), "\"NaN\"");
        assert_eq!(to_json::<_, Float>(&f32::NEG_INFINITY), "\"-Infinity\"");
        assert_eq!(to_json::<_, Float>(&1.5f64), "1.5");
        assert!(from_json::<f64, Float>("\"NaN\"").unwrap().is_nan());
        assert_eq!(from_json::<f32, Float>("\"Infinity\"").unwrap(), f32::INFINITY);
        assert_eq!(from_json::<f64, Float>("3").unwrap(), 3.0);
        assert!(from_json::<f64, Float>("\"nan\"").is_err());
    }

    #[test]
    fn empty_objects_are_empty_bodies_or_braces_with_whitespace() {
        for empty in ["", " \n", "{}", " { \t} "] {
            assert!(is_empty_object(empty.as_bytes()), "{empty:?}");
        }
        for not_empty in ["{", "}", "{}}", "{\"a\":1}", "[]", "null"] {
            assert!(!is_empty_object(not_empty.as_bytes()), "{not_empty:?}");
        }
    }
}
