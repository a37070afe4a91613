//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`) on the server: every request is
//! `POST {prefix}/service/{Service}/operation/{Operation}` with `Smithy-Protocol: rpc-v2-cbor`,
//! bodies are CBOR ([`crate::cbor`]), and an error names its shape ID in the body's `__type`.

#[cfg(feature = "server")]
use bytes::Bytes;
#[cfg(feature = "server")]
use http::{HeaderMap, Method, Response};

#[cfg(feature = "server")]
use crate::protocol::aws_json::Targets;
#[cfg(feature = "server")]
use crate::response::ResponseBuilder;
#[cfg(feature = "server")]
use crate::router::{Matched, RouteError};

/// The header both sides say the protocol in.
pub const PROTOCOL_HEADER: &str = "smithy-protocol";

/// The protocol's value of [`PROTOCOL_HEADER`].
pub const PROTOCOL: &str = "rpc-v2-cbor";

/// Headers of other protocols that an rpcv2Cbor request must not carry: a request with one
/// was meant for an awsJson endpoint of the same service.
#[cfg(feature = "server")]
const FOREIGN_HEADERS: &[&str] = &["x-amz-target", "x-amzn-target"];

/// Finds the operation an rpcv2Cbor request names: the path's last four segments are
/// `service/{Service}/operation/{Operation}` (what comes before is the endpoint's prefix).
/// A path that names no operation of the service is 404, a method other than `POST` 405; a
/// request without `Smithy-Protocol: rpc-v2-cbor`, or with an awsJson `X-Amz-Target`, is not
/// an rpcv2Cbor request and is refused as one that names no operation (400).
#[cfg(feature = "server")]
pub fn route(targets: &Targets, method: &Method, path: &str, headers: &HeaderMap) -> Result<Matched, RouteError> {
    let mut segments = path.rsplit('/');
    let (operation, marker, service, root) = (segments.next(), segments.next(), segments.next(), segments.next());
    let named = match (root, service, marker, operation) {
        (Some("service"), Some(service), Some("operation"), Some(operation)) if service == targets.service => {
            targets.operations.iter().position(|known| *known == operation)
        }
        _ => None,
    };
    let Some(operation) = named else { return Err(RouteError::NotFound) };
    if method != Method::POST {
        return Err(RouteError::MethodNotAllowed);
    }
    if let Some(foreign) = FOREIGN_HEADERS.iter().find(|name| headers.contains_key(**name)) {
        return Err(RouteError::UnknownTarget(format!("an rpcv2Cbor request must not carry {foreign}")));
    }
    match headers.get(PROTOCOL_HEADER).map(http::HeaderValue::as_bytes) {
        Some(value) if value.eq_ignore_ascii_case(PROTOCOL.as_bytes()) => Ok(Matched { operation, labels: Vec::new() }),
        Some(_) => Err(RouteError::UnknownTarget(format!("the request's {PROTOCOL_HEADER} header is not {PROTOCOL}"))),
        None => Err(RouteError::UnknownTarget(format!("the request has no {PROTOCOL_HEADER}: {PROTOCOL} header"))),
    }
}

/// Finishes an error response: `body` (a structure) as a CBOR map with `__type: code` first,
/// and the protocol header.
#[cfg(feature = "server")]
pub fn finish_error<T: serde::Serialize + ?Sized>(
    mut builder: ResponseBuilder,
    code: &str,
    body: &T,
) -> Response<Bytes> {
    let mut entries = match ciborium::Value::serialized(body) {
        Ok(ciborium::Value::Map(entries)) => entries,
        // The writers make structures; anything else still tells the client which error.
        _ => Vec::new(),
    };
    entries.insert(0, (ciborium::Value::from("__type"), ciborium::Value::from(code)));
    builder.header(PROTOCOL_HEADER, PROTOCOL);
    match crate::cbor::to_vec(&ciborium::Value::Map(entries)) {
        Ok(bytes) => builder.body(crate::cbor::CONTENT_TYPE, bytes),
        Err(error) => {
            crate::protocol::Protocol::RpcV2Cbor.internal_error(&format!("the error could not be written: {error}"))
        }
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    const TARGETS: Targets = Targets { service: "RpcV2Protocol", operations: &["NoInputOutput", "Float16"] };

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, http::HeaderValue::from_static(value));
        }
        headers
    }

    fn routed(method: Method, path: &str, pairs: &[(&'static str, &'static str)]) -> Result<usize, RouteError> {
        route(&TARGETS, &method, path, &headers(pairs)).map(|m| m.operation)
    }

    #[test]
    fn the_path_names_service_and_operation_after_any_prefix() {
        let cbor = [("smithy-protocol", "rpc-v2-cbor")];
        assert_eq!(routed(Method::POST, "/service/RpcV2Protocol/operation/Float16", &cbor), Ok(1));
        assert_eq!(routed(Method::POST, "/custom/prefix/service/RpcV2Protocol/operation/NoInputOutput", &cbor), Ok(0));
        for path in ["/service/Other/operation/Float16", "/service/RpcV2Protocol/operation/Nope", "/", "/Float16"] {
            assert_eq!(routed(Method::POST, path, &cbor), Err(RouteError::NotFound), "{path}");
        }
        assert_eq!(
            routed(Method::GET, "/service/RpcV2Protocol/operation/Float16", &cbor),
            Err(RouteError::MethodNotAllowed)
        );
    }

    #[test]
    fn a_request_must_say_the_protocol_and_no_other() {
        let path = "/service/RpcV2Protocol/operation/Float16";
        for pairs in [
            &[][..],
            &[("smithy-protocol", "rpc-v2-json")][..],
            &[("smithy-protocol", "rpc-v2-cbor"), ("x-amz-target", "RpcV2Protocol.Float16")][..],
        ] {
            assert!(matches!(routed(Method::POST, path, pairs), Err(RouteError::UnknownTarget(_))), "{pairs:?}");
        }
    }

    #[test]
    fn errors_put_their_type_first() {
        #[derive(serde::Serialize)]
        struct Oops {
            message: &'static str,
        }
        let response = finish_error(ResponseBuilder::new(400), "ns#Oops", &Oops { message: "m" });
        assert_eq!(response.headers()["smithy-protocol"], "rpc-v2-cbor");
        assert_eq!(response.headers()["content-type"], "application/cbor");
        let body = crate::cbor::to_json(response.body(), None).unwrap_or_default();
        assert_eq!(body, serde_json::json!({"__type": "ns#Oops", "message": "m"}));
        assert!(response.body().starts_with(&[0xa2, 0x66]), "__type is the first key");
    }
}
