//! A local Bedrock Runtime (restJson1, event streams) with a toy model: ConverseStream and
//! InvokeModelWithResponseStream answer with the words of the prompt, one event each, as an
//! implementation of the generated [`BedrockRuntime`] trait.
//!
//! A prompt with the word `throttle` in it is cut off after two words by a modeled
//! `throttlingException` inside the stream (what a client sees when the service throttles
//! mid-answer); the model ID `missing` is a `ResourceNotFoundException` before any stream.

use std::time::Instant;

use fixture_bedrock::error::{ConverseStreamError, InvokeModelWithResponseStreamError};
use fixture_bedrock::service::BedrockRuntime;
use fixture_bedrock::types::{
    ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ContentBlockStopEvent, ConversationRole,
    ConverseStreamInput, ConverseStreamMetadataEvent, ConverseStreamMetrics, ConverseStreamOperationOutput,
    ConverseStreamOutput, InvokeModelWithResponseStreamInput, InvokeModelWithResponseStreamOutput, MessageStartEvent,
    MessageStopEvent, PayloadPart, ResourceNotFoundException, ResponseStream, StopReason, ThrottlingException,
    TokenUsage, ValidationException,
};
use smithy_runtime::{Blob, EventStream};

/// The model ID that does not exist.
const MISSING_MODEL: &str = "missing";

/// The word that makes the toy model throttle mid-answer.
const THROTTLE: &str = "throttle";

/// A Bedrock Runtime whose every model repeats the prompt back, word by word.
#[derive(Debug, Default)]
pub struct BedrockLocal;

impl BedrockLocal {
    /// A service with its toy model.
    pub fn new() -> Self {
        Self
    }
}

/// The words of the answer, and whether it is cut off by throttling after two of them.
fn answer(prompt: &str) -> (Vec<String>, bool) {
    let words: Vec<String> = prompt.split_whitespace().map(|w| format!("{w} ")).collect();
    let throttled = words.iter().any(|w| w.trim() == THROTTLE);
    (words, throttled)
}

fn throttling() -> ThrottlingException {
    ThrottlingException::builder().message("Too many tokens per minute: slow down and retry.").build()
}

fn missing_model(model_id: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::builder().message(format!("Model {model_id} does not exist.")).build()
}

/// The text of the conversation's last user message.
fn last_user_text(input: &ConverseStreamInput) -> String {
    let messages = input.messages.as_deref().unwrap_or_default();
    let last = messages.iter().rev().find(|m| m.role == ConversationRole::User);
    let texts = last.into_iter().flat_map(|m| &m.content).filter_map(|block| match block {
        ContentBlock::Text(text) => Some(text.as_str()),
        _ => None,
    });
    texts.collect::<Vec<_>>().join(" ")
}

/// The events of a Converse answer: start, a delta per word, stop and metadata; or, for a
/// throttled one, two deltas and the exception.
fn converse_events(prompt: &str, started: Instant) -> Result<Vec<ConverseStreamOutput>, String> {
    let (words, throttled) = answer(prompt);
    let start = MessageStartEvent::builder().role(ConversationRole::Assistant).build().map_err(|e| e.to_string())?;
    let mut events = vec![ConverseStreamOutput::MessageStart(start)];
    for word in words.iter().take(if throttled { 2 } else { usize::MAX }) {
        let delta = ContentBlockDeltaEvent::builder()
            .delta(ContentBlockDelta::Text(word.clone()))
            .content_block_index(0)
            .build()
            .map_err(|e| e.to_string())?;
        events.push(ConverseStreamOutput::ContentBlockDelta(delta));
    }
    if throttled {
        events.push(ConverseStreamOutput::ThrottlingException(throttling()));
        return Ok(events);
    }
    let stop_block = ContentBlockStopEvent::builder().content_block_index(0).build().map_err(|e| e.to_string())?;
    let stop = MessageStopEvent::builder().stop_reason(StopReason::EndTurn).build().map_err(|e| e.to_string())?;
    let count = i32::try_from(words.len()).unwrap_or(i32::MAX);
    let usage = TokenUsage::builder()
        .input_tokens(count)
        .output_tokens(count)
        .total_tokens(count.saturating_mul(2))
        .build()
        .map_err(|e| e.to_string())?;
    let latency = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let metrics = ConverseStreamMetrics::builder().latency_ms(latency).build().map_err(|e| e.to_string())?;
    let metadata =
        ConverseStreamMetadataEvent::builder().usage(usage).metrics(metrics).build().map_err(|e| e.to_string())?;
    events.extend([
        ConverseStreamOutput::ContentBlockStop(stop_block),
        ConverseStreamOutput::MessageStop(stop),
        ConverseStreamOutput::Metadata(metadata),
    ]);
    Ok(events)
}

/// The events of an InvokeModel answer: a chunk per word, each `{"completion": word}`.
fn invoke_events(prompt: &str) -> Vec<ResponseStream> {
    let (words, throttled) = answer(prompt);
    let mut events: Vec<ResponseStream> = words
        .iter()
        .take(if throttled { 2 } else { usize::MAX })
        .map(|word| {
            let bytes = smithy_runtime::serde_json::json!({ "completion": word }).to_string().into_bytes();
            ResponseStream::Chunk(PayloadPart::builder().bytes(Blob::new(bytes)).build())
        })
        .collect();
    if throttled {
        events.push(ResponseStream::ThrottlingException(throttling()));
    }
    events
}

impl BedrockRuntime for BedrockLocal {
    async fn converse_stream(
        &self,
        input: ConverseStreamInput,
    ) -> Result<ConverseStreamOperationOutput, ConverseStreamError> {
        let started = Instant::now();
        if input.model_id == MISSING_MODEL {
            return Err(ConverseStreamError::ResourceNotFoundException(missing_model(&input.model_id)));
        }
        let events = converse_events(&last_user_text(&input), started).map_err(|message| {
            ConverseStreamError::ValidationException(ValidationException::builder().message(message).build())
        })?;
        Ok(ConverseStreamOperationOutput::builder().stream(EventStream::from_events(events)).build())
    }

    async fn invoke_model_with_response_stream(
        &self,
        input: InvokeModelWithResponseStreamInput,
    ) -> Result<InvokeModelWithResponseStreamOutput, InvokeModelWithResponseStreamError> {
        let invalid = |message: &str| {
            InvokeModelWithResponseStreamError::ValidationException(
                ValidationException::builder().message(message.to_owned()).build(),
            )
        };
        if input.model_id == MISSING_MODEL {
            return Err(InvokeModelWithResponseStreamError::ResourceNotFoundException(missing_model(&input.model_id)));
        }
        let body = input.body.as_ref().map(|b| b.as_ref()).unwrap_or_default();
        let request: smithy_runtime::serde_json::Value =
            smithy_runtime::serde_json::from_slice(body).map_err(|_| invalid("The body is not JSON."))?;
        let prompt =
            request.get("prompt").and_then(|p| p.as_str()).ok_or_else(|| invalid("The body has no prompt."))?;
        InvokeModelWithResponseStreamOutput::builder()
            .body(EventStream::from_events(invoke_events(prompt)))
            .content_type("application/json")
            .build()
            .map_err(|error| invalid(&error.to_string()))
    }
}
