//! The runtime of crates written by `cargo xtask codegen`.
//!
//! Generated crates depend on this crate alone: it re-exports the libraries that generated code
//! names (`serde`, `serde_json`, `http`, `bytes`) so a generated crate's `Cargo.toml` has a single
//! dependency whose versions are decided here. Only what does not depend on the model lives
//! here: the Smithy value types, the restJson1 wire formats for them, and the union decoder.

pub mod adapter;
pub mod client;
pub mod enums;
pub mod error;
pub mod presence;
pub mod request;
pub mod response;
pub mod router;
pub mod server;
pub mod service;
pub mod sigv4;
pub mod text;
pub mod union;
pub mod validation;
pub mod value;
pub mod wire;

pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::{Blob, DateTime};

/// Decodes standard base64 (blobs in headers and query parameters).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, aws_smithy_types::base64::DecodeError> {
    aws_smithy_types::base64::decode(text)
}
pub use bytes;
pub use http;
pub use serde;
pub use serde_json;
pub use value::{BigDecimal, BigInteger, Document};

/// What `Debug` prints in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
