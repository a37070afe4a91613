//! A hostile-request corpus against the generated awsJson1_0 server (the `aws_json` fixture, a
//! key-value store), in process: requests that name no operation or another service's, that
//! carry the wrong media type or look like restJson1, bodies that are not objects, truncated,
//! with duplicate keys, nested 10,000 levels deep, with wrong types and hostile numbers, with
//! invalid UTF-8, too large, with unions of two members or of an unknown one, and inputs that
//! break several constraints at once. Each case must get its exact status and error type,
//! named in both `X-Amzn-Errortype` and the body's `__type` (awsJson clients read either), no
//! case may panic, and no case may reach a handler or change the store: every body is one
//! mistake away from an intact request that would.
//!
//! chime-local's corpus (`chime-local/tests/hostile.rs`) does the same for restJson1 over TCP;
//! this one runs in process since the awsJson server has no binary of its own, and what is
//! under test (routing by target, media types, body reading, validation) is all above HTTP.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod corpus;
mod store;

#[path = "../hostile_http/mod.rs"]
mod hostile_http;

use fixture_aws_json::server::{server, Server, ServerConfig};
pub use hostile_http::{send_case, Body, Case, Expect};
use store::{Entries, Store};

/// A streamed body is `[` without end, arrays nested deeper than any limit (see [`Body::Stream`]).
pub const STREAM_HEAD: &[u8] = &[];
/// What the stream repeats.
pub const STREAM_FILL: u8 = b'[';

/// The awsJson1_0 media type, which every body of this service must be sent with.
pub const JSON_1_0: &str = "application/x-amz-json-1.0";

/// The `X-Amz-Target` prefix of the fixture's service.
pub const SERVICE: &str = "KvStore_20250101";

/// A body that cannot be read as the input: bad JSON, wrong types, numbers out of range.
pub const MALFORMED: Expect = Expect(400, "SerializationException");
/// A body that reads but breaks the model's constraints: the operation's own 400 error, named
/// by its full shape ID, as awsJson1_0 names modeled errors.
pub const INVALID: Expect = Expect(400, "example.kvstore#ValidationException");
/// A body with another media type than awsJson1_0's, or none.
pub const MEDIA_TYPE: Expect = Expect(415, "UnsupportedMediaTypeException");
/// No operation of this service is named by `X-Amz-Target`.
pub const UNKNOWN_TARGET: Expect = Expect(400, "UnknownOperationException");
/// A path other than `/`.
pub const NOT_FOUND: Expect = Expect(404, "UnknownOperationException");
/// A method other than `POST`.
pub const WRONG_METHOD: Expect = Expect(405, "UnknownOperationException");
/// A body over the server's limit.
pub const TOO_LARGE: Expect = Expect(413, "RequestEntityTooLargeException");

impl Case {
    /// `POST /` naming `operation` with the awsJson1_0 media type: what the client sends.
    pub fn call(name: impl Into<String>, operation: &str, body: impl Into<Vec<u8>>, expect: Expect) -> Self {
        Case {
            name: name.into(),
            method: "POST",
            uri: "/".into(),
            headers: vec![
                ("x-amz-target".into(), format!("{SERVICE}.{operation}").into_bytes()),
                ("content-type".into(), JSON_1_0.as_bytes().to_vec()),
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
    /// `X-Amzn-Errortype`, empty when there is none.
    pub header_type: String,
    /// `Content-Type`, empty when there is none.
    pub content_type: String,
    /// The body as JSON, `null` when it is not JSON.
    pub body: serde_json::Value,
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
    let body = serde_json::from_slice(&response.body).unwrap_or(serde_json::Value::Null);
    let (header_type, content_type) = (response.header("x-amzn-errortype"), response.header("content-type"));
    Ok(Answer { status: response.status, header_type, content_type, body })
}

/// Why `answer` is not what `case` expects, if it is not.
fn mismatch(case: &Case, answer: &Answer) -> Option<String> {
    let Expect(status, error_type) = case.expect;
    let right = answer.status == status
        && answer.header_type == error_type
        && answer.body_type() == error_type
        && answer.content_type == JSON_1_0
        && !answer.message().is_empty();
    (!right).then(|| {
        format!(
            "{}: expected {status} {error_type}, got {} (X-Amzn-Errortype {:?}, Content-Type {:?}, body {})",
            case.name, answer.status, answer.header_type, answer.content_type, answer.body
        )
    })
}

/// The fixture's server over a fresh seeded store, which stays alive for the test's run.
fn seeded_server(config: ServerConfig) -> (Server<&'static Store>, &'static Store) {
    let store: &'static Store = Box::leak(Box::new(Store::seeded()));
    (server(store, config), store)
}

#[tokio::test]
async fn every_hostile_request_gets_its_error_and_changes_nothing() {
    let (server, store) = seeded_server(ServerConfig::new());
    let before: Entries = store.snapshot();
    let cases = corpus::all();
    assert!(cases.len() >= 500, "only {} cases", cases.len());

    let mut failures = Vec::new();
    for case in &cases {
        match send(&server, case).await {
            Ok(answer) => failures.extend(mismatch(case, &answer)),
            Err(error) => failures.push(format!("{}: {error}", case.name)),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert_eq!(store.calls(), 0, "a hostile request reached a handler");
    assert_eq!(store.snapshot(), before, "a hostile request changed the store");
    println!("awsJson hostile corpus: {} cases, each answered with its error; no handler ran", cases.len());
}

/// The control: each operation's intact request, which every case above is one mistake away
/// from, does reach its handler (and the writes do change the store), so a case wrongly
/// accepted would have shown.
#[tokio::test]
async fn the_intact_requests_reach_the_handlers() {
    let (server, store) = seeded_server(ServerConfig::new());
    let before = store.snapshot();
    for (operation, body) in corpus::intact() {
        let case = Case::call(operation, operation, body, Expect(200, ""));
        let answer = send(&server, &case).await.unwrap();
        assert_eq!((answer.status, answer.header_type.as_str()), (200, ""), "{operation}: {answer:?}");
        assert_eq!(answer.content_type, JSON_1_0, "{operation}");
    }
    assert_eq!(store.calls(), corpus::intact().len());
    // PutEntry replaced the seed's value, and DeleteEntry (after it) removed it.
    assert_ne!(store.snapshot(), before);
    assert!(store.snapshot().is_empty(), "{:?}", store.snapshot());
}

/// What the protocol lets vary is accepted: media type parameters and case, members the
/// model does not have, and no body at all for an input without members.
#[tokio::test]
async fn what_the_protocol_allows_is_accepted() {
    let (server, store) = seeded_server(ServerConfig::new());
    let get = r#"{"TableName":"tbl","Key":"k"}"#;
    let accepted = [
        Case::call("charset", "GetEntry", get, Expect(200, ""))
            .header("content-type", format!("{JSON_1_0}; charset=utf-8")),
        Case::call("upper case", "GetEntry", get, Expect(200, ""))
            .header("content-type", JSON_1_0.to_ascii_uppercase()),
        Case::call("unknown member", "GetEntry", r#"{"TableName":"tbl","Key":"k","Extra":{"a":[1]}}"#, Expect(200, "")),
        Case::call("a query string", "GetEntry", get, Expect(200, "")).uri("/?x=1"),
        // Smithy has JSON readers of a union ignore a `__type` member.
        Case::call(
            "__type in a union",
            "PutEntry",
            r#"{"TableName":"tb2","Key":"k","Value":{"__type":"x","S":"v"}}"#,
            Expect(200, ""),
        ),
        Case::call("empty Ping", "Ping", "", Expect(200, "")).without("content-type"),
        Case::call("empty Ping with its media type", "Ping", "", Expect(200, "")),
    ];
    for (calls, case) in accepted.iter().enumerate() {
        let answer = send(&server, case).await.unwrap();
        assert_eq!((answer.status, answer.header_type.as_str()), (200, ""), "{}: {answer:?}", case.name);
        assert_eq!(store.calls(), calls + 1, "{}", case.name);
    }
    assert_eq!(store.snapshot().len(), 2, "the PutEntry with __type wrote a second entry");
}

/// A body breaking several constraints is refused with every violation in one message, as
/// the protocol's validation error says them; a client fixing one at a time would need as
/// many round trips as there are mistakes.
#[tokio::test]
async fn constraint_violations_are_reported_all_at_once() {
    let (server, store) = seeded_server(ServerConfig::new());
    for (name, operation, body, paths) in corpus::violations() {
        let case = Case::call(name, operation, body, INVALID);
        let answer = send(&server, &case).await.unwrap();
        assert_eq!(mismatch(&case, &answer), None);
        let message = answer.message();
        let count = if paths.len() == 1 {
            "1 validation error detected".to_owned()
        } else {
            format!("{} validation errors detected", paths.len())
        };
        assert!(message.starts_with(&count), "{name}: {message}");
        for path in paths {
            assert!(message.contains(path), "{name}: {path} is not in {message}");
        }
    }
    assert_eq!(store.calls(), 0);
    assert_eq!(store.snapshot(), Store::seeded().snapshot());
}

/// The reverse direction: an awsJson request sent to a restJson1 server (the generated
/// Chime crate) is not read as one of its operations. `POST /` is no Chime route, whatever
/// `X-Amz-Target` says: restJson1's 404; and the awsJson media type on a Chime route is
/// restJson1's 415.
#[tokio::test]
async fn an_aws_json_request_to_a_rest_json1_server_is_refused() {
    let chime = chime::server::server(store::NoChime, chime::server::ServerConfig::new());
    let target_header = |case: Case, target: &str| case.header("x-amz-target", target);
    let cases = [
        target_header(Case::call("POST / to Chime", "PutEntry", r#"{"Name":"x"}"#, NOT_FOUND), "Chime.CreateAccount"),
        Case::call("POST / with KvStore's target", "PutEntry", r#"{"TableName":"tbl","Key":"k"}"#, NOT_FOUND),
        target_header(
            Case::call("awsJson body on a Chime route", "", r#"{"Name":"x"}"#, MEDIA_TYPE),
            "Chime.CreateAccount",
        )
        .uri("/accounts"),
    ];
    for case in cases {
        let answer = send(&chime, &case).await.unwrap();
        let Expect(status, error_type) = case.expect;
        // restJson1 names the error in the header only, and answers in application/json.
        assert_eq!((answer.status, answer.header_type.as_str()), (status, error_type), "{}: {answer:?}", case.name);
        assert_eq!(answer.content_type, "application/json", "{}", case.name);
        assert_eq!(answer.body_type(), "", "{}: restJson1 has no __type", case.name);
    }
}

/// An operation without input (Ping) has nothing to read from its body, but a body that is
/// there must still be a JSON object, as for every other operation (not `[`, `null`, invalid
/// UTF-8, two objects); otherwise a proxy that checks bodies and this server disagree about
/// which requests are well-formed.
#[tokio::test]
async fn an_operation_without_input_refuses_a_body_that_is_not_an_object() {
    let (server, store) = seeded_server(ServerConfig::new());
    let bodies: [&[u8]; 8] = [b"[]", b"1", b"null", b"\"x\"", b"{", b"{}{}", b"\xff", b"[{}]"];
    let mut failures = Vec::new();
    for body in bodies {
        let case = Case::call(format!("Ping body {:?}", String::from_utf8_lossy(body)), "Ping", body, MALFORMED);
        failures.extend(mismatch(&case, &send(&server, &case).await.unwrap()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(store.calls(), 0);
}

/// Two `X-Amz-Target` headers name two operations; the server must not pick one, since a
/// gateway that authorizes by the other would let one operation through as another (as two
/// readers of duplicate JSON keys could, which is why those are refused).
#[tokio::test]
async fn two_targets_are_refused() {
    let (server, store) = seeded_server(ServerConfig::new());
    let put = corpus::intact()[0].1.clone();
    let mut case = Case::call("two X-Amz-Target headers", "PutEntry", put, UNKNOWN_TARGET);
    case.headers.push(("x-amz-target".into(), format!("{SERVICE}.GetEntry").into_bytes()));
    let answer = send(&server, &case).await.unwrap();
    assert_eq!(mismatch(&case, &answer), None);
    assert_eq!(store.calls(), 0);
    assert_eq!(store.snapshot(), Store::seeded().snapshot());
}
