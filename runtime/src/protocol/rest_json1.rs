//! restJson1 on the server: JSON bodies as `application/json`, errors named by the
//! `X-Amzn-Errortype` header alone. Its routing is [`crate::router`]'s URI patterns.

#[cfg(feature = "server")]
use bytes::Bytes;
#[cfg(feature = "server")]
use http::Response;

#[cfg(feature = "server")]
use crate::error::ERROR_TYPE_HEADER;
#[cfg(feature = "server")]
use crate::response::ResponseBuilder;

/// The media type of restJson1 bodies.
pub const CONTENT_TYPE: &str = "application/json";

#[cfg(feature = "server")]
/// Finishes an error response: `X-Amzn-Errortype: code` and the JSON body as it is.
pub fn finish_error(mut builder: ResponseBuilder, code: &str, body: Vec<u8>) -> Response<Bytes> {
    builder.header(ERROR_TYPE_HEADER, code);
    builder.body(CONTENT_TYPE, body)
}
