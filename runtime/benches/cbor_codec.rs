//! The CBOR codec beside serde_json on the same values: a PutReadings-like document of 100
//! readings in the JSON data model, written (`cbor::to_vec` / `serde_json::to_vec`) and read
//! back into a `serde_json::Value` (`cbor::to_json`, leniently and strictly against the
//! model's node / `serde_json::from_slice`). Run with `cargo bench -p smithy-runtime --bench
//! cbor_codec`; BENCHMARKS.md has the figures.
#![allow(missing_docs, clippy::unwrap_used)] // criterion's macros write undocumented items

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::{json, Value};
use smithy_runtime::cbor;
use smithy_runtime::node::{Field, Node, Placeholder};

static STRING: Node = Node::Leaf(Placeholder::String);
static NUMBER: Node = Node::Leaf(Placeholder::Number);
static TAGS: Node = Node::Map(&STRING);
static READING: Node = Node::Structure(&[
    Field { name: "at", required: true, node: &NUMBER },
    Field { name: "value", required: true, node: &NUMBER },
    Field { name: "raw", required: false, node: &STRING },
    Field { name: "tags", required: false, node: &TAGS },
]);
static READINGS: Node = Node::List(&READING);
static PUT_READINGS: Node = Node::Structure(&[
    Field { name: "station", required: true, node: &STRING },
    Field { name: "readings", required: true, node: &READINGS },
    Field { name: "clientToken", required: false, node: &STRING },
]);

/// The document both codecs carry: text, integers, floats and maps, as JSON has them (so the
/// blob is base64 text on both sides, and the timestamp an integer).
fn document() -> Value {
    let readings: Vec<Value> = (0..100)
        .map(|i| {
            json!({
                "at": 1_700_000_000 + i * 60,
                "value": 20.0 + f64::from(i as u32) / 8.0,
                "raw": "ZnJhbWUtZnJhbWUtZnJhbWU=",
                "tags": {"unit": "C", "site": "roof"},
            })
        })
        .collect();
    json!({"station": "station-1", "readings": readings, "clientToken": "token-1"})
}

fn codecs(c: &mut Criterion) {
    let value = document();
    let cbor_bytes = cbor::to_vec(&value).unwrap();
    let json_bytes = serde_json::to_vec(&value).unwrap();
    assert_eq!(cbor::to_json(&cbor_bytes, Some(&PUT_READINGS)).unwrap(), value);
    println!("the document: {} bytes of CBOR, {} bytes of JSON", cbor_bytes.len(), json_bytes.len());

    let mut write = c.benchmark_group("write");
    write.throughput(Throughput::Elements(1));
    write.bench_function("cbor::to_vec", |b| b.iter(|| cbor::to_vec(&value).unwrap()));
    write.bench_function("serde_json::to_vec", |b| b.iter(|| serde_json::to_vec(&value).unwrap()));
    write.finish();

    let mut read = c.benchmark_group("read");
    read.throughput(Throughput::Elements(1));
    read.bench_function("cbor::to_json lenient", |b| b.iter(|| cbor::to_json(&cbor_bytes, None).unwrap()));
    read.bench_function("cbor::to_json strict", |b| {
        b.iter(|| cbor::to_json(&cbor_bytes, Some(&PUT_READINGS)).unwrap())
    });
    read.bench_function("serde_json::from_slice", |b| b.iter(|| serde_json::from_slice::<Value>(&json_bytes).unwrap()));
    read.finish();

    let mut both = c.benchmark_group("write+read");
    both.throughput(Throughput::Elements(1));
    both.bench_function("cbor", |b| {
        b.iter_batched(
            || &value,
            |v| cbor::to_json(&cbor::to_vec(v).unwrap(), Some(&PUT_READINGS)).unwrap(),
            BatchSize::SmallInput,
        )
    });
    both.bench_function("serde_json", |b| {
        b.iter_batched(
            || &value,
            |v| serde_json::from_slice::<Value>(&serde_json::to_vec(v).unwrap()).unwrap(),
            BatchSize::SmallInput,
        )
    });
    both.finish();
}

criterion_group!(benches, codecs);
criterion_main!(benches);
