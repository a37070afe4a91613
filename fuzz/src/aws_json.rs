//! The `request` target's awsJson half: requests to the generated awsJson1_0 server of the
//! `aws_json` fixture (a key-value store), over an in-memory store.
//!
//! After the byte that chose this half, one byte each picks, in order, the method, the path,
//! the `X-Amz-Target`, the `Content-Type` (each from a list, or arbitrary bytes for the value
//! one past its end), how many more headers follow (0 to 3, each a name from a list and
//! arbitrary bytes), whether the server checks signatures (1 in 4) and how the body is made:
//! the rest of the input as it is (even), or JSON made of the model's member names and values
//! (odd). A zero byte is the common choice each time (`POST`, `/`, PutEntry, the protocol's
//! media type, no more headers, unsigned, raw), so that a seed is the mode byte, seven
//! choices and a body as it goes on the wire (`fuzz/seeds/request/`).

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

use arbitrary::{Result, Unstructured};
use bytes::Bytes;
use fixture_aws_json::error::{DeleteEntryError, GetEntryError, ListEntriesError, PingError, PutEntryError};
use fixture_aws_json::service::KvStore;
use fixture_aws_json::types::*;
use http_body_util::Full;
use serde_json::Value as Json;

/// The store behind the server. It never answers with its 5xx error (`ServiceFault`), so a
/// 5xx is the framework's: a finding.
#[derive(Default)]
pub struct Store(Mutex<BTreeMap<(String, String), Value>>);

/// Entries kept before the store starts over, so a long run cannot fill memory.
const MAX_ENTRIES: usize = 1024;

impl KvStore for &'static Store {
    async fn put_entry(&self, input: PutEntryInput) -> std::result::Result<PutEntryOutput, PutEntryError> {
        let mut entries = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let previous = entries.insert((input.table_name, input.key), input.value);
        Ok(PutEntryOutput::builder().set_previous(previous).build())
    }

    async fn get_entry(&self, input: GetEntryInput) -> std::result::Result<GetEntryOutput, GetEntryError> {
        let entries = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match entries.get(&(input.table_name, input.key)) {
            Some(value) => Ok(GetEntryOutput::builder().value(value.clone()).build()),
            None => Err(GetEntryError::ResourceNotFoundException(ResourceNotFoundException::builder().build())),
        }
    }

    async fn delete_entry(&self, input: DeleteEntryInput) -> std::result::Result<DeleteEntryOutput, DeleteEntryError> {
        let mut entries = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match entries.remove(&(input.table_name, input.key)) {
            Some(_) => Ok(DeleteEntryOutput::builder().build()),
            None => Err(DeleteEntryError::ResourceNotFoundException(ResourceNotFoundException::builder().build())),
        }
    }

    async fn list_entries(&self, input: ListEntriesInput) -> std::result::Result<ListEntriesOutput, ListEntriesError> {
        let entries = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let limit = input.limit.and_then(|limit| usize::try_from(limit).ok()).unwrap_or(usize::MAX);
        let keys = entries.keys().filter(|(table, _)| *table == input.table_name).map(|(_, key)| key.clone());
        Ok(ListEntriesOutput::builder().keys(keys.take(limit).collect()).build()?)
    }

    async fn ping(&self, _: PingInput) -> std::result::Result<PingOutput, PingError> {
        Ok(PingOutput::builder().build())
    }
}

type Server = fixture_aws_json::server::Server<&'static Store>;

/// The server without signature checks (requests reach routing, parsing, validation and the
/// handlers) and with them (the verifier sees every kind of `Authorization`).
pub struct Servers {
    open: Server,
    signed: Server,
}

pub static SERVERS: LazyLock<Servers> = LazyLock::new(|| {
    let store: &'static Store = Box::leak(Box::default());
    let config = fixture_aws_json::server::ServerConfig::new;
    Servers {
        open: fixture_aws_json::server::server(store, config()),
        signed: fixture_aws_json::server::server(store, config().access_key("AKIDLOCAL", "local-secret")),
    }
});

impl Servers {
    /// The server a request goes to.
    pub fn get(&self, signed: bool) -> &Server {
        if signed {
            &self.signed
        } else {
            &self.open
        }
    }
}

/// Entry `index` of `choices`, the index being the next byte modulo one more than their
/// number; the extra value is arbitrary text.
fn choose<'a>(input: &mut Unstructured<'a>, choices: &[&'a str]) -> Result<std::borrow::Cow<'a, [u8]>> {
    let index = usize::from(input.arbitrary::<u8>()?) % (choices.len() + 1);
    Ok(match choices.get(index) {
        Some(choice) => choice.as_bytes().into(),
        None => input.arbitrary::<&[u8]>()?.into(),
    })
}

const METHODS: &[&str] = &["POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];
const PATHS: &[&str] = &["/", "/?x=1", "//", "/entries/k", "/%2F", "/.."];
/// Every operation (PutEntry first), then targets that name none.
const TARGETS: &[&str] = &[
    "KvStore_20250101.PutEntry",
    "KvStore_20250101.GetEntry",
    "KvStore_20250101.DeleteEntry",
    "KvStore_20250101.ListEntries",
    "KvStore_20250101.Ping",
    "KvStore_20250101.",
    "KvStore_20250101.putentry",
    "DynamoDB_20120810.PutItem",
    "",
    "<none>",
];
const MEDIA_TYPES: &[&str] = &[
    "application/x-amz-json-1.0",
    "application/x-amz-json-1.0; charset=utf-8",
    "application/x-amz-json-1.1",
    "application/json",
    "",
    "<none>",
];
const HEADERS: &[&str] = &["x-amz-target", "content-type", "content-length", "x-amz-date", "authorization"];

/// The request `input` describes, and whether it goes to the server that checks signatures.
pub fn arbitrary_request(input: &mut Unstructured<'_>) -> Result<(http::Request<Full<Bytes>>, bool)> {
    let method = choose(input, METHODS)?;
    let path = choose(input, PATHS)?;
    let target = choose(input, TARGETS)?;
    let media_type = choose(input, MEDIA_TYPES)?;
    let method = http::Method::from_bytes(&method).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    let mut builder = http::Request::builder().method(method).uri(path.as_ref());
    for (name, value) in [("x-amz-target", target), ("content-type", media_type)] {
        if value.as_ref() != b"<none>" {
            builder = builder.header(name, value.as_ref());
        }
    }
    let extra = input.arbitrary::<u8>()? % 4;
    let signed = input.arbitrary::<u8>()? % 4 == 3;
    let json = input.arbitrary::<u8>()? % 2 == 1;
    for _ in 0..extra {
        let name = HEADERS[usize::from(input.arbitrary::<u8>()?) % HEADERS.len()];
        builder = builder.header(name, input.arbitrary::<&[u8]>()?);
    }
    let body = if json { json_value(input, 0)?.to_string().into_bytes() } else { input.bytes(input.len())?.to_vec() };
    match builder.body(Full::new(Bytes::from(body))) {
        Ok(request) => Ok((request, signed)),
        Err(_) => Err(arbitrary::Error::IncorrectFormat),
    }
}

/// JSON made of the store's member names (the union's included) and values, up to a small
/// depth.
fn json_value(input: &mut Unstructured<'_>, depth: usize) -> Result<Json> {
    let names = [
        "TableName",
        "Key",
        "Value",
        "S",
        "N",
        "B",
        "Bool",
        "L",
        "M",
        "When",
        "Copies",
        "Tags",
        "Note",
        "Renamed",
        "ClientToken",
        "Limit",
        "NextToken",
        "__type",
    ];
    let strings = ["tbl", "k", "", "a!", "AA==", "KvStore_20250101.PutEntry", "x"];
    Ok(match input.int_in_range(0..=8)? {
        0 | 1 if depth < 5 => {
            let mut map = serde_json::Map::new();
            for _ in 0..input.int_in_range(0..=4)? {
                map.insert((*input.choose(&names)?).to_owned(), json_value(input, depth + 1)?);
            }
            Json::Object(map)
        }
        2 if depth < 5 => {
            Json::Array((0..input.int_in_range(0..=8)?).map(|_| json_value(input, depth + 1)).collect::<Result<_>>()?)
        }
        3 => Json::Bool(input.arbitrary()?),
        4 => Json::from(input.arbitrary::<f64>()?),
        5 => Json::from(input.arbitrary::<i64>()?),
        6 => Json::Null,
        7 => Json::String(input.arbitrary()?),
        _ => Json::String((*input.choose(&strings)?).to_owned()),
    })
}
