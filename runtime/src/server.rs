//! The model-independent half of a generated restJson1 server: what a request looks like to
//! an operation's parser, and why a request is rejected before its handler runs.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::presence::{self, Node};
use crate::router::{parse_query, Matched};
use crate::text::Headers;
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
        Self::with_query(matched, uri.query().map(parse_query).unwrap_or_default(), headers)
    }

    /// The parts of a request whose query is already parsed.
    pub fn with_query(
        matched: &'a Matched,
        query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
        headers: &'a http::HeaderMap,
    ) -> Self {
        Self { matched, query, headers }
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

    /// The request's headers.
    pub fn headers(&self) -> Headers<'a> {
        Headers::new(self.headers)
    }
}

/// Why a request is answered with a 400 before its handler runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The request cannot be read: not JSON, a value of the wrong type, a bad label or header.
    Malformed(String),
    /// The request reads, but breaks the model's constraints: every violation.
    Invalid(ValidationErrors),
    /// The body is not in the media type the operation reads (HTTP 415).
    UnsupportedMediaType(String),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(message) | Self::UnsupportedMediaType(message) => f.write_str(message),
            Self::Invalid(errors) => errors.fmt(f),
        }
    }
}

impl std::error::Error for Rejection {}

/// An `@httpQueryParams` map of strings: every parameter; a repeated key keeps its first value.
pub fn query_map<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.entry(key.to_owned()).or_insert_with(|| value.to_owned());
    }
    map
}

/// An `@httpQueryParams` map of string lists: every value of every parameter, in order.
pub fn query_map_of_lists<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in pairs {
        map.entry(key.to_owned()).or_default().push(value.to_owned());
    }
    map
}

/// Answers one routed operation: reads its input (a rejection is answered with `validation`,
/// or a 400 for a malformed request), runs the handler, and writes its output or error. The
/// same for every operation, so generated code only names the operation's functions.
pub async fn answer<I, O, E, Fut>(
    parts: &RequestParts<'_>,
    body: &[u8],
    validation: &crate::response::ErrorShape,
    read: fn(&RequestParts<'_>, &[u8]) -> Result<I, Rejection>,
    handle: impl FnOnce(I) -> Fut,
    write_output: fn(O) -> http::Response<bytes::Bytes>,
    write_error: fn(E) -> http::Response<bytes::Bytes>,
) -> http::Response<bytes::Bytes>
where
    Fut: std::future::Future<Output = Result<O, E>>,
{
    match read(parts, body) {
        Err(rejection) => crate::response::rejection(&rejection, validation),
        Ok(input) => match handle(input).await {
            Ok(output) => write_output(output),
            Err(error) => write_error(error),
        },
    }
}

/// Reads an input's JSON body (see [`presence::read_body`]): a body that does not say it is
/// JSON is `UnsupportedMediaType`, one that cannot be read is `Malformed`; missing required
/// members go to `violations`, their placeholders to `filled`.
pub fn read_body<T: serde::de::DeserializeOwned>(
    request: &RequestParts<'_>,
    body: &[u8],
    node: &Node,
    violations: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, Rejection> {
    expect_json(request.headers, body)?;
    presence::read_body(body, node, violations, filled)
        .map_err(|error| Rejection::Malformed(format!("the request body is not valid: {error}")))
}

/// A non-empty JSON body must be declared `application/json` (parameters such as a charset
/// allowed): a missing or other `Content-Type` is refused, not guessed at, as the restJson1
/// compliance tests require (`RestJsonWithBodyExpectsApplicationJsonContentType`,
/// `...NoHeaders`).
fn expect_json(headers: &http::HeaderMap, body: &[u8]) -> Result<(), Rejection> {
    if body.is_empty() {
        return Ok(());
    }
    let declared = headers.get(http::header::CONTENT_TYPE).map(|value| value.to_str().unwrap_or("(not ASCII)"));
    let is_json =
        |value: &str| value.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    match declared {
        Some(value) if is_json(value) => Ok(()),
        Some(value) => Err(Rejection::UnsupportedMediaType(format!(
            "the request body must be application/json, not `{}`",
            value.chars().take(64).collect::<String>()
        ))),
        None => Err(Rejection::UnsupportedMediaType(
            "the request has a body but no Content-Type; it must be application/json".to_owned(),
        )),
    }
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
