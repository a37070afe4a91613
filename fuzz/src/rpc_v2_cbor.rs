//! The `request` target's rpcv2Cbor part: requests to the generated rpcv2Cbor server of the
//! `rpc_v2_cbor` fixture (a station log), whose handlers never fail with a 5xx.
//!
//! After the byte that chose this part, one byte each picks, in order, the method, the path
//! (each operation's, then paths that name none), the `Smithy-Protocol` value, the
//! `Content-Type` (each from a list, or arbitrary bytes for the value one past its end), how
//! many more headers follow (0 to 3, each a name from a list and arbitrary bytes), whether
//! the server checks signatures (1 in 4) and how the body is made: the rest of the input as
//! it is (even), or CBOR made of the model's member names and values, tags and
//! indefinite lengths (odd). A zero byte is the common choice each time (`POST`, PutReadings,
//! `rpc-v2-cbor`, `application/cbor`, no more headers, unsigned, raw), so that a seed is the
//! mode byte, seven choices and a body as it goes on the wire (`fuzz/seeds/request/`).

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};
use bytes::Bytes;
use fixture_rpc_v2_cbor::error::{DescribeStationError, GetReadingsError, PingError, PutReadingsError};
use fixture_rpc_v2_cbor::service::Stations;
use fixture_rpc_v2_cbor::types::*;
use http_body_util::Full;

/// The handlers: each answers from its input alone, with a modeled 4xx at most.
pub struct Log;

impl Stations for Log {
    async fn put_readings(&self, input: PutReadingsInput) -> std::result::Result<PutReadingsOutput, PutReadingsError> {
        let stored = i32::try_from(input.readings.len()).unwrap_or(i32::MAX);
        Ok(PutReadingsOutput::builder().stored(stored).set_stored_at(input.readings.first().map(|r| r.at)).build()?)
    }

    async fn get_readings(&self, input: GetReadingsInput) -> std::result::Result<GetReadingsOutput, GetReadingsError> {
        if input.station == "gone" {
            let station = Some(input.station);
            return Err(GetReadingsError::StationNotFound(StationNotFound::builder().set_station(station).build()));
        }
        Ok(GetReadingsOutput::builder().readings(Vec::new()).notes(vec![None, Some(input.station)]).build())
    }

    async fn describe_station(
        &self,
        input: DescribeStationInput,
    ) -> std::result::Result<DescribeStationOutput, DescribeStationError> {
        Ok(DescribeStationOutput::builder()
            .latest(Measurement::Text(input.station.clone()))
            .station(input.station)
            .elevation(f32::NAN)
            .build()?)
    }

    async fn ping(&self, _: PingInput) -> std::result::Result<PingOutput, PingError> {
        Ok(PingOutput::builder().build())
    }
}

type Server = fixture_rpc_v2_cbor::server::Server<Log>;

/// The server without signature checks and with them.
pub struct Servers {
    open: Server,
    signed: Server,
}

/// The servers, built on first use.
pub static SERVERS: LazyLock<Servers> = LazyLock::new(|| {
    let config = fixture_rpc_v2_cbor::server::ServerConfig::new;
    Servers {
        open: fixture_rpc_v2_cbor::server::server(Log, config()),
        signed: fixture_rpc_v2_cbor::server::server(Log, config().access_key("AKIDLOCAL", "local-secret")),
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
/// Every operation (PutReadings first), then paths that name none.
const PATHS: &[&str] = &[
    "/service/Stations/operation/PutReadings",
    "/service/Stations/operation/GetReadings",
    "/service/Stations/operation/DescribeStation",
    "/service/Stations/operation/Ping",
    "/prefix/service/Stations/operation/Ping",
    "/service/Stations/operation/putreadings",
    "/service/Other/operation/Ping",
    "/service/Stations/operation/",
    "/",
];
const PROTOCOLS: &[&str] = &["rpc-v2-cbor", "RPC-V2-CBOR", "rpc-v2-json", "", "<none>"];
const MEDIA_TYPES: &[&str] =
    &["application/cbor", "application/cbor; x=1", "application/json", "application/x-amz-json-1.0", "", "<none>"];
const HEADERS: &[&str] = &["x-amz-target", "smithy-protocol", "content-type", "content-length", "authorization"];

/// The request `input` describes, and whether it goes to the server that checks signatures.
pub fn arbitrary_request(input: &mut Unstructured<'_>) -> Result<(http::Request<Full<Bytes>>, bool)> {
    let method = choose(input, METHODS)?;
    let path = choose(input, PATHS)?;
    let protocol = choose(input, PROTOCOLS)?;
    let media_type = choose(input, MEDIA_TYPES)?;
    let method = http::Method::from_bytes(&method).map_err(|_| arbitrary::Error::IncorrectFormat)?;
    let mut builder = http::Request::builder().method(method).uri(path.as_ref());
    for (name, value) in [("smithy-protocol", protocol), ("content-type", media_type)] {
        if value.as_ref() != b"<none>" {
            builder = builder.header(name, value.as_ref());
        }
    }
    let extra = input.arbitrary::<u8>()? % 4;
    let signed = input.arbitrary::<u8>()? % 4 == 3;
    let structured = input.arbitrary::<u8>()? % 2 == 1;
    for _ in 0..extra {
        let name = HEADERS[usize::from(input.arbitrary::<u8>()?) % HEADERS.len()];
        builder = builder.header(name, input.arbitrary::<&[u8]>()?);
    }
    let body = if structured {
        let mut out = Vec::new();
        cbor_item(input, 0, &mut out)?;
        out
    } else {
        input.bytes(input.len())?.to_vec()
    };
    match builder.body(Full::new(Bytes::from(body))) {
        Ok(request) => Ok((request, signed)),
        Err(_) => Err(arbitrary::Error::IncorrectFormat),
    }
}

/// The head of an item of `major` type with argument `n`, in the shortest form.
fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => out.extend([&[m | 25][..], &(n as u16).to_be_bytes()].concat()),
        0x1_0000..=0xffff_ffff => out.extend([&[m | 26][..], &(n as u32).to_be_bytes()].concat()),
        _ => out.extend([&[m | 27][..], &n.to_be_bytes()].concat()),
    }
}

/// Member names of the model (and a few it lacks), as map keys.
const NAMES: &[&str] = &[
    "station",
    "readings",
    "clientToken",
    "limit",
    "at",
    "value",
    "raw",
    "tags",
    "number",
    "text",
    "frame",
    "__type",
    "extra",
];
const TEXTS: &[&str] = &["station-1", "gone", "", "Station!", "C", "2019-12-16T23:48:18Z"];

/// One CBOR item made of the model's names and values, up to a small depth: maps (definite
/// or indefinite), arrays, text (sometimes chunked), bytes, integers at their edges, floats of
/// every width, tags (1 mostly), booleans, null and undefined.
fn cbor_item(input: &mut Unstructured<'_>, depth: usize, out: &mut Vec<u8>) -> Result<()> {
    match input.int_in_range(0..=11u8)? {
        0..=2 if depth < 6 => {
            let len = input.int_in_range(0..=4u64)?;
            let indefinite = input.ratio(1, 6)?;
            if indefinite {
                out.push(0xbf);
            } else {
                head(5, len, out);
            }
            for _ in 0..len {
                let name = input.choose(NAMES)?;
                head(3, name.len() as u64, out);
                out.extend(name.as_bytes());
                cbor_item(input, depth + 1, out)?;
            }
            if indefinite {
                out.push(0xff);
            }
        }
        3 if depth < 6 => {
            let len = input.int_in_range(0..=4u64)?;
            head(4, len, out);
            for _ in 0..len {
                cbor_item(input, depth + 1, out)?;
            }
        }
        4 => {
            let text = if input.ratio(1, 3)? { input.arbitrary::<&str>()? } else { input.choose(TEXTS)? };
            if input.ratio(1, 5)? {
                // Chunked: an indefinite-length text of one chunk and an empty one.
                out.push(0x7f);
                head(3, text.len() as u64, out);
                out.extend(text.as_bytes());
                out.extend([0x60, 0xff]);
            } else {
                head(3, text.len() as u64, out);
                out.extend(text.as_bytes());
            }
        }
        5 => {
            let bytes: &[u8] = input.arbitrary()?;
            head(2, bytes.len() as u64, out);
            out.extend(bytes);
        }
        6 => {
            let any = input.arbitrary::<u64>()?;
            let n = *input.choose(&[0, 1, 23, 24, 50, 51, 1 << 31, u64::MAX, any])?;
            head(if input.arbitrary()? { 0 } else { 1 }, n, out);
        }
        7 => match input.int_in_range(0..=2u8)? {
            0 => out.extend([&[0xf9][..], &input.arbitrary::<[u8; 2]>()?].concat()),
            1 => out.extend([&[0xfa][..], &input.arbitrary::<f32>()?.to_be_bytes()].concat()),
            _ => out.extend([&[0xfb][..], &input.arbitrary::<f64>()?.to_be_bytes()].concat()),
        },
        8 => {
            let tag = *input.choose(&[1, 1, 1, 0, 2, 55799])?;
            head(6, tag, out);
            cbor_item(input, depth + 1, out)?;
        }
        9 => out.push(*input.choose(&[0xf4, 0xf5, 0xf6, 0xf7])?),
        _ => {
            let text = input.choose(TEXTS)?;
            head(3, text.len() as u64, out);
            out.extend(text.as_bytes());
        }
    }
    Ok(())
}
