//! The model-independent HTTP client core of generated restJson1 clients.
//!
//! A generated client builds one `http::Request<Bytes>` per operation call and hands it to
//! [`ClientCore::send`], which sets the transport headers, signs it with SigV4, sends it
//! through a pluggable [`Transport`] under the configured timeouts, and retries transient
//! failures. The generated code then reads the response, with [`error_code`] and
//! [`error_message`] for an error response.

mod call_config;
mod config;
mod core;
mod error_response;
pub mod paginate;
mod sign;
#[cfg(feature = "tls")]
mod tls;
mod transport;
#[cfg(feature = "waiters")]
pub mod waiter;

pub use self::call_config::CallConfig;
pub use self::config::{Config, ConfigError, RetryConfig, ServiceInfo, Timeouts};
pub use self::core::{ClientCore, SendError, SendErrorKind};
pub use self::error_response::{error_code, error_message};
pub use self::transport::{HyperTransport, ServiceTransport, Transport, TransportError, TransportErrorKind};
// Defined at the crate root (the server uses them too); named here because a `Transport`
// implementation's signature uses them.
pub use crate::{BoxError, BoxFuture};
