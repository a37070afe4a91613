//! awsJson1_0 end to end (tests/fixtures/models/aws_json.json, a key-value store): the
//! generated client against the generated server in process, and the wire as the protocol
//! has it: `POST /` with `X-Amz-Target`, `application/x-amz-json-1.0`, every member in the
//! body under its member name (HTTP binding traits and `@jsonName` ignored), errors with
//! `__type`, and every constraint violation reported together.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fixture_aws_json::client::{Client, Config, RetryConfig};
use fixture_aws_json::error::{GetEntryError, PutEntryError};
use fixture_aws_json::server::{operation_for, server, ServerConfig};
use fixture_aws_json::service::KvStore;
use fixture_aws_json::types::*;
use smithy_runtime::client::ServiceTransport;
use smithy_runtime::DateTime;

/// An in-memory store: table -> key -> value. Clones share it, so a test can look at it after
/// the server took one.
#[derive(Default, Clone)]
struct Store {
    tables: Arc<Mutex<BTreeMap<String, BTreeMap<String, Value>>>>,
    last_put: Arc<Mutex<Option<PutEntryInput>>>,
}

impl KvStore for Store {
    async fn put_entry(&self, input: PutEntryInput) -> Result<PutEntryOutput, PutEntryError> {
        if input.key == "locked" {
            let error = ConditionalCheckFailedException::builder()
                .message("locked")
                .set_item(input.value.clone().into())
                .build();
            return Err(PutEntryError::ConditionalCheckFailedException(error));
        }
        let mut tables = self.tables.lock().unwrap();
        let previous =
            tables.entry(input.table_name.clone()).or_default().insert(input.key.clone(), input.value.clone());
        *self.last_put.lock().unwrap() = Some(input);
        Ok(PutEntryOutput::builder().stored_at(DateTime::from_secs(1_700_000_000)).set_previous(previous).build())
    }

    async fn get_entry(&self, input: GetEntryInput) -> Result<GetEntryOutput, GetEntryError> {
        let tables = self.tables.lock().unwrap();
        let table = tables.get(&input.table_name).ok_or_else(|| {
            GetEntryError::ResourceNotFoundException(
                ResourceNotFoundException::builder().message(format!("no table {}", input.table_name)).build(),
            )
        })?;
        Ok(GetEntryOutput::builder().set_value(table.get(&input.key).cloned()).build())
    }

    async fn delete_entry(
        &self,
        input: DeleteEntryInput,
    ) -> Result<DeleteEntryOutput, fixture_aws_json::error::DeleteEntryError> {
        if let Some(table) = self.tables.lock().unwrap().get_mut(&input.table_name) {
            table.remove(&input.key);
        }
        Ok(DeleteEntryOutput::builder().build())
    }

    async fn list_entries(
        &self,
        input: ListEntriesInput,
    ) -> Result<ListEntriesOutput, fixture_aws_json::error::ListEntriesError> {
        let tables = self.tables.lock().unwrap();
        let keys = tables.get(&input.table_name).map(|t| t.keys().cloned().collect()).unwrap_or_default();
        Ok(ListEntriesOutput::builder().keys(keys).build().unwrap())
    }

    async fn ping(&self, _: PingInput) -> Result<PingOutput, fixture_aws_json::error::PingError> {
        Ok(PingOutput::builder().build())
    }
}

fn client(store: Store) -> Client {
    let transport = ServiceTransport::new(server(store, ServerConfig::new()));
    let config = Config::new().endpoint_url("http://kv.local").retry(RetryConfig::disabled()).transport(transport);
    Client::new(config).unwrap()
}

fn put(key: &str, value: Value) -> PutEntryInput {
    PutEntryInput::builder()
        .table_name("things")
        .key(key)
        .value(value)
        .note("in the body")
        .renamed("by member name")
        .build()
        .unwrap()
}

/// Sends raw bytes to the server as `target`, and returns status, headers and JSON body.
async fn raw(target: &str, content_type: &str, body: &str) -> (u16, http::HeaderMap, serde_json::Value) {
    let service = server(Store::default(), ServerConfig::new());
    let request = http::Request::post("/")
        .header("x-amz-target", target)
        .header("content-type", content_type)
        .body(http_body_util::Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    let response = service.handle(request).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn values_round_trip_through_the_client_and_server() {
    let store = Store::default();
    let client = client(store.clone());
    let value = Value::M(BTreeMap::from([
        ("n".to_owned(), Value::N(42)),
        ("l".to_owned(), Value::L(vec![Value::S("a".into()), Value::Bool(true)])),
        ("b".to_owned(), Value::B(smithy_runtime::Blob::new(b"bytes".to_vec()))),
    ]));
    let output = KvStore::put_entry(&client, put("k", value.clone())).await.unwrap();
    assert_eq!(output.stored_at, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(output.previous, None);
    let got = KvStore::get_entry(&client, GetEntryInput::builder().table_name("things").key("k").build().unwrap())
        .await
        .unwrap();
    assert_eq!(got.value, Some(value));
    // The members with HTTP binding traits arrive all the same: they travel in the body.
    let last = store.last_put.lock().unwrap().clone().unwrap();
    assert_eq!(last.note.as_deref(), Some("in the body"));
    assert_eq!(last.renamed.as_deref(), Some("by member name"));
    // The idempotency token was filled in by the client.
    assert_eq!(last.client_token.map(|t| t.len()), Some(36));
    let keys = KvStore::list_entries(&client, ListEntriesInput::builder().table_name("things").build().unwrap());
    assert_eq!(keys.await.unwrap().keys, ["k"]);
    KvStore::ping(&client, PingInput::builder().build()).await.unwrap();
}

#[tokio::test]
async fn modeled_errors_reach_the_client_as_their_variants() {
    let client = client(Store::default());
    let missing =
        KvStore::get_entry(&client, GetEntryInput::builder().table_name("none").key("k").build().unwrap()).await;
    match missing {
        Err(GetEntryError::ResourceNotFoundException(error)) => {
            assert_eq!(error.message.as_deref(), Some("no table none"))
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let locked = KvStore::put_entry(&client, put("locked", Value::S("v".into()))).await;
    match locked {
        Err(PutEntryError::ConditionalCheckFailedException(error)) => {
            assert_eq!(error.item, Some(Value::S("v".into())));
        }
        other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
    }
}

#[tokio::test]
async fn the_body_uses_member_names_and_errors_carry_their_type() {
    let body = r#"{"TableName":"things","Key":"k","Value":{"S":"v"},"Renamed":"r","Note":"n"}"#;
    let (status, headers, json) = raw("KvStore_20250101.PutEntry", "application/x-amz-json-1.0", body).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
    assert_eq!(json["StoredAt"], 1_700_000_000);
    let (status, headers, json) =
        raw("KvStore_20250101.GetEntry", "application/x-amz-json-1.0", r#"{"TableName":"none","Key":"k"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(json["__type"], "example.kvstore#ResourceNotFoundException");
    assert_eq!(headers["x-amzn-errortype"], "example.kvstore#ResourceNotFoundException");
    assert_eq!(json["message"], "no table none");
}

#[tokio::test]
async fn every_violation_is_reported_with_the_modeled_validation_error() {
    let body = r#"{"TableName":"x!","Key":"","Value":{"S":"v"},"Copies":11,"Tags":{"a":"01234567890123456789"}}"#;
    let (status, _, json) = raw("KvStore_20250101.PutEntry", "application/x-amz-json-1.0", body).await;
    assert_eq!(status, 400);
    assert_eq!(json["__type"], "example.kvstore#ValidationException");
    let message = json["message"].as_str().unwrap();
    for path in ["/TableName", "/Key", "/Copies", "/Tags/a"] {
        assert!(message.contains(&format!("at '{path}'")), "{path} missing from: {message}");
    }
}

#[tokio::test]
async fn unknown_targets_and_other_media_types_are_refused() {
    let (status, _, json) = raw("KvStore_20250101.Scan", "application/x-amz-json-1.0", "{}").await;
    assert_eq!((status, json["__type"].as_str()), (400, Some("UnknownOperationException")));
    let (status, _, json) = raw("Other.GetEntry", "application/x-amz-json-1.0", "{}").await;
    assert_eq!((status, json["__type"].as_str()), (400, Some("UnknownOperationException")));
    let (status, _, json) = raw("KvStore_20250101.Ping", "application/json", "{}").await;
    assert_eq!((status, json["__type"].as_str()), (415, Some("UnsupportedMediaTypeException")));
    assert_eq!(operation_for("KvStore_20250101.ListEntries"), Some("ListEntries"));
    assert_eq!(operation_for("KvStore_20250101.Nope"), None);
}
