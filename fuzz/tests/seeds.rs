//! The `request` target's seeds (`fuzz/seeds/request/`, copied into the corpus by `cargo xtask
//! fuzz`) replayed outside libFuzzer: each must describe a request, get no 5xx, and get the
//! answer it was written for, so that a change to the input layout or to the server cannot
//! turn the seeds into noise unnoticed. Run with `cargo test --manifest-path fuzz/Cargo.toml`.
#![allow(clippy::unwrap_used)]

use std::path::Path;

/// Each seed and the status and `X-Amzn-Errortype` it must get.
const EXPECTED: &[(&str, u16, &str)] = &[
    ("aws_json-delete-entry-missing", 400, "example.kvstore#ResourceNotFoundException"),
    ("aws_json-get-entry-missing", 400, "example.kvstore#ResourceNotFoundException"),
    ("aws_json-get-entry-unsigned-to-signed", 401, "MissingAuthenticationTokenException"),
    ("aws_json-list-entries", 200, ""),
    ("aws_json-no-target", 400, "UnknownOperationException"),
    ("aws_json-ping", 200, ""),
    ("aws_json-put-entry", 200, ""),
    ("aws_json-put-entry-application-json", 415, "UnsupportedMediaTypeException"),
    ("aws_json-put-entry-invalid", 400, "example.kvstore#ValidationException"),
    ("aws_json-put-entry-nested-union", 200, ""),
    ("aws_json-put-entry-two-union-members", 400, "SerializationException"),
];

#[test]
fn every_request_seed_gets_the_answer_it_was_written_for() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/request");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<&str> = EXPECTED.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, expected, "every seed needs its expected answer here, and every answer its seed");
    let mut failures = Vec::new();
    for &(name, status, error_type) in EXPECTED {
        let data = std::fs::read(dir.join(name)).unwrap();
        // The target's own check (no 5xx) first, then the expected answer.
        smithy_fuzz::request(&data);
        let answer = smithy_fuzz::answer(&data).unwrap_or_else(|| panic!("{name} describes no request"));
        if (answer.status, answer.error_type.as_str()) != (status, error_type) {
            failures.push(format!("{name}: expected {status} {error_type:?}, got {answer:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
