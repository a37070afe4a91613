//! Errors that are the same for every service.

use std::fmt;

/// An error a response carried that the operation's model does not list, or a response that
/// could not be read as any modeled error. Kept whole so that nothing the service said is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unhandled {
    code: String,
    message: Option<String>,
    status: u16,
}

impl Unhandled {
    /// An error with this code (a shape name such as `InternalFailure`), message and HTTP
    /// status.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        Self { code: code.into(), message, status }
    }

    /// The error code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, when there is one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code.
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
        Ok(())
    }
}

impl std::error::Error for Unhandled {}

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
    };
}
