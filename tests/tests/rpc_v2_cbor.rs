//! rpcv2Cbor end to end (tests/fixtures/models/rpc_v2_cbor.smithy, a station log read through
//! the IDL front end): the generated client against the generated server in process, and
//! the wire as the protocol has it: `POST /service/Stations/operation/{Op}`,
//! `smithy-protocol: rpc-v2-cbor`, `application/cbor` bodies with blobs as byte strings and
//! timestamps as tag 1, no body for `Unit`, errors with `__type`, every violation reported.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fixture_rpc_v2_cbor::client::{Client, Config, RetryConfig};
use fixture_rpc_v2_cbor::error::{DescribeStationError, GetReadingsError, PingError, PutReadingsError};
use fixture_rpc_v2_cbor::server::{operation_for, server, ServerConfig};
use fixture_rpc_v2_cbor::service::Stations;
use fixture_rpc_v2_cbor::types::*;
use smithy_runtime::client::ServiceTransport;
use smithy_runtime::{Blob, DateTime};

/// Readings by station. Clones share it, so a test can look at it after the server took one.
#[derive(Default, Clone)]
struct Log {
    stations: Arc<Mutex<BTreeMap<String, Vec<Reading>>>>,
    last_token: Arc<Mutex<Option<String>>>,
}

fn not_found(station: &str) -> StationNotFound {
    StationNotFound::builder().message(format!("no station {station}")).station(station.to_owned()).build()
}

impl Stations for Log {
    async fn put_readings(&self, input: PutReadingsInput) -> Result<PutReadingsOutput, PutReadingsError> {
        let stored = i32::try_from(input.readings.len()).unwrap();
        self.stations.lock().unwrap().entry(input.station).or_default().extend(input.readings);
        *self.last_token.lock().unwrap() = input.client_token;
        Ok(PutReadingsOutput::builder()
            .stored(stored)
            .stored_at(DateTime::from_millis(1_764_547_200_250))
            .build()
            .unwrap())
    }

    async fn get_readings(&self, input: GetReadingsInput) -> Result<GetReadingsOutput, GetReadingsError> {
        let stations = self.stations.lock().unwrap();
        let readings = stations.get(&input.station).ok_or_else(|| not_found(&input.station))?;
        let notes = readings.iter().map(|r| r.tags.as_ref().and_then(|t| t.get("note").cloned())).collect();
        Ok(GetReadingsOutput::builder().readings(readings.clone()).notes(notes).build())
    }

    async fn describe_station(
        &self,
        input: DescribeStationInput,
    ) -> Result<DescribeStationOutput, DescribeStationError> {
        if input.station == "broken" {
            return Err(DescribeStationError::ServiceFault(ServiceFault::builder().message("down").build()));
        }
        let stations = self.stations.lock().unwrap();
        let readings = stations.get(&input.station).ok_or_else(|| not_found(&input.station))?;
        Ok(DescribeStationOutput::builder()
            .station(input.station.clone())
            .set_latest(readings.last().map(|r| Measurement::Number(r.value)))
            .calibration(Blob::new(vec![0, 1, 2, 255]))
            .elevation(f32::NEG_INFINITY)
            .build()
            .unwrap())
    }

    async fn ping(&self, _: PingInput) -> Result<PingOutput, PingError> {
        Ok(PingOutput::builder().build())
    }
}

fn client(log: Log) -> Client {
    let transport = ServiceTransport::new(server(log, ServerConfig::new()));
    let config =
        Config::new().endpoint_url("http://stations.local").retry(RetryConfig::disabled()).transport(transport);
    Client::new(config).unwrap()
}

fn reading(secs: i64, value: f64, raw: &[u8]) -> Reading {
    Reading::builder()
        .at(DateTime::from_secs(secs))
        .value(value)
        .raw(Blob::new(raw.to_vec()))
        .tags(BTreeMap::from([("note".to_owned(), format!("at {secs}"))]).into_iter().collect())
        .build()
        .unwrap()
}

/// Sends `body` to operation `op` with the given headers; returns status, headers and the
/// body read as CBOR (`Null` when empty).
async fn raw(op: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, http::HeaderMap, serde_json::Value) {
    let service = server(Log::default(), ServerConfig::new());
    let mut request = http::Request::post(format!("/service/Stations/operation/{op}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(http_body_util::Full::new(Bytes::from(body))).unwrap();
    let response = service.handle(request).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap();
    let value =
        if bytes.is_empty() { serde_json::Value::Null } else { smithy_runtime::cbor::to_json(&bytes, None).unwrap() };
    (status, headers, value)
}

const CBOR: [(&str, &str); 2] = [("smithy-protocol", "rpc-v2-cbor"), ("content-type", "application/cbor")];

fn cbor(value: &ciborium::Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

fn map(entries: Vec<(&str, ciborium::Value)>) -> ciborium::Value {
    ciborium::Value::Map(entries.into_iter().map(|(k, v)| (ciborium::Value::from(k), v)).collect())
}

#[tokio::test]
async fn values_round_trip_through_the_client_and_server() {
    let log = Log::default();
    let client = client(log.clone());
    let readings = vec![reading(1_700_000_000, 21.5, b"\x00\xffraw"), reading(1_700_000_060, f64::NAN, b"")];
    let input = PutReadingsInput::builder().station("north-1").readings(readings).build().unwrap();
    let output = Stations::put_readings(&client, input).await.unwrap();
    assert_eq!(output.stored, 2);
    // Written as tag 1 with a fractional part, whatever the model's date-time format says.
    assert_eq!(output.stored_at, Some(DateTime::from_millis(1_764_547_200_250)));
    assert_eq!(log.last_token.lock().unwrap().as_ref().map(String::len), Some(36), "the token was filled in");

    let got =
        Stations::get_readings(&client, GetReadingsInput::builder().station("north-1").build().unwrap()).await.unwrap();
    let got_readings = got.readings.unwrap();
    assert_eq!(got_readings[0], reading(1_700_000_000, 21.5, b"\x00\xffraw"));
    assert!(got_readings[1].value.is_nan(), "NaN is a CBOR float");
    assert_eq!(got_readings[1].raw, Some(Blob::new(Vec::new())));
    assert_eq!(got.notes.unwrap(), [Some("at 1700000000".to_owned()), Some("at 1700000060".to_owned())]);

    let described =
        Stations::describe_station(&client, DescribeStationInput::builder().station("north-1").build().unwrap())
            .await
            .unwrap();
    assert_eq!(described.calibration, Some(Blob::new(vec![0, 1, 2, 255])));
    assert_eq!(described.elevation, Some(f32::NEG_INFINITY));
    assert!(matches!(described.latest, Some(Measurement::Number(n)) if n.is_nan()));
    Stations::ping(&client, PingInput::builder().build()).await.unwrap();
}

#[tokio::test]
async fn modeled_errors_reach_the_client_as_their_variants() {
    let client = client(Log::default());
    match Stations::get_readings(&client, GetReadingsInput::builder().station("nowhere").build().unwrap()).await {
        Err(GetReadingsError::StationNotFound(error)) => {
            assert_eq!(
                (error.message.as_deref(), error.station.as_deref()),
                (Some("no station nowhere"), Some("nowhere"))
            );
        }
        other => panic!("expected StationNotFound, got {other:?}"),
    }
    match Stations::describe_station(&client, DescribeStationInput::builder().station("broken").build().unwrap()).await
    {
        Err(DescribeStationError::ServiceFault(error)) => assert_eq!(error.message.as_deref(), Some("down")),
        other => panic!("expected ServiceFault, got {other:?}"),
    }
    let invalid = PutReadingsInput::builder().station("Not Valid!").readings(Vec::new()).build().unwrap();
    match Stations::put_readings(&client, invalid).await {
        Err(PutReadingsError::ValidationException(error)) => {
            let fields = error.field_list.unwrap_or_default();
            let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
            assert_eq!(paths, ["/station", "/readings"], "every violation: {}", error.message);
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn the_wire_is_cbor_with_tags_byte_strings_and_the_protocol_header() {
    let body = map(vec![
        ("station", "north-1".into()),
        (
            "readings",
            ciborium::Value::Array(vec![map(vec![
                ("at", ciborium::Value::Tag(1, Box::new(1_700_000_000.5f64.into()))),
                ("value", 3.into()),
                ("raw", ciborium::Value::Bytes(vec![1, 2, 3])),
            ])]),
        ),
        ("unknownMember", "skipped".into()),
    ]);
    let (status, headers, value) = raw("PutReadings", &CBOR, cbor(&body)).await;
    assert_eq!(status, 200, "{value}");
    assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
    assert_eq!(headers["content-type"], "application/cbor");
    assert_eq!(value["stored"], 1);
    // The output's timestamp is tag 1: read through the JSON data model it is epoch seconds.
    assert_eq!(value["storedAt"], 1_764_547_200.25);

    // Unit in, Unit out: no body and no content type either way.
    let (status, headers, value) = raw("Ping", &CBOR[..1], Vec::new()).await;
    assert_eq!((status, value), (200, serde_json::Value::Null));
    assert_eq!(headers.get("content-type"), None);
    assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
    // An empty map is accepted for a Unit input too.
    assert_eq!(raw("Ping", &CBOR, vec![0xbf, 0xff]).await.0, 200);
}

#[tokio::test]
async fn errors_carry_their_shape_id_and_every_violation() {
    let body = map(vec![("station", "nowhere".into())]);
    let (status, _, value) = raw("GetReadings", &CBOR, cbor(&body)).await;
    assert_eq!(status, 404);
    assert_eq!(value["__type"], "example.stations#StationNotFound");
    assert_eq!(value["message"], "no station nowhere");

    let body = map(vec![("station", "Bad Name".into()), ("limit", 99.into())]);
    let (status, _, value) = raw("GetReadings", &CBOR, cbor(&body)).await;
    assert_eq!((status, value["__type"].as_str()), (400, Some("smithy.framework#ValidationException")));
    let body = map(vec![("readings", ciborium::Value::Array(vec![map(vec![("value", 1.5.into())])]))]);
    let (status, _, value) = raw("PutReadings", &CBOR, cbor(&body)).await;
    assert_eq!(status, 400, "{value}");
    let message = value["message"].as_str().unwrap();
    for path in ["/station", "/readings/0/at"] {
        assert!(message.contains(&format!("'{path}'")), "{path} missing from: {message}");
    }
}

#[tokio::test]
async fn malformed_bodies_and_foreign_requests_are_refused() {
    let wrong_type = map(vec![("station", ciborium::Value::Bytes(b"north".to_vec()))]);
    let (status, _, value) = raw("GetReadings", &CBOR, cbor(&wrong_type)).await;
    assert_eq!((status, value["__type"].as_str()), (400, Some("SerializationException")), "{value}");
    assert!(value["message"].as_str().unwrap().contains("expected a text string"), "{value}");
    let twice = vec![
        0xa2, 0x67, b's', b't', b'a', b't', b'i', b'o', b'n', 0x61, b'a', 0x67, b's', b't', b'a', b't', b'i', b'o',
        b'n', 0x61, b'b',
    ];
    let (status, _, value) = raw("GetReadings", &CBOR, twice).await;
    assert_eq!(status, 400);
    assert!(value["message"].as_str().unwrap().contains("appears twice"), "{value}");
    let (status, _, value) =
        raw("GetReadings", &CBOR, vec![0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).await;
    assert_eq!(status, 400, "{value}");

    let body = cbor(&map(vec![("station", "north".into())]));
    let (status, _, value) = raw("GetReadings", &[CBOR[1]], body.clone()).await;
    assert_eq!((status, value["__type"].as_str()), (400, Some("UnknownOperationException")), "no smithy-protocol");
    let target = [CBOR[0], CBOR[1], ("x-amz-target", "Stations.GetReadings")];
    assert_eq!(raw("GetReadings", &target, body.clone()).await.0, 400, "X-Amz-Target is another protocol's");
    let json = [CBOR[0], ("content-type", "application/json")];
    assert_eq!(raw("GetReadings", &json, body.clone()).await.0, 415);
    assert_eq!(raw("Nope", &CBOR, body).await.0, 404);
    assert_eq!(operation_for("/prefix/service/Stations/operation/Ping"), Some("Ping"));
    assert_eq!(operation_for("/service/Stations/operation/Nope"), None);
}

/// The fixture's service also declares awsJson1_0: one server answers both protocols, told
/// apart by their headers, and a client speaks the one its config picks.
mod both_protocols {
    use super::*;
    use smithy_runtime::protocol::Protocol;

    fn json_client(log: Log) -> Client {
        let transport = ServiceTransport::new(server(log, ServerConfig::new()));
        let config = Config::new()
            .endpoint_url("http://stations.local")
            .retry(RetryConfig::disabled())
            .transport(transport)
            .protocol(Protocol::AwsJson1_0);
        Client::new(config).unwrap()
    }

    /// Sends a JSON body with `X-Amz-Target: Stations.{op}` to the server.
    async fn json(op: &str, body: &str) -> (u16, http::HeaderMap, serde_json::Value) {
        let service = server(Log::default(), ServerConfig::new());
        let request = http::Request::post("/")
            .header("x-amz-target", format!("Stations.{op}"))
            .header("content-type", "application/x-amz-json-1.0")
            .body(http_body_util::Full::new(Bytes::from(body.to_owned())))
            .unwrap();
        let response = service.handle(request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap();
        (status, headers, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
    }

    #[tokio::test]
    async fn a_client_configured_for_aws_json_round_trips_the_same_values() {
        let log = Log::default();
        let client = json_client(log.clone());
        let readings = vec![reading(1_700_000_000, f64::INFINITY, b"\x00\x01")];
        let output = Stations::put_readings(
            &client,
            PutReadingsInput::builder().station("s").readings(readings).build().unwrap(),
        )
        .await
        .unwrap();
        // The same member is a date-time string in JSON (its @timestampFormat) and tag 1 in CBOR.
        assert_eq!(output.stored_at, Some(DateTime::from_millis(1_764_547_200_250)));
        let got =
            Stations::get_readings(&client, GetReadingsInput::builder().station("s").build().unwrap()).await.unwrap();
        assert_eq!(got.readings.unwrap()[0].value, f64::INFINITY);
        match Stations::get_readings(&client, GetReadingsInput::builder().station("none").build().unwrap()).await {
            Err(GetReadingsError::StationNotFound(error)) => assert_eq!(error.station.as_deref(), Some("none")),
            other => panic!("expected StationNotFound, got {other:?}"),
        }
        Stations::ping(&client, PingInput::builder().build()).await.unwrap();
    }

    #[tokio::test]
    async fn the_server_answers_each_request_in_its_own_protocol() {
        let (status, headers, value) =
            json("PutReadings", r#"{"station":"s","readings":[{"at":1700000000,"value":1.5,"raw":"AAE="}]}"#).await;
        assert_eq!(status, 200, "{value}");
        assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
        assert_eq!(headers.get("smithy-protocol"), None);
        assert_eq!(value["storedAt"], "2025-12-01T00:00:00.25Z", "the JSON form follows @timestampFormat");
        let (status, headers, value) = json("GetReadings", r#"{"station":"none"}"#).await;
        assert_eq!(status, 404);
        assert_eq!(value["__type"], "example.stations#StationNotFound");
        assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
        // A JSON request that sends a number for the date-time member is refused, as a JSON
        // server must; CBOR's tag 1 is the only number form.
        let (status, _, value) =
            json("PutReadings", r#"{"station":"s","readings":[{"at":"2025-12-01T00:00:00Z","value":1}]}"#).await;
        assert_eq!(status, 400, "epoch-seconds members take numbers only: {value}");
        // The CBOR requests of the other tests are answered in CBOR by the same server.
        let (status, headers, _) = raw("Ping", &CBOR[..1], Vec::new()).await;
        assert_eq!((status, &headers["smithy-protocol"]), (200, &http::HeaderValue::from_static("rpc-v2-cbor")));
    }

    #[test]
    fn a_client_refuses_a_protocol_the_service_does_not_speak() {
        let config = Config::new().endpoint_url("http://stations.local").protocol(Protocol::RestJson1);
        let error = Client::new(config).unwrap_err().to_string();
        assert!(error.contains("restJson1 is not one this service speaks (rpcv2Cbor, awsJson1_0)"), "{error}");
    }
}
