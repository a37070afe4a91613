//! The runtime of crates written by `cargo xtask codegen`.
//!
//! Generated crates depend on this crate alone: it re-exports the libraries that generated code
//! names (`serde`, `serde_json`, `serde_with`) so a generated crate's `Cargo.toml` has a single
//! dependency whose versions are decided here. Only what does not depend on the model lives
//! here: the Smithy value types, the restJson1 wire formats for them, and the union decoder.

pub mod enums;
pub mod presence;
pub mod router;
pub mod union;
pub mod validation;
pub mod value;
pub mod wire;

pub use aws_smithy_types::{Blob, DateTime};
pub use serde;
pub use serde_json;
pub use serde_with;
pub use value::{BigDecimal, BigInteger, Document};

/// What `Debug` prints in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
