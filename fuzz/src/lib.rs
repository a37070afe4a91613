//! The bodies of the fuzz targets, in a library so that a regression input can be replayed
//! outside libFuzzer too.
//!
//! - [`model`]: bytes to the model loader and generator, either as raw text or as a
//!   structure-aware mutation of a real model (ours and the golden fixtures). The generator
//!   must never panic: a bad model is a list of problems.
//! - [`idl`]: bytes to the Smithy IDL front end, raw or as edits of real IDL files.
//! - [`request`]: an arbitrary method, path, query, headers and body handed in process to
//!   the generated Chime server over chime-local's handlers (restJson1), or to the generated
//!   awsJson1_0 server of the `aws_json` fixture (see [`aws_json`]), or to the generated
//!   rpcv2Cbor server of the `rpc_v2_cbor` fixture (see [`rpc_v2_cbor`]). Any request that
//!   `http` can represent is well-formed HTTP here, so a 5xx (a panic becomes a 500) is a
//!   finding.
//! - [`cbor`]: bytes to the CBOR reader alone, strictly and leniently.
//! - [`event_stream()`]: bytes as an event-stream body, cut into chunks as the first byte says,
//!   read by `EventStream::from_body` over the `event_streams` fixture's union (see
//!   [`event_stream`](mod@event_stream)).

pub mod aws_json;
mod cbor;
pub mod event_stream;
mod idl;
pub mod rpc_v2_cbor;

pub use cbor::cbor;
pub use event_stream::event_stream;
pub use idl::idl;

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::Value;

/// The real models the structure-aware mode starts from.
static MODELS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    [
        include_str!("../../model/chime.json"),
        include_str!("../../tests/fixtures/models/bindings.json"),
        include_str!("../../tests/fixtures/models/constraints.json"),
        include_str!("../../tests/fixtures/models/defaults.json"),
        include_str!("../../tests/fixtures/models/enums_v1.json"),
        include_str!("../../tests/fixtures/models/mixins.json"),
        include_str!("../../tests/fixtures/models/naming.json"),
        include_str!("../../tests/fixtures/models/recursion.json"),
        include_str!("../../tests/fixtures/models/resources.json"),
        include_str!("../../tests/fixtures/models/routing.json"),
        include_str!("../../tests/fixtures/models/sparse.json"),
        include_str!("../../tests/fixtures/models/unions.json"),
        include_str!("../../tests/fixtures/models/values.json"),
    ]
    .iter()
    .map(|text| serde_json::from_str(text).expect("the bundled models are JSON"))
    .collect()
});

fn options() -> codegen::GenerateOptions {
    codegen::GenerateOptions {
        service: None,
        crate_name: None,
        runtime_path: "../../runtime".into(),
        exclude_operations: Vec::new(),
    }
}

/// Generates from `data`: its first byte picks raw text (even) or a mutated real model (odd).
pub fn model(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode % 2 == 0 {
        if let Ok(text) = std::str::from_utf8(rest) {
            let _ = codegen::generate(text, &options());
        }
        return;
    }
    let mut input = Unstructured::new(rest);
    let Ok(mutated) = mutate_model(&mut input) else { return };
    let _ = codegen::generate(&mutated.to_string(), &options());
}

/// A real model with a few edits at places the input chooses.
fn mutate_model(input: &mut Unstructured<'_>) -> Result<Value> {
    let mut model = input.choose(&MODELS)?.clone();
    // Strings of the model itself (shape IDs, trait names, member names) make edits that get
    // past the first checks far more often than random text.
    let mut strings = Vec::new();
    collect_strings(&model, &mut strings);
    for _ in 0..input.int_in_range(1..=4)? {
        let replacement = match input.int_in_range(0..=9)? {
            0 => None,
            1 => Some(Value::Null),
            2 => Some(Value::from(input.arbitrary::<i64>()?)),
            3 => Some(Value::from(input.arbitrary::<f64>()?)),
            4 => Some(Value::Bool(input.arbitrary()?)),
            5 => Some(Value::Array(Vec::new())),
            6 => Some(Value::Object(serde_json::Map::new())),
            7 => Some(Value::String(input.arbitrary()?)),
            _ if !strings.is_empty() => Some(Value::String(input.choose(&strings)?.clone())),
            _ => Some(Value::Null),
        };
        edit(&mut model, input, replacement)?;
    }
    Ok(model)
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        Value::Object(map) => map.iter().for_each(|(key, item)| {
            out.push(key.clone());
            collect_strings(item, out);
        }),
        _ => {}
    }
}

/// Walks down from `value` as the input says, then replaces (or with `None` removes) the
/// node it stops at. Object keys may be renamed on the way.
fn edit(value: &mut Value, input: &mut Unstructured<'_>, replacement: Option<Value>) -> Result<()> {
    let go_deeper = input.ratio(7, 8)?;
    match value {
        Value::Object(map) if go_deeper && !map.is_empty() => {
            let index = input.choose_index(map.len())?;
            let key = map.keys().nth(index).cloned().unwrap_or_default();
            if replacement.is_none() && input.ratio(1, 3)? {
                map.shift_remove(&key);
                return Ok(());
            }
            if let (true, Some(Value::String(new_key))) = (input.ratio(1, 8)?, &replacement) {
                if let Some(inner) = map.shift_remove(&key) {
                    map.insert(new_key.clone(), inner);
                }
                return Ok(());
            }
            match map.get_mut(&key) {
                Some(inner) => edit(inner, input, replacement),
                None => Ok(()),
            }
        }
        Value::Array(items) if go_deeper && !items.is_empty() => {
            let index = input.choose_index(items.len())?;
            if replacement.is_none() && input.ratio(1, 3)? {
                items.remove(index);
                return Ok(());
            }
            edit(&mut items[index], input, replacement)
        }
        _ => {
            *value = replacement.unwrap_or(Value::Null);
            Ok(())
        }
    }
}

const ACCOUNT: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
const ALICE: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";

/// chime-local's handlers over the seed, behind the generated server: one without signature
/// checks (so requests reach routing, parsing and the handlers) and one with (so the
/// verifier sees every kind of `Authorization`).
struct Servers {
    open: chime::server::Server<chime_local::ChimeLocal>,
    signed: chime::server::Server<chime_local::ChimeLocal>,
    runtime: tokio::runtime::Runtime,
}

static SERVERS: LazyLock<Servers> = LazyLock::new(|| {
    let seed = chime_local::State::from_json(include_str!("../../clients/seed.json")).expect("the seed loads");
    let local = || chime_local::ChimeLocal::new(chime_local::Store::in_memory(seed.clone()), "111122223333");
    let config = chime::server::ServerConfig::new;
    Servers {
        open: chime::server::server(local(), config()),
        signed: chime::server::server(local(), config().access_key("AKIDLOCAL", "local-secret")),
        runtime: tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime"),
    }
});

/// Sends the request `data` describes; a 5xx answer panics with the request.
pub fn request(data: &[u8]) {
    if let Some(answer) = answer(data) {
        assert!(answer.status < 500, "{} {:?} for {}", answer.status, answer.body, answer.request);
    }
}

/// A server's answer to the request an input describes.
#[derive(Debug)]
pub struct Answer {
    /// The request, as `Debug` prints it.
    pub request: String,
    /// The HTTP status.
    pub status: u16,
    /// The error's type: `X-Amzn-Errortype`, or for rpcv2Cbor the body's `__type`; empty
    /// when there is none.
    pub error_type: String,
    /// The body, when it was whole.
    pub body: Option<Bytes>,
}

/// The answer to the request `data` describes, or `None` when it describes none. The first
/// byte picks the server: odd, the awsJson1_0 key-value store; 0 modulo 4, Chime
/// (restJson1); 2 modulo 4, the rpcv2Cbor station log.
pub fn answer(data: &[u8]) -> Option<Answer> {
    let (&server, rest) = data.split_first()?;
    let mut input = Unstructured::new(rest);
    let servers = &*SERVERS;
    let (description, response) = match server % 4 {
        0 => {
            let (request, signed) = arbitrary_request(&mut input).ok()?;
            let server = if signed { &servers.signed } else { &servers.open };
            (format!("{request:?}"), servers.runtime.block_on(server.handle(request)))
        }
        2 => {
            let (request, signed) = rpc_v2_cbor::arbitrary_request(&mut input).ok()?;
            let server = rpc_v2_cbor::SERVERS.get(signed);
            (format!("{request:?}"), servers.runtime.block_on(server.handle(request)))
        }
        _ => {
            let (request, signed) = aws_json::arbitrary_request(&mut input).ok()?;
            let server = aws_json::SERVERS.get(signed);
            (format!("{request:?}"), servers.runtime.block_on(server.handle(request)))
        }
    };
    let header = response.headers().get("x-amzn-errortype").map(|v| String::from_utf8_lossy(v.as_bytes()).into());
    let status = response.status().as_u16();
    let body = servers.runtime.block_on(response.into_body().collect()).ok();
    // rpcv2Cbor names an error in its CBOR body alone.
    let in_body = || {
        let value = smithy_runtime::cbor::to_json(body.as_deref()?, None).ok()?;
        Some(value.get("__type")?.as_str()?.to_owned())
    };
    let error_type = if server % 4 == 2 { in_body() } else { header };
    Some(Answer { request: description, status, error_type: error_type.unwrap_or_default(), body })
}

fn pick<'a>(input: &mut Unstructured<'a>, choices: &[&'a str]) -> Result<String> {
    // One in four is free text, the rest come from what the service knows.
    if input.ratio(1, 4)? {
        Ok(input.arbitrary::<&str>()?.to_owned())
    } else {
        Ok((*input.choose(choices)?).to_owned())
    }
}

/// A request the `http` crate accepts (an input that makes an unrepresentable one is skipped)
/// and whether it goes to the server that checks signatures.
fn arbitrary_request(input: &mut Unstructured<'_>) -> Result<(http::Request<Full<Bytes>>, bool)> {
    let method = pick(input, &["POST", "POST", "POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])?;
    let mut target = String::new();
    for _ in 0..input.int_in_range(0..=6)? {
        target.push('/');
        target
            .push_str(&pick(input, &["accounts", "accounts", "users", ACCOUNT, ALICE, "", "%2F", "%FF", "..", "%20"])?);
    }
    if target.is_empty() || input.ratio(1, 8)? {
        target.insert(0, '/');
    }
    if input.ratio(1, 3)? {
        target.push('?');
        target.push_str(&pick(input, &["operation=update", "operation=create", "a=1&a=2", "=", "&&", "%FF=%FF"])?);
    }
    let mut builder = http::Request::builder().method(method.as_str()).uri(target.as_str());
    if input.ratio(7, 8)? {
        builder = builder.header("content-type", pick(input, &["application/json"])?);
    }
    for _ in 0..input.int_in_range(0..=4)? {
        let name = pick(input, &["content-type", "content-length", "x-amz-date", "authorization", "host"])?;
        let value: &[u8] = input.arbitrary()?;
        builder = builder.header(name.as_str(), value);
    }
    let body =
        if input.ratio(1, 4)? { input.arbitrary::<Vec<u8>>()? } else { json_value(input, 0)?.to_string().into_bytes() };
    let signed = input.ratio(1, 4)?;
    match builder.body(Full::new(Bytes::from(body))) {
        Ok(request) => Ok((request, signed)),
        Err(_) => Err(arbitrary::Error::IncorrectFormat),
    }
}

/// JSON made of Chime's member names and values, up to a small depth.
fn json_value(input: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let names = [
        "Name",
        "DefaultLicense",
        "LicenseType",
        "UserType",
        "AlexaForBusinessMetadata",
        "IsAlexaForBusinessEnabled",
        "AlexaForBusinessRoomArn",
        "UpdateUserRequestItems",
        "UserId",
    ];
    let values = ["Basic", "Pro", "Plus", "ProTrial", "PrivateUser", "SharedDevice", ALICE, ACCOUNT, "", " "];
    Ok(match input.int_in_range(0..=7)? {
        0 | 1 if depth < 5 => {
            let mut map = serde_json::Map::new();
            for _ in 0..input.int_in_range(0..=4)? {
                map.insert(pick(input, &names)?, json_value(input, depth + 1)?);
            }
            Value::Object(map)
        }
        2 if depth < 5 => {
            Value::Array((0..input.int_in_range(0..=25)?).map(|_| json_value(input, depth + 1)).collect::<Result<_>>()?)
        }
        3 => Value::Bool(input.arbitrary()?),
        4 => Value::from(input.arbitrary::<f64>()?),
        5 => Value::Null,
        _ => Value::String(pick(input, &values)?),
    })
}
