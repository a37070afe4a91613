//! The cases: routing and media types here, what goes wrong inside a body in `bodies`.

mod bodies;

use crate::{Case, INVALID, MEDIA_TYPE, NOT_FOUND, UNKNOWN_TARGET, WRONG_METHOD};

/// Each operation and its intact body, in an order where each one succeeds against the seeded
/// store (PutEntry overwrites the seeded entry, DeleteEntry then removes it). Every case is
/// one of these with one mistake, so that one wrongly accepted would reach its handler.
pub fn intact() -> Vec<(&'static str, String)> {
    vec![
        (
            "PutEntry",
            r#"{"TableName":"tbl","Key":"k","Value":{"S":"hostile"},"Copies":2,"Tags":{"a":"b"},"Note":"n"}"#.into(),
        ),
        ("GetEntry", r#"{"TableName":"tbl","Key":"k"}"#.into()),
        ("ListEntries", r#"{"TableName":"tbl","Limit":10,"NextToken":"t"}"#.into()),
        ("DeleteEntry", r#"{"TableName":"tbl","Key":"k"}"#.into()),
        ("Ping", "{}".into()),
    ]
}

/// Every case of the corpus.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    routing(&mut cases);
    media_types(&mut cases);
    bodies::not_objects(&mut cases);
    bodies::truncated(&mut cases);
    bodies::wrong_types(&mut cases);
    bodies::nesting(&mut cases);
    bodies::invalid_utf8(&mut cases);
    bodies::duplicate_keys(&mut cases);
    bodies::unions(&mut cases);
    bodies::oversized(&mut cases);
    for (name, operation, body, _) in violations() {
        cases.push(Case::call(format!("invalid: {name}"), operation, body, INVALID));
    }
    cases
}

/// `X-Amz-Target` values that name no operation of this service: none, empty, malformed, in
/// the wrong case, of another service or another version of this one.
fn routing(cases: &mut Vec<Case>) {
    for (operation, body) in intact() {
        let case = Case::call(format!("{operation} without X-Amz-Target"), operation, body, UNKNOWN_TARGET);
        cases.push(case.without("x-amz-target"));
    }
    let put = intact()[0].1.clone();
    let targets: &[&[u8]] = &[
        b"",
        b"KvStore_20250101",
        b"KvStore_20250101.",
        b".PutEntry",
        b"PutEntry",
        b"KvStore_20250101PutEntry",
        b"KvStore_20250101.putentry",
        b"KvStore_20250101.PUTENTRY",
        b"kvstore_20250101.PutEntry",
        b"KvStore_20250101.Scan",
        b"KvStore_20250101.PutEntry.PutEntry",
        b"KvStore_20250101..PutEntry",
        b"KvStore_20250101.Put%45ntry",
        b"KvStore_20250101/PutEntry",
        b"KvStore_20250101#PutEntry",
        b"KvStore_20250101:PutEntry",
        b"KvStore_20250101.PutEntry;",
        b"KvStore_20250101.Put\tEntry",
        b"KvStore_20250101.Put\xffEntry",
        b"KvStore_20250101.PutEntry\xc3\x28",
        // Another service's targets, and this service under other names.
        b"KvStore_20240101.PutEntry",
        b"KvStore.PutEntry",
        b"example.kvstore#KvStore_20250101.PutEntry",
        b"example.kvstore#PutEntry",
        b"DynamoDB_20120810.PutItem",
        b"DynamoDB_20120810.PutEntry",
        b"Chime.CreateAccount",
        b"Kinesis_20131202.PutRecord",
    ];
    for target in targets {
        let name = format!("X-Amz-Target {:?}", String::from_utf8_lossy(target));
        cases.push(Case::call(name, "PutEntry", put.clone(), UNKNOWN_TARGET).header("x-amz-target", *target));
    }

    // Only `POST /`: another path is 404 and another method 405, whatever the target says.
    for path in ["/entries/k", "/PutEntry", "/KvStore_20250101.PutEntry", "//", "/%2F", "/.", "/..", "/index.html"] {
        cases.push(Case::call(format!("POST {path}"), "PutEntry", put.clone(), NOT_FOUND).uri(path));
    }
    for method in ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"] {
        for (operation, body) in intact() {
            cases.push(Case::call(format!("{method} / {operation}"), operation, body, WRONG_METHOD).method(method));
        }
    }

    // restJson1-style requests: the operation in the method and path, no target.
    let rest = |name: &str, method, path: &str, body: &str, expect| {
        let case = Case::call(format!("restJson1-style {name}"), "", body, expect).without("x-amz-target");
        case.method(method).uri(path).header("content-type", "application/json")
    };
    let value = r#"{"Value":{"S":"hostile"}}"#;
    cases.extend([
        rest("POST /entries/k", "POST", "/entries/k", value, NOT_FOUND),
        rest("PUT /tables/tbl/entries/k", "PUT", "/tables/tbl/entries/k", value, NOT_FOUND),
        rest("DELETE /tables/tbl/entries/k", "DELETE", "/tables/tbl/entries/k", "", NOT_FOUND),
        rest("GET / with a JSON body", "GET", "/", r#"{"TableName":"tbl","Key":"k"}"#, WRONG_METHOD),
        rest("GET /?TableName=tbl&Key=k", "GET", "/?TableName=tbl&Key=k", "", WRONG_METHOD),
        rest("POST / with application/json", "POST", "/", r#"{"TableName":"tbl","Key":"k"}"#, UNKNOWN_TARGET),
    ]);
}

/// A body with another media type, or none, on each operation: awsJson1_0 bodies are
/// `application/x-amz-json-1.0` and nothing else (not even awsJson1_1's).
fn media_types(cases: &mut Vec<Case>) {
    let media_types: &[Option<&[u8]>] = &[
        None,
        Some(b""),
        Some(b"application/json"),
        Some(b"text/plain"),
        Some(b"application/x-amz-json-1.1"),
        Some(b"application/x-amz-json"),
        Some(b"application/x-amz-json-1.0x"),
        Some(b"application/x-amz-json-1.00"),
        Some(b"x-amz-json-1.0"),
        Some(b"application/xml"),
        Some(b"application/x-www-form-urlencoded"),
        Some(b"multipart/form-data; boundary=x"),
        Some(b"application/cbor"),
        Some(b"*/*"),
        Some(b"application/*"),
        Some(b"application/x-amz-json-1.0\xff"),
        Some(b"\xc3\x28"),
    ];
    for (operation, body) in intact() {
        for media_type in media_types {
            let name = format!("{operation} Content-Type {:?}", media_type.map(String::from_utf8_lossy));
            let case = Case::call(name, operation, body.clone(), MEDIA_TYPE).without("content-type");
            cases.push(match media_type {
                Some(value) => case.header("content-type", *value),
                None => case,
            });
        }
    }
}

/// Inputs that read but break the model's constraints, with the path of every violation
/// the answer must list.
pub fn violations() -> Vec<(&'static str, &'static str, String, Vec<&'static str>)> {
    let tags: String = (1..=6).map(|i| format!(r#""{i}":"v""#)).collect::<Vec<_>>().join(",");
    vec![
        ("PutEntry {}", "PutEntry", "{}".into(), vec!["/TableName", "/Key", "/Value"]),
        ("PutEntry empty body", "PutEntry", String::new(), vec!["/TableName", "/Key", "/Value"]),
        ("GetEntry empty body", "GetEntry", String::new(), vec!["/TableName", "/Key"]),
        ("DeleteEntry empty body", "DeleteEntry", String::new(), vec!["/TableName", "/Key"]),
        ("ListEntries empty body", "ListEntries", String::new(), vec!["/TableName"]),
        (
            "every constraint of PutEntry at once",
            "PutEntry",
            format!(
                r#"{{"TableName":"a!","Key":"","Value":{{"S":"v"}},"Copies":0,"Tags":{{{tags},"7":"{}"}}}}"#,
                "x".repeat(17)
            ),
            // TableName breaks its length and its pattern.
            vec!["/TableName", "/TableName", "/Key", "/Copies", "/Tags", "/Tags/7"],
        ),
        (
            "missing members and broken ones",
            "PutEntry",
            r#"{"TableName":"a!","Copies":11}"#.into(),
            vec!["/Key", "/Value", "/TableName", "/TableName", "/Copies"],
        ),
        ("Limit 0", "ListEntries", r#"{"TableName":"tbl","Limit":0}"#.into(), vec!["/Limit"]),
        ("Limit 101 and no TableName", "ListEntries", r#"{"Limit":101}"#.into(), vec!["/TableName", "/Limit"]),
        ("null TableName", "PutEntry", r#"{"TableName":null,"Key":"k","Value":{"S":"v"}}"#.into(), vec!["/TableName"]),
        ("null Value", "PutEntry", r#"{"TableName":"tbl","Key":"k","Value":null}"#.into(), vec!["/Value"]),
        ("null Key", "GetEntry", r#"{"TableName":"tbl","Key":null}"#.into(), vec!["/Key"]),
        (
            "65-character Key",
            "PutEntry",
            format!(r#"{{"TableName":"tbl","Key":"{}","Value":{{"S":"v"}}}}"#, "k".repeat(65)),
            vec!["/Key"],
        ),
        (
            "256-character TableName",
            "PutEntry",
            format!(r#"{{"TableName":"{}","Key":"k","Value":{{"S":"v"}}}}"#, "t".repeat(256)),
            vec!["/TableName"],
        ),
        (
            "TableName with a space",
            "PutEntry",
            r#"{"TableName":"my table","Key":"k","Value":{"S":"v"}}"#.into(),
            vec!["/TableName"],
        ),
        (
            "17-character tag",
            "PutEntry",
            format!(r#"{{"TableName":"tbl","Key":"k","Value":{{"S":"v"}},"Tags":{{"a":"{}"}}}}"#, "x".repeat(17)),
            vec!["/Tags/a"],
        ),
    ]
}
