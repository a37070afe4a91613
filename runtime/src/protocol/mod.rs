//! The wire protocols a generated crate speaks, and what differs between them on the server's
//! side of the runtime: how a request finds its operation, the body's media type, and how an
//! error is written. Each protocol is a module; [`Protocol`] is the one place that picks
//! between them, so the rest of the runtime never asks which protocol it serves.
//!
//! - [`rest_json1`]: routed by method, URI pattern and query literals (see [`crate::router`]);
//!   errors named by `X-Amzn-Errortype`.
//! - [`aws_json`]: awsJson1_0 and awsJson1_1, `POST /` routed by `X-Amz-Target`; errors also
//!   carry `__type` in the body.
//! - [`rpc_v2_cbor`]: Smithy RPC v2 CBOR, `POST .../service/{S}/operation/{O}`, CBOR bodies;
//!   errors carry `__type` in the body.

pub mod aws_json;
pub mod rest_json1;
pub mod rpc_v2_cbor;

#[cfg(feature = "server")]
use bytes::Bytes;
#[cfg(feature = "server")]
use http::Response;

#[cfg(feature = "server")]
use crate::error::{Rejection, ValidationErrors};
#[cfg(feature = "server")]
use crate::response::{ErrorShape, ResponseBuilder};

/// A protocol a generated server answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// `aws.protocols#restJson1`.
    #[default]
    RestJson1,
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `smithy.protocols#rpcv2Cbor`.
    RpcV2Cbor,
}

impl Protocol {
    /// The protocol's name as the Smithy trait spells it (`awsJson1_0`).
    pub fn name(self) -> &'static str {
        match self {
            Self::RestJson1 => "restJson1",
            Self::AwsJson1_0 => "awsJson1_0",
            Self::AwsJson1_1 => "awsJson1_1",
            Self::RpcV2Cbor => "rpcv2Cbor",
        }
    }

    /// The media type of the protocol's bodies (requests, outputs and errors).
    pub fn content_type(self) -> &'static str {
        match self {
            Self::RestJson1 => rest_json1::CONTENT_TYPE,
            Self::AwsJson1_0 => aws_json::CONTENT_TYPE_1_0,
            Self::AwsJson1_1 => aws_json::CONTENT_TYPE_1_1,
            Self::RpcV2Cbor => crate::cbor::CONTENT_TYPE,
        }
    }
}

impl Protocol {
    /// The code an error shape of ID `shape_id` is answered with: its whole ID in awsJson1_0
    /// and rpcv2Cbor, its name in restJson1 and awsJson1_1, as the protocols have it.
    pub fn error_code(self, shape_id: &'static str) -> &'static str {
        match self {
            Self::AwsJson1_0 | Self::RpcV2Cbor => shape_id,
            Self::RestJson1 | Self::AwsJson1_1 => shape_id.rsplit_once('#').map_or(shape_id, |(_, name)| name),
        }
    }

    /// Whether bodies are CBOR (else JSON).
    pub fn is_cbor(self) -> bool {
        self == Self::RpcV2Cbor
    }
}

/// Writing the framework's answers, which only a server does.
#[cfg(feature = "server")]
impl Protocol {
    /// Finishes `builder` as an error response whose code is `code` and whose body is the
    /// structure `body`: restJson1 and awsJson name the code in `X-Amzn-Errortype`; awsJson
    /// and rpcv2Cbor put it first in the body as `__type`, where their clients look.
    pub fn error_body<T: serde::Serialize + ?Sized>(
        self,
        builder: ResponseBuilder,
        code: &str,
        body: &T,
    ) -> Response<Bytes> {
        let json = match self {
            Self::RpcV2Cbor => return rpc_v2_cbor::finish_error(builder, code, body),
            Self::RestJson1 | Self::AwsJson1_0 | Self::AwsJson1_1 => serde_json::to_vec(body),
        };
        let bytes = match json {
            Ok(bytes) => bytes,
            Err(error) => return self.internal_error(&format!("the error could not be written as JSON: {error}")),
        };
        match self {
            Self::AwsJson1_0 | Self::AwsJson1_1 => aws_json::finish_error(builder, self.content_type(), code, bytes),
            Self::RestJson1 | Self::RpcV2Cbor => rest_json1::finish_error(builder, code, bytes),
        }
    }

    /// An error response whose body holds `message` under `message_member`. A status that is
    /// not an error's (a handler's `Unhandled` with 200) becomes 500, so a client never reads
    /// an error as a success.
    pub fn error(self, status: u16, code: &str, message_member: &str, message: &str) -> Response<Bytes> {
        let status = if (400..=599).contains(&status) { status } else { 500 };
        let mut body = serde_json::Map::new();
        body.insert(message_member.to_owned(), message.into());
        self.error_body(ResponseBuilder::new(status), code, &body)
    }

    /// A modeled error shape carrying `message`.
    pub fn shape_error(self, shape: &ErrorShape, message: &str) -> Response<Bytes> {
        self.error(shape.status, shape.code, shape.message_member.unwrap_or("message"), message)
    }

    /// A 400 `SerializationException`: a request that cannot be read (body, label, header).
    pub fn serialization_error(self, message: &str) -> Response<Bytes> {
        self.error(400, "SerializationException", "message", message)
    }

    /// A 500 `InternalFailure`: the details stay in the server's log, not in the response.
    pub fn internal_error(self, detail: &str) -> Response<Bytes> {
        // The response must not leak internals; the log is where an operator looks.
        eprintln!("smithy-runtime: internal failure: {detail}");
        self.error(500, "InternalFailure", "message", "the server could not complete the request")
    }

    /// The answer to a request rejected before its handler ran: a malformed request is a 400
    /// `SerializationException`, a body of the wrong media type a 415
    /// `UnsupportedMediaTypeException`; an invalid one gets the operation's validation error
    /// shape with every violation.
    pub fn rejection(self, rejection: &Rejection, validation: &ErrorShape) -> Response<Bytes> {
        match rejection {
            Rejection::Malformed(message) => self.serialization_error(message),
            Rejection::UnsupportedMediaType(message) => {
                self.error(415, "UnsupportedMediaTypeException", "message", message)
            }
            Rejection::NotAcceptable(message) => self.error(406, "NotAcceptableException", "message", message),
            Rejection::LengthRequired(message) => self.error(411, "LengthRequiredException", "message", message),
            Rejection::Invalid(errors) if validation.is_framework_validation => {
                self.framework_validation(validation, errors)
            }
            Rejection::Invalid(errors) => self.shape_error(validation, &errors.to_string()),
        }
    }

    /// `smithy.framework#ValidationException`: the summary, and each violation in `fieldList`.
    fn framework_validation(self, shape: &ErrorShape, errors: &ValidationErrors) -> Response<Bytes> {
        #[derive(serde::Serialize)]
        struct Field<'a> {
            path: &'a str,
            message: &'a str,
        }
        #[derive(serde::Serialize)]
        struct Body<'a> {
            message: String,
            #[serde(rename = "fieldList")]
            field_list: Vec<Field<'a>>,
        }
        let field_list = errors.violations.iter().map(|v| Field { path: &v.path, message: &v.message }).collect();
        let body = Body { message: errors.to_string(), field_list };
        self.error_body(ResponseBuilder::new(shape.status), shape.code, &body)
    }
}
