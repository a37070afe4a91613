//! The model-independent half of a generated restJson1 server: what a request looks like to
//! an operation's parser, and why a request is rejected before its handler runs.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use crate::presence::{self, Node};
use crate::router::{parse_query, Matched};
use crate::validation::{Validate, ValidationErrors, Violation};

/// The parts of a routed request that bind to input members.
#[derive(Debug)]
pub struct RequestParts<'a> {
    matched: &'a Matched,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    headers: &'a http::HeaderMap,
}

impl<'a> RequestParts<'a> {
    /// The parts of `request`, routed to `matched`.
    pub fn new(matched: &'a Matched, uri: &'a http::Uri, headers: &'a http::HeaderMap) -> Self {
        Self { matched, query: uri.query().map(parse_query).unwrap_or_default(), headers }
    }

    /// A label's percent-decoded value. Routing guarantees every label of the route is there.
    pub fn label(&self, name: &str) -> Result<&str, Rejection> {
        self.matched.label(name).ok_or_else(|| Rejection::Malformed(format!("the URI has no label {name}")))
    }

    /// The first value of query parameter `key`.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_ref())
    }

    /// Every value of query parameter `key`, in order.
    pub fn query_all(&self, key: &str) -> Vec<&str> {
        self.query.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_ref()).collect()
    }

    /// Every query parameter, for `@httpQueryParams`.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// A header's value; one that is not visible ASCII is malformed.
    pub fn header(&self, name: &str) -> Result<Option<&str>, Rejection> {
        match self.headers.get(name) {
            None => Ok(None),
            Some(value) => value
                .to_str()
                .map(Some)
                .map_err(|_| Rejection::Malformed(format!("header {name} is not valid visible ASCII"))),
        }
    }

    /// Every header whose name starts with `prefix` (case-insensitively), with the prefix
    /// removed, for `@httpPrefixHeaders`.
    pub fn headers_with_prefix(&self, prefix: &str) -> Result<Vec<(String, &str)>, Rejection> {
        let prefix = prefix.to_ascii_lowercase();
        let mut found = Vec::new();
        for (name, value) in self.headers {
            if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
                let value = value
                    .to_str()
                    .map_err(|_| Rejection::Malformed(format!("header {name} is not valid visible ASCII")))?;
                found.push((rest.to_owned(), value));
            }
        }
        Ok(found)
    }
}

/// Why a request is answered with a 400 before its handler runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The request cannot be read: not JSON, a value of the wrong type, a bad label or header.
    Malformed(String),
    /// The request reads, but breaks the model's constraints: every violation.
    Invalid(ValidationErrors),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(message) => f.write_str(message),
            Self::Invalid(errors) => errors.fmt(f),
        }
    }
}

impl std::error::Error for Rejection {}

/// Reads an input's JSON body (see [`presence::read_body`]): a body that cannot be read is
/// `Malformed`; missing required members go to `violations`, their placeholders to `filled`.
pub fn read_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    node: &Node,
    violations: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, Rejection> {
    presence::read_body(body, node, violations, filled)
        .map_err(|error| Rejection::Malformed(format!("the request body is not valid: {error}")))
}

/// Ends an input's parsing: adds the typed input's own violations (except those under
/// placeholders) to the ones found while reading it, and accepts it only when there are none.
pub fn accept<T: Validate>(input: T, mut violations: Vec<Violation>, filled: &[String]) -> Result<T, Rejection> {
    if let Err(errors) = input.validate() {
        violations.extend(presence::without_placeholders(errors.violations, filled));
    }
    if violations.is_empty() {
        Ok(input)
    } else {
        Err(Rejection::Invalid(ValidationErrors { violations }))
    }
}

/// Text in a label, query parameter or header, read as a typed value.
pub mod text {
    use super::*;

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

    /// A header list: comma-separated items, trimmed (HTTP dates contain commas, so they are
    /// split in pairs by the caller's format; see [`split_http_dates`]).
    pub fn split_list(text: &str) -> Vec<&str> {
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
    }

    /// A header list of HTTP dates (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`): every second
    /// comma separates two dates.
    pub fn split_http_dates(text: &str) -> Vec<String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        parts.chunks(2).map(|pair| pair.join(", ")).collect()
    }
}
