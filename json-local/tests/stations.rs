//! The generated Stations client against json-local's Stations in process (no sockets), SigV4
//! on: one server, a client speaking rpcv2Cbor and one speaking awsJson1_0, each reading what
//! the other wrote; the modeled errors; and the bound on the readings a station keeps.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;

use fixture_rpc_v2_cbor::client::Client;
use fixture_rpc_v2_cbor::error::{DescribeStationError, GetReadingsError, PutReadingsError};
use fixture_rpc_v2_cbor::server::Server;
use fixture_rpc_v2_cbor::service::Stations;
use fixture_rpc_v2_cbor::types::*;
use json_local::stations::KEPT_READINGS;
use json_local::StationsLocal;
use smithy_runtime::client::{Config, RetryConfig, ServiceTransport};
use smithy_runtime::protocol::Protocol;
use smithy_runtime::service::ServerConfig;
use smithy_runtime::{Blob, DateTime};

const KEY: (&str, &str) = ("AKIDINPROCESS", "in-process-secret");

fn server() -> Server<StationsLocal> {
    fixture_rpc_v2_cbor::server::server(StationsLocal::new(), ServerConfig::new().access_key(KEY.0, KEY.1))
}

/// A client of `server` speaking `protocol`, signing with `secret`.
fn client(server: &Server<StationsLocal>, protocol: Protocol, secret: &str) -> Client {
    let config = Config::new()
        .endpoint_url("http://stations.local")
        .region("us-east-1")
        .retry(RetryConfig::disabled())
        .credentials(KEY.0, secret, None)
        .protocol(protocol)
        .transport(ServiceTransport::new(server.clone()));
    Client::new(config).unwrap()
}

fn reading(secs: i64, value: f64) -> Reading {
    Reading::builder()
        .at(DateTime::from_secs(secs))
        .value(value)
        .raw(Blob::new(vec![0, 1, 254, 255]))
        .tags(BTreeMap::from([("note".to_owned(), format!("at {secs}"))]))
        .build()
        .unwrap()
}

fn put(station: &str, readings: Vec<Reading>) -> PutReadingsInput {
    PutReadingsInput::builder().station(station.to_owned()).readings(readings).build().unwrap()
}

fn get(station: &str, limit: Option<i32>) -> GetReadingsInput {
    GetReadingsInput::builder().station(station.to_owned()).set_limit(limit).build().unwrap()
}

#[tokio::test]
async fn what_one_protocol_writes_the_other_reads() {
    let server = server();
    let cbor = client(&server, Protocol::RpcV2Cbor, KEY.1);
    let json = client(&server, Protocol::AwsJson1_0, KEY.1);
    let written = vec![reading(1_700_000_000, 21.5), reading(1_700_000_060, -3.25)];
    let output = Stations::put_readings(&cbor, put("north-1", written.clone())).await.unwrap();
    assert_eq!(output.stored, 2);
    assert!(output.stored_at.is_some());
    let output = Stations::put_readings(&json, put("north-1", vec![reading(1_700_000_120, 0.5)])).await.unwrap();
    assert_eq!(output.stored, 1);

    let got = Stations::get_readings(&json, get("north-1", None)).await.unwrap();
    let readings = got.readings.unwrap();
    assert_eq!(readings[..2], written[..]);
    assert_eq!(readings[2], reading(1_700_000_120, 0.5));
    let notes = got.notes.unwrap();
    assert_eq!(notes, [Some("at 1700000000".into()), Some("at 1700000060".into()), Some("at 1700000120".into())]);

    // The latest `limit`, oldest first.
    let got = Stations::get_readings(&cbor, get("north-1", Some(2))).await.unwrap();
    let values: Vec<f64> = got.readings.unwrap().iter().map(|reading| reading.value).collect();
    assert_eq!(values, [-3.25, 0.5]);

    let described =
        Stations::describe_station(&cbor, DescribeStationInput::builder().station("north-1").build().unwrap())
            .await
            .unwrap();
    assert_eq!(described.station, "north-1");
    assert!(matches!(described.latest, Some(Measurement::Number(value)) if value == 0.5));
    Stations::ping(&json, PingInput::builder().build()).await.unwrap();
}

#[tokio::test]
async fn modeled_errors_reach_both_clients_as_their_variants() {
    let server = server();
    for protocol in [Protocol::RpcV2Cbor, Protocol::AwsJson1_0] {
        let client = client(&server, protocol, KEY.1);
        match Stations::get_readings(&client, get("nowhere", None)).await {
            Err(GetReadingsError::StationNotFound(error)) => assert_eq!(error.station.as_deref(), Some("nowhere")),
            other => panic!("{protocol:?}: expected StationNotFound, got {other:?}"),
        }
        match Stations::describe_station(&client, DescribeStationInput::builder().station("nowhere").build().unwrap())
            .await
        {
            Err(DescribeStationError::StationNotFound(_)) => {}
            other => panic!("{protocol:?}: expected StationNotFound, got {other:?}"),
        }
        match Stations::put_readings(&client, put("Not Valid!", Vec::new())).await {
            Err(PutReadingsError::ValidationException(error)) => {
                let fields = error.field_list.unwrap_or_default();
                let paths: Vec<&str> = fields.iter().map(|field| field.path.as_str()).collect();
                assert_eq!(paths, ["/station", "/readings"], "{protocol:?}: {}", error.message);
            }
            other => panic!("{protocol:?}: expected ValidationException, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_wrong_signature_is_refused() {
    let client = client(&server(), Protocol::RpcV2Cbor, "not-the-secret");
    match Stations::put_readings(&client, put("north-1", vec![reading(1_700_000_000, 1.0)])).await {
        Err(PutReadingsError::Unhandled(error)) => {
            assert_eq!(error.code(), "InvalidSignatureException");
            assert_eq!(error.http_status(), 403);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_station_keeps_its_latest_readings() {
    let service = StationsLocal::new();
    let batch = |first: usize| (first..first + 100).map(|i| reading(i as i64, i as f64)).collect();
    for first in (0..KEPT_READINGS + 250).step_by(100) {
        service.put_readings(put("busy", batch(first))).await.unwrap();
    }
    let readings = service.get_readings(get("busy", None)).await.unwrap().readings.unwrap();
    assert_eq!(readings.len(), KEPT_READINGS);
    // 1,300 were written; the first 300 were dropped.
    assert_eq!((readings[0].value, readings[KEPT_READINGS - 1].value), (300.0, 1_299.0));
}
