//! Event streams in an RPC protocol (tests/fixtures/models/rpc_events.smithy, awsJson1_1):
//! the output's other members travel in the `initial-response` message before the events,
//! over the in-process transport and over TCP, and the wire form is what AWS's awsJson
//! services send (first message `initial-response` with the members as JSON).

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::Duration;

use fixture_rpc_events::client::{Client, Config, RetryConfig};
use fixture_rpc_events::error::*;
use fixture_rpc_events::server::{server, ServerConfig};
use fixture_rpc_events::service::Feeds;
use fixture_rpc_events::types::*;
use smithy_runtime::client::ServiceTransport;
use smithy_runtime::{DateTime, EventStream};

const KEY: (&str, &str) = ("AKIDFEEDS", "feeds-secret");

struct Topics;

fn update(seq: i32) -> Updates {
    Updates::Update(Update::builder().seq(seq).text(format!("update {seq}")).build().unwrap())
}

impl Feeds for Topics {
    async fn subscribe(&self, input: SubscribeInput) -> Result<SubscribeOutput, SubscribeError> {
        if input.topic == "missing" {
            return Err(NoSuchTopic::builder().message("no topic missing").build().into());
        }
        let mut updates: Vec<Updates> = (0..input.count.unwrap_or(3)).map(update).collect();
        if input.topic == "slow-reader" {
            updates.push(Updates::Dropped(Dropped::builder().message("fell behind").build()));
        }
        Ok(SubscribeOutput::builder()
            .subscription_id(format!("sub-{}", input.topic))
            .started_at(DateTime::from_secs(1_700_000_000))
            .updates(EventStream::from_events(updates))
            .build()
            .unwrap())
    }

    async fn watch(&self, _: WatchInput) -> Result<WatchOutput, WatchError> {
        Ok(WatchOutput::builder().updates(EventStream::from_events(vec![update(7)])).build().unwrap())
    }
}

fn client() -> Client {
    let transport = ServiceTransport::new(server(Topics, ServerConfig::new().access_key(KEY.0, KEY.1)));
    let config = Config::new()
        .endpoint_url("http://feeds.local")
        .region("us-east-1")
        .credentials(KEY.0, KEY.1, None)
        .retry(RetryConfig::disabled())
        .transport(transport);
    Client::new(config).unwrap()
}

async fn drain(mut events: EventStream<Updates>) -> Vec<Updates> {
    let mut got = Vec::new();
    while let Some(event) = events.recv().await.unwrap() {
        got.push(event);
    }
    got
}

#[tokio::test]
async fn the_other_members_arrive_in_the_initial_response() {
    let output = client().subscribe().topic("news").count(4).send().await.unwrap();
    assert_eq!(output.subscription_id, "sub-news");
    assert_eq!(output.started_at, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(drain(output.updates.unwrap()).await, (0..4).map(update).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_output_with_only_the_stream_has_an_empty_initial_response() {
    let output = client().watch().send().await.unwrap();
    assert_eq!(drain(output.updates).await, [update(7)]);
}

#[tokio::test]
async fn a_modeled_exception_ends_the_stream_and_an_error_before_it_is_the_operation_error() {
    let output = client().subscribe().topic("slow-reader").count(1).send().await.unwrap();
    let events = drain(output.updates.unwrap()).await;
    assert!(
        matches!(&events[..], [Updates::Update(_), Updates::Dropped(d)] if d.message.as_deref() == Some("fell behind"))
    );
    let error = client().subscribe().topic("missing").send().await.unwrap_err();
    assert!(matches!(error, SubscribeError::NoSuchTopic(_)), "{error}");
}

#[tokio::test]
async fn the_wire_form_is_an_initial_response_then_events() {
    use tower::ServiceExt as _;
    let service = server(Topics, ServerConfig::new());
    let request = http::Request::post("/")
        .header("x-amz-target", "Feeds.Subscribe")
        .header("content-type", "application/x-amz-json-1.1")
        .body(smithy_runtime::ByteStream::from(r#"{"topic":"t","count":1}"#))
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/vnd.amazon.eventstream");
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let first = aws_smithy_eventstream::frame::read_message_from(body.clone()).unwrap();
    let header = |m: &smithy_runtime::event_stream::Message, name: &str| {
        smithy_runtime::event_stream::string_header(m, name).map(str::to_owned)
    };
    assert_eq!(header(&first, ":event-type").as_deref(), Some("initial-response"));
    let members: serde_json::Value = serde_json::from_slice(first.payload()).unwrap();
    assert_eq!(members, serde_json::json!({"subscriptionId": "sub-t", "startedAt": 1_700_000_000}));
}

#[tokio::test]
async fn over_tcp() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let serving = tokio::spawn(fixture_rpc_events::server::serve(
        listener,
        server(Topics, ServerConfig::new()),
        tokio::time::sleep(Duration::from_secs(20)),
        Duration::from_secs(1),
    ));
    let client =
        Client::new(Config::new().endpoint_url(format!("http://{address}")).retry(RetryConfig::disabled())).unwrap();
    let output = client.subscribe().topic("tcp").count(100).send().await.unwrap();
    assert_eq!(output.subscription_id, "sub-tcp");
    assert_eq!(drain(output.updates.unwrap()).await.len(), 100);
    serving.abort();
}
