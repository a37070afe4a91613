//! What goes wrong inside a body, mostly made by mutating each operation's intact body at
//! every place in it (see [`Item::paths`]): cut short, with more after it, the wrong major
//! type, bytes that are never well-formed, lengths beyond the body, invalid UTF-8, keys twice
//! or not text, nesting without end, and hostile content under a member the model does not
//! know (which the server skips, but must still read within its limits).

use super::{intact, intact_body, invalid};
use crate::item::{head, map, text, Item};
use crate::{Case, MALFORMED};

/// What the model has at a place in an intact body, to leave out the values it would accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Structure,
    String,
    /// Numbers: a timestamp, a double or an integer; each also takes tag 1.
    Number,
    Blob,
    List,
    Map,
    /// A map key's place.
    Key,
}

/// The kind at `path` of an intact body (see [`intact`]).
fn kind(path: &str) -> Kind {
    let last = path.rsplit('.').next().unwrap_or_default();
    match last {
        "" => Kind::Structure,
        _ if last.starts_with('#') => Kind::Key,
        "readings" => Kind::List,
        _ if last.parse::<usize>().is_ok() => Kind::Structure,
        "at" | "value" | "limit" => Kind::Number,
        "raw" => Kind::Blob,
        "tags" => Kind::Map,
        _ => Kind::String,
    }
}

/// The class of a replacement: whether a kind of member takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Number,
    Tag1,
    Text,
    Bytes,
    Array,
    Map,
    /// Taken by no member.
    Never,
}

fn takes(kind: Kind, class: Class) -> bool {
    match kind {
        Kind::Structure | Kind::Map => class == Class::Map,
        Kind::String => class == Class::Text,
        Kind::Number => matches!(class, Class::Number | Class::Tag1),
        Kind::Blob => class == Class::Bytes,
        Kind::List => class == Class::Array,
        Kind::Key => false,
    }
}

/// Well-formed values of every major type and of the tags a member could be mistaken for.
fn replacements() -> Vec<(&'static str, Item, Class)> {
    let tag = |n, item| Item::Tag(n, Box::new(item));
    vec![
        ("an integer", Item::Uint(7), Class::Number),
        ("a negative integer", Item::Neg(6), Class::Number),
        ("a float", Item::Float(1.5), Class::Number),
        ("a half float", Item::Raw(vec![0xf9, 0x3c, 0x00]), Class::Number),
        ("a text string", text("x"), Class::Text),
        ("an empty text string", text(""), Class::Text),
        ("a byte string", Item::Bytes(vec![1, 2]), Class::Bytes),
        ("an indefinite byte string", Item::Raw(vec![0x5f, 0x41, 1, 0xff]), Class::Bytes),
        ("an array", Item::Array(vec![Item::Uint(1)]), Class::Array),
        ("an empty array", Item::Array(vec![]), Class::Array),
        ("a map", map(vec![("k", Item::Uint(1))]), Class::Map),
        ("true", Item::Bool(true), Class::Never),
        ("false", Item::Bool(false), Class::Never),
        ("tag 1", tag(1, Item::Uint(0)), Class::Tag1),
        ("tag 1 over a float", tag(1, Item::Float(0.5)), Class::Tag1),
        ("tag 1 over text", tag(1, text("2019-12-16T23:48:18Z")), Class::Never),
        ("tag 1 over a map", tag(1, map(vec![])), Class::Never),
        ("tag 0 (date-time text)", tag(0, text("2019-12-16T23:48:18Z")), Class::Never),
        ("a bignum (tag 2)", tag(2, Item::Bytes(vec![1; 9])), Class::Never),
        ("a negative bignum (tag 3)", tag(3, Item::Bytes(vec![1; 9])), Class::Never),
        ("a decimal fraction (tag 4)", tag(4, Item::Array(vec![Item::Neg(1), Item::Uint(15)])), Class::Never),
        ("embedded CBOR (tag 24)", tag(24, Item::Bytes(vec![0xa0])), Class::Never),
        ("a URI (tag 32)", tag(32, text("https://example.com")), Class::Never),
        ("self-described CBOR (tag 55799)", tag(55799, text("x")), Class::Never),
        ("the largest tag", tag(u64::MAX, Item::Uint(0)), Class::Never),
        ("simple value 16", Item::Raw(vec![0xf0]), Class::Never),
        ("simple value 255", Item::Raw(vec![0xf8, 0xff]), Class::Never),
    ]
}

/// Bytes that are not well-formed CBOR wherever they stand (a key's place too).
fn never_well_formed_items() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for major in 0..8u8 {
        for info in [28u8, 29, 30] {
            out.push((format!("reserved header {:#04x}", (major << 5) | info), vec![(major << 5) | info]));
        }
    }
    let named: [(&str, &[u8]); 9] = [
        ("a lone break", &[0xff]),
        ("an indefinite-length integer", &[0x1f]),
        ("an indefinite-length negative integer", &[0x3f]),
        ("an indefinite-length tag", &[0xdf]),
        ("an indefinite text holding bytes", &[0x7f, 0x41, 0x61, 0xff]),
        ("an indefinite byte string holding text", &[0x5f, 0x61, 0x61, 0xff]),
        ("an indefinite text inside one", &[0x7f, 0x7f, 0xff, 0xff]),
        ("a break in a definite array", &[0x82, 0x01, 0xff]),
        ("a text that is not UTF-8", &[0x62, 0xc3, 0x28]),
    ];
    out.extend(named.iter().map(|(n, b)| ((*n).to_owned(), b.to_vec())));
    out
}

/// Every prefix of each intact body (the empty one is an empty map, a validation matter).
pub fn truncated(cases: &mut Vec<Case>) {
    for (operation, body) in intact() {
        let bytes = body.encode();
        for end in 1..bytes.len() {
            let name = format!("{operation} cut to {end} of {} bytes", bytes.len());
            cases.push(Case::call(name, operation, &bytes[..end], MALFORMED));
        }
    }
}

/// Each intact body with more after it.
pub fn trailing(cases: &mut Vec<Case>) {
    for (operation, body) in intact() {
        let bytes = body.encode();
        let tails: [(&str, Vec<u8>); 7] = [
            ("a zero", vec![0x00]),
            ("an empty map", vec![0xa0]),
            ("a break", vec![0xff]),
            ("a space", b" ".to_vec()),
            ("a newline", b"\n".to_vec()),
            ("garbage", b"garbage".to_vec()),
            ("itself", bytes.clone()),
        ];
        for (name, tail) in tails {
            cases.push(Case::call(
                format!("{operation} followed by {name}"),
                operation,
                [&bytes[..], &tail].concat(),
                MALFORMED,
            ));
        }
    }
}

/// The places of an intact body that hold values (not keys), with the body.
fn value_places() -> Vec<(&'static str, Item, String)> {
    let mut out = Vec::new();
    for (operation, body) in intact() {
        for path in body.paths() {
            if kind(&path) != Kind::Key {
                out.push((operation, body.clone(), path));
            }
        }
    }
    out
}

/// Each place of each body given every well-formed value its member does not take, and
/// numbers no member can hold.
pub fn wrong_kinds(cases: &mut Vec<Case>) {
    for (operation, body, path) in value_places() {
        if operation == "Ping" {
            continue; // Ping's input has no members: `unit_input` has its bodies.
        }
        for (name, item, class) in replacements() {
            if !takes(kind(&path), class) {
                let case = format!("{operation} {} as {name}", shown(&path));
                cases.push(Case::call(case, operation, body.replace(&path, item).encode(), MALFORMED));
            }
        }
    }
    let put = intact_body("PutReadings");
    let get = intact_body("GetReadings");
    let tag1 = |item| Item::Tag(1, Box::new(item));
    let numbers = [
        ("GetReadings", &get, "limit", Item::Uint(1 << 31), "2^31"),
        ("GetReadings", &get, "limit", Item::Uint(u64::MAX), "2^64 - 1"),
        ("GetReadings", &get, "limit", Item::Neg(i64::MAX as u64), "-2^63"),
        ("GetReadings", &get, "limit", Item::Neg(u64::MAX), "-2^64"),
        ("GetReadings", &get, "limit", Item::Float(10.5), "10.5"),
        ("GetReadings", &get, "limit", Item::Raw(vec![0xf9, 0x7e, 0x00]), "NaN"),
        ("PutReadings", &put, "readings.0.at", tag1(Item::Float(1e300)), "tag 1 over 1e300"),
        ("PutReadings", &put, "readings.0.at", tag1(Item::Uint(u64::MAX)), "tag 1 over 2^64 - 1"),
        ("PutReadings", &put, "readings.0.at", tag1(Item::Raw(vec![0xf9, 0x7e, 0x00])), "tag 1 over NaN"),
        ("PutReadings", &put, "readings.0.at", tag1(Item::Raw(vec![0xf9, 0x7c, 0x00])), "tag 1 over Infinity"),
        ("PutReadings", &put, "readings.0.at", Item::Neg(u64::MAX), "-2^64"),
        ("PutReadings", &put, "readings.1.value", Item::Neg(1 << 63), "-2^63 - 1"),
    ];
    for (operation, body, path, item, name) in numbers {
        let case = format!("{operation} {path} = {name}");
        cases.push(Case::call(case, operation, body.replace(path, item).encode(), MALFORMED));
    }
}

/// Each place of each body, keys' places too, given bytes that are never well-formed.
pub fn never_well_formed(cases: &mut Vec<Case>) {
    for (operation, body) in intact() {
        for path in body.paths() {
            for (name, bytes) in never_well_formed_items() {
                let case = format!("{operation} {} as {name}", shown(&path));
                cases.push(Case::call(case, operation, body.replace(&path, Item::Raw(bytes)).encode(), MALFORMED));
            }
        }
    }
}

/// Each string and container of each body with a declared length it does not have: one more
/// item (a container), more bytes than the whole body (a string), 2^32, 2^63 and 2^64 - 1.
pub fn lengths_beyond_the_body(cases: &mut Vec<Case>) {
    for (operation, body, path) in value_places() {
        let item = body.get(&path).unwrap().clone();
        let beyond = body.encode().len() as u64 + 1;
        let lengths: Vec<u64> = match &item {
            Item::Array(items) => vec![items.len() as u64 + 1, beyond],
            Item::Map(entries) => vec![entries.len() as u64 + 1, beyond],
            Item::Text(_) | Item::Bytes(_) => vec![beyond],
            _ => continue,
        };
        for length in lengths.into_iter().chain([1 << 32, 1 << 63, u64::MAX]) {
            let case = format!("{operation} {} declaring length {length}", shown(&path));
            let lie = Item::Lie(Box::new(item.clone()), length);
            cases.push(Case::call(case, operation, body.replace(&path, lie).encode(), MALFORMED));
        }
    }
}

/// Each text of each body (keys too) with bytes that are not UTF-8.
pub fn invalid_utf8(cases: &mut Vec<Case>) {
    let bad: [(&str, &[u8]); 7] = [
        ("a bad continuation", b"\xc3\x28"),
        ("0xff 0xfe", b"\xff\xfe"),
        ("a surrogate", b"\xed\xa0\x80"),
        ("an overlong slash", b"\xc0\xaf"),
        ("beyond U+10FFFF", b"\xf4\x90\x80\x80"),
        ("a cut-off character", b"ok\xe2\x82"),
        ("a lone continuation", b"\x80"),
    ];
    for (operation, body) in intact() {
        for path in body.paths() {
            let is_text = matches!(body.get(&path), Some(Item::Text(_)));
            if !(is_text || kind(&path) == Kind::Key) {
                continue;
            }
            for (name, bytes) in bad {
                let raw = Item::Raw([head(3, bytes.len() as u64), bytes.to_vec()].concat());
                let case = format!("{operation} {} as text with {name}", shown(&path));
                cases.push(Case::call(case, operation, body.replace(&path, raw).encode(), MALFORMED));
            }
        }
    }
}

/// Each key of each map of each body twice: with the same value, and with another.
pub fn duplicate_keys(cases: &mut Vec<Case>) {
    for (operation, body, path) in value_places() {
        let Some(Item::Map(entries)) = body.get(&path) else { continue };
        for (key, value) in entries {
            for (how, again) in [("the same value", value.clone()), ("another value", text("other"))] {
                let mut twice = entries.clone();
                twice.push((key.clone(), again));
                let case = format!("{operation} {} with `{key}` twice, {how}", shown(&path));
                cases.push(Case::call(case, operation, body.replace(&path, Item::Map(twice)).encode(), MALFORMED));
            }
        }
    }
}

/// Each key of each body replaced by an item that is not a text string.
pub fn keys_not_text(cases: &mut Vec<Case>) {
    let keys = [
        ("an integer", Item::Uint(1)),
        ("a negative integer", Item::Neg(0)),
        ("a byte string", Item::Bytes(b"station".to_vec())),
        ("an array", Item::Array(vec![text("station")])),
        ("a map", map(vec![])),
        ("null", Item::Raw(vec![0xf6])),
        ("true", Item::Bool(true)),
        ("a float", Item::Float(0.0)),
        ("a tagged text", Item::Tag(32, Box::new(text("station")))),
    ];
    for (operation, body) in intact() {
        for path in body.paths().into_iter().filter(|p| kind(p) == Kind::Key) {
            for (name, key) in &keys {
                let case = format!("{operation} {} as {name}", shown(&path));
                cases.push(Case::call(case, operation, body.replace(&path, key.clone()).encode(), MALFORMED));
            }
        }
    }
}

/// `levels` of nesting of each kind, around an integer.
fn deep(levels: usize) -> Vec<(&'static str, Vec<u8>)> {
    let one = [0x01];
    vec![
        ("arrays", [vec![0x81; levels], one.to_vec()].concat()),
        ("indefinite arrays", [vec![0x9f; levels], one.to_vec(), vec![0xff; levels]].concat()),
        ("maps", [[0xa1, 0x61, b'a'].repeat(levels), one.to_vec()].concat()),
        ("indefinite maps", [[0xbf, 0x61, b'a'].repeat(levels), one.to_vec(), vec![0xff; levels]].concat()),
        ("tags", [head(6, 32).repeat(levels), one.to_vec()].concat()),
        ("arrays, maps and tags", [[0x81, 0xa1, 0x61, b'a', 0xd8, 0x20].repeat(levels / 3), one.to_vec()].concat()),
    ]
}

/// Nesting 10,000 deep (and 129, one past the limit) as the whole body, in place of the
/// readings, and under a member the model does not have.
pub fn nesting(cases: &mut Vec<Case>) {
    let put = intact_body("PutReadings");
    for levels in [129, 10_000] {
        for (name, bytes) in deep(levels) {
            for (operation, _) in intact() {
                let case = format!("{operation} body of {levels} nested {name}");
                cases.push(Case::call(case, operation, bytes.clone(), MALFORMED));
            }
            for path in ["readings", "readings.0.tags", "readings.0.tags.unit"] {
                let case = format!("PutReadings {path} as {levels} nested {name}");
                cases.push(Case::call(
                    case,
                    "PutReadings",
                    put.replace(path, Item::Raw(bytes.clone())).encode(),
                    MALFORMED,
                ));
            }
        }
    }
}

/// `body` (a map) with one more member, which the model does not have.
fn with_extra(body: &Item, value: Vec<u8>) -> Vec<u8> {
    let Item::Map(entries) = body else { unreachable!("every intact body is a map") };
    let mut entries = entries.clone();
    entries.push(("extra".into(), Item::Raw(value)));
    Item::Map(entries).encode()
}

/// Under a member the model does not have, which the server reads without a model: nesting
/// past the limit, lengths beyond the body, bytes never well-formed, invalid UTF-8, keys
/// twice or not text. Each operation's body, and the readings' items too.
pub fn under_an_unknown_member(cases: &mut Vec<Case>) {
    let mut hostile: Vec<(String, Vec<u8>)> = Vec::new();
    for levels in [129, 10_000] {
        hostile.extend(deep(levels).into_iter().map(|(n, b)| (format!("{levels} nested {n}"), b)));
    }
    for major in [2u8, 3, 4, 5] {
        for length in [1u64 << 32, 1 << 63, u64::MAX] {
            hostile.push((
                format!("major type {major} declaring {length}"),
                [head(major, length), vec![0x01; 8]].concat(),
            ));
        }
    }
    hostile.extend(never_well_formed_items());
    hostile.push(("a key twice".into(), map(vec![("a", Item::Uint(1)), ("a", Item::Uint(1))]).encode()));
    hostile.push(("a key that is an integer".into(), vec![0xa1, 0x01, 0x01]));
    hostile.push(("a text with bad UTF-8 in a map".into(), vec![0xa1, 0x61, b'a', 0x62, 0xc3, 0x28]));
    hostile.push(("-2^64".into(), head(1, u64::MAX)));
    let put = intact_body("PutReadings");
    for (name, bytes) in hostile {
        for (operation, body) in intact() {
            let case = format!("{operation} extra member as {name}");
            cases.push(Case::call(case, operation, with_extra(&body, bytes.clone()), MALFORMED));
        }
        let reading = with_extra(put.get("readings.0").unwrap(), bytes.clone());
        let case = format!("PutReadings readings.0.extra as {name}");
        cases.push(Case::call(case, "PutReadings", put.replace("readings.0", Item::Raw(reading)).encode(), MALFORMED));
    }
}

/// Ping (Unit input) takes nothing or a map; anything else well-formed is refused too.
pub fn unit_input(cases: &mut Vec<Case>) {
    for (name, item, class) in replacements() {
        if class != Class::Map {
            cases.push(Case::call(format!("Ping body as {name}"), "Ping", item.encode(), MALFORMED));
        }
    }
    for (name, bytes) in [("null", vec![0xf6]), ("undefined", vec![0xf7])] {
        cases.push(Case::call(format!("Ping body as {name}"), "Ping", bytes, MALFORMED));
    }
}

/// Bodies that read but break the model's constraints (or miss required members).
pub fn violations(cases: &mut Vec<Case>) {
    let put = intact_body("PutReadings");
    let drop = |item: &Item, key: &str| match item {
        Item::Map(entries) => Item::Map(entries.iter().filter(|(k, _)| k != key).cloned().collect()),
        other => other.clone(),
    };
    let reading = put.get("readings.0").unwrap().clone();
    let mut bodies: Vec<(String, &str, Vec<u8>)> = Vec::new();
    for station in ["", "Station", "a b", "ü", "a_b", "x\n", &"a".repeat(33)] {
        bodies.push((format!("station {station:?}"), "PutReadings", put.replace("station", text(station)).encode()));
    }
    for (name, readings) in [("no readings", vec![]), ("101 readings", vec![reading.clone(); 101])] {
        bodies.push((name.into(), "PutReadings", put.replace("readings", Item::Array(readings)).encode()));
    }
    for key in ["station", "readings"] {
        bodies.push((format!("without {key}"), "PutReadings", drop(&put, key).encode()));
        bodies.push((format!("{key} null"), "PutReadings", put.replace(key, Item::Raw(vec![0xf6])).encode()));
    }
    for key in ["at", "value"] {
        let body = put.replace("readings.1", drop(&reading, key)).encode();
        bodies.push((format!("a reading without {key}"), "PutReadings", body));
        let body = put.replace(&format!("readings.0.{key}"), Item::Raw(vec![0xf7])).encode();
        bodies.push((format!("a reading's {key} undefined"), "PutReadings", body));
    }
    let get = intact_body("GetReadings");
    for (name, limit) in
        [("0", Item::Uint(0)), ("51", Item::Uint(51)), ("-1", Item::Neg(0)), ("2^31 - 1", Item::Uint(i32::MAX as u64))]
    {
        bodies.push((format!("limit {name}"), "GetReadings", get.replace("limit", limit).encode()));
    }
    for operation in ["PutReadings", "GetReadings", "DescribeStation"] {
        bodies.push(("an empty map".into(), operation, vec![0xa0]));
        bodies.push(("an empty indefinite map".into(), operation, vec![0xbf, 0xff]));
        bodies.push(("no body".into(), operation, Vec::new()));
        bodies.push(("only unknown members".into(), operation, map(vec![("Station", text("station-1"))]).encode()));
    }
    for (name, operation, body) in bodies {
        cases.push(Case::call(format!("invalid {operation}: {name}"), operation, body, invalid(operation)));
    }
}

/// A path for a case's name.
fn shown(path: &str) -> String {
    if path.is_empty() {
        "the body".to_owned()
    } else if let Some((parent, key)) = path.rsplit_once(".#") {
        format!("{parent}'s key `{key}`")
    } else if let Some(key) = path.strip_prefix('#') {
        format!("the key `{key}`")
    } else {
        path.to_owned()
    }
}
