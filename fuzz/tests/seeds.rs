//! The seeds of the `request` and `cbor` targets (`fuzz/seeds/request/`, `fuzz/seeds/cbor/`,
//! copied into the corpus by `cargo xtask fuzz`) replayed outside libFuzzer: each request
//! seed must describe a request, get no 5xx, and get the answer it was written for; each cbor
//! seed must keep the target's properties and read (or not) as it was written to, so that a
//! change to the input layout, the reader or the server cannot turn the seeds into noise
//! unnoticed. Run with `cargo test --manifest-path fuzz/Cargo.toml`.
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
    ("rpc_v2_cbor-application-json", 415, "UnsupportedMediaTypeException"),
    ("rpc_v2_cbor-describe-station", 200, ""),
    ("rpc_v2_cbor-get-readings", 200, ""),
    ("rpc_v2_cbor-get-readings-not-found", 404, "example.stations#StationNotFound"),
    ("rpc_v2_cbor-nested-indefinite-text", 400, "SerializationException"),
    ("rpc_v2_cbor-nested-tags-under-unknown-member", 400, "SerializationException"),
    ("rpc_v2_cbor-no-protocol", 400, "UnknownOperationException"),
    ("rpc_v2_cbor-ping", 200, ""),
    ("rpc_v2_cbor-put-readings", 200, ""),
    ("rpc_v2_cbor-put-readings-invalid", 400, "smithy.framework#ValidationException"),
    ("rpc_v2_cbor-put-readings-truncated", 400, "SerializationException"),
    ("rpc_v2_cbor-put-readings-unsigned-to-signed", 401, "MissingAuthenticationTokenException"),
];

/// Each seed of the `cbor` target and whether its body reads leniently.
const CBOR_EXPECTED: &[(&str, bool)] = &[
    ("floats-of-every-width", true),
    ("length-2-to-the-63", false),
    ("lenient-bignum-and-self-described", true),
    ("nested-tags", false),
    ("put-readings", true),
    ("reading-every-kind", true),
    ("union-unknown-member", true),
];

/// The seeds in `fuzz/seeds/{target}`, by name in order.
fn seeds(target: &str) -> (std::path::PathBuf, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(target);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (dir, names)
}

#[test]
fn every_cbor_seed_keeps_the_properties_and_reads_as_written() {
    let (dir, names) = seeds("cbor");
    let expected: Vec<&str> = CBOR_EXPECTED.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected, "every seed needs its expectation here, and every expectation its seed");
    for &(name, reads) in CBOR_EXPECTED {
        let data = std::fs::read(dir.join(name)).unwrap();
        smithy_fuzz::cbor(&data);
        let lenient = smithy_runtime::cbor::to_json(&data[1..], None);
        assert_eq!(lenient.is_ok(), reads, "{name}: {lenient:?}");
    }
}

#[test]
fn every_request_seed_gets_the_answer_it_was_written_for() {
    let (dir, names) = seeds("request");
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
