//! Member values as the text of labels, query parameters and headers, both ways: parsing
//! (the server reading a request, the client reading response headers) and formatting (the
//! client writing a request, the server writing response headers). Defaults per location are
//! the generator's business; these functions take the format they are given.

use std::str::FromStr;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Rejection;

/// Header access that tells a missing header from one that is not text.
#[derive(Debug, Clone, Copy)]
pub struct Headers<'a>(&'a HeaderMap);

impl<'a> Headers<'a> {
    /// Reads `headers`.
    pub fn new(headers: &'a HeaderMap) -> Self {
        Self(headers)
    }

    /// A header's value (repeated headers joined by `, `, as HTTP allows); one that is not
    /// visible ASCII is malformed.
    pub fn get(&self, name: &str) -> Result<Option<String>, Rejection> {
        let mut values = self.0.get_all(name).iter().peekable();
        if values.peek().is_none() {
            return Ok(None);
        }
        let mut joined = String::new();
        for value in values {
            let text = value.to_str().map_err(|_| not_ascii(name))?;
            if !joined.is_empty() {
                joined.push_str(", ");
            }
            joined.push_str(text);
        }
        Ok(Some(joined))
    }

    /// Every header whose name starts with `prefix` (case-insensitively), with the prefix
    /// removed, for `@httpPrefixHeaders`.
    pub fn with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>, Rejection> {
        let prefix = prefix.to_ascii_lowercase();
        let mut found = Vec::new();
        for (name, value) in self.0 {
            if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
                let value = value.to_str().map_err(|_| not_ascii(name.as_str()))?;
                found.push((rest.to_owned(), value.to_owned()));
            }
        }
        Ok(found)
    }
}

/// Appends a header when HTTP can carry its name and value (appending keeps repeated
/// headers); `false` when it cannot. Requests and responses are built the same way.
pub fn append_header(headers: &mut HeaderMap, name: &str, value: &str) -> bool {
    match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
        (Ok(name), Ok(value)) => {
            headers.append(name, value);
            true
        }
        _ => false,
    }
}

fn not_ascii(name: &str) -> Rejection {
    Rejection::Malformed(format!("header {name} is not valid visible ASCII"))
}

fn malformed(what: &str, text: &str, expected: &str) -> Rejection {
    Rejection::Malformed(format!("{what}: `{text}` is not {expected}"))
}

/// A number of any integer type.
pub fn number<T: FromStr>(what: &str, text: &str) -> Result<T, Rejection> {
    text.trim().parse().map_err(|_| malformed(what, text, "a number of the expected size"))
}

/// A float or double: a number, or `NaN`, `Infinity`, `-Infinity`.
pub fn float(what: &str, text: &str) -> Result<f64, Rejection> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other.parse().map_err(|_| malformed(what, text, "a number")),
    }
}

/// A float: a number, or `NaN`, `Infinity`, `-Infinity`.
pub fn float32(what: &str, text: &str) -> Result<f32, Rejection> {
    // Narrowing is what a float member means: the model asked for 32 bits.
    #[allow(clippy::cast_possible_truncation)]
    float(what, text).map(|value| value as f32)
}

/// A blob in a header or query parameter: base64.
pub fn blob(what: &str, text: &str) -> Result<aws_smithy_types::Blob, Rejection> {
    aws_smithy_types::base64::decode(text.trim())
        .map(aws_smithy_types::Blob::new)
        .map_err(|_| malformed(what, text, "valid base64"))
}

/// A `@mediaType` string in a header, which travels base64-encoded.
pub fn media_typed_string(what: &str, text: &str) -> Result<String, Rejection> {
    let bytes = blob(what, text)?.into_inner();
    String::from_utf8(bytes).map_err(|_| malformed(what, text, "base64 of UTF-8 text"))
}

/// Converts a value that may be absent.
pub fn optional<'t, T>(
    text: Option<&'t str>,
    convert: impl FnOnce(&'t str) -> Result<T, Rejection>,
) -> Result<Option<T>, Rejection> {
    text.map(convert).transpose()
}

/// `true` or `false`.
pub fn boolean(what: &str, text: &str) -> Result<bool, Rejection> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(malformed(what, text, "true or false")),
    }
}

/// A timestamp in the given format.
pub fn timestamp(what: &str, text: &str, format: Format) -> Result<DateTime, Rejection> {
    DateTime::from_str(text.trim(), format).map_err(|_| malformed(what, text, "a timestamp in the expected format"))
}

/// A header list: comma-separated items, trimmed; an item in double quotes may hold commas
/// and escaped (`\"`) quotes. (HTTP dates contain commas: see [`split_http_dates`].)
pub fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    other => item.push(other),
                }
            }
            // Anything between the closing quote and the comma is dropped.
            while chars.next_if(|c| *c != ',').is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                item.push(c);
            }
            item = item.trim_end().to_owned();
        }
        items.push(item);
        if chars.next().is_none() {
            break;
        }
    }
    if items.len() == 1 && items[0].is_empty() {
        items.clear();
    }
    items
}

/// A header list of HTTP dates (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`): every second
/// comma separates two dates.
pub fn split_http_dates(text: &str) -> Vec<String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    parts.chunks(2).map(|pair| pair.join(", ")).collect()
}

/// A timestamp as text in `format`. A date outside what the format can write (beyond year
/// 9999 in date-time) falls back to epoch seconds rather than failing the whole request.
pub fn format_timestamp(value: &DateTime, format: Format) -> String {
    value.fmt(format).or_else(|_| value.fmt(Format::EpochSeconds)).unwrap_or_default()
}

/// A float or double as text: `NaN`, `Infinity` and `-Infinity` by name.
pub fn format_float(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// A float as text: its own shortest form (`1.1`, not the `1.100000023841858` a widening
/// to f64 would print), `NaN`, `Infinity` and `-Infinity` by name.
pub fn format_float32(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        format_float(f64::from(value))
    }
}

/// A blob as base64 text.
pub fn format_blob(value: &Blob) -> String {
    aws_smithy_types::base64::encode(value.as_ref())
}

/// A `@mediaType` string for a header: base64 of its UTF-8 bytes.
pub fn format_media_typed_string(value: &str) -> String {
    aws_smithy_types::base64::encode(value.as_bytes())
}

/// A header list: items joined by `, `; an item holding a comma or a double quote is quoted
/// so the list splits back into the same items.
pub fn format_header_list(items: impl IntoIterator<Item = String>) -> String {
    let quoted: Vec<String> = items
        .into_iter()
        .map(|item| {
            if item.contains(',') || item.contains('"') {
                format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                item
            }
        })
        .collect();
    quoted.join(", ")
}

/// What must be percent-encoded in a URI component: everything but RFC 3986's unreserved
/// characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A label, query key or query value, percent-encoded.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A greedy label: each segment percent-encoded, the slashes between them kept.
pub fn encode_greedy(text: &str) -> String {
    text.split('/').map(encode_component).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_round_trip_through_quoting() {
        let items = vec!["a".to_owned(), "b, c".to_owned(), "say \"hi\"".to_owned(), String::new()];
        let text = format_header_list(items.clone());
        assert_eq!(text, "a, \"b, c\", \"say \\\"hi\\\"\", ");
        assert_eq!(split_list(&text), items);
        assert_eq!(split_list(" x ,y"), vec!["x", "y"]);
        assert!(split_list("").is_empty());
    }

    #[test]
    fn components_are_encoded_but_greedy_labels_keep_slashes() {
        assert_eq!(encode_component("a b/c%"), "a%20b%2Fc%25");
        assert_eq!(encode_greedy("a b/c"), "a%20b/c");
        assert_eq!(format_float(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float32(1.1), "1.1");
        assert_eq!(format_float32(f32::NAN), "NaN");
    }
}
