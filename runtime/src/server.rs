//! The model-independent half of a generated restJson1 server: what a request looks like to
//! an operation's parser, and why a request is rejected before its handler runs.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::Rejection;
use crate::presence::{self, Node};
use crate::protocol::Protocol;
use crate::router::{parse_query, Matched};
use crate::text::Headers;
use crate::validation::{Validate, ValidationErrors, Violation};

/// The parts of a routed request that bind to input members.
#[derive(Debug)]
pub struct RequestParts<'a> {
    matched: &'a Matched,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    headers: &'a http::HeaderMap,
    validate: bool,
    protocol: Protocol,
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
        Self { matched, query, headers, validate: true, protocol: Protocol::RestJson1 }
    }

    /// Whether [`accept`](Self::accept) checks the model's constraints (on by default;
    /// [`ServerConfig::validate_input`](crate::service::ServerConfig::validate_input) turns
    /// it off).
    pub fn validating(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// The protocol the request came in (restJson1 by default), which its rejection is
    /// answered in.
    pub fn speaking(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// The protocol the request came in.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Ends an input's parsing as [`accept`] does, except that the constraint check is
    /// skipped when validation is off. Missing `@required` members are still refused: the
    /// typed input cannot hold them.
    pub fn accept<T: Validate>(&self, input: T, violations: Vec<Violation>, filled: &[String]) -> Result<T, Rejection> {
        if self.validate {
            accept(input, violations, filled)
        } else if violations.is_empty() {
            Ok(input)
        } else {
            Err(Rejection::Invalid(ValidationErrors { violations }))
        }
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

    /// Checks the request's `Content-Type` against the media type the operation's input body
    /// has (`None`: the input has no body, so a body with a `Content-Type` is refused; `Some("")`: an
    /// empty input, where JSON or nothing is fine; `Some("*/*")`: any), and its `Accept`
    /// against the media type of the output body (`None` or `*/*`: anything is acceptable).
    /// Parameters such as `charset` are ignored.
    pub fn check_media_types(
        &self,
        body: &[u8],
        content_type: Option<&str>,
        accept: Option<&str>,
    ) -> Result<(), Rejection> {
        self.check_media_types_of(body.is_empty(), content_type, accept)
    }

    /// [`check_media_types`](Self::check_media_types) for a streamed body, which counts as
    /// empty only when its declared length is 0 (it is not read to find out).
    pub fn check_stream_media_types(
        &self,
        body: &crate::ByteStream,
        content_type: Option<&str>,
        accept: Option<&str>,
    ) -> Result<(), Rejection> {
        self.check_media_types_of(body.exact_len() == Some(0), content_type, accept)
    }

    #[cfg(feature = "event-stream")]
    /// The events of an event-stream request body (a `@streaming` union input), as they
    /// arrive; when the request's signature was verified, so is each message's.
    pub fn event_stream<T: crate::event_stream::Event>(&self, body: crate::ByteStream) -> crate::EventStream<T> {
        crate::EventStream::from_body(body, crate::event_stream::sign::verifier_for_request())
    }

    /// Refuses a streamed `@requiresLength` payload whose length the request does not declare
    /// (no `Content-Length`: sent chunked).
    pub fn require_length(&self, body: &crate::ByteStream) -> Result<(), Rejection> {
        match body.exact_len() {
            Some(_) => Ok(()),
            None => Err(Rejection::LengthRequired("this operation needs the request body's Content-Length".to_owned())),
        }
    }

    fn check_media_types_of(
        &self,
        empty_body: bool,
        content_type: Option<&str>,
        accept: Option<&str>,
    ) -> Result<(), Rejection> {
        let header = |name| self.headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if let (Some(accept), Some(ranges)) = (accept.filter(|a| *a != "*/*"), header(http::header::ACCEPT)) {
            if !ranges.split(',').any(|range| media_range_matches(range, accept)) {
                return Err(Rejection::NotAcceptable(format!("this operation answers with {accept}, not {ranges}")));
            }
        }
        let given = header(http::header::CONTENT_TYPE);
        let essence = given.as_deref().map(|g| g.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        let ok = match (content_type, essence.as_deref()) {
            (Some("*/*"), _) => true,
            (_, None) => content_type.is_none_or(str::is_empty) || empty_body,
            // A Content-Type on an empty body says nothing about a body; refuse only a body.
            (None, Some(_)) => empty_body,
            (Some(""), Some(essence)) => essence == "application/json",
            (Some(expected), Some(essence)) => expected.eq_ignore_ascii_case(essence),
        };
        if ok {
            Ok(())
        } else {
            let expected = content_type.unwrap_or("no body");
            Err(Rejection::UnsupportedMediaType(format!(
                "this operation takes {expected}, not {}",
                given.as_deref().unwrap_or("a body without a Content-Type")
            )))
        }
    }
}

/// Whether one media range of an `Accept` header (`*/*`, `text/*`, `text/plain;q=0.5`)
/// admits `media_type`.
fn media_range_matches(range: &str, media_type: &str) -> bool {
    let range = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let media_type = media_type.to_ascii_lowercase();
    match range.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => media_type.split('/').next() == Some(kind),
        None => range == media_type,
    }
}

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
    answer_with(parts, read(parts, body), validation, handle, write_output, write_error).await
}

/// [`answer`] for a service of RPC protocols, which answers in the protocol the request
/// came in: the writers take it.
pub async fn answer_rpc<I, O, E, Fut>(
    parts: &RequestParts<'_>,
    body: &[u8],
    validation: &crate::response::ErrorShape,
    read: fn(&RequestParts<'_>, &[u8]) -> Result<I, Rejection>,
    handle: impl FnOnce(I) -> Fut,
    write_output: fn(O, Protocol) -> http::Response<bytes::Bytes>,
    write_error: fn(E, Protocol) -> http::Response<bytes::Bytes>,
) -> http::Response<bytes::Bytes>
where
    Fut: std::future::Future<Output = Result<O, E>>,
{
    let protocol = parts.protocol();
    let input = read(parts, body);
    answer_with(
        parts,
        input,
        validation,
        handle,
        |output| write_output(output, protocol),
        |error| write_error(error, protocol),
    )
    .await
}

/// What [`answer`] and [`answer_rpc`] share: a rejected input is answered in the request's
/// protocol, an accepted one by the handler's output or error.
async fn answer_with<I, O, E, Fut>(
    parts: &RequestParts<'_>,
    input: Result<I, Rejection>,
    validation: &crate::response::ErrorShape,
    handle: impl FnOnce(I) -> Fut,
    write_output: impl FnOnce(O) -> http::Response<bytes::Bytes>,
    write_error: impl FnOnce(E) -> http::Response<bytes::Bytes>,
) -> http::Response<bytes::Bytes>
where
    Fut: std::future::Future<Output = Result<O, E>>,
{
    match input {
        Err(rejection) => parts.protocol().rejection(&rejection, validation),
        Ok(input) => match handle(input).await {
            Ok(output) => write_output(output),
            Err(error) => write_error(error),
        },
    }
}

/// Answers one routed operation whose input or output streams: [`answer`] with the input
/// already read (`from_request` of a streamed input takes the body by value) and an output
/// written as a stream.
pub async fn answer_streaming<I, O, E, Fut>(
    input: Result<I, Rejection>,
    validation: &crate::response::ErrorShape,
    handle: impl FnOnce(I) -> Fut,
    write_output: impl FnOnce(O) -> http::Response<crate::ByteStream>,
    write_error: fn(E) -> http::Response<bytes::Bytes>,
) -> http::Response<crate::ByteStream>
where
    Fut: std::future::Future<Output = Result<O, E>>,
{
    match input {
        Err(rejection) => crate::response::rejection(&rejection, validation).map(crate::ByteStream::from),
        Ok(input) => match handle(input).await {
            Ok(output) => write_output(output),
            Err(error) => write_error(error).map(crate::ByteStream::from),
        },
    }
}

/// [`answer_streaming`] for an RPC protocol: rejections, the output and errors are written in
/// the protocol the request came in.
pub async fn answer_rpc_streaming<I, O, E, Fut>(
    parts: &RequestParts<'_>,
    input: Result<I, Rejection>,
    validation: &crate::response::ErrorShape,
    handle: impl FnOnce(I) -> Fut,
    write_output: fn(O, Protocol) -> http::Response<crate::ByteStream>,
    write_error: fn(E, Protocol) -> http::Response<bytes::Bytes>,
) -> http::Response<crate::ByteStream>
where
    Fut: std::future::Future<Output = Result<O, E>>,
{
    let protocol = parts.protocol();
    match input {
        Err(rejection) => protocol.rejection(&rejection, validation).map(crate::ByteStream::from),
        Ok(input) => match handle(input).await {
            Ok(output) => write_output(output, protocol),
            Err(error) => write_error(error, protocol).map(crate::ByteStream::from),
        },
    }
}

/// Reads an input's JSON body (see [`presence::read_body`]): one that cannot be read is
/// `Malformed`; missing required members go to `violations`, their placeholders to `filled`.
/// (The `Content-Type` was checked before, against the operation's media type.)
pub fn read_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    node: &Node,
    violations: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, Rejection> {
    presence::read_body(body, node, violations, filled)
        .map_err(|error| Rejection::Malformed(format!("the request body is not valid: {error}")))
}

/// Reads the body of an RPC input without members: nothing, or a JSON object (whose members
/// are ignored, as unknown members are), under the same scan as any body (duplicate keys,
/// depth, numbers). Anything else is `Malformed`.
pub fn read_empty_object(body: &[u8]) -> Result<(), Rejection> {
    static EMPTY: Node = Node::Structure(&[]);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    presence::scan(body, &EMPTY)
        .and_then(|()| serde_json::from_slice::<BTreeMap<String, serde::de::IgnoredAny>>(body).map(|_| ()))
        .map_err(|error| Rejection::Malformed(format!("the request body is not valid: {error}")))
}

/// Reads an input's CBOR body (rpcv2Cbor) against the model's `node`, strictly (see
/// [`crate::cbor`]), then as [`read_body`] reads JSON. An empty body is an empty map.
pub fn read_cbor_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    node: &Node,
    violations: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, Rejection> {
    let value = crate::cbor::body_to_json(body, Some(node)).map_err(|error| {
        Rejection::Malformed(format!("the request body is not valid CBOR for the operation: {error}"))
    })?;
    presence::read_value(value, node, violations, filled)
        .map_err(|error| Rejection::Malformed(format!("the request body is not valid: {error}")))
}

/// Reads the CBOR body of an input without members: nothing, or a map (whose members are
/// ignored, as unknown members are). Anything else is `Malformed`.
pub fn read_empty_cbor(body: &[u8]) -> Result<(), Rejection> {
    static EMPTY: Node = Node::Structure(&[]);
    if body.is_empty() {
        return Ok(());
    }
    match crate::cbor::to_json(body, Some(&EMPTY)) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(Rejection::Malformed("the request body must be a CBOR map".to_owned())),
        Err(error) => Err(Rejection::Malformed(format!("the request body is not valid CBOR: {error}"))),
    }
}

/// Reads the body of an RPC protocol's input in the protocol the request came in: CBOR
/// ([`read_cbor_body`]) or JSON ([`read_body`]).
pub fn read_rpc_body<T: serde::de::DeserializeOwned>(
    protocol: Protocol,
    body: &[u8],
    node: &Node,
    violations: &mut Vec<Violation>,
    filled: &mut Vec<String>,
) -> Result<T, Rejection> {
    if protocol.is_cbor() {
        read_cbor_body(body, node, violations, filled)
    } else {
        read_body(body, node, violations, filled)
    }
}

/// Reads the body of an RPC protocol's input without members in the protocol the request
/// came in ([`read_empty_cbor`], [`read_empty_object`]).
pub fn read_rpc_empty(protocol: Protocol, body: &[u8]) -> Result<(), Rejection> {
    if protocol.is_cbor() {
        read_empty_cbor(body)
    } else {
        read_empty_object(body)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        headers: &[(&'static str, &'static str)],
        body: &[u8],
        content_type: Option<&str>,
        accept: Option<&str>,
    ) -> Option<u16> {
        let matched = Matched { operation: 0, labels: Vec::new() };
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.append(http::HeaderName::from_static(name), http::HeaderValue::from_static(value));
        }
        let parts = RequestParts::with_query(&matched, Vec::new(), &map);
        match parts.check_media_types(body, content_type, accept) {
            Ok(()) => None,
            Err(Rejection::UnsupportedMediaType(_)) => Some(415),
            Err(Rejection::NotAcceptable(_)) => Some(406),
            Err(_) => Some(400),
        }
    }

    #[test]
    fn an_input_without_members_takes_nothing_or_an_object() {
        for body in ["", "  ", "{}", r#"{"unknown": [1, {"k": 2}]}"#] {
            assert!(read_empty_object(body.as_bytes()).is_ok(), "{body:?}");
        }
        for body in ["[]", "1", "null", "\"x\"", "{", "{}{}", "[{}]", r#"{"k": 1, "k": 2}"#] {
            assert!(matches!(read_empty_object(body.as_bytes()), Err(Rejection::Malformed(_))), "{body:?}");
        }
        assert!(read_empty_object(b"\xff").is_err());
    }

    #[test]
    fn content_type_must_be_the_bodys() {
        let json = Some("application/json");
        assert_eq!(check(&[("content-type", "application/json; charset=utf-8")], b"{}", json, None), None);
        assert_eq!(check(&[("content-type", "application/hal+json")], b"{}", json, None), Some(415));
        assert_eq!(check(&[], b"{}", json, None), Some(415), "a body needs its type");
        assert_eq!(check(&[], b"", json, None), None, "no body needs no type");
        assert_eq!(check(&[("content-type", "application/json")], b"{}", None, None), Some(415), "no body expected");
        assert_eq!(check(&[("content-type", "application/json")], b"", None, None), None, "and none sent");
        assert_eq!(check(&[("content-type", "application/json")], b"{}", Some(""), None), None, "empty input");
        assert_eq!(check(&[("content-type", "image/jpeg")], b"x", Some("*/*"), None), None, "untyped blob");
    }

    #[test]
    fn accept_must_admit_the_response() {
        let text = Some("text/plain");
        assert_eq!(check(&[("accept", "application/json")], b"", None, text), Some(406));
        assert_eq!(check(&[("accept", "application/json, text/*;q=0.5")], b"", None, text), None);
        assert_eq!(check(&[("accept", "*/*")], b"", None, text), None);
        assert_eq!(check(&[("accept", "image/png")], b"", None, None), None, "no response body");
    }
}
