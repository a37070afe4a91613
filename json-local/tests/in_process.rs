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
    let definition = |name: &str, attribute_type| {
        AttributeDefinition::builder().attribute_name(name).attribute_type(attribute_type).build().unwrap()
    };
    let key =
        |name: &str, key_type| KeySchemaElement::builder().attribute_name(name).key_type(key_type).build().unwrap();
    CreateTableInput::builder()
        .attribute_definitions(vec![definition("pk", ScalarAttributeType::S), definition("sk", ScalarAttributeType::N)])
        .table_name(name)
        .key_schema(vec![key("pk", KeyType::Hash), key("sk", KeyType::Range)])
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap()
}

fn put_item(table: &str, item: BTreeMap<String, AttributeValue>, condition: Option<&str>) -> PutItemInput {
    PutItemInput::builder()
        .table_name(table)
        .item(item)
        .return_values(ReturnValue::AllOld)
        .set_condition_expression(condition.map(str::to_owned))
        .build()
        .unwrap()
}

fn get_item(table: &str, key: BTreeMap<String, AttributeValue>) -> GetItemInput {
    GetItemInput::builder().table_name(table).key(key).consistent_read(true).build().unwrap()
}

#[tokio::test]
async fn dynamodb_create_put_update_get_and_query() {
    let client = dynamodb(KEY.1);
    let created = DynamoDb::create_table(&client, create_table("Orders")).await.unwrap().table_description.unwrap();
    assert_eq!(created.table_status, Some(TableStatus::Active));
    assert_eq!(created.table_name.as_deref(), Some("Orders"));
    for (sk, total) in [("2", "20"), ("1", "10"), ("3", "30")] {
        let new = item(&[("pk", s("alice")), ("sk", n(sk)), ("total", n(total)), ("note", s("x"))]);
        let old = DynamoDb::put_item(&client, put_item("Orders", new, None)).await.unwrap();
        assert_eq!(old.attributes, None, "a new item has no old attributes");
    }
    let key = item(&[("pk", s("alice")), ("sk", n("1"))]);
    let updated = DynamoDb::update_item(
        &client,
        UpdateItemInput::builder()
            .table_name("Orders")
            .key(key.clone())
            .return_values(ReturnValue::AllNew)
            .update_expression("SET #t = #t + :five, tags = :tags REMOVE note")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names(BTreeMap::from([("#t".to_owned(), "total".to_owned())]))
            .expression_attribute_values(item(&[(":five", n("5")), (":tags", AttributeValue::Ss(vec!["a".into()]))]))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let expected =
        item(&[("pk", s("alice")), ("sk", n("1")), ("total", n("15")), ("tags", AttributeValue::Ss(vec!["a".into()]))]);
    assert_eq!(updated.attributes.as_ref(), Some(&expected));
    assert_eq!(DynamoDb::get_item(&client, get_item("Orders", key)).await.unwrap().item, Some(expected));
    let queried = DynamoDb::query(
        &client,
        QueryInput::builder()
            .table_name("Orders")
            .scan_index_forward(false)
            .key_condition_expression("pk = :pk AND sk > :one")
            .expression_attribute_values(item(&[(":pk", s("alice")), (":one", n("1"))]))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let order: Vec<_> = queried.items.unwrap().iter().map(|item| item["sk"].clone()).collect();
    assert_eq!(order, vec![n("3"), n("2")]);
    assert_eq!(queried.count, 2);
}

#[tokio::test]
async fn dynamodb_modeled_errors_reach_the_client_as_their_variants() {
    let client = dynamodb(KEY.1);
    match DynamoDb::get_item(&client, get_item("Missing", item(&[("pk", s("a"))]))).await {
        Err(GetItemError::ResourceNotFoundException(error)) => {
            assert_eq!(error.message.as_deref(), Some("Requested resource not found"))
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    DynamoDb::create_table(&client, create_table("T")).await.unwrap();
    match DynamoDb::create_table(&client, create_table("T")).await {
        Err(CreateTableError::ResourceInUseException(error)) => {
            assert_eq!(error.message.as_deref(), Some("Table already exists: T"))
        }
        other => panic!("expected ResourceInUseException, got {other:?}"),
    }
    let row = item(&[("pk", s("a")), ("sk", n("1"))]);
    DynamoDb::put_item(&client, put_item("T", row.clone(), None)).await.unwrap();
    match DynamoDb::put_item(&client, put_item("T", row, Some("attribute_not_exists(pk)"))).await {
        Err(PutItemError::ConditionalCheckFailedException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The conditional request failed"))
        }
        other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
    }
    // An error the model does not list (DynamoDB's ValidationException) arrives as Unhandled.
    match DynamoDb::put_item(&client, put_item("T", item(&[("pk", s("a"))]), None)).await {
        Err(PutItemError::Unhandled(error)) => {
            assert_eq!(error.code(), "ValidationException");
            assert_eq!(error.http_status(), 400);
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn dynamodb_refuses_a_wrong_signature() {
    match DynamoDb::create_table(&dynamodb("not-the-secret"), create_table("T")).await {
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
    CloudWatchLogs::create_log_group(&client, CreateLogGroupInput::builder().log_group_name(group()).build().unwrap())
        .await
        .unwrap();
    CloudWatchLogs::create_log_stream(
        &client,
        CreateLogStreamInput::builder().log_group_name(group()).log_stream_name("web").build().unwrap(),
    )
    .await
    .unwrap();
    let events = (0..5)
        .map(|i| InputLogEvent::builder().timestamp(1_000 + i).message(format!("line {i}")).build().unwrap())
        .collect();
    let put = CloudWatchLogs::put_log_events(
        &client,
        PutLogEventsInput::builder().log_group_name(group()).log_stream_name("web").log_events(events).build().unwrap(),
    )
    .await
    .unwrap();
    assert!(put.next_sequence_token.is_some());
    let get = |start_from_head, limit| {
        GetLogEventsInput::builder()
            .log_group_name(group())
            .log_stream_name("web")
            .limit(limit)
            .start_from_head(start_from_head)
            .unmask(false)
            .build()
            .unwrap()
    };
    let messages = |output: fixture_logs::types::GetLogEventsOutput| -> Vec<String> {
        output.events.unwrap().into_iter().map(|event| event.message.unwrap()).collect()
    };
    assert_eq!(messages(CloudWatchLogs::get_log_events(&client, get(true, 2)).await.unwrap()), ["line 0", "line 1"]);
    assert_eq!(messages(CloudWatchLogs::get_log_events(&client, get(false, 2)).await.unwrap()), ["line 3", "line 4"]);
}

#[tokio::test]
async fn logs_modeled_errors_reach_the_client_as_their_variants() {
    let client = logs();
    let create = || CreateLogGroupInput::builder().log_group_name("app").build().unwrap();
    CloudWatchLogs::create_log_group(&client, create()).await.unwrap();
    match CloudWatchLogs::create_log_group(&client, create()).await {
        Err(CreateLogGroupError::ResourceAlreadyExistsException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The specified log group already exists"))
        }
        other => panic!("expected ResourceAlreadyExistsException, got {other:?}"),
    }
    let stream = CreateLogStreamInput::builder().log_group_name("nope").log_stream_name("web").build().unwrap();
    assert!(matches!(
        CloudWatchLogs::create_log_stream(&client, stream).await,
        Err(CreateLogStreamError::ResourceNotFoundException(_))
    ));
    let put = PutLogEventsInput::builder()
        .log_group_name("app")
        .log_stream_name("web")
        .log_events(vec![InputLogEvent::builder().timestamp(1).message("m").build().unwrap()])
        .build()
        .unwrap();
    match CloudWatchLogs::put_log_events(&client, put).await {
        Err(PutLogEventsError::ResourceNotFoundException(error)) => {
            assert_eq!(error.message.as_deref(), Some("The specified log stream does not exist."))
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}

/// Walks a log stream of 25 events through the generated paginator, 10 a page: CloudWatch
/// Logs gives the last page's forward token again, and the paginator stops there.
#[tokio::test]
async fn a_paginator_walks_every_page_of_get_log_events() {
    use futures_util::StreamExt;
    let client = logs();
    client.create_log_group().log_group_name("app").send().await.unwrap();
    client.create_log_stream().log_group_name("app").log_stream_name("web").send().await.unwrap();
    let events = (0..25)
        .map(|i| InputLogEvent::builder().timestamp(1_000 + i).message(format!("line {i}")).build().unwrap())
        .collect();
    client.put_log_events().log_group_name("app").log_stream_name("web").log_events(events).send().await.unwrap();
    let call = || client.get_log_events().log_group_name("app").log_stream_name("web").start_from_head(true);
    let pages: Vec<_> = call().into_paginator().page_size(10).send().collect().await;
    let sizes: Vec<usize> =
        pages.iter().map(|page| page.as_ref().unwrap().events.as_ref().map_or(0, Vec::len)).collect();
    assert_eq!(sizes, [10, 10, 5, 0], "the empty last page repeats its token, which ends the walk");
    let items: Vec<_> = call().into_paginator().page_size(10).items().collect().await;
    let messages: Vec<String> = items.into_iter().map(|event| event.unwrap().message.unwrap()).collect();
    assert_eq!(messages, (0..25).map(|i| format!("line {i}")).collect::<Vec<_>>());
}

/// DynamoDB's Query pages by a map token (LastEvaluatedKey into ExclusiveStartKey).
#[tokio::test]
async fn a_paginator_follows_a_map_token() {
    use futures_util::StreamExt;
    let client = dynamodb(KEY.1);
    DynamoDb::create_table(&client, create_table("Pages")).await.unwrap();
    for sk in 0..7 {
        let sk = sk.to_string();
        DynamoDb::put_item(&client, put_item("Pages", item(&[("pk", s("p")), ("sk", n(&sk))]), None)).await.unwrap();
    }
    let values = BTreeMap::from([(":pk".to_owned(), s("p"))]);
    let query =
        client.query().table_name("Pages").key_condition_expression("pk = :pk").expression_attribute_values(values);
    let items: Vec<_> = query.into_paginator().page_size(3).items().collect().await;
    let keys: Vec<AttributeValue> = items.into_iter().map(|item| item.unwrap()["sk"].clone()).collect();
    assert_eq!(keys, (0..7).map(|sk| n(&sk.to_string())).collect::<Vec<_>>());
}

/// A missing required member ends the paginator before any call, with the error naming it.
#[tokio::test]
async fn a_paginator_without_its_required_input_yields_the_error() {
    use futures_util::StreamExt;
    let pages: Vec<_> = logs().get_log_events().log_group_name("app").into_paginator().send().collect().await;
    assert_eq!(pages.len(), 1);
    let error = pages.into_iter().next().unwrap().unwrap_err();
    assert_eq!(error.code(), "ConstructionFailure");
    assert!(error.message().unwrap().contains("`log_stream_name`"), "{error}");
}
