//! Names the generator makes up yield to the model's (tests/fixtures/models/collisions.json,
//! the shapes of bedrock-runtime's Converse and codegurusecurity's BatchGetFindings): the
//! model's types keep their names, the synthetic ones take `Operation` before their role,
//! and the crate works end to end through the generated client and server.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use fixture_collisions::client::{Client, Config, RetryConfig};
use fixture_collisions::error::{BatchGetFindingsError as BatchGetFindingsErrors, ConverseError, PutError};
use fixture_collisions::server::{server, ServerConfig};
use fixture_collisions::service::Collisions;
use fixture_collisions::types::*;
use smithy_runtime::client::ServiceTransport;

/// Answers from its input, with the model's shapes that share the synthetic names.
struct Service;

impl Collisions for Service {
    async fn converse(&self, input: ConverseInput) -> Result<ConverseOperationOutput, ConverseError> {
        let output = match input.text.as_deref() {
            Some("no") => ConverseOutput::Refusal("declined".into()),
            text => ConverseOutput::Message(format!("you said {}", text.unwrap_or_default())),
        };
        Ok(ConverseOperationOutput::builder().output(output).build())
    }

    async fn batch_get_findings(
        &self,
        input: BatchGetFindingsInput,
    ) -> Result<BatchGetFindingsOutput, BatchGetFindingsErrors> {
        let failed = input
            .ids
            .unwrap_or_default()
            .into_iter()
            .map(|id| BatchGetFindingsError::builder().id(id).build().unwrap());
        Ok(BatchGetFindingsOutput::builder().failed(failed.collect()).build())
    }

    async fn put(&self, input: PutOperationInput2) -> Result<PutOperationOutput, PutError> {
        let first = input.first.and_then(|f| f.a).unwrap_or_default();
        let second = input.second.and_then(|s| s.b).unwrap_or_default();
        Ok(PutOperationOutput::builder().body(PutOutputBody::builder().c(format!("{first}{second}")).build()).build())
    }
}

fn client() -> Client {
    let transport = ServiceTransport::new(server(Service, ServerConfig::new()));
    let config =
        Config::new().endpoint_url("http://collisions.local").retry(RetryConfig::disabled()).transport(transport);
    Client::new(config).unwrap()
}

#[tokio::test]
async fn the_model_union_and_the_synthetic_output_both_work() {
    let client = client();
    let said = Collisions::converse(&client, ConverseInput::builder().text("hi").build()).await.unwrap();
    assert_eq!(said.output, Some(ConverseOutput::Message("you said hi".into())));
    let refused = Collisions::converse(&client, ConverseInput::builder().text("no").build()).await.unwrap();
    assert_eq!(refused.output, Some(ConverseOutput::Refusal("declined".into())));
}

#[tokio::test]
async fn the_model_structure_and_the_error_enum_keep_the_same_name_in_their_modules() {
    let client = client();
    let input = BatchGetFindingsInput::builder().ids(vec!["a".into(), "b".into()]).build();
    let output = Collisions::batch_get_findings(&client, input).await.unwrap();
    let ids: Vec<String> = output.failed.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, ["a", "b"]);
}

#[tokio::test]
async fn a_taken_fallback_name_takes_a_number() {
    let client = client();
    let input = PutOperationInput2::builder()
        .first(PutInput::builder().a("x").build())
        .second(PutOperationInput::builder().b("y").build())
        .build();
    let output = Collisions::put(&client, input).await.unwrap();
    assert_eq!(output.body.unwrap().c.as_deref(), Some("xy"));
}
