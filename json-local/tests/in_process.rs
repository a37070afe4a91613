//! The generated Rust clients against json-local's services in process (no sockets), SigV4
//! on: DynamoDB over awsJson1_0 and CloudWatch Logs over awsJson1_1, a happy path and the
//! modeled errors of each, so `cargo test` covers both protocols end to end without Python.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;

use fixture_dynamodb::error::{CreateTableError, GetItemError, PutItemError};
use fixture_dynamodb::service::DynamoDb;
use fixture_dynamodb::types::*;
use fixture_logs::error::{CreateLogGroupError, CreateLogStreamError, PutLogEventsError};
use fixture_logs::service::CloudWatchLogs;
use fixture_logs::types::{
    CreateLogGroupInput, CreateLogStreamInput, GetLogEventsInput, InputLogEvent, PutLogEventsInput,
};
use json_local::{DynamoDbLocal, LogsLocal};
use smithy_runtime::client::{Config, RetryConfig, ServiceTransport};
use smithy_runtime::service::ServerConfig;

const KEY: (&str, &str) = ("AKIDINPROCESS", "in-process-secret");

fn config(endpoint: &str, secret: &str) -> Config {
    Config::new()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .retry(RetryConfig::disabled())
        .credentials(KEY.0, secret, None)
}

fn server_config() -> ServerConfig {
    ServerConfig::new().access_key(KEY.0, KEY.1)
}

fn dynamodb(secret: &str) -> fixture_dynamodb::client::Client {
    let server = fixture_dynamodb::server::server(DynamoDbLocal::new("dynamodb.local"), server_config());
    let config = config("http://dynamodb.local", secret).transport(ServiceTransport::new(server));
    fixture_dynamodb::client::Client::new(config).unwrap()
}

fn logs() -> fixture_logs::client::Client {
    let server = fixture_logs::server::server(LogsLocal::new(), server_config());
    let config = config("http://logs.local", KEY.1).transport(ServiceTransport::new(server));
    fixture_logs::client::Client::new(config).unwrap()
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(number: &str) -> AttributeValue {
    AttributeValue::N(number.into())
}

fn item(pairs: &[(&str, AttributeValue)]) -> BTreeMap<String, AttributeValue> {
    pairs.iter().map(|(name, value)| (name.to_string(), value.clone())).collect()
}

fn create_table(name: &str) -> CreateTableInput {
    let definition = |name: &str, attribute_type| AttributeDefinition { attribute_name: name.into(), attribute_type };
    let key = |name: &str, key_type| KeySchemaElement { attribute_name: name.into(), key_type };
    CreateTableInput {
        attribute_definitions: vec![definition("pk", ScalarAttributeType::S), definition("sk", ScalarAttributeType::N)],
        table_name: name.into(),
        key_schema: vec![key("pk", KeyType::Hash), key("sk", KeyType::Range)],
        local_secondary_indexes: None,
        global_secondary_indexes: None,
        billing_mode: Some(BillingMode::PayPerRequest),
        provisioned_throughput: None,
        stream_specification: None,
        sse_specification: None,
        tags: None,
        table_class: None,
        deletion_protection_enabled: None,
        warm_throughput: None,
        resource_policy: None,
        on_demand_throughput: None,
    }
}

fn put_item(table: &str, item: BTreeMap<String, AttributeValue>, condition: Option<&str>) -> PutItemInput {
    PutItemInput {
        table_name: table.into(),
        item,
        expected: None,
        return_values: Some(ReturnValue::AllOld),
        return_consumed_capacity: None,
        return_item_collection_metrics: None,
        conditional_operator: None,
        condition_expression: condition.map(str::to_owned),
        expression_attribute_names: None,
        expression_attribute_values: None,
        return_values_on_condition_check_failure: None,
    }
}

fn get_item(table: &str, key: BTreeMap<String, AttributeValue>) -> GetItemInput {
    GetItemInput {
        table_name: table.into(),
        key,
        attributes_to_get: None,
        consistent_read: Some(true),
        return_consumed_capacity: None,
        projection_expression: None,
        expression_attribute_names: None,
    }
}

#[tokio::test]
async fn dynamodb_create_put_update_get_and_query() {
    let client = dynamodb(KEY.1);
    let created = client.create_table(create_table("Orders")).await.unwrap().table_description.unwrap();
    assert_eq!(created.table_status, Some(TableStatus::Active));
    assert_eq!(created.table_name.as_deref(), Some("Orders"));
    for (sk, total) in [("2", "20"), ("1", "10"), ("3", "30")] {
        let new = item(&[("pk", s("alice")), ("sk", n(sk)), ("total", n(total)), ("note", s("x"))]);
        let old = client.put_item(put_item("Orders", new, None)).await.unwrap();
        assert_eq!(old.attributes, None, "a new item has no old attributes");
    }
    let key = item(&[("pk", s("alice")), ("sk", n("1"))]);
    let updated = client
        .update_item(UpdateItemInput {
            table_name: "Orders".into(),
            key: key.clone(),
            attribute_updates: None,
            expected: None,
            conditional_operator: None,
            return_values: Some(ReturnValue::AllNew),
            return_consumed_capacity: None,
            return_item_collection_metrics: None,
            update_expression: Some("SET #t = #t + :five, tags = :tags REMOVE note".into()),
            condition_expression: Some("attribute_exists(pk)".into()),
            expression_attribute_names: Some(BTreeMap::from([("#t".to_owned(), "total".to_owned())])),
            expression_attribute_values: Some(item(&[
                (":five", n("5")),
                (":tags", AttributeValue::Ss(vec!["a".into()])),
            ])),
            return_values_on_condition_check_failure: None,
        })
        .await
        .unwrap();
    let expected =
        item(&[("pk", s("alice")), ("sk", n("1")), ("total", n("15")), ("tags", AttributeValue::Ss(vec!["a".into()]))]);
    assert_eq!(updated.attributes.as_ref(), Some(&expected));
    assert_eq!(client.get_item(get_item("Orders", key)).await.unwrap().item, Some(expected));
    let queried = client
        .query(QueryInput {
            table_name: "Orders".into(),
            index_name: None,
            select: None,
            attributes_to_get: None,
            limit: None,
            consistent_read: None,
            key_conditions: None,
            query_filter: None,
            conditional_operator: None,
            scan_index_forward: Some(false),
            exclusive_start_key: None,
            return_consumed_capacity: None,
            projection_expression: None,
            filter_expression: None,
            key_condition_expression: Some("pk = :pk AND sk > :one".into()),
            expression_attribute_names: None,
            expression_attribute_values: Some(item(&[(":pk", s("alice")), (":one", n("1"))])),
        })
        .await
        .unwrap();
    let order: Vec<_> = queried.items.unwrap().iter().map(|item| item["sk"].clone()).collect();
    assert_eq!(order, vec![n("3"), n("2")]);
    assert_eq!(queried.count, 2);
}

#[tokio::test]
async fn dynamodb_modeled_errors_reach_the_client_as_their_variants() {
    let client = dynamodb(KEY.1);
    match client.get_item(get_item("Missing", item(&[("pk", s("a"))]))).await {
        Err(GetItemError::ResourceNotFoundException(error)) => {
            assert_eq!(error.message.as_deref(), Some("Requested resource not found"))
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    client.create_table(create_table("T")).await.unwrap();
    match client.create_table(create_table("T")).await {
        Err(CreateTableError::ResourceInUseException(error)) => {
            assert_eq!(error.message.as_deref(), Some("Table already exists: T"))
        }
        other => panic!("expected ResourceInUseException, got {other:?}"),
    }
    let row = item(&[("pk", s("a")), ("sk", n("1"))]);
    client.put_item(put_item("T", row.clone(), None)).await.unwrap();
    match client.put_item(put_item("T", row, Some("attribute_not_exists(pk)"))).await {
        Err(PutItemError::ConditionalCheckFailedException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The conditional request failed"))
        }
        other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
    }
    // An error the model does not list (DynamoDB's ValidationException) arrives as Unhandled.
    match client.put_item(put_item("T", item(&[("pk", s("a"))]), None)).await {
        Err(PutItemError::Unhandled(error)) => {
            assert_eq!(error.code(), "ValidationException");
            assert_eq!(error.http_status(), 400);
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn dynamodb_refuses_a_wrong_signature() {
    match dynamodb("not-the-secret").create_table(create_table("T")).await {
        Err(CreateTableError::Unhandled(error)) => {
            assert_eq!(error.code(), "InvalidSignatureException");
            assert_eq!(error.http_status(), 403);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn logs_put_then_get_events() {
    let client = logs();
    let group = || "app".to_owned();
    client
        .create_log_group(CreateLogGroupInput {
            log_group_name: group(),
            kms_key_id: None,
            tags: None,
            log_group_class: None,
        })
        .await
        .unwrap();
    client
        .create_log_stream(CreateLogStreamInput { log_group_name: group(), log_stream_name: "web".into() })
        .await
        .unwrap();
    let events = (0..5).map(|i| InputLogEvent { timestamp: 1_000 + i, message: format!("line {i}") }).collect();
    let put = client
        .put_log_events(PutLogEventsInput {
            log_group_name: group(),
            log_stream_name: "web".into(),
            log_events: events,
            sequence_token: None,
            entity: None,
        })
        .await
        .unwrap();
    assert!(put.next_sequence_token.is_some());
    let get = |start_from_head, limit| GetLogEventsInput {
        log_group_name: Some(group()),
        log_group_identifier: None,
        log_stream_name: "web".into(),
        start_time: None,
        end_time: None,
        next_token: None,
        limit: Some(limit),
        start_from_head: Some(start_from_head),
        unmask: false,
    };
    let messages = |output: fixture_logs::types::GetLogEventsOutput| -> Vec<String> {
        output.events.unwrap().into_iter().map(|event| event.message.unwrap()).collect()
    };
    assert_eq!(messages(client.get_log_events(get(true, 2)).await.unwrap()), ["line 0", "line 1"]);
    assert_eq!(messages(client.get_log_events(get(false, 2)).await.unwrap()), ["line 3", "line 4"]);
}

#[tokio::test]
async fn logs_modeled_errors_reach_the_client_as_their_variants() {
    let client = logs();
    let create =
        || CreateLogGroupInput { log_group_name: "app".into(), kms_key_id: None, tags: None, log_group_class: None };
    client.create_log_group(create()).await.unwrap();
    match client.create_log_group(create()).await {
        Err(CreateLogGroupError::ResourceAlreadyExistsException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The specified log group already exists"))
        }
        other => panic!("expected ResourceAlreadyExistsException, got {other:?}"),
    }
    let stream = CreateLogStreamInput { log_group_name: "nope".into(), log_stream_name: "web".into() };
    assert!(matches!(client.create_log_stream(stream).await, Err(CreateLogStreamError::ResourceNotFoundException(_))));
    let put = PutLogEventsInput {
        log_group_name: "app".into(),
        log_stream_name: "web".into(),
        log_events: vec![InputLogEvent { timestamp: 1, message: "m".into() }],
        sequence_token: None,
        entity: None,
    };
    match client.put_log_events(put).await {
        Err(PutLogEventsError::ResourceNotFoundException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The specified log stream does not exist."))
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}
