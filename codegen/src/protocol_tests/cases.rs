//! The suite's case formats: the entries of `smithy.test#httpRequestTests`,
//! `httpResponseTests`, `httpMalformedRequestTests` and `eventStreamTests` as they are
//! written in a model.

use serde::Deserialize;
use serde_json::Value;

/// `smithy.test#httpRequestTests` entries.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestCase {
    pub(super) id: String,
    pub(super) protocol: String,
    pub(super) method: String,
    pub(super) uri: String,
    pub(super) host: Option<String>,
    pub(super) resolved_host: Option<String>,
    #[serde(default)]
    pub(super) query_params: Vec<String>,
    #[serde(default)]
    pub(super) forbid_query_params: Vec<String>,
    #[serde(default)]
    pub(super) require_query_params: Vec<String>,
    #[serde(default)]
    pub(super) headers: indexmap::IndexMap<String, String>,
    #[serde(default)]
    pub(super) forbid_headers: Vec<String>,
    #[serde(default)]
    pub(super) require_headers: Vec<String>,
    pub(super) body: Option<String>,
    pub(super) body_media_type: Option<String>,
    #[serde(default)]
    pub(super) params: Value,
    pub(super) applies_to: Option<String>,
}

/// `smithy.test#httpResponseTests` entries.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResponseCase {
    pub(super) id: String,
    pub(super) protocol: String,
    pub(super) code: u16,
    #[serde(default)]
    pub(super) headers: indexmap::IndexMap<String, String>,
    #[serde(default)]
    pub(super) forbid_headers: Vec<String>,
    #[serde(default)]
    pub(super) require_headers: Vec<String>,
    pub(super) body: Option<String>,
    pub(super) body_media_type: Option<String>,
    #[serde(default)]
    pub(super) params: Value,
    pub(super) applies_to: Option<String>,
}

/// `smithy.test#httpMalformedRequestTests` entries.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MalformedCase {
    pub(super) id: String,
    pub(super) protocol: String,
    pub(super) request: MalformedRequest,
    pub(super) response: MalformedResponse,
    #[serde(default)]
    pub(super) test_parameters: indexmap::IndexMap<String, Vec<String>>,
}

/// A malformed request case's `request`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MalformedRequest {
    pub(super) method: String,
    pub(super) uri: String,
    pub(super) host: Option<String>,
    #[serde(default)]
    pub(super) query_params: Vec<String>,
    #[serde(default)]
    pub(super) headers: indexmap::IndexMap<String, String>,
    pub(super) body: Option<String>,
}

/// A malformed request case's `response`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MalformedResponse {
    pub(super) code: u16,
    #[serde(default)]
    pub(super) headers: indexmap::IndexMap<String, String>,
    pub(super) body: Option<MalformedBody>,
}

/// The body a malformed request case's response must have.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MalformedBody {
    pub(super) assertion: MalformedAssertion,
    pub(super) media_type: String,
}

/// How that body is checked: its whole contents, or a regex over its message.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MalformedAssertion {
    pub(super) contents: Option<String>,
    pub(super) message_regex: Option<String>,
}

/// `smithy.test#eventStreamTests` entries. `initialRequest` and `initialResponse` are
/// `smithy.test#InitialHttpRequest` and `InitialHttpResponse` documents, which have the members
/// of an HTTP request or response case (see [`initial`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EventStreamCase {
    pub(super) id: String,
    pub(super) protocol: String,
    pub(super) initial_request_params: Option<Value>,
    pub(super) initial_request: Option<Value>,
    pub(super) initial_response_params: Option<Value>,
    pub(super) initial_response: Option<Value>,
    #[serde(default)]
    pub(super) events: Vec<EventCase>,
    pub(super) expectation: Option<Expectation>,
    pub(super) applies_to: Option<String>,
}

/// One event of an event-stream case.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EventCase {
    /// `request` (the client sends it) or `response` (the server does).
    #[serde(rename = "type")]
    pub(super) direction: String,
    /// The union value; an unmodeled event has none.
    pub(super) params: Option<Value>,
    /// The expected headers, `{name: {type: value}}`.
    #[serde(default)]
    pub(super) headers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub(super) forbid_headers: Vec<String>,
    #[serde(default)]
    pub(super) require_headers: Vec<String>,
    pub(super) body: Option<String>,
    pub(super) body_media_type: Option<String>,
    /// The whole frame, base64.
    pub(super) bytes: Option<String>,
}

/// An event-stream case's `expectation`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) enum Expectation {
    Success(serde::de::IgnoredAny),
    Failure(FailureExpectation),
}

/// A failure expectation: of the error `errorId`, when it is given.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct FailureExpectation {
    pub(super) error_id: Option<String>,
}

/// An initial request or response document read as an HTTP case (`RequestCase` or
/// `ResponseCase`), which has the same members besides `id`, `protocol` and `params`.
pub(super) fn initial<T: serde::de::DeserializeOwned>(case: &EventStreamCase, document: &Value) -> Result<T, String> {
    let mut document = document.clone();
    if let Value::Object(entries) = &mut document {
        entries.insert("id".to_owned(), Value::String(case.id.clone()));
        entries.insert("protocol".to_owned(), Value::String(case.protocol.clone()));
    }
    serde_json::from_value(document).map_err(|e| format!("the initial message does not read as an HTTP message: {e}"))
}

/// The cases of one test trait; an entry that does not read as a case is an error with its
/// `id`, which becomes a failing test.
pub(super) fn read<T: serde::de::DeserializeOwned>(
    raw: &indexmap::IndexMap<String, Value>,
    id: &str,
) -> Vec<Result<T, (String, String)>> {
    let Some(Value::Array(cases)) = raw.get(id) else { return Vec::new() };
    cases
        .iter()
        .map(|case| {
            serde_json::from_value(case.clone()).map_err(|error| {
                let id = case.get("id").and_then(Value::as_str).unwrap_or("unnamed").to_owned();
                let message = format!("the entry does not read as a test case: {error}");
                (id, message)
            })
        })
        .collect()
}
