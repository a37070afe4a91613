//! The CBOR reader (`cbor::to_json`) and writer (`cbor::to_vec`) from outside: every kind of
//! item RFC 8949 has, read strictly (with the model's `Node`, as the server does) and
//! leniently (without, as the client does), and the hostile forms a body can take: lengths
//! the body cannot hold, nesting without end, truncation, invalid UTF-8, keys twice.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use smithy_runtime::adapter::SerializeAsWrap;
use smithy_runtime::cbor::{self, CborError};
use smithy_runtime::node::{Field, Node, Placeholder};
use smithy_runtime::wire::{Base64, DateTimeString, EpochSeconds, Float};
use smithy_runtime::{Blob, DateTime};

static STRING: Node = Node::Leaf(Placeholder::String);
static NUMBER: Node = Node::Leaf(Placeholder::Number);
static BLOB: Node = Node::Leaf(Placeholder::Blob);
static BOOLEAN: Node = Node::Leaf(Placeholder::Boolean);
static DOCUMENT: Node = Node::Leaf(Placeholder::Null);
static DATE_TIME: Node = Node::Leaf(Placeholder::DateTime);
static HTTP_DATE: Node = Node::Leaf(Placeholder::Text("Thu, 01 Jan 1970 00:00:00 GMT"));
static NUMBERS: Node = Node::List(&NUMBER);
static STRINGS: Node = Node::Map(&STRING);
static EMPTY: Node = Node::Structure(&[]);
/// A structure of one member of each kind.
static RECORD: Node = Node::Structure(&[
    Field { name: "s", required: false, node: &STRING },
    Field { name: "n", required: false, node: &NUMBER },
    Field { name: "b", required: false, node: &BLOB },
    Field { name: "t", required: false, node: &BOOLEAN },
    Field { name: "at", required: false, node: &DATE_TIME },
    Field { name: "l", required: false, node: &NUMBERS },
    Field { name: "m", required: false, node: &STRINGS },
    Field { name: "u", required: false, node: &CHOICE },
]);
static CHOICE: Node = Node::Union(&[
    Field { name: "n", required: false, node: &NUMBER },
    Field { name: "s", required: false, node: &STRING },
]);

/// The head of an item of `major` type with argument `n`, in the shortest form.
fn head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [&[m | 25][..], &(n as u16).to_be_bytes()].concat(),
        0x1_0000..=0xffff_ffff => [&[m | 26][..], &(n as u32).to_be_bytes()].concat(),
        _ => [&[m | 27][..], &n.to_be_bytes()].concat(),
    }
}

/// A definite-length text string.
fn text(s: &str) -> Vec<u8> {
    [head(3, s.len() as u64), s.as_bytes().to_vec()].concat()
}

/// A definite-length map of `entries` (keys text).
fn map(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = head(5, entries.len() as u64);
    for (key, value) in entries {
        out.extend(text(key));
        out.extend(value);
    }
    out
}

fn strict(body: &[u8], node: &Node) -> Result<Value, CborError> {
    cbor::to_json(body, Some(node))
}

fn lenient(body: &[u8]) -> Result<Value, CborError> {
    cbor::to_json(body, None)
}

/// The error's message, failing when `result` is no error.
fn refused(result: Result<Value, CborError>) -> String {
    match result {
        Ok(value) => panic!("accepted as {value}"),
        Err(error) => {
            assert!(!error.message.is_empty());
            error.to_string()
        }
    }
}

#[test]
fn definite_and_indefinite_lengths_read_the_same() {
    let pairs: &[(&[u8], &[u8], Value)] = &[
        (&[0x82, 0x01, 0x02], &[0x9f, 0x01, 0x02, 0xff], json!([1, 2])),
        (&[0xa1, 0x61, 0x61, 0x61, 0x62], &[0xbf, 0x61, 0x61, 0x61, 0x62, 0xff], json!({"a": "b"})),
        (b"\x65hello", b"\x7f\x62he\x63llo\xff", json!("hello")),
        (&[0x43, 1, 2, 3], &[0x5f, 0x41, 1, 0x42, 2, 3, 0xff], json!("AQID")),
        (&[0x80], &[0x9f, 0xff], json!([])),
        (&[0xa0], &[0xbf, 0xff], json!({})),
        (&[0x60], &[0x7f, 0xff], json!("")),
    ];
    for (definite, indefinite, expected) in pairs {
        assert_eq!(lenient(definite).unwrap(), *expected, "{definite:02x?}");
        assert_eq!(lenient(indefinite).unwrap(), *expected, "{indefinite:02x?}");
    }
    // And strictly, under a structure: an indefinite map of an indefinite list.
    let body = [&[0xbf][..], &text("l"), &[0x9f, 0x01, 0x20, 0xff, 0xff]].concat();
    assert_eq!(strict(&body, &RECORD).unwrap(), json!({"l": [1, -1]}));
}

#[test]
fn a_long_text_keeps_characters_that_straddle_the_reading_buffer() {
    let long = format!("a{}", "é".repeat(5000));
    assert_eq!(strict(&text(&long), &STRING).unwrap(), json!(long));
}

#[test]
fn half_single_and_double_floats_and_the_non_finite_ones() {
    let cases: &[(&[u8], Value)] = &[
        (&[0xf9, 0x3c, 0x00], json!(1.0)),
        (&[0xf9, 0xc0, 0x00], json!(-2.0)),
        (&[0xfa, 0x3f, 0xc0, 0x00, 0x00], json!(1.5)),
        (&[0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], json!(1.5)),
        (&[0xfb, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], json!(f64::MAX)),
        (&[0xf9, 0x7e, 0x00], json!("NaN")),
        (&[0xfa, 0x7f, 0xc0, 0x00, 0x00], json!("NaN")),
        (&[0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], json!("NaN")),
        (&[0xf9, 0x7c, 0x00], json!("Infinity")),
        (&[0xfa, 0x7f, 0x80, 0x00, 0x00], json!("Infinity")),
        (&[0xf9, 0xfc, 0x00], json!("-Infinity")),
        (&[0xfb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0], json!("-Infinity")),
    ];
    for (body, expected) in cases {
        assert_eq!(strict(body, &NUMBER).unwrap(), *expected, "{body:02x?}");
        assert_eq!(lenient(body).unwrap(), *expected, "{body:02x?}");
    }
}

#[test]
fn tag_1_timestamps_are_epoch_seconds_or_the_text_of_the_members_format() {
    let seconds = 1_576_540_098u64;
    let integer = [head(6, 1), head(0, seconds)].concat();
    let float = [head(6, 1), vec![0xfb], (seconds as f64 + 0.5).to_be_bytes().to_vec()].concat();
    let negative = [head(6, 1), head(1, 0)].concat();
    assert_eq!(strict(&integer, &NUMBER).unwrap(), json!(seconds));
    assert_eq!(lenient(&integer).unwrap(), json!(seconds));
    assert_eq!(strict(&float, &NUMBER).unwrap(), json!(1_576_540_098.5));
    assert_eq!(strict(&negative, &NUMBER).unwrap(), json!(-1));
    assert_eq!(strict(&integer, &DATE_TIME).unwrap(), json!("2019-12-16T23:48:18Z"));
    assert_eq!(strict(&float, &DATE_TIME).unwrap(), json!("2019-12-16T23:48:18.5Z"));
    assert_eq!(strict(&integer, &HTTP_DATE).unwrap(), json!("Mon, 16 Dec 2019 23:48:18 GMT"));
    // An untagged number is a timestamp too (a client may leave the tag out).
    assert_eq!(strict(&head(0, seconds), &DATE_TIME).unwrap(), json!(seconds));
    // Tag 1 over anything but a number, and a number no date-time can hold.
    for body in [[head(6, 1), text("2019-12-16T23:48:18Z")].concat(), [head(6, 1), vec![0xf5]].concat()] {
        let message = refused(strict(&body, &DATE_TIME));
        assert!(message.contains("a timestamp (tag 1) holds a number"), "{message}");
        refused(lenient(&body));
    }
    let huge = [head(6, 1), vec![0xfb], 1e300f64.to_be_bytes().to_vec()].concat();
    assert!(refused(strict(&huge, &DATE_TIME)).contains("not a timestamp"));
    // A tag where the model has a string.
    assert!(refused(strict(&integer, &STRING)).contains("expected a text string, found a tagged item"));
}

#[test]
fn byte_strings_become_base64_and_only_a_blob_takes_one() {
    let body = [head(2, 5), b"hello".to_vec()].concat();
    assert_eq!(strict(&body, &BLOB).unwrap(), json!("aGVsbG8="));
    assert_eq!(lenient(&body).unwrap(), json!("aGVsbG8="));
    assert_eq!(strict(&[0x40], &BLOB).unwrap(), json!(""));
    assert!(refused(strict(&body, &STRING)).contains("expected a text string, found a byte string"));
    assert!(refused(strict(&text("aGVsbG8="), &BLOB)).contains("expected a byte string, found a text string"));
}

#[test]
fn big_numbers_read_as_their_decimal_text() {
    // Tag 2 over 2^64, tag 3 over 2^64 (-1 - 2^64), tag 4 [-2, 27315] (273.15).
    let positive = [head(6, 2), head(2, 9), vec![1, 0, 0, 0, 0, 0, 0, 0, 0]].concat();
    let negative = [head(6, 3), head(2, 9), vec![1, 0, 0, 0, 0, 0, 0, 0, 0]].concat();
    let fraction = vec![0xc4, 0x82, 0x21, 0x19, 0x6a, 0xb3];
    assert_eq!(lenient(&positive).unwrap(), json!("18446744073709551616"));
    assert_eq!(strict(&positive, &NUMBER).unwrap(), json!("18446744073709551616"));
    assert_eq!(strict(&negative, &NUMBER).unwrap(), json!("-18446744073709551617"));
    assert_eq!(strict(&fraction, &NUMBER).unwrap(), json!("27315e-2"));
    assert!(refused(strict(&positive, &STRING)).contains("expected a text string, found a tagged item"));
    let not_bytes = [head(6, 2), head(0, 7)].concat();
    assert!(refused(strict(&not_bytes, &NUMBER)).contains("holds a byte string"));
    assert!(refused(strict(&[0xc4, 0x81, 0x01], &NUMBER)).contains("exponent and mantissa"));
    // Read back as the big number types, every digit kept.
    let big: smithy_runtime::BigInteger = serde_json::from_value(lenient(&negative).unwrap()).unwrap();
    assert_eq!(big.as_str(), "-18446744073709551617");
    let decimal: smithy_runtime::BigDecimal = serde_json::from_value(lenient(&fraction).unwrap()).unwrap();
    assert_eq!(smithy_runtime::cbor::to_vec(&decimal).unwrap(), fraction, "written back the same");
}

#[test]
fn other_tags_are_refused_when_strict_and_skipped_when_lenient() {
    // Tag 32 (a URI) over text, tag 55799 (self-described CBOR).
    let uri = [head(6, 32), text("https://example.com")].concat();
    let self_described = [head(6, 55799), vec![0xa0]].concat();
    assert_eq!(lenient(&uri).unwrap(), json!("https://example.com"));
    assert_eq!(lenient(&self_described).unwrap(), json!({}));
    assert!(refused(strict(&uri, &NUMBER)).contains("expected a number, found a tagged item"));
    assert!(refused(strict(&uri, &DOCUMENT)).contains("tag 32 is not expected here"));
    assert!(refused(strict(&self_described, &EMPTY)).contains("tag 55799"));
    assert!(refused(strict(&map(&[("l", [vec![0x81], uri.clone()].concat())]), &RECORD)).contains("found a tagged"));
    // An unknown member of a structure is skipped, leniently, tags and all.
    assert_eq!(strict(&map(&[("extra", uri.clone())]), &RECORD).unwrap(), json!({"extra": "https://example.com"}));
}

#[test]
fn a_key_twice_in_one_map_is_refused_either_way() {
    let twice = map(&[("s", text("a")), ("s", text("b"))]);
    assert!(refused(strict(&twice, &RECORD)).contains("the key `s` appears twice"));
    assert!(refused(lenient(&twice)).contains("appears twice"));
    let nested = map(&[("m", map(&[("k", text("a")), ("k", text("a"))]))]);
    assert!(refused(strict(&nested, &RECORD)).contains("the key `k` appears twice"));
    let indefinite = [&[0xbf][..], &text("n"), &[1], &text("n"), &[2, 0xff]].concat();
    refused(strict(&indefinite, &RECORD));
}

#[test]
fn unions_take_one_of_their_members_and_no_other() {
    assert_eq!(strict(&map(&[("u", map(&[("n", vec![1])]))]), &RECORD).unwrap(), json!({"u": {"n": 1}}));
    let unknown = map(&[("u", map(&[("x", vec![1])]))]);
    assert!(refused(strict(&unknown, &RECORD)).contains("the union has no member `x`"));
    assert_eq!(lenient(&unknown).unwrap(), json!({"u": {"x": 1}}));
    // `__type` is ignored, as JSON readers of a union ignore it.
    assert!(strict(&map(&[("u", map(&[("__type", text("x")), ("s", text("v"))]))]), &RECORD).is_ok());
}

/// Runs `read` and checks it is refused, within a second.
fn refused_fast(what: &str, read: impl FnOnce() -> Result<Value, CborError>) -> String {
    let start = Instant::now();
    let message = refused(read());
    assert!(start.elapsed() < Duration::from_secs(1), "{what} took {:?}", start.elapsed());
    message
}

#[test]
fn nesting_10_000_deep_is_refused_at_the_limit() {
    let leaf = vec![0x01];
    let arrays = [vec![0x81; 10_000], leaf.clone()].concat();
    let indefinite = [vec![0x9f; 10_000], leaf.clone(), vec![0xff; 10_000]].concat();
    let maps = [[0xa1, 0x61, b'm'].repeat(10_000), leaf.clone()].concat();
    let tags = [head(6, 32).repeat(10_000), leaf.clone()].concat();
    for (name, body) in [("arrays", &arrays), ("indefinite arrays", &indefinite), ("maps", &maps), ("tags", &tags)] {
        let message = refused_fast(name, || lenient(body));
        assert!(message.contains("deeper than 128"), "{name}: {message}");
        refused_fast(name, || strict(body, &DOCUMENT));
        // Under a structure's unknown member, which is read leniently.
        let hidden = map(&[("extra", body.clone())]);
        let message = refused_fast(name, || strict(&hidden, &RECORD));
        assert!(message.contains("deeper than 128"), "{name} under a structure: {message}");
    }
    // The limit itself: 128 levels read, 129 do not.
    assert!(lenient(&[vec![0x81; 127], leaf.clone()].concat()).is_ok());
    assert!(lenient(&[vec![0x81; 128], leaf.clone()].concat()).is_ok());
    assert!(lenient(&[vec![0x81; 129], leaf].concat()).is_err());
}

#[test]
fn every_truncation_of_a_valid_body_is_refused() {
    let body = map(&[
        ("s", text("station-1")),
        ("n", [vec![0xfb], 2.5f64.to_be_bytes().to_vec()].concat()),
        ("b", [head(2, 300), vec![7; 300]].concat()),
        ("t", vec![0xf5]),
        ("at", [head(6, 1), head(0, 1_700_000_000)].concat()),
        ("l", [vec![0x9f], head(0, 1000), head(1, 70_000), vec![0xff]].concat()),
        ("m", map(&[("k", text("v"))])),
        ("u", map(&[("s", text("é"))])),
    ]);
    assert!(strict(&body, &RECORD).is_ok());
    for end in 0..body.len() {
        let cut = &body[..end];
        if end > 0 {
            let message = refused(strict(cut, &RECORD));
            let known = ["ends inside", "cut off", "longer than the body"];
            assert!(known.iter().any(|k| message.contains(k)), "{end}: {message}");
        }
        assert!(lenient(cut).is_err(), "{end}");
    }
}

#[test]
fn a_declared_length_of_2_to_the_63_is_refused_without_allocating() {
    let huge = 1u64 << 63;
    for major in [2u8, 3, 4, 5] {
        for n in [huge, u64::MAX, u64::from(u32::MAX), 1 << 40] {
            let body = [head(major, n), vec![0x01; 16]].concat();
            refused_fast(&format!("major {major} length {n}"), || lenient(&body));
            refused_fast(&format!("major {major} length {n} strictly"), || strict(&body, &DOCUMENT));
            let hidden = map(&[("extra", body.clone())]);
            refused_fast("under a structure", || strict(&hidden, &RECORD));
        }
        // As a segment of an indefinite-length string, and as a map key.
        let segment = [vec![(major << 5) | 31], head(major, huge), vec![0x61; 16]].concat();
        refused_fast("a segment", || lenient(&segment));
    }
    let key = [vec![0xa1], head(3, huge), b"abc".to_vec()].concat();
    assert!(refused_fast("a key", || lenient(&key)).contains("longer than the body"));
}

#[test]
fn invalid_utf8_in_text_is_refused() {
    let bodies: [&[u8]; 5] = [
        b"\x62\xc3\x28",
        b"\x61\xff",
        b"\x63\xed\xa0\x80",         // a surrogate
        b"\x7f\x61\xc3\x61\xa9\xff", // a character split across two segments
        b"\xa1\x62\xc3\x28\x01",     // in a key
    ];
    for body in bodies {
        let message = refused(lenient(body));
        assert!(message.contains("not UTF-8"), "{body:02x?}: {message}");
        refused(strict(body, &DOCUMENT));
    }
}

#[test]
fn map_keys_must_be_text() {
    let bodies: [&[u8]; 6] = [
        &[0xa1, 0x01, 0x02],
        &[0xa1, 0x20, 0x02],
        &[0xa1, 0x41, 0x61, 0x02],
        &[0xa1, 0x80, 0x02],
        &[0xa1, 0xf6, 0x02],
        &[0xbf, 0xf5, 0x02, 0xff],
    ];
    for body in bodies {
        let message = refused(lenient(body));
        assert!(message.contains("a map key must be a text string"), "{body:02x?}: {message}");
        refused(strict(body, &RECORD));
    }
}

#[test]
fn anything_after_the_value_is_refused() {
    for body in [&[0xa0, 0x00][..], &[0x01, 0x01], &[0xa0, 0xff], &[0x60, 0xa0]] {
        assert!(refused(lenient(body)).contains("goes on after"), "{body:02x?}");
    }
    assert!(refused(strict(&[0xa0, 0xa0], &EMPTY)).contains("at byte 1"));
}

#[test]
fn simple_values_are_booleans_and_null_and_nothing_else() {
    assert_eq!(lenient(&[0xf4]).unwrap(), json!(false));
    assert_eq!(lenient(&[0xf5]).unwrap(), json!(true));
    assert_eq!(strict(&[0xf5], &BOOLEAN).unwrap(), json!(true));
    // Null and undefined stand for an absent value wherever they are.
    for body in [[0xf6], [0xf7]] {
        assert_eq!(lenient(&body).unwrap(), Value::Null);
        assert_eq!(strict(&body, &STRING).unwrap(), Value::Null);
    }
    for body in [&[0xe0][..], &[0xf3], &[0xf8, 0x20], &[0xf8, 0xff]] {
        assert!(refused(lenient(body)).contains("simple value"), "{body:02x?}");
    }
    assert!(refused(strict(&[0xf5], &STRING)).contains("expected a text string, found a boolean"));
    assert!(refused(strict(&[0x01], &BOOLEAN)).contains("expected a boolean, found an integer"));
    // A break with nothing to end, and reserved additional information (28 to 30).
    refused(lenient(&[0xff]));
    for byte in [0x1c, 0x3d, 0x5e, 0x7c, 0x9d, 0xbe, 0xdc, 0xfc] {
        assert!(refused(lenient(&[byte])).contains("not well-formed"), "{byte:02x}");
    }
}

#[test]
fn integers_to_the_edges_of_64_bits() {
    assert_eq!(lenient(&head(0, u64::MAX)).unwrap(), json!(u64::MAX));
    assert_eq!(lenient(&head(1, 0)).unwrap(), json!(-1));
    // -1 - (2^63 - 1) is i64::MIN; one further is below it.
    assert_eq!(strict(&head(1, i64::MAX as u64), &NUMBER).unwrap(), json!(i64::MIN));
    for n in [1u64 << 63, u64::MAX] {
        assert!(refused(strict(&head(1, n), &NUMBER)).contains("below the range of a 64-bit integer"));
        refused(lenient(&head(1, n)));
    }
    // Non-shortest forms are well-formed and read alike.
    assert_eq!(lenient(&[0x1b, 0, 0, 0, 0, 0, 0, 0, 5]).unwrap(), json!(5));
}

#[test]
fn the_wrong_major_type_for_each_member_is_refused() {
    let kinds: [(&str, Vec<u8>); 7] = [
        ("s", vec![0x01]),
        ("n", text("1")),
        ("b", text("AQID")),
        ("t", vec![0x01]),
        ("at", text("2019-12-16T23:48:18Z")),
        ("l", map(&[])),
        ("m", vec![0x80]),
    ];
    for (member, value) in kinds {
        let message = refused(strict(&map(&[(member, value.clone())]), &RECORD));
        assert!(message.contains("expected"), "{member}: {message}");
        assert!(lenient(&map(&[(member, value)])).is_ok());
    }
    assert!(refused(strict(&[0x80], &RECORD)).contains("expected a map, found an array"));
}

/// A model-like value written as the generated code writes one: each member through its
/// wire adapter.
struct Reading {
    at: DateTime,
    stored: DateTime,
    raw: Blob,
    value: f64,
    gain: f32,
}

impl serde::Serialize for Reading {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = serializer.serialize_struct("Reading", 5)?;
        out.serialize_field("at", &SerializeAsWrap::<DateTime, EpochSeconds>::new(&self.at))?;
        out.serialize_field("stored", &SerializeAsWrap::<DateTime, DateTimeString>::new(&self.stored))?;
        out.serialize_field("raw", &SerializeAsWrap::<Blob, Base64>::new(&self.raw))?;
        out.serialize_field("value", &SerializeAsWrap::<f64, Float>::new(&self.value))?;
        out.serialize_field("gain", &SerializeAsWrap::<f32, Float>::new(&self.gain))?;
        out.end()
    }
}

#[test]
fn the_writer_gives_tag_1_timestamps_byte_string_blobs_and_native_non_finite_floats() {
    let at = DateTime::from_secs(1_576_540_098);
    let written = cbor::to_vec(&SerializeAsWrap::<DateTime, EpochSeconds>::new(&at)).unwrap();
    assert_eq!(written, [head(6, 1), head(0, 1_576_540_098)].concat());
    // Every timestamp format is tag 1 in CBOR; a fraction makes it a float.
    let fraction = DateTime::from_secs_and_nanos(1, 500_000_000);
    let written = cbor::to_vec(&SerializeAsWrap::<DateTime, DateTimeString>::new(&fraction)).unwrap();
    assert_eq!(written[0], 0xc1);
    assert_eq!(lenient(&written).unwrap(), json!(1.5));
    let written = cbor::to_vec(&SerializeAsWrap::<Blob, Base64>::new(&Blob::new(vec![1, 2, 3]))).unwrap();
    assert_eq!(written, [0x43, 1, 2, 3]);
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let written = cbor::to_vec(&SerializeAsWrap::<f64, Float>::new(&value)).unwrap();
        assert_eq!(written[0] >> 5, 7, "{value} is a float, not text: {written:02x?}");
        let back: f64 = ciborium::from_reader(written.as_slice()).unwrap();
        assert!(back.is_nan() == value.is_nan() && (value.is_nan() || back == value));
    }

    let reading = Reading { at, stored: fraction, raw: Blob::new(b"frame".to_vec()), value: f64::NAN, gain: -0.25 };
    let written = cbor::to_vec(&reading).unwrap();
    static STORED: Node = Node::Leaf(Placeholder::DateTime);
    static READING: Node = Node::Structure(&[
        Field { name: "at", required: true, node: &NUMBER },
        Field { name: "stored", required: true, node: &STORED },
        Field { name: "raw", required: true, node: &BLOB },
        Field { name: "value", required: true, node: &NUMBER },
        Field { name: "gain", required: true, node: &NUMBER },
    ]);
    assert_eq!(
        strict(&written, &READING).unwrap(),
        json!({"at": 1_576_540_098, "stored": "1970-01-01T00:00:01.5Z", "raw": "ZnJhbWU=", "value": "NaN", "gain": -0.25})
    );
    // The same value in JSON keeps the JSON forms.
    let text: Value = serde_json::to_value(&reading).unwrap();
    assert_eq!(text["raw"], json!("ZnJhbWU="));
    assert_eq!(text["stored"], json!("1970-01-01T00:00:01.5Z"));
    assert_eq!(text["value"], json!("NaN"));
}

#[test]
fn the_empty_map_writes_a0() {
    assert_eq!(cbor::to_vec(&cbor::EmptyMap).unwrap(), [0xa0]);
}

#[test]
fn an_indefinite_string_takes_only_definite_chunks_of_its_own_type() {
    let bodies: [&[u8]; 6] = [
        &[0x7f, 0x7f, 0xff, 0xff],             // an indefinite text inside one
        &[0x7f, 0x7f, 0x61, b'a', 0xff, 0xff], // the same, with a chunk
        &[0x5f, 0x5f, 0x41, 1, 0xff, 0xff],    // an indefinite byte string inside one
        &[0x7f, 0x41, b'a', 0xff],             // a byte string in a text
        &[0x5f, 0x61, b'a', 0xff],             // a text in a byte string
        &[0x7f, 0x01, 0xff],                   // an integer in a text
    ];
    for body in bodies {
        let message = refused(lenient(body));
        assert!(message.contains("as a chunk"), "{body:02x?}: {message}");
        refused(strict(body, &DOCUMENT));
    }
    assert_eq!(lenient(&[0x7f, 0x61, b'a', 0x60, 0x62, b'b', b'c', 0xff]).unwrap(), json!("abc"));
}
