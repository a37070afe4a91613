//! The official AWS SDK for Rust (aws-sdk-bedrockruntime), unmodified, against json-local's
//! Bedrock Runtime: event streams read by the SDK's own decoder; only an endpoint URL and
//! credentials are set.

use aws_sdk_bedrockruntime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrockruntime::error::SdkError;
use aws_sdk_bedrockruntime::primitives::Blob;
use aws_sdk_bedrockruntime::types::error::{ConverseStreamOutputError, ResponseStreamError};
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ContentBlockDelta, ConversationRole, ConverseStreamOutput, Message, ResponseStream, StopReason,
};
use aws_sdk_bedrockruntime::{Client, Config};
use rust_sdk_conformance::LocalServer;

const ACCESS_KEY_ID: &str = "AKIDJSONLOCALTEST";
const SECRET_ACCESS_KEY: &str = "json-local-test-secret";
const MODEL: &str = "toy.repeat-v1";

/// A `json-local bedrock` process on a free port, stopped with SIGTERM when the test ends.
struct BedrockLocal {
    server: LocalServer,
}

impl BedrockLocal {
    async fn start() -> Self {
        let server = LocalServer::start("JSON_LOCAL", &["bedrock"], ACCESS_KEY_ID, SECRET_ACCESS_KEY).await;
        BedrockLocal { server }
    }

    fn client(&self) -> Client {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.server.url)
            .credentials_provider(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "test"))
            .build();
        Client::from_conf(config)
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

fn user(text: &str) -> Message {
    Message::builder().role(ConversationRole::User).content(ContentBlock::Text(text.to_owned())).build().unwrap()
}

#[tokio::test]
async fn converse_stream_streams_the_answer() {
    let server = BedrockLocal::start().await;
    let output =
        server.client().converse_stream().model_id(MODEL).messages(user("hello from rust")).send().await.unwrap();
    let mut stream = output.stream;
    let (mut text, mut kinds) = (String::new(), Vec::new());
    while let Some(event) = stream.recv().await.unwrap() {
        match &event {
            ConverseStreamOutput::ContentBlockDelta(delta) => {
                if let Some(ContentBlockDelta::Text(piece)) = delta.delta() {
                    text.push_str(piece);
                }
            }
            ConverseStreamOutput::MessageStop(stop) => assert_eq!(stop.stop_reason(), &StopReason::EndTurn),
            ConverseStreamOutput::Metadata(metadata) => {
                assert_eq!(metadata.usage().map(|u| u.output_tokens()), Some(3));
            }
            _ => {}
        }
        kinds.push(format!("{event:?}").split('(').next().unwrap_or_default().to_owned());
    }
    assert_eq!(text, "hello from rust ");
    assert_eq!(
        kinds,
        [
            "MessageStart",
            "ContentBlockDelta",
            "ContentBlockDelta",
            "ContentBlockDelta",
            "ContentBlockStop",
            "MessageStop",
            "Metadata"
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_modeled_exception_mid_stream_is_the_sdks_error_variant() {
    let server = BedrockLocal::start().await;
    let output =
        server.client().converse_stream().model_id(MODEL).messages(user("a b throttle c")).send().await.unwrap();
    let mut stream = output.stream;
    let mut deltas = 0;
    let error = loop {
        match stream.recv().await {
            Ok(Some(ConverseStreamOutput::ContentBlockDelta(_))) => deltas += 1,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the stream ended without its exception"),
            Err(error) => break error,
        }
    };
    assert_eq!(deltas, 2);
    match error {
        SdkError::ServiceError(context) => {
            assert!(matches!(context.err(), ConverseStreamOutputError::ThrottlingException(_)), "{:?}", context.err());
        }
        other => panic!("not a service error: {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn invoke_model_with_response_stream_streams_chunks() {
    let server = BedrockLocal::start().await;
    let body = Blob::new(br#"{"prompt": "one two three throttle"}"#.to_vec());
    let output = server
        .client()
        .invoke_model_with_response_stream()
        .model_id(MODEL)
        .content_type("application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(output.content_type(), "application/json");
    let mut stream = output.body;
    let mut chunks = Vec::new();
    let error = loop {
        match stream.recv().await {
            Ok(Some(ResponseStream::Chunk(part))) => {
                chunks.push(String::from_utf8(part.bytes().unwrap().as_ref().to_vec()).unwrap());
            }
            Ok(Some(other)) => panic!("unexpected event {other:?}"),
            Ok(None) => panic!("the stream ended without its exception"),
            Err(error) => break error,
        }
    };
    assert_eq!(chunks, [r#"{"completion":"one "}"#, r#"{"completion":"two "}"#]);
    match error {
        SdkError::ServiceError(context) => {
            assert!(matches!(context.err(), ResponseStreamError::ThrottlingException(_)), "{:?}", context.err());
        }
        other => panic!("not a service error: {other:?}"),
    }
    server.stop().await;
}
