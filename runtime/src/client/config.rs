//! What a user decides about a client: where it sends, as whom, how patiently.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::transport::Transport;

/// How a client retries a failed attempt.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// How many attempts a call makes at most, the first included (1 means no retry; 0 counts
    /// as 1). Default 3, as in the AWS SDKs' standard retry mode.
    pub max_attempts: u32,
    /// The limit of the first backoff; it doubles with every further retry. Default 100 ms.
    pub initial_backoff: Duration,
    /// The limit no backoff exceeds. Default 20 s.
    pub max_backoff: Duration,
}

impl RetryConfig {
    /// One attempt per call, never a retry.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The longest the client sleeps after failed attempt number `attempt` (1-based):
    /// `min(max_backoff, initial_backoff * 2^(attempt - 1))`. The actual sleep is drawn
    /// uniformly between zero and this ("full jitter"), so that clients throttled together do
    /// not come back together.
    pub fn backoff_limit(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1);
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        self.initial_backoff.checked_mul(factor).map_or(self.max_backoff, |limit| limit.min(self.max_backoff))
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(20) }
    }
}

/// Time limits of a call. `None` means no limit.
#[derive(Debug, Clone)]
pub struct Timeouts {
    /// How long the default transport tries to open a connection. Default 3.1 s (the AWS SDKs'
    /// value, just over the 3 s TCP SYN retransmit). A transport given through
    /// [`Config::transport`] applies its own.
    pub connect: Option<Duration>,
    /// How long one attempt (sending and reading the whole response) may take. Default none.
    pub attempt: Option<Duration>,
    /// How long a whole call may take, every attempt and backoff sleep included. Default none.
    pub operation: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: Some(Duration::from_millis(3100)), attempt: None, operation: None }
    }
}

/// What a generated client tells the core about its service (a `static` in generated code).
#[derive(Debug)]
pub struct ServiceInfo {
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), e.g. `chime`.
    pub signing_name: &'static str,
    /// The service's part of the endpoint environment variable, e.g. `CHIME` for
    /// `AWS_ENDPOINT_URL_CHIME`.
    pub endpoint_env: &'static str,
    /// The `User-Agent` requests carry, e.g. `chime-rs/0.1`.
    pub user_agent: &'static str,
    /// The protocols the client can speak, in the model's order; it speaks the first unless
    /// [`Config::protocol`] picks another.
    pub protocols: &'static [crate::protocol::Protocol],
}

/// An access key pair and optional session token.
#[derive(Clone)]
pub(crate) struct StaticCredentials {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    pub(crate) session_token: Option<String>,
}

/// How a client is set up: endpoint, region, credentials, retries, timeouts, transport.
///
/// Built with chained setters: `Config::from_env().region("us-east-1")`.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) endpoint_url: Option<String>,
    /// Whether the endpoint came from the environment, in which case the service-specific
    /// variable (known only once the service is) takes precedence over `AWS_ENDPOINT_URL`.
    pub(crate) endpoint_from_env: bool,
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<StaticCredentials>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) transport: Option<Arc<dyn Transport>>,
    pub(crate) idempotency_token: Option<fn() -> String>,
    pub(crate) protocol: Option<crate::protocol::Protocol>,
}

impl Config {
    /// A configuration with nothing set: no endpoint, region or credentials; default retries
    /// and timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// A configuration read from the standard AWS environment variables:
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`; `AWS_ENDPOINT_URL`. The service-specific
    /// `AWS_ENDPOINT_URL_<SERVICE>` is read when the client is built and wins over
    /// `AWS_ENDPOINT_URL`, unless [`Config::endpoint_url`] set one since. Empty variables
    /// count as unset.
    pub fn from_env() -> Self {
        let credentials = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            (Some(access_key_id), Some(secret_access_key)) => {
                Some(StaticCredentials { access_key_id, secret_access_key, session_token: env("AWS_SESSION_TOKEN") })
            }
            _ => None,
        };
        Self {
            endpoint_url: env("AWS_ENDPOINT_URL"),
            endpoint_from_env: true,
            region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
            credentials,
            ..Self::default()
        }
    }

    /// Speaks `protocol` rather than the first one the model lists; the service must declare
    /// it (building the client fails otherwise).
    pub fn protocol(mut self, protocol: crate::protocol::Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Sends to `url`: `http://` or `https://`, a host, an optional port and an optional path
    /// prefix that every operation's path follows.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self.endpoint_from_env = false;
        self
    }

    /// Signs for `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Signs requests (SigV4) with these credentials; without any, requests go unsigned.
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        self.credentials = Some(StaticCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        });
        self
    }

    /// Retries as `retry` says.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Applies these time limits.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Fills `@idempotencyToken` members the caller left unset with `provider`'s tokens
    /// instead of random UUIDs (tests pin them this way).
    pub fn idempotency_token_provider(mut self, provider: fn() -> String) -> Self {
        self.idempotency_token = Some(provider);
        self
    }

    /// Sends through `transport` instead of the default [`HyperTransport`](super::HyperTransport)
    /// (which takes its connect timeout from [`Timeouts::connect`]).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }
}

/// The environment variable `name`, when it is set, Unicode and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The service-specific endpoint variable, e.g. `AWS_ENDPOINT_URL_CHIME`.
pub(crate) fn service_endpoint_from_env(service: &ServiceInfo) -> Option<String> {
    env(&format!("AWS_ENDPOINT_URL_{}", service.endpoint_env))
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint_url", &self.endpoint_url)
            .field("endpoint_from_env", &self.endpoint_from_env)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("transport", &self.transport.as_ref().map(|_| ".."))
            .finish()
    }
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The access key id names the key without granting anything, and is what one needs
        // to see when debugging "which credentials did this use"; the secrets never print.
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// Why a client could not be built from a [`Config`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No endpoint URL was configured (nor found in the environment).
    MissingEndpoint,
    /// The endpoint URL cannot be used.
    InvalidEndpoint {
        /// The URL as configured.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An `https://` endpoint with the default transport in a build without TLS (the runtime's
    /// `tls` feature is off).
    HttpsNeedsTransport {
        /// The URL as configured.
        url: String,
    },
    /// Credentials were configured without a region, which SigV4 signs for.
    MissingRegion,
    /// [`Config::protocol`] picked a protocol the service does not declare.
    UnsupportedProtocol {
        /// The protocol picked.
        picked: &'static str,
        /// The ones the service speaks.
        supported: Vec<&'static str>,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEndpoint => {
                f.write_str("no endpoint URL: set one with Config::endpoint_url or AWS_ENDPOINT_URL")
            }
            Self::InvalidEndpoint { url, reason } => write!(f, "endpoint URL {url:?} is invalid: {reason}"),
            Self::HttpsNeedsTransport { url } => write!(
                f,
                "endpoint URL {url:?} is https, which the default transport of a build without TLS does not support: turn on the `tls` feature or pass a TLS transport with Config::transport"
            ),
            Self::UnsupportedProtocol { picked, supported } => write!(
                f,
                "the configured protocol {picked} is not one this service speaks ({})",
                supported.join(", ")
            ),
            Self::MissingRegion => {
                f.write_str("credentials are set but no region: set one with Config::region or AWS_REGION")
            }
        }
    }
}

impl std::error::Error for ConfigError {}
