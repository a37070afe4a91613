//! A hostile-request corpus against the generated rpcv2Cbor server (the `rpc_v2_cbor`
//! fixture, a station log), in process: requests without or with the wrong `Smithy-Protocol`,
//! with an awsJson `X-Amz-Target`, with the wrong media type, path or method; bodies cut short,
//! with lengths beyond the body (up to 2^64 - 1), not well-formed, nested 10,000 deep, with
//! tags where none belong, invalid UTF-8, keys twice or not text, the wrong major type for
//! each member, trailing garbage, too large; and inputs that break the model's constraints.
//! Most are made by mutating the intact request of each operation at every place in it.
//!
//! Each case must get its exact status and error type, as the body's `__type` of a CBOR
//! error with a message (rpcv2Cbor clients read nothing else), never a 5xx or a panic; and no
//! case may reach a handler: every body is one mistake away from an intact request that would.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod corpus;
mod item;
mod store;

use std::panic::AssertUnwindSafe;

use bytes::Bytes;
use fixture_rpc_v2_cbor::server::{server, Server, ServerConfig};
use futures_util::FutureExt;
use http_body_util::BodyExt;
use serde_json::Value;
use store::Log;

/// What a case must be answered with: the status and the body's `__type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect(
    /// The HTTP status.
    pub u16,
    /// The error type, empty for a success.
    pub &'static str,
);

/// A body that is not CBOR, or not CBOR of the input's shape.
pub const MALFORMED: Expect = Expect(400, "SerializationException");
/// A body that reads but breaks the model's constraints (PutReadings, GetReadings), which
/// name `smithy.framework#ValidationException` among their errors.
pub const INVALID: Expect = Expect(400, "smithy.framework#ValidationException");
/// The same for an operation that does not list the validation error (DescribeStation).
pub const INVALID_UNLISTED: Expect = Expect(400, "ValidationException");
/// A request that is not rpcv2Cbor: no or another `Smithy-Protocol`, or an `X-Amz-Target`.
pub const NOT_RPC_V2: Expect = Expect(400, "UnknownOperationException");
/// A path that names no operation of the service.
pub const NOT_FOUND: Expect = Expect(404, "UnknownOperationException");
/// A method other than `POST`.
pub const WRONG_METHOD: Expect = Expect(405, "UnknownOperationException");
/// A body of another media type than `application/cbor`, or without one.
pub const MEDIA_TYPE: Expect = Expect(415, "UnsupportedMediaTypeException");
/// A body over the server's limit.
pub const TOO_LARGE: Expect = Expect(413, "RequestEntityTooLargeException");

/// A case's body.
#[derive(Debug, Clone)]
pub enum Body {
    /// These bytes, whole.
    Bytes(Vec<u8>),
    /// This many bytes of an indefinite-length array's items (`0x01`) in 64 KiB chunks after
    /// its head, made as they are read and without a declared length, so that only the
    /// server's limit on what it reads can stop them.
    Stream {
        /// How many bytes in all.
        length: usize,
    },
}

/// One request and the answer it must get.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case tries, for the failure list.
    pub name: String,
    /// The HTTP method.
    pub method: &'static str,
    /// The path and query.
    pub uri: String,
    /// The headers, as bytes so that they can be invalid UTF-8.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Body,
    /// The answer it must get.
    pub expect: Expect,
}

impl Case {
    /// `POST /service/Stations/operation/{operation}` with the protocol's headers: what the
    /// client sends.
    pub fn call(name: impl Into<String>, operation: &str, body: impl Into<Vec<u8>>, expect: Expect) -> Self {
        Case {
            name: name.into(),
            method: "POST",
            uri: format!("/service/Stations/operation/{operation}"),
            headers: vec![
                ("smithy-protocol".into(), b"rpc-v2-cbor".to_vec()),
                ("content-type".into(), b"application/cbor".to_vec()),
                ("accept".into(), b"application/cbor".to_vec()),
            ],
            body: Body::Bytes(body.into()),
            expect,
        }
    }

    /// This case with header `name` set to `value` (in place of any it had).
    pub fn header(self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        let mut case = self.without(name);
        case.headers.push((name.into(), value.into()));
        case
    }

    /// This case without header `name`.
    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// This case with another method.
    pub fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    /// This case with another path and query.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = uri.into();
        self
    }

    /// This case with another body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    fn request(&self) -> http::Request<http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>> {
        let mut builder = http::Request::builder().method(self.method).uri(self.uri.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_slice());
        }
        let body = match &self.body {
            Body::Bytes(bytes) => http_body_util::Full::new(Bytes::from(bytes.clone())).boxed(),
            Body::Stream { length } => {
                let chunk = Bytes::from(vec![0x01; 64 * 1024]);
                let first = std::iter::once(Bytes::from_static(&[0x9f]));
                let chunks = first.chain((0..length.div_ceil(chunk.len())).map(move |_| chunk.clone()));
                let frames = chunks.map(|c| Ok(http_body::Frame::data(c)));
                http_body_util::StreamBody::new(futures_util::stream::iter(frames)).boxed()
            }
        };
        builder.body(body).unwrap_or_else(|error| panic!("{}: the request cannot be built: {error}", self.name))
    }
}

/// What the server answered.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`, empty when there is none.
    pub content_type: String,
    /// `Smithy-Protocol`, empty when there is none.
    pub protocol: String,
    /// The body read as CBOR into the JSON data model, `null` when it is not CBOR.
    pub body: Value,
}

impl Answer {
    /// The body's `__type`, empty when there is none.
    pub fn body_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or_default()
    }

    /// The body's `message`, empty when there is none.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }
}

/// Sends `case` to `server`; a panic anywhere on the way is an `Err`.
pub async fn send<D: smithy_runtime::service::Dispatch>(
    server: &smithy_runtime::service::Server<D>,
    case: &Case,
) -> Result<Answer, String> {
    let response = AssertUnwindSafe(server.handle(case.request())).catch_unwind().await.map_err(|panic| {
        let text =
            panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).into()));
        format!("panicked: {}", text.unwrap_or_default())
    })?;
    let status = response.status().as_u16();
    let header = |name| response.headers().get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let content_type = header("content-type").unwrap_or_default();
    let protocol = header("smithy-protocol").unwrap_or_default();
    let bytes = response.into_body().collect().await.map_err(|e| format!("the body failed: {e}"))?;
    let body = smithy_runtime::cbor::to_json(&bytes, None).unwrap_or(Value::Null);
    Ok(Answer { status, content_type, protocol, body })
}

/// Why `answer` is not what `case` expects, if it is not.
fn mismatch(case: &Case, answer: &Answer) -> Option<String> {
    let Expect(status, error_type) = case.expect;
    let right = answer.status == status
        && answer.body_type() == error_type
        && answer.content_type == "application/cbor"
        && answer.protocol == "rpc-v2-cbor"
        && !answer.message().is_empty();
    (!right).then(|| {
        format!(
            "{}: expected {status} {error_type}, got {} (Content-Type {:?}, Smithy-Protocol {:?}, body {})",
            case.name, answer.status, answer.content_type, answer.protocol, answer.body
        )
    })
}

/// The fixture's server over a fresh log, which stays alive for the test's run.
fn logged_server(config: ServerConfig) -> (Server<&'static Log>, &'static Log) {
    let log: &'static Log = Box::leak(Box::default());
    (server(log, config), log)
}

#[tokio::test]
async fn every_hostile_request_gets_its_error_and_reaches_no_handler() {
    let (server, log) = logged_server(ServerConfig::new());
    let cases = corpus::all();
    assert!(cases.len() >= 1000, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        match send(&server, case).await {
            Ok(answer) => failures.extend(mismatch(case, &answer)),
            Err(error) => failures.push(format!("{}: {error}", case.name)),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert_eq!(log.calls(), 0, "a hostile request reached a handler");
    println!("rpcv2Cbor hostile corpus: {} cases, each answered with its error; no handler ran", cases.len());
}

/// The control: each operation's intact request, which every case above is one mistake away
/// from, does reach its handler, so a case wrongly accepted would have shown.
#[tokio::test]
async fn the_intact_requests_reach_the_handlers() {
    let (server, log) = logged_server(ServerConfig::new());
    for (operation, body) in corpus::intact() {
        let case = Case::call(operation, operation, body.encode(), Expect(200, ""));
        let answer = send(&server, &case).await.unwrap();
        assert_eq!(answer.status, 200, "{operation}: {answer:?}");
        assert_eq!(answer.protocol, "rpc-v2-cbor", "{operation}");
        // A Unit output (Ping's) is an empty body, without a media type.
        if operation != "Ping" {
            assert_eq!(answer.content_type, "application/cbor", "{operation}");
            assert!(answer.body.is_object(), "{operation}: {answer:?}");
        }
    }
    assert_eq!(log.calls(), corpus::intact().len());
}

/// What the protocol lets vary is accepted: indefinite lengths, members the model does not
/// have (whatever tags they hold), null for an optional member, no body for Ping, and media
/// type parameters and case.
#[tokio::test]
async fn what_the_protocol_allows_is_accepted() {
    let (server, log) = logged_server(ServerConfig::new());
    let accepted = corpus::accepted();
    for (calls, case) in accepted.iter().enumerate() {
        let answer = send(&server, case).await.unwrap();
        assert_eq!(answer.status, 200, "{}: {answer:?}", case.name);
        assert_eq!(log.calls(), calls + 1, "{}", case.name);
    }
}

/// A body breaking several constraints is refused with every violation in one message and
/// each in `fieldList`.
#[tokio::test]
async fn constraint_violations_are_reported_all_at_once() {
    let (server, log) = logged_server(ServerConfig::new());
    let case = Case::call("three violations", "PutReadings", corpus::three_violations(), INVALID);
    let answer = send(&server, &case).await.unwrap();
    assert_eq!(mismatch(&case, &answer), None);
    assert!(answer.message().starts_with("3 validation errors detected"), "{}", answer.message());
    let fields = answer.body["fieldList"].as_array().unwrap();
    let paths: Vec<&str> = fields.iter().map(|f| f["path"].as_str().unwrap_or_default()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    for path in ["/station", "/readings/0/at", "/readings/1/value"] {
        assert!(paths.contains(&path), "{path} is not in {paths:?}");
    }
    assert_eq!(log.calls(), 0);
}
