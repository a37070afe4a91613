//! The body of the Stations PutReadings request the server part sends, in both protocols the
//! server answers: ten readings of one station, each a timestamp, a double, a 16-byte blob and
//! two tags. The two bodies are written from the same readings, so they are the same input:
//! as rpcv2Cbor has it (timestamps as tag 1 over epoch seconds, the blob as a byte string) and
//! as awsJson1_0 has it (epoch seconds as a number, the blob as base64 text).

use base64::Engine as _;
use ciborium::Value as Cbor;
use serde_json::{json, Value};

/// How many readings the request carries.
const READINGS: usize = 10;

/// The station the readings are for.
const STATION: &str = "bench-north-1";

/// The idempotency token, as a client fills it in (a UUID).
const CLIENT_TOKEN: &str = "5f0c6a1e-8b2d-4c3f-9e7a-1d2b3c4d5e6f";

/// One reading: what both bodies are written from.
struct Reading {
    /// Epoch seconds, with a fraction.
    at: f64,
    value: f64,
    raw: Vec<u8>,
    tags: [(&'static str, &'static str); 2],
}

/// The readings: a minute apart, with values like a thermometer's.
fn readings() -> Vec<Reading> {
    (0..READINGS)
        .map(|i| Reading {
            at: 1_764_547_200.5 + 60.0 * i as f64,
            value: (2_150 + 37 * i) as f64 / 100.0,
            raw: (0..16).map(|byte| (byte * 17 + i) as u8).collect(),
            tags: [("sensor", "t-3"), ("unit", "celsius")],
        })
        .collect()
}

/// The awsJson1_0 body.
pub(super) fn json_body() -> Vec<u8> {
    let readings: Vec<Value> = readings()
        .into_iter()
        .map(|reading| {
            let tags: serde_json::Map<String, Value> =
                reading.tags.iter().map(|(key, value)| ((*key).to_owned(), Value::from(*value))).collect();
            json!({
                "at": reading.at,
                "value": reading.value,
                "raw": base64::engine::general_purpose::STANDARD.encode(&reading.raw),
                "tags": tags,
            })
        })
        .collect();
    let body = json!({ "station": STATION, "readings": readings, "clientToken": CLIENT_TOKEN });
    body.to_string().into_bytes()
}

/// The rpcv2Cbor body.
pub(super) fn cbor_body() -> Vec<u8> {
    let text = |text: &str| Cbor::Text(text.to_owned());
    let readings = readings()
        .into_iter()
        .map(|reading| {
            let tags = reading.tags.iter().map(|(key, value)| (text(key), text(value))).collect();
            Cbor::Map(vec![
                (text("at"), Cbor::Tag(1, Box::new(Cbor::Float(reading.at)))),
                (text("value"), Cbor::Float(reading.value)),
                (text("raw"), Cbor::Bytes(reading.raw)),
                (text("tags"), Cbor::Map(tags)),
            ])
        })
        .collect();
    let body = Cbor::Map(vec![
        (text("station"), text(STATION)),
        (text("readings"), Cbor::Array(readings)),
        (text("clientToken"), text(CLIENT_TOKEN)),
    ]);
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    ciborium::into_writer(&body, &mut out).unwrap_or_default();
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use super::*;

    /// A CBOR value in the JSON data model, as awsJson1_0 carries it: tag 1 is its epoch
    /// seconds, a byte string is base64 text.
    fn as_json(value: Cbor) -> Value {
        match value {
            Cbor::Tag(1, inner) => as_json(*inner),
            Cbor::Bytes(bytes) => base64::engine::general_purpose::STANDARD.encode(bytes).into(),
            Cbor::Text(text) => text.into(),
            Cbor::Float(number) => number.into(),
            Cbor::Array(items) => items.into_iter().map(as_json).collect(),
            Cbor::Map(entries) => Value::Object(
                entries.into_iter().map(|(key, value)| (key.into_text().unwrap(), as_json(value))).collect(),
            ),
            other => panic!("not written by cbor_body: {other:?}"),
        }
    }

    #[test]
    fn the_two_bodies_are_the_same_input() {
        let cbor: Cbor = ciborium::from_reader(&cbor_body()[..]).unwrap();
        let json: Value = serde_json::from_slice(&json_body()).unwrap();
        assert_eq!(as_json(cbor), json);
        assert_eq!(json["readings"].as_array().unwrap().len(), READINGS);
        assert_eq!(json["readings"][3]["value"], 22.61);
        assert_eq!(json["readings"][1]["at"], 1_764_547_260.5);
    }

    #[test]
    fn the_cbor_body_tags_its_timestamps() {
        let cbor: Cbor = ciborium::from_reader(&cbor_body()[..]).unwrap();
        let readings = cbor.as_map().unwrap()[1].1.as_array().unwrap().clone();
        let at = &readings[0].as_map().unwrap()[0].1;
        assert!(matches!(at, Cbor::Tag(1, inner) if inner.as_float() == Some(1_764_547_200.5)), "{at:?}");
    }
}
