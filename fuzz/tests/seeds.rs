//! The seeds of the `request`, `cbor` and `event_stream` targets (`fuzz/seeds/request/`,
//! `fuzz/seeds/cbor/`, `fuzz/seeds/event_stream/`, copied into the corpus by `cargo xtask
//! fuzz`) replayed outside libFuzzer: each request seed must describe a request, get no 5xx,
//! and get the answer it was written for; each cbor seed must keep the target's properties and
//! read (or not) as it was written to; each event_stream seed must keep the target's properties
//! and give the events and the end it was written for. So a change to the input layout, the
//! reader or the server cannot turn the seeds into noise unnoticed. Run with
//! `cargo test --manifest-path fuzz/Cargo.toml`.
//!
//! The event_stream seeds are binary files written by [`event_stream_seeds`] (frames by
//! `aws-smithy-eventstream`, then broken by hand); a test checks that the files are what it
//! writes, and `SMITHY_FUZZ_WRITE_SEEDS=1 cargo test --test seeds` writes them again.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use aws_smithy_eventstream::frame::write_message_to;
use fixture_event_streams::types::ChatEvents;
use smithy_fuzz::event_stream::{crc32, fix_crcs, End};
use smithy_runtime::event_stream::{ErrorKind, Header, HeaderValue, Message};
use smithy_runtime::DateTime;

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

/// Each seed of the `event_stream` target, the events it gives (by union member) and how it
/// ends: `None` for `Ok(None)`, else the kind of its `Err`.
const EVENT_STREAM_EXPECTED: &[(&str, &[&str], Option<ErrorKind>)] = &[
    ("bad-message-crc", &[], Some(ErrorKind::Frame)),
    ("bad-prelude-crc", &[], Some(ErrorKind::Frame)),
    ("epoch-header-with-milliseconds", &["headers"], None),
    ("error-message", &["token"], Some(ErrorKind::Remote)),
    ("every-header-type", &["headers"], None),
    ("every-payload-kind", &["data", "note", "usage", "done"], None),
    ("exception", &["throttled"], None),
    ("header-type-out-of-range", &[], Some(ErrorKind::Frame)),
    ("header-value-length-beyond-frame", &[], Some(ErrorKind::Frame)),
    ("length-beyond-frame", &[], Some(ErrorKind::Frame)),
    ("no-message-type", &[], Some(ErrorKind::Message)),
    ("payload-not-json", &[], Some(ErrorKind::Message)),
    ("prelude-17-mib", &[], Some(ErrorKind::Frame)),
    ("signed-envelope-and-end", &["token", "headers"], None),
    ("token", &["token"], None),
    ("transport-error-after-token", &["token"], Some(ErrorKind::Transport)),
    ("truncated-prelude", &[], Some(ErrorKind::Frame)),
    ("two-frames", &["token", "token"], None),
    ("unknown-event-type-skipped", &["token"], None),
    ("unmodeled-exception", &[], Some(ErrorKind::UnmodeledException)),
];

fn member(event: &ChatEvents) -> &'static str {
    match event {
        ChatEvents::Token(_) => "token",
        ChatEvents::Done(_) => "done",
        ChatEvents::Data(_) => "data",
        ChatEvents::Note(_) => "note",
        ChatEvents::Usage(_) => "usage",
        ChatEvents::Headers(_) => "headers",
        ChatEvents::Throttled(_) => "throttled",
        _ => "unknown",
    }
}

/// The first byte of an event_stream input (see `fuzz/src/event_stream.rs`): bits 0 to 3 the
/// chunk size, then CRCs put right, empty chunks, pending polls, a failing body.
const WHOLE: u8 = 0x00;
const ONE_BYTE: u8 = 0x01;
const TWO_BYTES: u8 = 0x02;
const ELEVEN: u8 = 0x07;
const TWELVE: u8 = 0x08;
const THIRTEEN: u8 = 0x09;
const SIXTEEN: u8 = 0x0A;
const VARYING: u8 = 0x0F;
const FIX_CRCS: u8 = 0x10;
const EMPTY_CHUNKS: u8 = 0x20;
const PENDING: u8 = 0x40;
const FAIL: u8 = 0x80;

fn string(name: &'static str, value: &'static str) -> Header {
    Header::new(name, HeaderValue::String(value.into()))
}

fn frame(message: &Message) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_message_to(message, &mut bytes).unwrap();
    bytes
}

/// An event of `member`, its `:content-type` and `headers` and `payload`.
fn event(member: &'static str, content_type: &'static str, headers: Vec<Header>, payload: &'static [u8]) -> Message {
    let mut all = vec![string(":message-type", "event"), string(":event-type", member)];
    all.extend(headers);
    all.push(string(":content-type", content_type));
    Message::new_from_parts(all, bytes::Bytes::from_static(payload))
}

fn token(seq: i32) -> Vec<u8> {
    frame(&event(
        "token",
        "application/json",
        vec![Header::new("seq", HeaderValue::Int32(seq))],
        br#"{"text":"Hello"}"#,
    ))
}

fn every_header_type() -> Message {
    let headers = vec![
        Header::new("flag", HeaderValue::Bool(true)),
        Header::new("small", HeaderValue::Byte(-7)),
        Header::new("short", HeaderValue::Int16(-300)),
        Header::new("int", HeaderValue::Int32(70_000)),
        Header::new("long", HeaderValue::Int64(-5_000_000_000)),
        Header::new("blob", HeaderValue::ByteArray(bytes::Bytes::from_static(&[0, 1, 0xFE, 0xFF]))),
        Header::new("text", HeaderValue::String("héllo".into())),
        Header::new("time", HeaderValue::Timestamp(DateTime::from_secs(1_767_225_600))),
        Header::new("when", HeaderValue::Timestamp(DateTime::from_millis(1_767_225_600_123))),
        // The two wire types no member has: a false boolean and a UUID, under names the union
        // does not read.
        Header::new("unread-false", HeaderValue::Bool(false)),
        Header::new("unread-uuid", HeaderValue::Uuid(0x0123_4567_89AB_CDEF_0123_4567_89AB_CDEF)),
    ];
    event("headers", "application/json", headers, br#"{"rest":"beside the headers"}"#)
}

/// A signed envelope: `:date` and `:chunk-signature` headers, `inner` as the payload.
fn envelope(inner: &[u8]) -> Vec<u8> {
    let headers = vec![
        Header::new(":date", HeaderValue::Timestamp(DateTime::from_secs(1_767_225_600))),
        Header::new(":chunk-signature", HeaderValue::ByteArray(bytes::Bytes::from(vec![0xAB; 32]))),
    ];
    frame(&Message::new_from_parts(headers, bytes::Bytes::copy_from_slice(inner)))
}

/// The place of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).position(|w| w == needle).unwrap()
}

fn seed(mode: u8, body: &[u8]) -> Vec<u8> {
    let mut bytes = vec![mode];
    bytes.extend_from_slice(body);
    bytes
}

/// The event_stream seeds, by name.
fn event_stream_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let mut seeds = Vec::new();
    seeds.push(("token", seed(FIX_CRCS | WHOLE, &token(1))));
    seeds.push(("every-header-type", seed(FIX_CRCS | ONE_BYTE, &frame(&every_header_type()))));
    // An epoch-seconds header off a whole second, which the runtime reads a little early (see
    // `same_but_for_epoch_drift` in fuzz/src/event_stream.rs); the first input the fuzzer found.
    let time = Header::new("time", HeaderValue::Timestamp(DateTime::from_millis(1_767_225_600_004)));
    let millis = event("headers", "application/json", vec![time], b"{}");
    seeds.push(("epoch-header-with-milliseconds", seed(FIX_CRCS | WHOLE, &frame(&millis))));
    let data = event("data", "application/octet-stream", vec![], &[0, 159, 146, 150, 0xFF]);
    let note = event("note", "text/plain", vec![], "a note, ünïcode".as_bytes());
    let usage = event("usage", "application/json", vec![], br#"{"input":12,"output":345}"#);
    let at = Header::new("at", HeaderValue::Timestamp(DateTime::from_secs(1_767_225_601)));
    let done = event("done", "application/json", vec![at], br#"{"stop_reason":"end_turn"}"#);
    let payloads: Vec<u8> = [data, note, usage, done].iter().flat_map(frame).collect();
    seeds.push(("every-payload-kind", seed(FIX_CRCS | VARYING, &payloads)));

    // A modeled exception ends the stream: the token after it is never read.
    let throttled = Message::new_from_parts(
        vec![
            string(":message-type", "exception"),
            string(":exception-type", "throttled"),
            string(":content-type", "application/json"),
        ],
        bytes::Bytes::from_static(br#"{"message":"slow down"}"#),
    );
    seeds.push(("exception", seed(FIX_CRCS | ELEVEN, &[frame(&throttled), token(2)].concat())));
    let unmodeled = Message::new_from_parts(
        vec![string(":message-type", "exception"), string(":exception-type", "Boom")],
        bytes::Bytes::from_static(br#"{"message":"not in the model"}"#),
    );
    seeds.push(("unmodeled-exception", seed(FIX_CRCS | WHOLE, &frame(&unmodeled))));
    let error = Message::new_from_parts(
        vec![
            string(":message-type", "error"),
            string(":error-code", "InternalFailure"),
            string(":error-message", "the other side failed"),
        ],
        bytes::Bytes::new(),
    );
    seeds.push(("error-message", seed(FIX_CRCS | EMPTY_CHUNKS | SIXTEEN, &[token(1), frame(&error)].concat())));

    // Two signed events, then the signed empty message that closes the stream (a token after
    // it is never read).
    let signed = [envelope(&token(1)), envelope(&frame(&every_header_type())), envelope(&[]), token(3)].concat();
    seeds.push(("signed-envelope-and-end", seed(FIX_CRCS | PENDING | TWELVE, &signed)));

    seeds.push(("truncated-prelude", seed(WHOLE, &token(1)[..7])));
    let mut longer = token(1);
    let declared = u32::try_from(longer.len() + 64).unwrap();
    longer[..4].copy_from_slice(&declared.to_be_bytes());
    let crc = crc32(&longer[..8]);
    longer[8..12].copy_from_slice(&crc.to_be_bytes());
    seeds.push(("length-beyond-frame", seed(WHOLE, &longer)));
    let mut bad_prelude = token(1);
    bad_prelude[11] ^= 0x01;
    seeds.push(("bad-prelude-crc", seed(WHOLE, &bad_prelude)));
    let mut bad_message = token(1);
    *bad_message.last_mut().unwrap() ^= 0x80;
    seeds.push(("bad-message-crc", seed(TWO_BYTES, &bad_message)));

    // Broken inside, with both CRCs right.
    let mut bad_type = token(1);
    let at = find(&bad_type, b"\x03seq") + 4;
    bad_type[at] = 0x0A;
    fix_crcs(&mut bad_type);
    seeds.push(("header-type-out-of-range", seed(FIX_CRCS | WHOLE, &bad_type)));
    let mut long_value = token(1);
    let at = find(&long_value, b"\x0b:event-type") + 13;
    long_value[at..at + 2].copy_from_slice(&0xFFFFu16.to_be_bytes());
    fix_crcs(&mut long_value);
    seeds.push(("header-value-length-beyond-frame", seed(FIX_CRCS | WHOLE, &long_value)));
    let no_type = Message::new_from_parts(vec![string(":event-type", "token")], bytes::Bytes::from_static(b"{}"));
    seeds.push(("no-message-type", seed(FIX_CRCS | WHOLE, &frame(&no_type))));
    let not_json = event("token", "application/json", vec![Header::new("seq", HeaderValue::Int32(1))], b"{\"text\":");
    seeds.push(("payload-not-json", seed(FIX_CRCS | WHOLE, &frame(&not_json))));

    // 16 MiB + 1 MiB declared, a right prelude CRC, and a little of the frame.
    let mut huge = Vec::new();
    huge.extend_from_slice(&(17u32 * 1024 * 1024).to_be_bytes());
    huge.extend_from_slice(&0u32.to_be_bytes());
    huge.extend_from_slice(&crc32(&huge).to_be_bytes());
    huge.extend_from_slice(&[0; 64]);
    seeds.push(("prelude-17-mib", seed(ONE_BYTE, &huge)));

    seeds.push(("two-frames", seed(FIX_CRCS | THIRTEEN, &[token(1), token(2)].concat())));
    let future = event("future", "application/json", vec![], br#"{"new":true}"#);
    seeds.push(("unknown-event-type-skipped", seed(FIX_CRCS | 0x03, &[frame(&future), token(1)].concat())));
    seeds.push(("transport-error-after-token", seed(FAIL | WHOLE, &token(1))));
    seeds.sort_by_key(|(name, _)| *name);
    seeds
}

#[test]
fn the_event_stream_seeds_are_what_their_recipes_write() {
    let (dir, _) = seeds("event_stream");
    let write = std::env::var_os("SMITHY_FUZZ_WRITE_SEEDS").is_some();
    for (name, bytes) in event_stream_seeds() {
        let path = dir.join(name);
        if write {
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(on_disk == bytes, "{name} differs from its recipe; SMITHY_FUZZ_WRITE_SEEDS=1 writes it again");
    }
}

#[test]
fn every_event_stream_seed_keeps_the_properties_and_ends_as_written() {
    let (dir, names) = seeds("event_stream");
    let expected: Vec<&str> = EVENT_STREAM_EXPECTED.iter().map(|(name, ..)| *name).collect();
    assert_eq!(names, expected, "every seed needs its expected outcome here, and every outcome its seed");
    let recipes: Vec<&str> = event_stream_seeds().iter().map(|(name, _)| *name).collect();
    assert_eq!(recipes, expected, "every seed needs its recipe in event_stream_seeds");
    let mut failures = Vec::new();
    for &(name, events, end) in EVENT_STREAM_EXPECTED {
        let data = std::fs::read(dir.join(name)).unwrap();
        // The target's own checks first (inside `outcome`), then the expected outcome.
        let outcome = smithy_fuzz::event_stream::outcome(&data).unwrap_or_else(|| panic!("{name} is empty"));
        let got: Vec<&str> = outcome.events.iter().map(member).collect();
        let got_end = match &outcome.end {
            End::Ended => None,
            End::Error(kind, _) => Some(*kind),
            End::Waiting => panic!("{name}: a closed body cannot wait"),
        };
        if (got.as_slice(), got_end) != (events, end) {
            failures.push(format!("{name}: expected {events:?} then {end:?}, got {got:?} then {:?}", outcome.end));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
