//! Reading an error response: its code and message, per restJson1 (and the JSON or CBOR
//! body's `__type` of the RPC protocols).

use serde_json::{Map, Value};

use crate::error::ERROR_TYPE_HEADER;

/// The error code of an error response, per restJson1: the `X-Amzn-Errortype` header, else the
/// JSON body's `__type`, else `code` or `Code`; with everything after the first `:` and
/// everything up to and including the last `#` stripped, so that
/// `aws.protocoltests.restjson#FooError:http://internal.amazon.com/...` is `FooError`. `None`
/// when there is none.
pub fn error_code(headers: &http::HeaderMap, body: &[u8]) -> Option<String> {
    let from_header = headers.get(ERROR_TYPE_HEADER).and_then(|value| value.to_str().ok()).and_then(sanitize);
    from_header.or_else(|| {
        let object = json_object(body)?;
        ["__type", "code", "Code"].into_iter().find_map(|key| string_member(&object, key).and_then(sanitize))
    })
}

/// The message of an error response body: its `message`, `Message` or `errorMessage` string
/// member, in that order of preference. `None` when there is none.
pub fn error_message(body: &[u8]) -> Option<String> {
    let object = json_object(body)?;
    ["message", "Message", "errorMessage"].into_iter().find_map(|key| string_member(&object, key).map(str::to_owned))
}

/// The body as a JSON object, or a CBOR map read into one (rpcv2Cbor); an error body that is
/// neither (empty, HTML from a proxy) has neither code nor message.
fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(object) => Some(object),
        Err(_) => match crate::cbor::to_json(body, None) {
            Ok(Value::Object(object)) => Some(object),
            _ => None,
        },
    }
}

/// Member `key` when it is a string: a service that sends a number there did not mean a code.
fn string_member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

/// The bare shape name of a raw error type: the part after `:` is a URI some services append,
/// the part before `#` a namespace.
fn sanitize(raw: &str) -> Option<String> {
    let without_uri = raw.split(':').next().unwrap_or(raw);
    let name = without_uri.rsplit('#').next().unwrap_or(without_uri).trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Error codes that mean "slow down", which are worth retrying after a backoff whatever their
/// status code (the AWS SDKs' list).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Status codes of transient server trouble.
const TRANSIENT_STATUSES: &[u16] = &[429, 500, 502, 503, 504];

/// Whether a response is worth sending the request again for: a transient status, or an error
/// whose code says the caller is being throttled.
pub(crate) fn is_retryable_response(response: &http::Response<bytes::Bytes>) -> bool {
    let status = response.status();
    if TRANSIENT_STATUSES.contains(&status.as_u16()) {
        return true;
    }
    // A successful body may well have a `code` member of its own: only errors are classified.
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    error_code(response.headers(), response.body()).is_some_and(|code| THROTTLING_CODES.contains(&code.as_str()))
}
