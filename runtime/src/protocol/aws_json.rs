//! awsJson1_0 and awsJson1_1 on the server: every request is `POST /`, its operation named
//! by `X-Amz-Target: {Service}.{Operation}`; bodies are `application/x-amz-json-1.0` (or
//! `1.1`); an error says its type in the body's `__type` as well as in `X-Amzn-Errortype`.

#[cfg(feature = "server")]
use bytes::Bytes;
#[cfg(feature = "server")]
use http::{HeaderMap, Method, Response};

#[cfg(feature = "server")]
use crate::error::ERROR_TYPE_HEADER;
#[cfg(feature = "server")]
use crate::response::ResponseBuilder;
#[cfg(feature = "server")]
use crate::router::{Matched, RouteError};

/// The media type of awsJson1_0 bodies.
pub const CONTENT_TYPE_1_0: &str = "application/x-amz-json-1.0";

/// The media type of awsJson1_1 bodies.
pub const CONTENT_TYPE_1_1: &str = "application/x-amz-json-1.1";

/// The header naming the operation.
pub const TARGET_HEADER: &str = "x-amz-target";

/// The header an `@awsQueryCompatible` client sends (`true`), asking for awsQuery codes.
pub const QUERY_MODE_HEADER: &str = "x-amzn-query-mode";

/// The header an `@awsQueryCompatible` server names an error's awsQuery code and fault in
/// (`Code;Sender`).
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

#[cfg(feature = "server")]
/// The operations of an awsJson service by target: `{service}.{operation}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The service shape's name, the target's prefix (`DynamoDB_20120810`).
    pub service: &'static str,
    /// The operation names; `Matched::operation` is an index into this slice.
    pub operations: &'static [&'static str],
}

#[cfg(feature = "server")]
impl Targets {
    /// The operation a request names, or why it names none: a method other than `POST` is
    /// 405, a path other than `/` 404, and a missing or unknown `X-Amz-Target` an unknown
    /// operation.
    pub fn route(&self, method: &Method, path: &str, headers: &HeaderMap) -> Result<Matched, RouteError> {
        if path != "/" {
            return Err(RouteError::NotFound);
        }
        if method != Method::POST {
            return Err(RouteError::MethodNotAllowed);
        }
        let mut targets = headers.get_all(TARGET_HEADER).iter();
        let Some(target) = targets.next() else {
            return Err(RouteError::UnknownTarget("the request has no X-Amz-Target header".to_owned()));
        };
        // Two readers of the request (a gateway, this server) could pick different ones.
        if targets.next().is_some() {
            return Err(RouteError::UnknownTarget("the request has more than one X-Amz-Target header".to_owned()));
        }
        let target = String::from_utf8_lossy(target.as_bytes());
        let operation = target.strip_prefix(self.service).and_then(|rest| rest.strip_prefix('.'));
        match operation.and_then(|name| self.operations.iter().position(|known| *known == name)) {
            Some(operation) => Ok(Matched { operation, labels: Vec::new() }),
            None => Err(RouteError::UnknownTarget(format!(
                "X-Amz-Target {target} names no operation of this service (expected {}.<Operation>)",
                self.service
            ))),
        }
    }
}

#[cfg(feature = "server")]
/// Finishes an error response: `X-Amzn-Errortype: code`, and `__type: code` ahead of the
/// members of the JSON object `body`.
pub fn finish_error(mut builder: ResponseBuilder, content_type: &str, code: &str, body: Vec<u8>) -> Response<Bytes> {
    builder.header(ERROR_TYPE_HEADER, code);
    builder.body(content_type, with_type(code, body))
}

#[cfg(feature = "server")]
/// `{"__type":"code", ...members}`: the object `body` with its type first. A body that is
/// not an object (it always is: the writers make objects) is replaced by one holding only
/// the type, so the client still learns which error it got.
pub fn with_type(code: &str, body: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + code.len() + 16);
    out.extend_from_slice(b"{\"__type\":");
    // A string always serializes.
    out.extend_from_slice(&serde_json::to_vec(code).unwrap_or_default());
    match body.strip_prefix(b"{").map(<[u8]>::trim_ascii_start) {
        Some(b"}") => out.push(b'}'),
        Some(rest) if rest.ends_with(b"}") => {
            out.push(b',');
            out.extend_from_slice(rest);
        }
        _ => out.push(b'}'),
    }
    out
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    const TARGETS: Targets = Targets { service: "DynamoDB_20120810", operations: &["GetItem", "PutItem"] };

    fn headers(target: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(target) = target {
            headers.insert(TARGET_HEADER, http::HeaderValue::from_static(target));
        }
        headers
    }

    #[test]
    fn the_target_names_the_operation() {
        let matched = TARGETS.route(&Method::POST, "/", &headers(Some("DynamoDB_20120810.PutItem")));
        assert_eq!(matched.map(|m| m.operation), Ok(1));
    }

    #[test]
    fn a_missing_or_foreign_target_is_an_unknown_operation() {
        for target in [None, Some("DynamoDB_20120810.Scan"), Some("Other.GetItem"), Some("DynamoDB_20120810GetItem")] {
            let routed = TARGETS.route(&Method::POST, "/", &headers(target));
            assert!(matches!(routed, Err(RouteError::UnknownTarget(_))), "{target:?}: {routed:?}");
        }
    }

    #[test]
    fn two_targets_are_refused() {
        let mut twice = headers(Some("DynamoDB_20120810.PutItem"));
        twice.append(TARGET_HEADER, http::HeaderValue::from_static("DynamoDB_20120810.GetItem"));
        assert!(matches!(TARGETS.route(&Method::POST, "/", &twice), Err(RouteError::UnknownTarget(_))));
    }

    #[test]
    fn only_post_to_the_root_is_routed() {
        let target = headers(Some("DynamoDB_20120810.GetItem"));
        assert_eq!(TARGETS.route(&Method::GET, "/", &target), Err(RouteError::MethodNotAllowed));
        assert_eq!(TARGETS.route(&Method::POST, "/accounts", &target), Err(RouteError::NotFound));
    }

    #[test]
    fn the_type_goes_first_in_the_body() {
        assert_eq!(with_type("Oops", b"{}".to_vec()), br#"{"__type":"Oops"}"#);
        assert_eq!(with_type("Oops", br#"{"message":"m"}"#.to_vec()), br#"{"__type":"Oops","message":"m"}"#);
        assert_eq!(with_type("Oops", b"null".to_vec()), br#"{"__type":"Oops"}"#);
    }
}
