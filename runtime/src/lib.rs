//! The runtime of crates written by `cargo xtask codegen`.
//!
//! Generated crates depend on this crate alone: it re-exports the libraries that generated code
//! names (`serde`, `serde_json`, `http`, `bytes`) so a generated crate's `Cargo.toml` has a single
//! dependency whose versions are decided here. Only what does not depend on the model lives
//! here: the Smithy value types, the restJson1 wire formats for them, and the union decoder.
//!
//! # Features
//!
//! All are on by default but `native-roots`; a generated crate turns on the ones its own
//! features ask for.
//! (Module names below are plain text, not links: a feature that is off leaves them out.)
//!
//! - `client`: the HTTP client core (`client`) and the writing of requests and reading of
//!   responses (`request`): SigV4 signing, retries, the hyper transport.
//! - `server`: routing (`router`), reading requests (`server`, `presence`), input validation
//!   (`validation`, with the `regex` and `regress` engines), writing responses (`response`),
//!   the SigV4 verifier (`sigv4`) and the tower service and `serve` (`service`).
//! - `tls`: https in the client's default transport and `serve_tls` on the server (rustls,
//!   ring provider), and the configurations they take (`tls`). It trusts no root by itself.
//! - `webpki-roots`: the client trusts Mozilla's root certificates; `native-roots`: the
//!   platform's (both when both are on). Each turns on `tls`.
//! - `event-stream`: event streams (`event_stream`, `EventStream`), with message signing on a
//!   client; `http2`: HTTP/2 beside HTTP/1.1 on both sides. Off by default; a generated crate
//!   with event streams turns them on.
//!
//! With no side, what is left is what the model types need: values, wire formats, enums,
//! unions, the error types and `ByteStream` (the value of `@streaming` blob members).

pub mod adapter;
pub mod build_error;
pub mod byte_stream;
pub mod cbor;
#[cfg(feature = "client")]
pub mod client;
pub mod enums;
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
pub mod metadata;
pub mod node;
#[cfg(feature = "server")]
pub mod presence;
pub mod protocol;
#[cfg(feature = "client")]
pub mod request;
#[cfg(feature = "server")]
pub mod response;
#[cfg(feature = "server")]
pub mod router;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod sigv4;
pub mod text;
#[cfg(feature = "tls")]
pub mod tls;
pub mod union;
#[cfg(feature = "server")]
pub mod validation;
pub mod value;
pub mod wire;

use std::future::Future;
use std::pin::Pin;

pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::{Blob, DateTime};
pub use build_error::BuildError;
pub use byte_stream::{ByteStream, ByteStreamError};
#[cfg(feature = "event-stream")]
pub use event_stream::{EventStream, EventStreamError};
pub use metadata::{RequestId, ResponseMetadata};

/// Decodes standard base64 (blobs in headers and query parameters).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, aws_smithy_types::base64::DecodeError> {
    aws_smithy_types::base64::decode(text)
}
pub use bytes;
pub use futures_core;
pub use http;
pub use serde;
pub use serde_json;
pub use value::{BigDecimal, BigInteger, Document};

/// What `Debug` prints in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A boxed error that can cross threads, the currency of transport and service failures.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed future that can cross threads: what the client's transports and the server's
/// dispatcher return, so that their traits stay object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A random (version 4) UUID in its text form: idempotency tokens a caller left unset (the
/// client), and request IDs (the server).
pub fn new_uuid() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant

    // Hex into a buffer, then the groups: every response carries one, and format! cost more
    // than the rest of the request ID.
    let mut digits = [0u8; 32];
    // 16 bytes always fit 32 hex digits.
    let _ = hex::encode_to_slice(bytes, &mut digits);
    let digits = std::str::from_utf8(&digits).unwrap_or_default();
    let mut text = String::with_capacity(36);
    for (index, group) in [0..8, 8..12, 12..16, 16..20, 20..32].into_iter().enumerate() {
        if index > 0 {
            text.push('-');
        }
        text.push_str(&digits[group]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_and_differ() {
        let (a, b) = (new_uuid(), new_uuid());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
