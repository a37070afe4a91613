//! The protocol-test generator on a tiny rpcv2Cbor service: its cases become tests, and their
//! CBOR bodies (base64 in the suite) reach the tests with their media type, for
//! `smithy_protocol_test::case_body` to decode.

#![allow(clippy::unwrap_used)]

use codegen::protocol_tests::{self, CaseKind};
use codegen::{GenerateOptions, ShapeId};

const MODEL: &str = r#"{"smithy": "2.0", "shapes": {
    "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Echo"}],
        "traits": {"smithy.protocols#rpcv2Cbor": {}}},
    "ex#Echo": {"type": "operation", "input": {"target": "ex#Text"}, "output": {"target": "ex#Text"},
        "traits": {
            "smithy.test#httpRequestTests": [{
                "id": "EchoRequest", "protocol": "smithy.protocols#rpcv2Cbor", "method": "POST",
                "uri": "/service/Svc/operation/Echo", "body": "oWV2YWx1ZWJoaQ==",
                "bodyMediaType": "application/cbor", "params": {"value": "hi"}
            }],
            "smithy.test#httpResponseTests": [{
                "id": "EchoResponse", "protocol": "smithy.protocols#rpcv2Cbor", "code": 200,
                "body": "oWV2YWx1ZWJoaQ==", "bodyMediaType": "application/cbor", "params": {"value": "hi"}
            }]
        }},
    "ex#Text": {"type": "structure", "members": {"value": {"target": "smithy.api#String"}}}
}}"#;

#[test]
fn cbor_cases_become_tests_that_decode_their_bodies() {
    let options = GenerateOptions {
        service: Some(ShapeId::parse("ex#Svc").unwrap()),
        crate_name: Some("protocol-svc".to_owned()),
        runtime_path: "/runtime".to_owned(),
        exclude_operations: Vec::new(),
    };
    let suite = protocol_tests::generate(MODEL, &options, "/protocol-test").unwrap();
    let kinds: Vec<(&str, CaseKind)> = suite.cases.iter().map(|c| (c.id.as_str(), c.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("EchoRequest", CaseKind::ClientRequest),
            ("EchoRequest", CaseKind::ServerRequest),
            ("EchoResponse", CaseKind::ClientResponse),
            ("EchoResponse", CaseKind::ServerResponse),
        ]
    );
    let tests: String = suite.files["src/protocol_tests.rs"].split_whitespace().collect();
    // The server request and the client's canned response are built from the decoded bytes.
    let decoded = r#"case_body("oWV2YWx1ZWJoaQ==",::std::option::Option::Some("application/cbor"),"#;
    assert_eq!(tests.matches(decoded).count(), 2, "{tests}");
    // The client request and the server response are checked against the case's CBOR.
    let checked = r#"body:::std::option::Option::Some("oWV2YWx1ZWJoaQ=="),body_media_type:::std::option::Option::Some("application/cbor"),"#;
    assert_eq!(tests.matches(checked).count(), 2, "{tests}");
}
