//! What the Smithy protocol compliance tests need besides the model: `cargo xtask conformance`
//! writes one Rust test per case of the suite (`smithy.test#httpRequestTests`,
//! `httpResponseTests`, `httpMalformedRequestTests`), and each test builds its message with
//! this crate, drives the generated client or server, and checks the result here. The checks
//! follow the suite's definitions: query parameters are compared as the raw `key=value`
//! pairs of the query string, header values as their comma-joined text, JSON bodies as
//! structures (numbers by value), CBOR bodies as data (see [`cbor`]), other bodies byte for
//! byte. Event-stream cases (`smithy.test#eventStreamTests`) have their own checks, in
//! [`events`].

pub mod cbor;
pub mod events;

use std::fmt::Write as _;
use std::future::Future;
use std::sync::Mutex;

use bytes::Bytes;
use serde_json::Value;
use smithy_runtime::client::{BoxFuture, Transport, TransportError};

pub use cbor::cbor_equal;

/// Runs a test's future to completion on a current-thread runtime.
///
/// # Panics
///
/// When no runtime can be built, which only an exhausted machine causes.
#[allow(clippy::expect_used)]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(future)
}

/// A transport that records the request the client sends and answers with a canned response.
#[derive(Debug)]
pub struct Recorder {
    requests: Mutex<Vec<http::Request<Bytes>>>,
    response: http::Response<Bytes>,
}

impl Recorder {
    /// A recorder answering every request with `response`.
    pub fn new(response: http::Response<Bytes>) -> Self {
        Self { requests: Mutex::new(Vec::new()), response }
    }

    /// The first request the client sent, if it sent one.
    pub fn request(&self) -> Option<http::Request<Bytes>> {
        self.requests.lock().ok()?.first().cloned()
    }
}

impl Transport for Recorder {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request);
        }
        let mut response = http::Response::new(self.response.body().clone());
        *response.status_mut() = self.response.status();
        *response.headers_mut() = self.response.headers().clone();
        Box::pin(async move { Ok(response) })
    }
}

/// What a request must look like; the fields of an `httpRequestTests` case.
#[derive(Debug, Default, Clone)]
pub struct ExpectedRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, as sent (percent-encoded).
    pub uri: &'a str,
    /// The host the request must go to, when the case names one (`resolvedHost`).
    pub resolved_host: Option<&'a str>,
    /// Raw `key=value` pairs that must be in the query string.
    pub query_params: &'a [&'a str],
    /// Query keys that must be absent.
    pub forbid_query_params: &'a [&'a str],
    /// Query keys that must be present.
    pub require_query_params: &'a [&'a str],
    /// Headers that must have these values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present.
    pub require_headers: &'a [&'a str],
    /// The body, when the case gives one.
    pub body: Option<&'a str>,
    /// The body's media type, which decides how bodies are compared.
    pub body_media_type: Option<&'a str>,
}

/// What a response must look like; the fields of an `httpResponseTests` case or of a
/// malformed request case's `response`.
#[derive(Debug, Default, Clone)]
pub struct ExpectedResponse<'a> {
    /// The status code.
    pub code: u16,
    /// Headers that must have these values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present.
    pub require_headers: &'a [&'a str],
    /// The body, when the case gives one.
    pub body: Option<&'a str>,
    /// The body's media type, which decides how bodies are compared.
    pub body_media_type: Option<&'a str>,
}

/// Checks a request against a case; every mismatch is listed in the error.
pub fn check_request(request: &http::Request<Bytes>, expected: &ExpectedRequest<'_>) -> Result<(), String> {
    let mut problems = String::new();
    if request.method().as_str() != expected.method {
        let _ = writeln!(problems, "method: expected {}, got {}", expected.method, request.method());
    }
    if request.uri().path() != expected.uri {
        let _ = writeln!(problems, "path: expected {}, got {}", expected.uri, request.uri().path());
    }
    if let Some(host) = expected.resolved_host {
        if request.uri().host() != Some(host) {
            let _ = writeln!(problems, "host: expected {host}, got {:?}", request.uri().host());
        }
    }
    let pairs: Vec<&str> = request.uri().query().unwrap_or_default().split('&').filter(|p| !p.is_empty()).collect();
    let keys: Vec<&str> = pairs.iter().map(|p| p.split('=').next().unwrap_or_default()).collect();
    for param in expected.query_params {
        if !pairs.contains(param) {
            let _ = writeln!(problems, "query: expected {param} in {pairs:?}");
        }
    }
    for key in expected.forbid_query_params {
        if keys.contains(key) {
            let _ = writeln!(problems, "query: {key} is forbidden but present in {pairs:?}");
        }
    }
    for key in expected.require_query_params {
        if !keys.contains(key) {
            let _ = writeln!(problems, "query: {key} is required but absent from {pairs:?}");
        }
    }
    check_headers(
        request.headers(),
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
        &mut problems,
    );
    if let Some(body) = expected.body {
        check_body(request.body(), body, expected.body_media_type, &mut problems);
    }
    finish(problems)
}

/// Checks a response against a case; every mismatch is listed in the error.
pub fn check_response(response: &http::Response<Bytes>, expected: &ExpectedResponse<'_>) -> Result<(), String> {
    let mut problems = String::new();
    if response.status().as_u16() != expected.code {
        let _ = writeln!(problems, "status: expected {}, got {}", expected.code, response.status().as_u16());
    }
    check_headers(
        response.headers(),
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
        &mut problems,
    );
    if let Some(body) = expected.body {
        check_body(response.body(), body, expected.body_media_type, &mut problems);
    }
    if !problems.is_empty() {
        match std::str::from_utf8(response.body()) {
            Ok(text) => {
                let _ = writeln!(problems, "the response body was: {text}");
            }
            Err(_) => {
                let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, response.body());
                let _ = writeln!(problems, "the response body was (base64): {encoded}");
            }
        }
    }
    finish(problems)
}

fn finish(problems: String) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_headers(
    headers: &http::HeaderMap,
    expected: &[(&str, &str)],
    forbid: &[&str],
    require: &[&str],
    problems: &mut String,
) {
    for (name, value) in expected {
        let actual: Vec<&str> = headers.get_all(*name).iter().map(|v| v.to_str().unwrap_or("<not text>")).collect();
        let actual = actual.join(", ");
        if headers.get(*name).is_none() {
            let _ = writeln!(problems, "header {name}: expected {value:?}, absent");
        } else if actual != *value {
            let _ = writeln!(problems, "header {name}: expected {value:?}, got {actual:?}");
        }
    }
    for name in forbid {
        if let Some(value) = headers.get(*name) {
            let _ = writeln!(problems, "header {name} is forbidden but present: {value:?}");
        }
    }
    for name in require {
        if !headers.contains_key(*name) {
            let _ = writeln!(problems, "header {name} is required but absent");
        }
    }
}

fn check_body(actual: &[u8], expected: &str, media_type: Option<&str>, problems: &mut String) {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if media_type.is_some_and(cbor::is_cbor) {
        cbor::check_body(actual, expected, problems);
    } else if is_json && !expected.is_empty() {
        match (serde_json::from_str::<Value>(expected), serde_json::from_slice::<Value>(actual)) {
            (Ok(want), Ok(got)) if json_equal(&want, &got) => {}
            (Ok(want), Ok(got)) => {
                let _ = writeln!(problems, "body: expected JSON {want}, got {got}");
            }
            (Err(error), _) => {
                let _ = writeln!(problems, "body: the case's JSON does not parse: {error}");
            }
            (Ok(want), Err(error)) => {
                let got = String::from_utf8_lossy(actual);
                let _ = writeln!(problems, "body: expected JSON {want}, got {got:?}, which is not JSON ({error})");
            }
        }
    } else if actual != expected.as_bytes() {
        let got = String::from_utf8_lossy(actual);
        let _ = writeln!(problems, "body: expected {expected:?}, got {got:?}");
    }
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// The bytes a case's `body` stands for. The suite writes the body of a binary media type as
/// base64: a CBOR body (`bodyMediaType` `application/cbor`) is decoded. A case without a
/// `bodyMediaType` has its body's media type in its `Content-Type` header, when it gives
/// one (rpcv2Cbor's `NoInputServerAllowsEmptyCbor` sends base64 `v/8=` that way); any other
/// body is its text.
///
/// # Errors
///
/// When a CBOR body is not base64.
pub fn case_body(body: &str, media_type: Option<&str>, headers: &[(&str, &str)]) -> Result<Vec<u8>, String> {
    let content_type = || headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("content-type")).map(|(_, v)| *v);
    match media_type.or_else(content_type) {
        Some(media_type) if cbor::is_cbor(media_type) => cbor::from_base64(body),
        _ => Ok(body.as_bytes().to_vec()),
    }
}

/// A request as a server test sends it: `uri` is the path, `query` the raw `key=value`
/// pairs, joined with `&`.
///
/// # Errors
///
/// When the method, URI or a header is not valid HTTP.
pub fn request(
    method: &str,
    uri: &str,
    host: Option<&str>,
    query: &[&str],
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<http::Request<Bytes>, String> {
    let mut target = uri.to_owned();
    if !query.is_empty() {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&query.join("&"));
    }
    let mut builder = http::Request::builder().method(method).uri(&target);
    if let Some(host) = host {
        builder = builder.header(http::header::HOST, host);
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::copy_from_slice(body)).map_err(|e| format!("not a valid request: {e}"))
}

/// A response as a client test receives it.
///
/// # Errors
///
/// When the status or a header is not valid HTTP.
pub fn response(code: u16, headers: &[(&str, &str)], body: &[u8]) -> Result<http::Response<Bytes>, String> {
    let mut builder = http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::copy_from_slice(body)).map_err(|e| format!("not a valid response: {e}"))
}

/// Replaces a malformed request case's `$name:L` (the value as is) and `$name:S` (the value
/// as a JSON string) placeholders with one expansion of its `testParameters`, and its `$$`
/// with a literal `$`.
pub fn expand(template: &str, parameters: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        text.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            text.push('$');
            rest = after;
            continue;
        }
        let placeholder = parameters.iter().find_map(|(name, value)| {
            let after = rest.strip_prefix(name)?;
            if let Some(after) = after.strip_prefix(":L") {
                Some(((*value).to_owned(), after))
            } else {
                after.strip_prefix(":S").map(|after| (Value::String((*value).to_owned()).to_string(), after))
            }
        });
        match placeholder {
            Some((value, after)) => {
                text.push_str(&value);
                rest = after;
            }
            None => text.push('$'),
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn query_params_are_raw_pairs_and_headers_are_joined() {
        let request = http::Request::builder()
            .method("GET")
            .uri("http://h/p%20q?a=1&b=x%20y&flag")
            .header("x-list", "a")
            .header("x-list", "b")
            .body(Bytes::new())
            .unwrap();
        let expected = ExpectedRequest {
            method: "GET",
            uri: "/p%20q",
            query_params: &["a=1", "b=x%20y", "flag"],
            forbid_query_params: &["c"],
            require_query_params: &["flag"],
            headers: &[("X-List", "a, b")],
            ..ExpectedRequest::default()
        };
        assert_eq!(check_request(&request, &expected), Ok(()));
        let wrong = ExpectedRequest { query_params: &["b=x y"], forbid_query_params: &["a"], ..expected };
        let problems = check_request(&request, &wrong).unwrap_err();
        assert!(problems.contains("expected b=x y") && problems.contains("a is forbidden"), "{problems}");
    }

    #[test]
    fn json_bodies_compare_as_structures_and_others_as_bytes() {
        let response = response(200, &[], br#"{"b": 1.0, "a": [1, 2]}"#).unwrap();
        let json = ExpectedResponse {
            code: 200,
            body: Some(r#"{"a":[1,2],"b":1}"#),
            body_media_type: Some("application/json"),
            ..ExpectedResponse::default()
        };
        assert_eq!(check_response(&response, &json), Ok(()));
        let bytes = ExpectedResponse { body_media_type: None, ..json.clone() };
        assert!(check_response(&response, &bytes).is_err());
        let other = ExpectedResponse { body: Some(r#"{"a":[2,1],"b":1}"#), ..json };
        assert!(check_response(&response, &other).is_err());
    }

    #[test]
    fn cbor_bodies_compare_as_data() {
        // {_ "b": [1.5 as a half], "a": 1} against the case's {"a": 1, "b": [1.5 as a double]}
        let written = [0xbf, 0x61, 0x62, 0x81, 0xf9, 0x3e, 0x00, 0x61, 0x61, 0x01, 0xff];
        let response = response(200, &[], &written).unwrap();
        let cbor = ExpectedResponse {
            code: 200,
            body: Some("omFhAWFigfs/+AAAAAAAAA=="),
            body_media_type: Some("application/cbor"),
            ..ExpectedResponse::default()
        };
        assert_eq!(check_response(&response, &cbor), Ok(()));
        // {"a": 2, "b": [1.5]}
        let other = ExpectedResponse { body: Some("omFhAmFigfs/+AAAAAAAAA=="), ..cbor.clone() };
        let problems = check_response(&response, &other).unwrap_err();
        assert!(problems.contains(r#"expected CBOR {"a": 2, "b": [1.5]}, got {"b": [1.5], "a": 1}"#), "{problems}");
        // Without the media type the body is compared as the case's text.
        let bytes = ExpectedResponse { body_media_type: None, ..cbor };
        assert!(check_response(&response, &bytes).is_err());
    }

    #[test]
    fn case_bodies_are_decoded_by_their_media_type_or_content_type() {
        assert_eq!(case_body("v/8=", Some("application/cbor"), &[]), Ok(vec![0xbf, 0xff]));
        assert_eq!(case_body("v/8=", None, &[("content-type", "application/cbor")]), Ok(vec![0xbf, 0xff]));
        assert_eq!(case_body("v/8=", None, &[]), Ok(b"v/8=".to_vec()));
        assert_eq!(
            case_body("{}", Some("application/json"), &[("Content-Type", "application/cbor")]),
            Ok(b"{}".to_vec())
        );
        assert!(case_body("not base64!", Some("application/cbor"), &[]).is_err());
    }

    #[test]
    fn parameters_expand_as_literals_and_strings() {
        let text = expand(r#"{"v": $value:L, "s": $value:S, "p": "^a$$", "q": "$x"}"#, &[("value", "a\"b$$")]);
        assert_eq!(text, r#"{"v": a"b$$, "s": "a\"b$$", "p": "^a$", "q": "$x"}"#);
    }
}
