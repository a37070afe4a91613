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

#[path = "../hostile_http/mod.rs"]
mod hostile_http;

use fixture_rpc_v2_cbor::server::{server, Server, ServerConfig};
pub use hostile_http::{send_case, Body, Case, Expect};
use serde_json::Value;

/// A streamed body opens an indefinite-length array and never closes it (see [`Body::Stream`]).
pub const STREAM_HEAD: &[u8] = &[0x9f];
/// What the array holds: the integer 1, again and again.
pub const STREAM_FILL: u8 = 0x01;
use store::Log;

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

/// Sends `case` to `server` (see [`send_case`]) and reads the answer.
pub async fn send<D: smithy_runtime::service::Dispatch>(
    server: &smithy_runtime::service::Server<D>,
    case: &Case,
) -> Result<Answer, String> {
    let response = send_case(server, case).await?;
    let body = smithy_runtime::cbor::to_json(&response.body, None).unwrap_or(Value::Null);
    let (content_type, protocol) = (response.header("content-type"), response.header("smithy-protocol"));
    Ok(Answer { status: response.status, content_type, protocol, body })
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
