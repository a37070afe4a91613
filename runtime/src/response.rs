//! Writing responses on the server: operation outputs, modeled errors, and the
//! errors the framework itself answers with (validation, malformed requests, routing, auth).

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Response, StatusCode};
use serde::Serialize;

use crate::error::Rejection;
use crate::protocol::Protocol;
use crate::text::append_header;
use crate::ByteStream;

/// The media type of restJson1 bodies.
const JSON: &str = "application/json";

/// A modeled error shape the framework can answer with, described by the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorShape {
    /// The shape's name, written to `X-Amzn-Errortype`.
    pub code: &'static str,
    /// The HTTP status, from `@httpError` (or the fault's default).
    pub status: u16,
    /// The JSON name of the shape's message member, when it has one.
    pub message_member: Option<&'static str>,
    /// Whether this is `smithy.framework#ValidationException`, whose body also lists each
    /// violation in `fieldList`.
    pub is_framework_validation: bool,
}

/// Builds a response; a header value that cannot be sent (a control character from a
/// handler's string) turns the response into a 500 rather than a panic or a lost header.
#[derive(Debug)]
pub struct ResponseBuilder {
    status: u16,
    headers: HeaderMap,
    problem: Option<String>,
}

impl ResponseBuilder {
    /// A response with this status.
    pub fn new(status: u16) -> Self {
        Self { status, headers: HeaderMap::new(), problem: None }
    }

    /// Sets the status (`@httpResponseCode`).
    pub fn status(&mut self, status: i32) {
        match u16::try_from(status) {
            Ok(status) if (100..=999).contains(&status) => self.status = status,
            _ => self.problem = Some(format!("the handler returned HTTP status {status}, which is not one")),
        }
    }

    /// Adds a header; appending keeps repeated prefix headers.
    pub fn header(&mut self, name: &str, value: &str) {
        if !append_header(&mut self.headers, name, value) {
            self.problem = Some(format!("the handler returned a value for header {name} that HTTP cannot carry"));
        }
    }

    /// Finishes with a JSON body (`application/json`).
    pub fn json<T: Serialize>(self, body: &T) -> Response<Bytes> {
        self.json_as(JSON, body)
    }

    /// Finishes with a JSON body of the given media type (awsJson's
    /// `application/x-amz-json-1.0`).
    pub fn json_as<T: Serialize>(self, content_type: &str, body: &T) -> Response<Bytes> {
        // Room for a typical body up front: growing from empty reallocates several times.
        let mut bytes = Vec::with_capacity(512);
        match serde_json::to_writer(&mut bytes, body) {
            Ok(()) => self.body(content_type, bytes),
            Err(error) => internal_error(&format!("the response could not be written as JSON: {error}")),
        }
    }

    /// Finishes with a CBOR body (rpcv2Cbor), saying the protocol as its responses must.
    pub fn cbor<T: Serialize>(mut self, body: &T) -> Response<Bytes> {
        self.header(crate::protocol::rpc_v2_cbor::PROTOCOL_HEADER, crate::protocol::rpc_v2_cbor::PROTOCOL);
        match crate::cbor::to_vec(body) {
            Ok(bytes) => self.body(crate::cbor::CONTENT_TYPE, bytes),
            Err(error) => {
                Protocol::RpcV2Cbor.internal_error(&format!("the response could not be written as CBOR: {error}"))
            }
        }
    }

    /// Finishes an rpcv2Cbor response with no body (a `Unit` output): no `Content-Type`,
    /// only the protocol header.
    pub fn cbor_empty(mut self) -> Response<Bytes> {
        self.header(crate::protocol::rpc_v2_cbor::PROTOCOL_HEADER, crate::protocol::rpc_v2_cbor::PROTOCOL);
        self.empty()
    }

    /// Finishes with the body of an RPC protocol's message (awsJson, rpcv2Cbor): `body` in
    /// the protocol's codec and media type.
    pub fn rpc_body<T: Serialize>(self, protocol: Protocol, body: &T) -> Response<Bytes> {
        if protocol.is_cbor() {
            self.cbor(body)
        } else {
            self.json_as(protocol.content_type(), body)
        }
    }

    /// Finishes an RPC protocol's message without members: no body for a `unit` (the
    /// operation has no output at all), else an empty object. awsJson still says its media
    /// type for `unit`, as AWS's services do; rpcv2Cbor says only the protocol.
    pub fn rpc_empty(self, protocol: Protocol, unit: bool) -> Response<Bytes> {
        match (protocol.is_cbor(), unit) {
            (true, true) => self.cbor_empty(),
            (true, false) => self.cbor(&crate::cbor::EmptyMap),
            (false, true) => self.body(protocol.content_type(), ""),
            (false, false) => self.body(protocol.content_type(), "{}"),
        }
    }

    /// Finishes as an error response in `protocol`, named `code`, whose body is the error
    /// structure `body` (as JSON or CBOR, as the protocol writes bodies).
    pub fn error_json<T: Serialize>(self, protocol: Protocol, code: &str, body: &T) -> Response<Bytes> {
        protocol.error_body(self, code, body)
    }

    /// Finishes with a body of the given content type.
    pub fn body(mut self, content_type: &str, bytes: impl Into<Bytes>) -> Response<Bytes> {
        if !self.headers.contains_key(CONTENT_TYPE) {
            if content_type == JSON {
                self.headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
            } else {
                self.header(CONTENT_TYPE.as_str(), content_type);
            }
        }
        self.finish(bytes.into())
    }

    /// Finishes with no body.
    pub fn empty(self) -> Response<Bytes> {
        self.finish(Bytes::new())
    }

    /// Finishes with a streamed body (a `@streaming` output) of the given content type,
    /// unless a member set one. It is sent as it is read: with `Content-Length` when the
    /// stream's length is known, else chunked.
    pub fn stream(mut self, content_type: &str, body: ByteStream) -> Response<ByteStream> {
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.header(CONTENT_TYPE.as_str(), content_type);
        }
        if let Some(problem) = self.problem.take() {
            return internal_error(&problem).map(ByteStream::from);
        }
        let length = body.exact_len();
        self.finish_with(body, length)
    }

    #[cfg(feature = "event-stream")]
    /// Finishes with an event stream (a `@streaming` union output) as the body: each event
    /// a frame, sent chunked as the handler's stream gives it.
    pub fn event_stream<T: crate::event_stream::Event>(self, events: crate::EventStream<T>) -> Response<ByteStream> {
        self.stream(crate::event_stream::MEDIA_TYPE, events.into_body(None))
    }

    #[cfg(feature = "event-stream")]
    /// Finishes an RPC protocol's event-stream output: an `initial-response` message with
    /// the output's other members (`members`, as the protocol's JSON), then the events.
    pub fn rpc_event_stream<S: Serialize, T: crate::event_stream::Event>(
        self,
        protocol: Protocol,
        members: &S,
        events: crate::EventStream<T>,
    ) -> Response<ByteStream> {
        use crate::event_stream::json::initial_message;
        match initial_message("initial-response", protocol.content_type(), members) {
            Ok(first) => self.stream(crate::event_stream::MEDIA_TYPE, events.into_body_after(first)),
            Err(error) => internal_error(&error.to_string()).map(ByteStream::from),
        }
    }

    fn finish(mut self, body: Bytes) -> Response<Bytes> {
        if let Some(problem) = self.problem.take() {
            return internal_error(&problem);
        }
        let length = body.len() as u64;
        self.finish_with(body, Some(length))
    }

    fn finish_with<B>(self, body: B, length: Option<u64>) -> Response<B> {
        let mut headers = self.headers;
        // Written here, not left to the connection, so the message is complete on its own
        // (the protocol tests read it before any connection sees it).
        // (HTTP forbids it on 1xx, 204 and 304.)
        if let Some(length) = length.filter(|_| !(self.status < 200 || self.status == 204 || self.status == 304)) {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = headers;
        response
    }
}

/// A 400 `SerializationException` in restJson1 (see [`Protocol::serialization_error`]).
pub fn serialization_error(message: &str) -> Response<Bytes> {
    Protocol::RestJson1.serialization_error(message)
}

/// A restJson1 error response (see [`Protocol::error`]).
pub fn error(status: u16, code: &str, message_member: &str, message: &str) -> Response<Bytes> {
    Protocol::RestJson1.error(status, code, message_member, message)
}

/// A modeled error shape carrying `message`, in restJson1 (see [`Protocol::shape_error`]).
pub fn shape_error(shape: &ErrorShape, message: &str) -> Response<Bytes> {
    Protocol::RestJson1.shape_error(shape, message)
}

/// A 500 `InternalFailure` in restJson1 (see [`Protocol::internal_error`]).
pub fn internal_error(detail: &str) -> Response<Bytes> {
    Protocol::RestJson1.internal_error(detail)
}

/// A request rejected before its handler ran, answered in restJson1 (see
/// [`Protocol::rejection`]).
pub fn rejection(rejection: &Rejection, validation: &ErrorShape) -> Response<Bytes> {
    Protocol::RestJson1.rejection(rejection, validation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ValidationErrors, ERROR_TYPE_HEADER};
    use crate::validation::Violation;

    fn body(response: &Response<Bytes>) -> serde_json::Value {
        serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null)
    }

    const BAD_REQUEST: ErrorShape = ErrorShape {
        code: "BadRequestException",
        status: 400,
        message_member: Some("Message"),
        is_framework_validation: false,
    };

    fn two_violations() -> Rejection {
        Rejection::Invalid(ValidationErrors {
            violations: vec![
                Violation { path: "/A".into(), message: "first".into() },
                Violation { path: "/B".into(), message: "second".into() },
            ],
        })
    }

    #[test]
    fn a_modeled_validation_error_lists_every_violation_in_its_message() {
        let response = rejection(&two_violations(), &BAD_REQUEST);
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()[ERROR_TYPE_HEADER], "BadRequestException");
        assert_eq!(body(&response)["Message"], "2 validation errors detected. first; second");
    }

    #[test]
    fn the_framework_validation_exception_has_a_field_list() {
        let shape = ErrorShape {
            code: "ValidationException",
            status: 400,
            message_member: Some("message"),
            is_framework_validation: true,
        };
        let response = rejection(&two_violations(), &shape);
        let json = body(&response);
        assert_eq!(json["fieldList"][1]["path"], "/B");
        assert_eq!(json["fieldList"][0]["message"], "first");
    }

    #[test]
    fn an_error_never_goes_out_with_a_success_status() {
        assert_eq!(error(200, "Oops", "message", "m").status(), 500);
        assert_eq!(error(101, "Oops", "message", "m").status(), 500);
        assert_eq!(error(418, "Teapot", "message", "m").status(), 418);
    }

    #[test]
    fn a_malformed_request_is_a_serialization_exception() {
        let response = rejection(&Rejection::Malformed("not JSON".into()), &BAD_REQUEST);
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()[ERROR_TYPE_HEADER], "SerializationException");
    }

    #[test]
    fn a_header_value_http_cannot_carry_is_a_500_not_a_panic() {
        let mut builder = ResponseBuilder::new(200);
        builder.header("x-name", "line\nbreak");
        assert_eq!(builder.empty().status(), 500);
        let mut builder = ResponseBuilder::new(200);
        builder.status(-1);
        assert_eq!(builder.empty().status(), 500);
    }

    #[test]
    fn an_aws_json_error_names_its_type_in_the_body_too() {
        let response = Protocol::AwsJson1_0.shape_error(&BAD_REQUEST, "no");
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/x-amz-json-1.0");
        assert_eq!(response.headers()[ERROR_TYPE_HEADER], "BadRequestException");
        assert_eq!(body(&response), serde_json::json!({"__type": "BadRequestException", "Message": "no"}));
    }
}
