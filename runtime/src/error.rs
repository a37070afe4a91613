//! Errors that are the same for every service, and the restJson1 error rules both sides share.

use std::fmt;
use std::sync::Arc;

use crate::{RequestId, ResponseMetadata};

/// The header that names an error's shape in a restJson1 response: the server writes it, the
/// client reads it first.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// Why a message cannot be taken as it is: a server refuses a request with it before its
/// handler runs (400, 406, 411 or 415), and a client reports a response it cannot read with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The message cannot be read: not JSON, a value of the wrong type, a bad label or header.
    Malformed(String),
    /// The request reads, but breaks the model's constraints: every violation.
    Invalid(ValidationErrors),
    /// The request's `Content-Type` is not the operation's (415).
    UnsupportedMediaType(String),
    /// The request's `Accept` does not admit the operation's response (406).
    NotAcceptable(String),
    /// The request streams a `@requiresLength` payload without saying how long it is (411).
    LengthRequired(String),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(message)
            | Self::UnsupportedMediaType(message)
            | Self::NotAcceptable(message)
            | Self::LengthRequired(message) => f.write_str(message),
            Self::Invalid(errors) => errors.fmt(f),
        }
    }
}

impl std::error::Error for Rejection {}

/// One constraint a value does not meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is, JSON-pointer-like: `/UpdateUserRequestItems/3/LicenseType`.
    pub path: String,
    /// What is wrong, as a person would read it.
    pub message: String,
}

/// Every violation found in one input, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors {
    /// The violations; never empty in an error a validator returns.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{n} validation error{} detected. ", if n == 1 { "" } else { "s" })?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&violation.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// An error a response carried that the operation's model does not list, a response that
/// could not be read as any modeled error, or a request that never got a response. Kept whole
/// so that nothing the service said is lost.
#[derive(Debug, Clone)]
pub struct Unhandled {
    code: String,
    message: Option<String>,
    status: u16,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    metadata: ResponseMetadata,
}

impl PartialEq for Unhandled {
    fn eq(&self, other: &Self) -> bool {
        (&self.code, &self.message, self.status) == (&other.code, &other.message, other.status)
    }
}

impl Unhandled {
    /// The code of a request that could not be built from its input (status 0).
    pub const CONSTRUCTION_FAILURE: &'static str = "ConstructionFailure";
    /// The code of a request that got no response: connection, timeout (status 0).
    pub const DISPATCH_FAILURE: &'static str = "DispatchFailure";
    /// The code of a response that could not be read as the operation's output.
    pub const RESPONSE_ERROR: &'static str = "ResponseError";

    /// An error with this code (a shape name such as `InternalFailure`), message and HTTP
    /// status.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        Self { code: code.into(), message, status, source: None, metadata: ResponseMetadata::default() }
    }

    /// A request that could not be built.
    pub fn construction(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::with_source(Self::CONSTRUCTION_FAILURE, 0, error)
    }

    /// A request that got no response.
    pub fn dispatch(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::with_source(Self::DISPATCH_FAILURE, 0, error)
    }

    /// The code of a failure of the service itself.
    pub const INTERNAL_FAILURE: &'static str = "InternalFailure";

    /// A failure of the service itself (status 500), such as a handler that built its
    /// output or error with required members unset.
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::with_source(Self::INTERNAL_FAILURE, 500, error)
    }

    /// The code of an operation the service does not implement.
    pub const NOT_IMPLEMENTED: &'static str = "NotImplemented";

    /// The answer of a service trait method left at its default: `operation` is in the
    /// model but not implemented (status 501).
    pub fn not_implemented(operation: &str) -> Self {
        let message = format!("this service does not implement the {operation} operation");
        Self::new(Self::NOT_IMPLEMENTED, Some(message), 501)
    }

    /// A response with this status that could not be read.
    pub fn unreadable(status: u16, error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::with_source(Self::RESPONSE_ERROR, status, error)
    }

    fn with_source(code: &str, status: u16, error: impl std::error::Error + Send + Sync + 'static) -> Self {
        let (code, message, source) = (code.to_owned(), Some(error.to_string()), Some(Arc::new(error) as Arc<_>));
        Self { code, message, status, source, metadata: ResponseMetadata::default() }
    }

    /// This error, as read from a response with this request ID and status.
    pub fn with_response_metadata(mut self, metadata: ResponseMetadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// The error code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, when there is one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code; 0 when there was no response.
    pub fn http_status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = self.metadata.request_id() {
            write!(f, " (request ID: {id})")?;
        }
        Ok(())
    }
}

impl RequestId for Unhandled {
    fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// Implements an operation's error enum, which the generated code defines with a variant per
/// modeled error plus `Unhandled(Unhandled)`: `code()`, `message()`, `http_status()`,
/// `Display`, `source()` and `From` for each error. These impls are the same for every
/// operation, so they are written once here instead of once per operation.
#[macro_export]
macro_rules! operation_error_impls {
    ($name:ident { $( $variant:ident($ty:ty) = ($code:literal, $status:literal) ),* $(,)? }) => {
        impl $name {
            /// The error code: the error shape's name, such as `NotFoundException`.
            pub fn code(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $code, )*
                    Self::Unhandled(error) => error.code(),
                }
            }

            /// The error's message, when it has one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    $( Self::$variant(error) => error.message(), )*
                    Self::Unhandled(error) => error.message(),
                }
            }

            /// The HTTP status code the error is answered with.
            pub fn http_status(&self) -> u16 {
                match self {
                    $( Self::$variant(_) => $status, )*
                    Self::Unhandled(error) => error.http_status(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $( Self::$variant(error) => ::std::fmt::Display::fmt(error, f), )*
                    Self::Unhandled(error) => ::std::fmt::Display::fmt(error, f),
                }
            }
        }

        impl $crate::RequestId for $name {
            fn response_metadata(&self) -> &$crate::ResponseMetadata {
                match self {
                    $( Self::$variant(error) => $crate::RequestId::response_metadata(error), )*
                    Self::Unhandled(error) => $crate::RequestId::response_metadata(error),
                }
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $( Self::$variant(error) => ::std::option::Option::Some(error), )*
                    Self::Unhandled(error) => ::std::option::Option::Some(error),
                }
            }
        }

        $(
            impl ::std::convert::From<$ty> for $name {
                fn from(error: $ty) -> Self {
                    Self::$variant(error)
                }
            }
        )*

        impl ::std::convert::From<$crate::error::Unhandled> for $name {
            fn from(error: $crate::error::Unhandled) -> Self {
                Self::Unhandled(error)
            }
        }

        /// A handler can `?` a builder's `build()`: an output or error built with required
        /// members unset is the service's own failure, answered as a 500.
        impl ::std::convert::From<$crate::BuildError> for $name {
            fn from(error: $crate::BuildError) -> Self {
                Self::Unhandled($crate::error::Unhandled::internal(error))
            }
        }
    };
}

/// Implements restJson1 reading for an operation's error enum on the client: `from_response`,
/// where the error code picks the variant, per restJson1's rules. Each error structure has a
/// generated `from_response` of its own.
#[cfg(feature = "client")]
#[macro_export]
macro_rules! rest_json_error_from_response {
    ($name:ident { $( $variant:ident($ty:ty) = $code:literal ),* $(,)? }) => {
        impl $name {
            /// Reads an error response.
            pub(crate) fn from_response(
                status: u16,
                headers: &$crate::http::HeaderMap,
                body: &[u8],
            ) -> Self {
                let code = $crate::client::error_code(headers, body);
                match code.as_deref() {
                    $(
                        ::std::option::Option::Some($code) => match <$ty>::from_response(status, headers, body) {
                            ::std::result::Result::Ok(error) => Self::$variant(error),
                            ::std::result::Result::Err(error) => Self::Unhandled(
                                $crate::error::Unhandled::unreadable(status, error)
                                    .with_response_metadata($crate::ResponseMetadata::from_response(status, headers)),
                            ),
                        },
                    )*
                    _ => Self::Unhandled(
                        $crate::error::Unhandled::new(
                            code.unwrap_or_else(|| ::std::format!("Http{status}")),
                            $crate::client::error_message(body),
                            status,
                        )
                        .with_response_metadata($crate::ResponseMetadata::from_response(status, headers)),
                    ),
                }
            }
        }
    };
}

/// Implements restJson1 writing for an operation's error enum on the server: `into_response`,
/// the error with its status and `X-Amzn-Errortype`. Each error structure has a generated
/// `into_response` of its own. With a protocol first (`AwsJson1_0: Name { .. }`), an error the
/// model does not list is written in that protocol; with `rpc:` first, `into_response` takes
/// the protocol the request came in (a service of several RPC protocols).
#[cfg(feature = "server")]
#[macro_export]
macro_rules! rest_json_error_into_response {
    ($name:ident { $( $variant:ident($ty:ty) ),* $(,)? }) => {
        $crate::rest_json_error_into_response!(RestJson1: $name { $( $variant($ty) ),* });
    };
    (rpc: $name:ident { $( $variant:ident($ty:ty) ),* $(,)? }) => {
        impl $name {
            /// Writes the error as a response in `protocol`, the one the request came in.
            pub(crate) fn into_response(
                self,
                protocol: $crate::protocol::Protocol,
            ) -> $crate::http::Response<$crate::bytes::Bytes> {
                match self {
                    $( Self::$variant(error) => error.into_response(protocol), )*
                    Self::Unhandled(error) => protocol.error(
                        error.http_status(),
                        error.code(),
                        "message",
                        error.message().unwrap_or_default(),
                    ),
                }
            }
        }
    };
    ($protocol:ident: $name:ident { $( $variant:ident($ty:ty) ),* $(,)? }) => {
        impl $name {
            /// Writes the error as a response.
            pub(crate) fn into_response(self) -> $crate::http::Response<$crate::bytes::Bytes> {
                match self {
                    $( Self::$variant(error) => error.into_response(), )*
                    Self::Unhandled(error) => $crate::protocol::Protocol::$protocol.error(
                        error.http_status(),
                        error.code(),
                        "message",
                        error.message().unwrap_or_default(),
                    ),
                }
            }
        }
    };
}
