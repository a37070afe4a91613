//! The suite's case formats: the entries of `smithy.test#httpRequestTests`,
//! `httpResponseTests` and `httpMalformedRequestTests` as they are written in a model.

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
