//! What goes wrong inside a body: not an object, cut short, wrong types and hostile
//! numbers, deep nesting, invalid UTF-8, duplicate keys, broken unions, too many bytes.

use super::intact;
use crate::{Body, Case, MALFORMED, TOO_LARGE};

/// The JSON a member takes, to leave out the values a slot would accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    /// An `Integer` with a `@range` that 5 is in.
    Integer,
    Long,
    Blob,
    Boolean,
    /// Epoch seconds: any finite number in range.
    Timestamp,
    List,
    Map,
    Union,
}

/// Where a value can go, as a template with `$` for the value: each kind of member, at the
/// top of each operation's input and inside the union, its list and its map.
const SLOTS: &[(&str, &str, &str, Kind)] = &[
    ("PutEntry TableName", "PutEntry", r#"{"TableName":$,"Key":"k","Value":{"S":"v"}}"#, Kind::String),
    ("PutEntry Key", "PutEntry", r#"{"TableName":"tbl","Key":$,"Value":{"S":"v"}}"#, Kind::String),
    ("PutEntry Value", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":$}"#, Kind::Union),
    ("PutEntry Value.S", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":$}}"#, Kind::String),
    ("PutEntry Value.N", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"N":$}}"#, Kind::Long),
    ("PutEntry Value.B", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"B":$}}"#, Kind::Blob),
    ("PutEntry Value.Bool", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"Bool":$}}"#, Kind::Boolean),
    ("PutEntry Value.L", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"L":$}}"#, Kind::List),
    ("PutEntry Value.L[0]", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"L":[$]}}"#, Kind::Union),
    ("PutEntry Value.M", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"M":$}}"#, Kind::Map),
    ("PutEntry Value.M.a", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"M":{"a":$}}}"#, Kind::Union),
    ("PutEntry Value.When", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"When":$}}"#, Kind::Timestamp),
    ("PutEntry Copies", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Copies":$}"#, Kind::Integer),
    ("PutEntry Tags", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Tags":$}"#, Kind::Map),
    ("PutEntry Tags.a", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Tags":{"a":$}}"#, Kind::String),
    ("PutEntry Note", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Note":$}"#, Kind::String),
    ("GetEntry TableName", "GetEntry", r#"{"TableName":$,"Key":"k"}"#, Kind::String),
    ("GetEntry Key", "GetEntry", r#"{"TableName":"tbl","Key":$}"#, Kind::String),
    ("DeleteEntry Key", "DeleteEntry", r#"{"TableName":"tbl","Key":$}"#, Kind::String),
    ("ListEntries TableName", "ListEntries", r#"{"TableName":$}"#, Kind::String),
    ("ListEntries Limit", "ListEntries", r#"{"TableName":"tbl","Limit":$}"#, Kind::Integer),
    ("ListEntries NextToken", "ListEntries", r#"{"TableName":"tbl","NextToken":$}"#, Kind::String),
];

fn fill(template: &str, value: &[u8]) -> Vec<u8> {
    let (before, after) = template.split_once('$').unwrap();
    [before.as_bytes(), value, after.as_bytes()].concat()
}

/// Bodies that are JSON but not an object, or an object with more after it.
pub fn not_objects(cases: &mut Vec<Case>) {
    let bodies = [
        "[]",
        "1",
        "\"x\"",
        "null",
        "true",
        "1e999",
        "[{\"TableName\":\"tbl\",\"Key\":\"k\"}]",
        "{\"TableName\":\"tbl\",\"Key\":\"k\"} {}",
        "{\"TableName\":\"tbl\",\"Key\":\"k\"}}",
        "{\"TableName\":\"tbl\",\"Key\":\"k\"},",
        "\u{feff}{\"TableName\":\"tbl\",\"Key\":\"k\"}",
    ];
    for (operation, _) in intact().into_iter().filter(|(operation, _)| *operation != "Ping") {
        for body in bodies {
            cases.push(Case::call(format!("{operation} body {body:?}"), operation, body, MALFORMED));
        }
    }
}

/// Every proper prefix of every body with members (the empty one is a body without the
/// required members: see `violations`).
pub fn truncated(cases: &mut Vec<Case>) {
    for (operation, body) in intact().into_iter().filter(|(operation, _)| *operation != "Ping") {
        for cut in 1..body.len() {
            cases.push(Case::call(format!("{operation} body cut at {cut}"), operation, &body[..cut], MALFORMED));
        }
    }
}

/// Every slot given values of the wrong type, numbers out of every range, and text that is
/// not JSON at all.
pub fn wrong_types(cases: &mut Vec<Case>) {
    let values = [
        "5",
        "true",
        "false",
        "{}",
        "[]",
        "\"s\"",
        "\"5\"",
        "1e999",
        "-1e999",
        "1e-999",
        "123456789012345678901234567890",
        "-123456789012345678901234567890",
        "9223372036854775808",
        "2147483648",
        "0.5",
        "NaN",
        "Infinity",
        "-Infinity",
        "0x10",
        "01",
        "+1",
        ".5",
        "1.",
        "'single'",
        "undefined",
    ];
    for &(slot, operation, template, kind) in SLOTS {
        for value in values.into_iter().filter(|value| !accepts(kind, value)) {
            cases.push(Case::call(format!("{slot} = {value}"), operation, fill(template, value.as_bytes()), MALFORMED));
        }
    }
    // Numbers no reader can hold, under a member the model does not have: skipping a member
    // must not skip checking it.
    for value in ["1e999", "-1e999"] {
        let body = format!(r#"{{"TableName":"tbl","Key":"k","Unknown":{value}}}"#);
        cases.push(Case::call(format!("GetEntry unknown member = {value}"), "GetEntry", body, MALFORMED));
    }
}

/// Whether a slot of `kind` reads `value` (those cases are not hostile).
fn accepts(kind: Kind, value: &str) -> bool {
    match kind {
        Kind::String => value == "\"s\"" || value == "\"5\"",
        Kind::Integer => value == "5",
        Kind::Long => matches!(value, "5" | "2147483648"),
        Kind::Timestamp => matches!(value, "5" | "2147483648" | "0.5" | "1e-999"),
        Kind::Boolean => value == "true" || value == "false",
        Kind::List => value == "[]",
        Kind::Map => value == "{}",
        Kind::Blob | Kind::Union => false,
    }
}

/// Arrays and objects nested 10,000 and 100,000 levels deep: as the body, in member slots
/// of every kind, under a member the model does not have, and through the model's own
/// recursion (a `Value` list of lists, a map of maps).
pub fn nesting(cases: &mut Vec<Case>) {
    for depth in [10_000, 100_000] {
        for (kind, open, close) in [("arrays", "[", "]"), ("objects", "{\"a\":", "}")] {
            let deep = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            cases.push(Case::call(format!("body of {kind} nested {depth} deep"), "PutEntry", deep.clone(), MALFORMED));
            let unknown = format!(r#"{{"TableName":"tbl","Key":"k","Unknown":{deep}}}"#);
            cases.push(Case::call(
                format!("unknown member of {kind} nested {depth} deep"),
                "GetEntry",
                unknown,
                MALFORMED,
            ));
            for &(slot, operation, template, _) in SLOTS.iter().filter(|slot| slot.3 != Kind::String) {
                let body = fill(template, deep.as_bytes());
                cases.push(Case::call(format!("{slot} = {kind} nested {depth} deep"), operation, body, MALFORMED));
            }
        }
        for (kind, open, close) in [("L", r#"{"L":["#, "]}"), ("M", r#"{"M":{"a":"#, "}}")] {
            let deep = format!(r#"{}{{"S":"x"}}{}"#, open.repeat(depth), close.repeat(depth));
            let body = format!(r#"{{"TableName":"tbl","Key":"k","Value":{deep}}}"#);
            cases.push(Case::call(format!("Value.{kind} nested {depth} deep"), "PutEntry", body, MALFORMED));
        }
    }
}

/// Strings that are not UTF-8 (or, escaped, not Unicode scalar values) in every string slot
/// and as a map key.
pub fn invalid_utf8(cases: &mut Vec<Case>) {
    let bad: &[&[u8]] = &[
        b"\"\xff\"",
        b"\"\xc3\x28\"",
        b"\"\xed\xa0\x80\"",
        b"\"\xf8\x88\x80\x80\x80\"",
        b"\"\\ud800\"",
        b"\"\\udc00\\ud800\"",
        b"\xff",
    ];
    for &(slot, operation, template, _) in SLOTS.iter().filter(|slot| slot.3 == Kind::String) {
        for value in bad {
            let name = format!("{slot} = invalid UTF-8 {:?}", String::from_utf8_lossy(value));
            cases.push(Case::call(name, operation, fill(template, value), MALFORMED));
        }
    }
    for value in bad.iter().filter(|value| value.starts_with(b"\"")) {
        let body = fill(r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Tags":{$:"v"}}"#, value);
        let name = format!("PutEntry Tags key = invalid UTF-8 {:?}", String::from_utf8_lossy(value));
        cases.push(Case::call(name, "PutEntry", body, MALFORMED));
    }
}

/// The same key twice, at the top, in the union, in maps and among unknown members: two
/// readers of the body could each take a different one.
pub fn duplicate_keys(cases: &mut Vec<Case>) {
    let bodies = [
        ("PutEntry TableName", "PutEntry", r#"{"TableName":"tbl","TableName":"other","Key":"k","Value":{"S":"v"}}"#),
        ("PutEntry Key", "PutEntry", r#"{"TableName":"tbl","Key":"k","Key":"j","Value":{"S":"v"}}"#),
        ("PutEntry Value", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Value":{"N":1}}"#),
        ("PutEntry Value.S", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v","S":"w"}}"#),
        (
            "PutEntry Value.M",
            "PutEntry",
            r#"{"TableName":"tbl","Key":"k","Value":{"M":{"a":{"S":"x"},"a":{"S":"y"}}}}"#,
        ),
        ("PutEntry Tags", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":{"S":"v"},"Tags":{"a":"1","a":"2"}}"#),
        ("PutEntry unknown member", "PutEntry", r#"{"X":1,"X":2,"TableName":"tbl","Key":"k","Value":{"S":"v"}}"#),
        ("GetEntry Key", "GetEntry", r#"{"TableName":"tbl","Key":"k","Key":"k"}"#),
        ("DeleteEntry TableName", "DeleteEntry", r#"{"TableName":"x","TableName":"tbl","Key":"k"}"#),
        ("ListEntries Limit", "ListEntries", r#"{"TableName":"tbl","Limit":1,"Limit":2}"#),
    ];
    for (name, operation, body) in bodies {
        cases.push(Case::call(format!("duplicate key: {name}"), operation, body, MALFORMED));
    }
}

/// A union must have exactly one member, and one the model defines.
pub fn unions(cases: &mut Vec<Case>) {
    let values = [
        ("two members", r#"{"S":"a","N":1}"#),
        ("only a null member", r#"{"S":null}"#),
        ("all members", r#"{"S":"a","N":1,"B":"AA==","Bool":true,"L":[],"M":{},"When":1}"#),
        ("an unknown member", r#"{"Z":"a"}"#),
        ("a known and an unknown member", r#"{"S":"a","Z":1}"#),
        ("an unknown and a known member", r#"{"Z":1,"S":"a"}"#),
        ("a member in the wrong case", r#"{"s":"a"}"#),
        ("two members in a list", r#"{"L":[{"S":"a"},{"S":"a","Bool":true}]}"#),
        ("an unknown member in a map", r#"{"M":{"a":{"Z":1}}}"#),
    ];
    for (name, value) in values {
        let body = format!(r#"{{"TableName":"tbl","Key":"k","Value":{value}}}"#);
        cases.push(Case::call(format!("union with {name}"), "PutEntry", body, MALFORMED));
    }
}

/// Bodies over the server's limit (10 MiB by default): declared as 100 MB (refused before
/// reading), 100 MB streamed without a declared length, and one byte over, either way.
pub fn oversized(cases: &mut Vec<Case>) {
    const HUNDRED_MB: usize = 100 * 1024 * 1024;
    let limit = fixture_aws_json::server::ServerConfig::DEFAULT_BODY_LIMIT;
    let (head, tail) = (r#"{"TableName":"tbl","Key":"k","Note":""#, r#""}"#);
    let over = format!("{head}{}{tail}", "x".repeat(limit + 1 - head.len() - tail.len()));
    assert_eq!(over.len(), limit + 1);
    for (operation, body) in intact() {
        let declared = Case::call(format!("{operation} declared 100 MB"), operation, body, TOO_LARGE);
        cases.push(declared.header("content-length", HUNDRED_MB.to_string()));
        let streamed = Case::call(format!("{operation} 100 MB streamed"), operation, "", TOO_LARGE);
        cases.push(streamed.body(Body::Stream { length: HUNDRED_MB }));
    }
    let one_over = Case::call("PutEntry one byte over the limit", "PutEntry", over, TOO_LARGE);
    cases.push(one_over.clone().header("content-length", (limit + 1).to_string()));
    cases.push(one_over);
    // The body is read before the target is looked at: a request for no operation is
    // refused for its size all the same.
    let unknown = Case::call("unknown target, 100 MB streamed", "Scan", "", TOO_LARGE);
    cases.push(unknown.body(Body::Stream { length: HUNDRED_MB }));
}
