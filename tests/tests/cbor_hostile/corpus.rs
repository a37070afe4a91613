//! The cases: routing, the protocol's headers and media types here; what goes wrong inside a
//! body in `bodies`.

mod bodies;

use crate::item::{map, text, Item};
use crate::store::STATION;
use crate::{
    Body, Case, Expect, INVALID, INVALID_UNLISTED, MEDIA_TYPE, NOT_FOUND, NOT_RPC_V2, TOO_LARGE, WRONG_METHOD,
};

/// A reading as the client writes it: a tag 1 timestamp, a double, a blob and tags.
fn reading(at: u64, value: f64) -> Item {
    map(vec![
        ("at", Item::Tag(1, Box::new(Item::Uint(at)))),
        ("value", Item::Float(value)),
        ("raw", Item::Bytes(b"frame".to_vec())),
        ("tags", map(vec![("unit", text("C")), ("site", text("roof"))])),
    ])
}

/// Each operation and its intact body. Every case is one of these with one mistake, so that
/// one wrongly accepted would reach its handler.
pub fn intact() -> Vec<(&'static str, Item)> {
    vec![
        (
            "PutReadings",
            map(vec![
                ("station", text(STATION)),
                ("readings", Item::Array(vec![reading(1_700_000_000, 21.5), reading(1_700_000_060, -3.25)])),
                ("clientToken", text("token-1")),
            ]),
        ),
        ("GetReadings", map(vec![("station", text(STATION)), ("limit", Item::Uint(10))])),
        ("DescribeStation", map(vec![("station", text(STATION))])),
        ("Ping", map(vec![])),
    ]
}

/// The intact body of `operation`.
pub fn intact_body(operation: &str) -> Item {
    intact().into_iter().find(|(o, _)| *o == operation).map(|(_, b)| b).unwrap()
}

/// The validation error an operation answers with.
pub fn invalid(operation: &str) -> Expect {
    if operation == "DescribeStation" {
        INVALID_UNLISTED
    } else {
        INVALID
    }
}

/// Every case of the corpus.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    routing(&mut cases);
    protocol_headers(&mut cases);
    media_types(&mut cases);
    oversized(&mut cases);
    bodies::truncated(&mut cases);
    bodies::trailing(&mut cases);
    bodies::wrong_kinds(&mut cases);
    bodies::never_well_formed(&mut cases);
    bodies::lengths_beyond_the_body(&mut cases);
    bodies::invalid_utf8(&mut cases);
    bodies::duplicate_keys(&mut cases);
    bodies::keys_not_text(&mut cases);
    bodies::nesting(&mut cases);
    bodies::under_an_unknown_member(&mut cases);
    bodies::unit_input(&mut cases);
    bodies::violations(&mut cases);
    cases
}

/// Paths that name no operation of this service, and methods other than `POST`.
fn routing(cases: &mut Vec<Case>) {
    let put = intact_body("PutReadings").encode();
    let paths = [
        "/",
        "/PutReadings",
        "/service/Stations",
        "/service/Stations/operation",
        "/service/Stations/operation/",
        "/service/Stations/operation/putreadings",
        "/service/Stations/operation/PUTREADINGS",
        "/service/Stations/operation/PutReadings/",
        "/service/Stations/operation/PutReadings/x",
        "/service/Stations/operation/Put%52eadings",
        "/service/Stations/operation/Scan",
        "/service/stations/operation/PutReadings",
        "/service/Other/operation/PutReadings",
        "/service/example.stations%23Stations/operation/PutReadings",
        "/service/Stations/operations/PutReadings",
        "/services/Stations/operation/PutReadings",
        "/operation/PutReadings",
        "/service//operation/PutReadings",
        "/service/Stations/operation/PutReadings%00",
        "/service/Stations/operation/PutReadings%2F",
    ];
    for path in paths {
        cases.push(Case::call(format!("path {path}"), "PutReadings", put.clone(), NOT_FOUND).uri(path));
    }
    for (operation, body) in intact() {
        for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] {
            let case = Case::call(format!("{method} {operation}"), operation, body.encode(), WRONG_METHOD);
            cases.push(case.method(method));
        }
    }
}

/// Requests that do not say they are rpcv2Cbor, or say they are something else too.
fn protocol_headers(cases: &mut Vec<Case>) {
    for (operation, body) in intact() {
        let call = |name: &str| Case::call(format!("{operation} {name}"), operation, body.encode(), NOT_RPC_V2);
        cases.push(call("without Smithy-Protocol").without("smithy-protocol"));
        let values: &[&[u8]] = &[
            b"",
            b"rpc-v2-json",
            b"rpc-v2",
            b"rpc-v2-cbor ",
            b"rpc-v2-cbor;q=1",
            b"rpc-v2-cbor, rpc-v2-cbor",
            b"rpcv2Cbor",
            b"smithy.protocols#rpcv2Cbor",
            b"rpc-v1-cbor",
            b"rpc-v2-cbo\xff",
        ];
        for value in values {
            let name = format!("Smithy-Protocol {:?}", String::from_utf8_lossy(value));
            cases.push(call(&name).header("smithy-protocol", *value));
        }
        for (name, value) in [
            ("x-amz-target", format!("Stations.{operation}")),
            ("x-amz-target", String::new()),
            ("x-amzn-target", format!("Stations.{operation}")),
        ] {
            cases.push(call(&format!("with {name} {value:?}")).header(name, value));
        }
    }
}

/// Bodies sent as something other than `application/cbor`, or as nothing at all.
fn media_types(cases: &mut Vec<Case>) {
    let types: &[&[u8]] = &[
        b"application/json",
        b"application/x-amz-json-1.0",
        b"application/x-amz-json-1.1",
        b"application/cbor-seq",
        b"application/cborx",
        b"application/octet-stream",
        b"text/plain",
        b"text/cbor",
        b"application/*",
        b"*/*",
        b"",
        b"cbor",
        b"application/ cbor",
        b"application/cbor\xff",
    ];
    for (operation, body) in intact() {
        let call = |name: String| Case::call(format!("{operation} {name}"), operation, body.encode(), MEDIA_TYPE);
        cases.push(call("without Content-Type".into()).without("content-type"));
        for value in types {
            cases.push(
                call(format!("Content-Type {:?}", String::from_utf8_lossy(value))).header("content-type", *value),
            );
        }
    }
}

/// Bodies over the server's limit (10 MiB by default): streamed without a length, and
/// declared by `Content-Length` before a byte is read.
fn oversized(cases: &mut Vec<Case>) {
    let limit = 10 * 1024 * 1024;
    let put = intact_body("PutReadings").encode();
    for (name, length) in [("one byte over the limit", limit + 1), ("twice the limit", 2 * limit)] {
        let case = Case::call(format!("streamed body {name}"), "PutReadings", put.clone(), TOO_LARGE);
        cases.push(case.body(Body::Stream { length }));
    }
    for length in [limit + 1, u64::MAX as usize] {
        let case = Case::call(format!("Content-Length {length}"), "PutReadings", put.clone(), TOO_LARGE);
        cases.push(case.header("content-length", length.to_string()));
    }
}

/// Requests that must be accepted: they differ from the intact ones only in what the
/// protocol leaves open.
pub fn accepted() -> Vec<Case> {
    let put = intact_body("PutReadings");
    let ok = Expect(200, "");
    let mut indefinite = vec![0xbf];
    indefinite.extend(text("station").encode());
    indefinite.extend([0x7f, 0x67]);
    indefinite.extend(b"station");
    indefinite.extend([0x62, b'-', b'1', 0xff]);
    indefinite.extend(text("readings").encode());
    indefinite.push(0x9f);
    indefinite.extend(reading(1, 1.0).encode());
    indefinite.extend([0xff, 0xff]);
    let extras = [
        Item::Tag(2, Box::new(Item::Bytes(vec![1; 9]))),
        Item::Tag(55799, Box::new(map(vec![]))),
        Item::Array(vec![Item::Raw(vec![0xf7]), Item::Neg(0), Item::Float(f64::NAN)]),
    ];
    let mut cases = vec![
        Case::call("indefinite lengths", "PutReadings", indefinite, ok),
        Case::call("null clientToken", "PutReadings", put.replace("clientToken", Item::Raw(vec![0xf6])).encode(), ok),
        Case::call("untagged epoch seconds", "PutReadings", put.replace("readings.0.at", Item::Uint(5)).encode(), ok),
        Case::call(
            "NaN reading",
            "PutReadings",
            put.replace("readings.0.value", Item::Raw(vec![0xf9, 0x7e, 0])).encode(),
            ok,
        ),
        Case::call("integer reading", "PutReadings", put.replace("readings.0.value", Item::Neg(9)).encode(), ok),
        Case::call("Ping without a body", "Ping", Vec::new(), ok).without("content-type"),
        Case::call("Ping with an empty map", "Ping", vec![0xa0], ok),
        Case::call("Ping with unknown members", "Ping", map(vec![("x", Item::Uint(1))]).encode(), ok),
        Case::call("charset", "DescribeStation", intact_body("DescribeStation").encode(), ok)
            .header("content-type", "application/cbor; charset=binary"),
        Case::call("upper case", "DescribeStation", intact_body("DescribeStation").encode(), ok)
            .header("content-type", "Application/CBOR"),
        Case::call("prefix", "DescribeStation", intact_body("DescribeStation").encode(), ok)
            .uri("/some/prefix/service/Stations/operation/DescribeStation"),
        Case::call("protocol in upper case", "DescribeStation", intact_body("DescribeStation").encode(), ok)
            .header("smithy-protocol", "RPC-V2-CBOR"),
    ];
    for (i, extra) in extras.into_iter().enumerate() {
        let Item::Map(mut entries) = put.clone() else { unreachable!() };
        entries.push(("extra".into(), extra));
        cases.push(Case::call(format!("unknown member {i}"), "PutReadings", Item::Map(entries).encode(), ok));
    }
    cases
}

/// A PutReadings body with three violations: a station off the pattern, a reading without
/// its timestamp and one without its value.
pub fn three_violations() -> Vec<u8> {
    let put = intact_body("PutReadings").replace("station", text("Station One!"));
    let drop = |item: &Item, key: &str| match item {
        Item::Map(entries) => Item::Map(entries.iter().filter(|(k, _)| k != key).cloned().collect()),
        other => other.clone(),
    };
    let first = drop(put.get("readings.0").unwrap(), "at");
    let second = drop(put.get("readings.1").unwrap(), "value");
    put.replace("readings.0", first).replace("readings.1", second).encode()
}
