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
