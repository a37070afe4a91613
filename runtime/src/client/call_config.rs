//! What one call may change of its client's configuration: the fluent calls'
//! `config_override`.

use super::config::{RetryConfig, Timeouts};

/// Overrides of a client's configuration for one call. What is left unset is the client's.
///
/// The connect timeout belongs to the transport, which every call of a client shares: a
/// call's [`Timeouts::connect`] is not applied.
#[derive(Debug, Clone, Default)]
pub struct CallConfig {
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) timeouts: Option<Timeouts>,
    pub(crate) max_attempts: Option<u32>,
}

impl CallConfig {
    /// No override: the call runs as its client is configured.
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries this call as `retry` says.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Makes at most `attempts` attempts (1: no retry), keeping the client's backoff.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Applies these per-attempt and whole-call time limits to this call.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.retry.is_none() && self.timeouts.is_none() && self.max_attempts.is_none()
    }

    /// The retry configuration of a call whose client retries as `client`.
    pub(crate) fn retry_for(&self, client: &RetryConfig) -> RetryConfig {
        let mut retry = self.retry.clone().unwrap_or_else(|| client.clone());
        if let Some(attempts) = self.max_attempts {
            retry.max_attempts = attempts;
        }
        retry
    }
}
