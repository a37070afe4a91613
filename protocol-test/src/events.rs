//! Event-stream cases (`smithy.test#eventStreamTests`). A case's frames (`bytes`, base64) become
//! the body a client or server reads; the messages a client or server writes are decoded from
//! the body it wrote, by the AWS SDK's frame codec used directly (not the runtime's reader), and checked
//! against the case's typed headers and body; what a side read is compared with the events the
//! case gives and with its expectation: success, or a failure (of the named error, when the
//! case names one).

use std::fmt::{Debug, Write as _};

use bytes::Bytes;
use serde_json::Value;
use smithy_runtime::event_stream::{Event, HeaderValue, Message};
use smithy_runtime::{DateTime, DateTimeFormat, EventStream};

/// What one written message must look like: an event of a case.
#[derive(Debug, Default, Clone)]
pub struct ExpectedMessage<'a> {
    /// The case's `headers` as JSON: `{"name": {"type": value}}`, the type one of `boolean`,
    /// `byte`, `short`, `integer`, `long`, `blob` (base64), `string` and `timestamp`
    /// (date-time text or epoch seconds).
    pub headers: &'a str,
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present, whatever their value.
    pub require_headers: &'a [&'a str],
    /// The payload, when the case gives one.
    pub body: Option<&'a str>,
    /// The payload's media type, which decides how payloads are compared.
    pub body_media_type: Option<&'a str>,
}

/// The expected outcome of a case (its `expectation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation<'a> {
    /// Everything is read as the case gives it.
    Success,
    /// The exchange fails; with `error_id`, by that error.
    Failure {
        /// The shape ID of the error the failure must be.
        error_id: Option<&'a str>,
    },
}

/// How a side's exchange failed: a call that returned an error, a server that refused the
/// request, a stream that ended with an error, or a modeled exception read from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What happened, for messages.
    pub what: String,
    /// Whether it is the error the case's `errorId` names.
    pub expected_error: bool,
}

/// Problems found on the sides of one case, each under the step that found it.
#[derive(Debug, Default)]
pub struct Problems(Vec<String>);

impl Problems {
    /// Records `result`'s problem, if any, under `step`.
    pub fn check(&mut self, step: &str, result: Result<(), String>) {
        if let Err(problem) = result {
            self.0.push(format!("{step}: {}", problem.trim_end()));
        }
    }

    /// Ends the test: fails it with every problem, if there is one.
    ///
    /// # Panics
    ///
    /// When a problem was recorded.
    pub fn finish(self) {
        assert!(self.0.is_empty(), "{}", self.0.join("\n"));
    }
}

/// The body made of a case's frames: each `bytes` decoded from base64, in order.
///
/// # Errors
///
/// When a frame is not base64.
pub fn frames_body(frames: &[&str]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    for frame in frames {
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, frame)
            .map_err(|e| format!("a frame of the case is not base64: {e}"))?;
        body.extend_from_slice(&bytes);
    }
    Ok(body)
}

/// A response as a client test receives it: `body` (the case's initial response body, when it
/// gives one) followed by `frames`; an event-stream `Content-Type` is added when there are
/// frames and `headers` has none.
///
/// # Errors
///
/// When a frame is not base64, or the status or a header is not valid HTTP.
pub fn event_response(
    code: u16,
    headers: &[(&str, &str)],
    body: Option<&str>,
    media_type: Option<&str>,
    frames: &[&str],
) -> Result<http::Response<Bytes>, String> {
    let mut bytes = crate::case_body(body.unwrap_or_default(), media_type, headers)?;
    bytes.extend(frames_body(frames)?);
    let mut headers = headers.to_vec();
    if !frames.is_empty() && !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
        headers.push(("Content-Type", smithy_runtime::event_stream::MEDIA_TYPE));
    }
    crate::response(code, &headers, &bytes)
}

/// Checks the messages of a written body, one per expected event, in order.
///
/// # Errors
///
/// Every mismatch, and a body that is not frames.
pub fn check_written(body: &[u8], expected: &[ExpectedMessage<'_>]) -> Result<(), String> {
    let messages = decode_frames(body)?;
    let mut problems = String::new();
    if messages.len() != expected.len() {
        let _ = writeln!(problems, "{} messages were written, the case has {}", messages.len(), expected.len());
    }
    for (i, (message, expected)) in messages.iter().zip(expected).enumerate() {
        if let Err(p) = check_message(message, expected) {
            let _ = write!(problems, "message {i}: {p}");
        }
    }
    crate::finish(problems)
}

/// Checks one message: its headers as typed values (in any order), and its payload as JSON
/// when the media type is JSON, else byte for byte.
///
/// # Errors
///
/// Every mismatch.
pub fn check_message(message: &Message, expected: &ExpectedMessage<'_>) -> Result<(), String> {
    let mut problems = String::new();
    let find = |name: &str| message.headers().iter().find(|h| h.name().as_str() == name);
    let wanted: serde_json::Map<String, Value> = match serde_json::from_str(expected.headers) {
        Ok(Value::Object(wanted)) => wanted,
        _ => return Err(format!("the case's headers are not a JSON object: {}", expected.headers)),
    };
    for (name, typed) in &wanted {
        let want = match header_value(typed) {
            Ok(want) => want,
            Err(p) => {
                let _ = writeln!(problems, "header {name}: {p}");
                continue;
            }
        };
        match find(name) {
            None => {
                let _ = writeln!(problems, "header {name}: expected {want:?}, absent");
            }
            Some(header) if *header.value() != want => {
                let _ = writeln!(problems, "header {name}: expected {want:?}, got {:?}", header.value());
            }
            Some(_) => {}
        }
    }
    for name in expected.forbid_headers {
        if let Some(header) = find(name) {
            let _ = writeln!(problems, "header {name} is forbidden but present: {:?}", header.value());
        }
    }
    for name in expected.require_headers {
        if find(name).is_none() {
            let _ = writeln!(problems, "header {name} is required but absent");
        }
    }
    if let Some(body) = expected.body {
        crate::check_body(message.payload(), body, expected.body_media_type, &mut problems);
    }
    if !problems.is_empty() {
        let names: Vec<&str> = message.headers().iter().map(|h| h.name().as_str()).collect();
        let _ = writeln!(problems, "the message's headers were {names:?}");
    }
    crate::finish(problems)
}

/// A case's typed header value (`{"string": "event"}`) as the header value it stands for.
fn header_value(typed: &Value) -> Result<HeaderValue, String> {
    let Some((kind, value)) = typed.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
        return Err(format!("{typed} is not a typed header value"));
    };
    let wrong = || format!("{value} is not a {kind} header value");
    let int = || value.as_i64().ok_or_else(wrong);
    Ok(match kind.as_str() {
        "boolean" => HeaderValue::Bool(value.as_bool().ok_or_else(wrong)?),
        "byte" => HeaderValue::Byte(int()?.try_into().map_err(|_| wrong())?),
        "short" => HeaderValue::Int16(int()?.try_into().map_err(|_| wrong())?),
        "integer" => HeaderValue::Int32(int()?.try_into().map_err(|_| wrong())?),
        "long" => HeaderValue::Int64(int()?),
        "string" => HeaderValue::String(value.as_str().ok_or_else(wrong)?.to_owned().into()),
        "blob" => {
            let text = value.as_str().ok_or_else(wrong)?;
            let bytes =
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text).map_err(|_| wrong())?;
            HeaderValue::ByteArray(bytes.into())
        }
        "timestamp" => HeaderValue::Timestamp(match value {
            Value::String(text) => DateTime::from_str(text, DateTimeFormat::DateTime).map_err(|_| wrong())?,
            Value::Number(n) => DateTime::from_secs_f64(n.as_f64().ok_or_else(wrong)?),
            _ => return Err(wrong()),
        }),
        other => return Err(format!("{other} is not a header type")),
    })
}

/// Everything `stream` yields, and how it failed, if it did: an error item, or a modeled
/// exception (kept among the events, as it is the stream's last). `is_expected_error` says
/// whether an exception is the error the case names.
pub fn read_stream<T: Event + Debug>(
    mut stream: EventStream<T>,
    is_expected_error: impl Fn(&T) -> bool,
) -> (Vec<T>, Option<Failure>) {
    crate::block_on(async move {
        let mut events = Vec::new();
        let mut failure = None;
        loop {
            match stream.recv().await {
                Ok(None) => break,
                Ok(Some(event)) => {
                    if event.is_exception() {
                        let what = format!("the stream ended with the exception {event:?}");
                        failure = Some(Failure { what, expected_error: is_expected_error(&event) });
                    }
                    events.push(event);
                }
                Err(error) => {
                    let what = format!("the stream ended with an error: {error}");
                    failure = Some(Failure { what, expected_error: false });
                    break;
                }
            }
        }
        (events, failure)
    })
}

/// Checks what a side read against the events the case gives (`expected`, the modeled ones
/// in order) and its expectation. A success reads exactly `expected` and fails nowhere. A
/// failure must happen (of the named error, if the case names one), after reading no more
/// than the start of `expected`.
///
/// # Errors
///
/// What differs.
pub fn check_outcome<T: PartialEq + Debug>(
    read: &[T],
    expected: &[T],
    failure: Option<&Failure>,
    expectation: Expectation<'_>,
) -> Result<(), String> {
    match (expectation, failure) {
        (Expectation::Success, Some(failure)) => Err(format!("expected success, got a failure: {}", failure.what)),
        (Expectation::Success, None) if read != expected => Err(format!("read {read:?}, expected {expected:?}")),
        (Expectation::Success, None) => Ok(()),
        (Expectation::Failure { error_id }, None) => Err(format!(
            "expected a failure{}, but everything was read: {read:?}",
            error_id.map(|id| format!(" ({id})")).unwrap_or_default()
        )),
        (Expectation::Failure { error_id: Some(id) }, Some(failure)) if !failure.expected_error => {
            Err(format!("expected the error {id}, got another failure: {}", failure.what))
        }
        (Expectation::Failure { .. }, Some(_)) if read.len() > expected.len() || read != &expected[..read.len()] => {
            Err(format!("before the failure, read {read:?}, expected the start of {expected:?}"))
        }
        (Expectation::Failure { .. }, Some(_)) => Ok(()),
    }
}

/// Compares two values by their debug text (for structures that hold a stream, which have
/// no `==`, once the streams are taken out).
///
/// # Errors
///
/// When the texts differ.
pub fn same_debug<T: Debug>(actual: &T, expected: &T) -> Result<(), String> {
    let (actual, expected) = (format!("{actual:?}"), format!("{expected:?}"));
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected {expected}, got {actual}"))
    }
}

/// Decodes a body of `application/vnd.amazon.eventstream` frames with the AWS SDK's frame
/// codec (`aws-smithy-eventstream`, used directly rather than through the runtime's reader, so
/// that what the runtime wrote is read back by the codec alone): both CRCs are checked.
///
/// # Errors
///
/// When the body is not whole frames.
pub fn decode_frames(body: &[u8]) -> Result<Vec<Message>, String> {
    use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
    let mut messages = Vec::new();
    let mut rest = Bytes::copy_from_slice(body);
    while !rest.is_empty() {
        let at = body.len() - rest.len();
        match MessageFrameDecoder::new().decode_frame(&mut rest) {
            Ok(DecodedFrame::Complete(message)) => messages.push(message),
            Ok(DecodedFrame::Incomplete) => {
                return Err(format!("{} bytes at {at} are not a whole frame", body.len() - at))
            }
            Err(error) => return Err(format!("the frame at {at}: {error}")),
        }
    }
    Ok(messages)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The suite's BooleanHeaderInput frame: `:message-type` event, `:event-type` headers,
    /// `booleanHeader` true, no payload.
    const BOOLEAN_HEADER: &str =
        "AAAASwAAADv7Cl8VDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcAB2hlYWRlcnMNYm9vbGVhbkhlYWRlcgC4J9Ws";

    #[test]
    fn frames_decode_into_typed_headers() {
        let body = frames_body(&[BOOLEAN_HEADER, BOOLEAN_HEADER]).unwrap();
        let messages = decode_frames(&body).unwrap();
        assert_eq!(messages.len(), 2);
        let expected = ExpectedMessage {
            headers: r#"{"booleanHeader": {"boolean": true}, ":event-type": {"string": "headers"}}"#,
            require_headers: &[":message-type"],
            body: Some(""),
            ..ExpectedMessage::default()
        };
        assert_eq!(check_message(&messages[0], &expected), Ok(()));
        let wrong = ExpectedMessage { headers: r#"{"booleanHeader": {"string": "true"}}"#, ..expected.clone() };
        let problems = check_message(&messages[0], &wrong).unwrap_err();
        assert!(problems.contains("header booleanHeader: expected String"), "{problems}");
        assert_eq!(check_written(&body, &[expected.clone(), expected.clone()]), Ok(()));
        assert!(check_written(&body, &[expected]).unwrap_err().contains("2 messages were written, the case has 1"));
        let mut corrupt = body.clone();
        corrupt[20] ^= 1;
        let error = decode_frames(&corrupt).unwrap_err();
        assert!(error.to_lowercase().contains("checksum"), "{error}");
        assert!(decode_frames(&body[..body.len() - 1]).is_err());
    }

    #[test]
    fn header_values_of_every_type() {
        let time = DateTime::from_secs(1_730_384_114);
        let cases = [
            (r#"{"byte": 1}"#, HeaderValue::Byte(1)),
            (r#"{"short": 2}"#, HeaderValue::Int16(2)),
            (r#"{"integer": 3}"#, HeaderValue::Int32(3)),
            (r#"{"long": 4294967294}"#, HeaderValue::Int64(4_294_967_294)),
            (r#"{"blob": "Zm9v"}"#, HeaderValue::ByteArray(Bytes::from_static(b"foo"))),
            (r#"{"timestamp": "2024-10-31T14:15:14Z"}"#, HeaderValue::Timestamp(time)),
            (r#"{"timestamp": 1730384114}"#, HeaderValue::Timestamp(time)),
        ];
        for (typed, value) in cases {
            assert_eq!(header_value(&serde_json::from_str(typed).unwrap()), Ok(value), "{typed}");
        }
        assert!(header_value(&serde_json::json!({"byte": 300})).is_err());
        assert!(header_value(&serde_json::json!({"uuid": 1})).is_err());
    }

    #[test]
    fn outcomes_follow_the_expectation() {
        let failure = |expected_error| Failure { what: "boom".to_owned(), expected_error };
        let success = Expectation::Success;
        let any = Expectation::Failure { error_id: None };
        let named = Expectation::Failure { error_id: Some("a#E") };
        assert_eq!(check_outcome(&[1], &[1], None, success), Ok(()));
        assert!(check_outcome(&[1], &[2], None, success).is_err());
        assert!(check_outcome(&[1], &[1], Some(&failure(false)), success).is_err());
        assert!(check_outcome(&[1], &[1], None, any).is_err());
        assert_eq!(check_outcome::<i32>(&[], &[1], Some(&failure(false)), any), Ok(()));
        assert!(check_outcome(&[2], &[1], Some(&failure(false)), any).is_err());
        assert!(check_outcome(&[1], &[1], Some(&failure(false)), named).is_err());
        assert_eq!(check_outcome(&[1], &[1], Some(&failure(true)), named), Ok(()));
    }
}
