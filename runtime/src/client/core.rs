//! The part of every generated client that does not depend on the model: endpoint, signing,
//! timeouts and retries around a [`Transport`].

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HOST, USER_AGENT};
use http::uri::Scheme;
use http::{HeaderValue, Method, Uri};

use super::call_config::CallConfig;
use super::config::{service_endpoint_from_env, Config, ConfigError, RetryConfig, ServiceInfo, Timeouts};
use super::error_response::is_retryable_response;
use super::sign::Signer;
use super::transport::{HyperTransport, Transport, TransportError, TransportErrorKind};
use crate::byte_stream::with_idle_timeout;
use crate::{BoxError, ByteStream};

/// What one attempt came to: a response (of any status) or no response at all.
type Attempt = Result<http::Response<Bytes>, TransportError>;

/// The model-independent core of a generated client: it signs, sends and retries the requests
/// the generated code builds. Cheap to clone (the state is shared).
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    /// Scheme, authority and the path prefix without trailing slash (`/` when there is no
    /// prefix: an absolute `Uri` cannot have an empty path).
    endpoint: Uri,
    signer: Option<Signer>,
    retry: RetryConfig,
    timeouts: Timeouts,
    transport: Arc<dyn Transport>,
    service: &'static ServiceInfo,
    idempotency_token: fn() -> String,
    protocol: crate::protocol::Protocol,
}

impl ClientCore {
    /// A client core for `service` set up by `config`.
    ///
    /// Fails when there is no endpoint URL, when it cannot be parsed (it needs an `http` or
    /// `https` scheme and a host, and may not have a query or user information), when it is
    /// `https` but no transport was given and this build has no TLS (the `tls` feature), and
    /// when credentials are set without a region.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Result<Self, ConfigError> {
        let url = endpoint_url(&config, service).ok_or(ConfigError::MissingEndpoint)?;
        let endpoint = parse_endpoint(&url)?;
        if cfg!(not(feature = "tls")) && endpoint.scheme() == Some(&Scheme::HTTPS) && config.transport.is_none() {
            return Err(ConfigError::HttpsNeedsTransport { url });
        }
        let signer = match (&config.credentials, config.region) {
            (Some(credentials), Some(region)) => Some(Signer::new(credentials, region, service.signing_name)),
            (Some(_), None) => return Err(ConfigError::MissingRegion),
            // A region alone has nothing to sign with: requests go unsigned.
            (None, _) => None,
        };
        let connect_timeout = config.timeouts.connect;
        let transport = config.transport.unwrap_or_else(|| Arc::new(HyperTransport::new(connect_timeout)));
        let idempotency_token = config.idempotency_token.unwrap_or(crate::new_uuid);
        let protocol = pick_protocol(config.protocol, service)?;
        let inner = Inner {
            endpoint,
            signer,
            retry: config.retry,
            timeouts: config.timeouts,
            transport,
            service,
            idempotency_token,
            protocol,
        };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// This client with `overrides` applied, for one call; a plain clone when there are none.
    pub fn with_call_config(&self, overrides: &CallConfig) -> Self {
        if overrides.is_empty() {
            return self.clone();
        }
        let mut inner = Inner::clone(&self.inner);
        inner.retry = overrides.retry_for(&inner.retry);
        if let Some(timeouts) = &overrides.timeouts {
            inner.timeouts.attempt = timeouts.attempt;
            inner.timeouts.operation = timeouts.operation;
        }
        Self { inner: Arc::new(inner) }
    }

    /// The protocol requests are written in.
    pub fn protocol(&self) -> crate::protocol::Protocol {
        self.inner.protocol
    }

    /// The endpoint: scheme, authority and the path prefix (no trailing slash, `/prod` for
    /// `http://localhost:8080/prod/`) that generated code puts before the operation's path.
    /// Without a prefix the path is `/`, as an absolute `http::Uri` cannot have an empty one.
    pub fn endpoint(&self) -> &Uri {
        &self.inner.endpoint
    }

    /// What fills an `@idempotencyToken` member the caller left unset.
    pub fn idempotency_token_provider(&self) -> fn() -> String {
        self.inner.idempotency_token
    }

    /// The region requests are signed for; `None` when they are not signed.
    pub fn region(&self) -> Option<&str> {
        self.inner.signer.as_ref().map(Signer::region)
    }

    /// Sends `request` (whose URI is absolute, normally built on [`ClientCore::endpoint`]) and
    /// returns the response with its body read.
    ///
    /// Sets `Host` from the URI's authority (so an in-process server sees what a network server
    /// would) and `User-Agent` from the service info unless the request has them, and
    /// `Content-Length` when there is a body or the method is one that expects one (POST, PUT,
    /// PATCH); then signs with SigV4 when credentials are set, afresh on every attempt since
    /// `X-Amz-Date` changes.
    ///
    /// Retries transport errors other than TLS ones, statuses 429, 500, 502, 503 and 504, and
    /// throttling error codes, up to [`RetryConfig::max_attempts`] attempts, sleeping a
    /// jittered exponential backoff in between. When attempts run out on an error response,
    /// that response is returned `Ok`: the generated code reads the operation's error from it.
    /// Needs a Tokio runtime with the time driver.
    pub async fn send(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, SendError> {
        let length = request.body().len() as u64;
        let request = self.prepare(request, Some(length))?;
        // Counted outside the attempt loop so that an operation timeout, which drops the
        // loop, can still say how far it got.
        let made = AtomicU32::new(0);
        let attempts = self.attempts(&request, &made);
        match self.inner.timeouts.operation {
            None => attempts.await,
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(outcome) => outcome,
                Err(_) => Err(SendError::new(Repr::OperationTimeout { limit, attempts: made.load(Ordering::Relaxed) })),
            },
        }
    }

    /// Sends a request whose body is a [`ByteStream`], and returns as soon as the response
    /// head is in, with the body still to be read: the call of an operation with a
    /// `@streaming` input or output. Sets the same headers as [`ClientCore::send`] (and
    /// `Content-Length` only when the stream's length is known: otherwise the body goes
    /// chunked), and signs the body as `UNSIGNED-PAYLOAD`.
    ///
    /// Retries as `send` does only when the body is in memory ([`ByteStream::try_clone`]):
    /// a live stream is read by the first attempt and cannot be sent again, so that attempt
    /// is the only one. An error response is read whole (to classify it) and returned in
    /// memory.
    ///
    /// The attempt and operation timeouts bound the wait for the response head, not the
    /// download: once it is in, the attempt timeout (when set) bounds each read of the body
    /// ([`ByteStreamErrorKind::Stalled`](crate::byte_stream::ByteStreamErrorKind::Stalled)
    /// when one waits longer), so a long download that keeps moving is not cut short.
    pub async fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, SendError> {
        let length = request.body().exact_len();
        let request = self.prepare(request, length)?;
        let made = AtomicU32::new(0);
        let attempts = self.streaming_attempts(request, &made);
        match self.inner.timeouts.operation {
            None => attempts.await,
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(outcome) => outcome,
                Err(_) => Err(SendError::new(Repr::OperationTimeout { limit, attempts: made.load(Ordering::Relaxed) })),
            },
        }
    }

    /// [`ClientCore::attempts`] for a streamed request.
    async fn streaming_attempts(
        &self,
        request: http::Request<ByteStream>,
        made: &AtomicU32,
    ) -> Result<http::Response<ByteStream>, SendError> {
        let retry = &self.inner.retry;
        let replayable = request.body().bytes().is_some();
        let max_attempts = if replayable { retry.max_attempts.max(1) } else { 1 };
        let (parts, body) = request.into_parts();
        let mut body = Some(body);
        let mut attempt = 1;
        loop {
            made.store(attempt, Ordering::Relaxed);
            // An in-memory body is copied for each attempt; a live one goes with the first.
            let this_body = body.as_ref().and_then(ByteStream::try_clone).or_else(|| body.take()).unwrap_or_default();
            let outcome = self.streaming_attempt(http::Request::from_parts(parts.clone(), this_body), attempt).await?;
            let outcome = match outcome {
                Ok(response) if !response.status().is_success() => Ok(read_error_response(response).await),
                Ok(response) => Ok(Streamed::Success(response)),
                Err(error) => Err(error),
            };
            let retryable = match &outcome {
                Ok(Streamed::Error(response)) => is_retryable_response(response),
                Ok(Streamed::Success(_)) => false,
                Err(error) => is_retryable_error(error),
            };
            if !retryable || attempt >= max_attempts {
                return outcome
                    .map(Streamed::into_response)
                    .map_err(|error| SendError::new(Repr::Transport { error, attempts: attempt }));
            }
            tokio::time::sleep(full_jitter(retry.backoff_limit(attempt))).await;
            attempt += 1;
        }
    }

    /// Signs and sends one streamed attempt; `Err` only when it cannot be signed.
    async fn streaming_attempt(
        &self,
        mut request: http::Request<ByteStream>,
        attempt: u32,
    ) -> Result<Result<http::Response<ByteStream>, TransportError>, SendError> {
        if let Some(signer) = &self.inner.signer {
            // An event stream is signed message by message, seeded by the request's signature.
            #[cfg(feature = "event-stream")]
            let signed = match request.extensions().get::<crate::event_stream::sign::DeferredSigner>().cloned() {
                Some(messages) => signer.sign_event_stream(&mut request, &messages, SystemTime::now()),
                None => signer.sign_streaming(&mut request, SystemTime::now()),
            };
            #[cfg(not(feature = "event-stream"))]
            let signed = signer.sign_streaming(&mut request, SystemTime::now());
            signed.map_err(|error| SendError::new(Repr::Signing { error, attempts: attempt - 1 }))?;
        }
        let send = self.inner.transport.send_streaming(request);
        let response = match self.inner.timeouts.attempt {
            None => send.await,
            Some(limit) => tokio::time::timeout(limit, send).await.unwrap_or_else(|_| Err(TransportError::timeout())),
        };
        let limit = self.inner.timeouts.attempt;
        Ok(response.map(|response| match limit {
            Some(limit) => response.map(|body| with_idle_timeout(body, limit)),
            None => response,
        }))
    }

    /// The headers every attempt shares, set once; `length` is the body's, when known (a
    /// stream of unknown length goes chunked, without a `Content-Length`).
    fn prepare<B>(&self, mut request: http::Request<B>, length: Option<u64>) -> Result<http::Request<B>, SendError> {
        let host = host_header(request.uri())?;
        // A GET without a body says nothing about one (as the Smithy compliance tests require).
        let expects_body = [Method::POST, Method::PUT, Method::PATCH].contains(request.method());
        let content_length = length.filter(|length| expects_body || *length > 0);
        let headers = request.headers_mut();
        headers.entry(HOST).or_insert(host);
        if let Some(length) = content_length {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        headers.entry(USER_AGENT).or_insert(HeaderValue::from_static(self.inner.service.user_agent));
        Ok(request)
    }

    /// Attempts until one succeeds, fails for good, or attempts run out.
    async fn attempts(
        &self,
        request: &http::Request<Bytes>,
        made: &AtomicU32,
    ) -> Result<http::Response<Bytes>, SendError> {
        let retry = &self.inner.retry;
        let max_attempts = retry.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            made.store(attempt, Ordering::Relaxed);
            let outcome = self.attempt(request.clone(), attempt).await?;
            let retryable = outcome.as_ref().map_or_else(is_retryable_error, is_retryable_response);
            if !retryable || attempt >= max_attempts {
                return outcome.map_err(|error| SendError::new(Repr::Transport { error, attempts: attempt }));
            }
            tokio::time::sleep(full_jitter(retry.backoff_limit(attempt))).await;
            attempt += 1;
        }
    }

    /// Signs and sends one attempt. `Err` only when the request cannot be signed, which no
    /// retry would change.
    async fn attempt(&self, mut request: http::Request<Bytes>, attempt: u32) -> Result<Attempt, SendError> {
        if let Some(signer) = &self.inner.signer {
            signer
                .sign(&mut request, SystemTime::now())
                .map_err(|error| SendError::new(Repr::Signing { error, attempts: attempt - 1 }))?;
        }
        let send = self.inner.transport.send(request);
        Ok(match self.inner.timeouts.attempt {
            None => send.await,
            Some(limit) => tokio::time::timeout(limit, send).await.unwrap_or_else(|_| Err(TransportError::timeout())),
        })
    }
}

/// Whether an attempt that got no response is worth another: every failure but a TLS one,
/// where the server's certificate (or the client's TLS set-up) would be refused again.
fn is_retryable_error(error: &TransportError) -> bool {
    error.kind() != TransportErrorKind::Tls
}

/// A streamed attempt's response: a success with its body still streaming, or an error read
/// whole so that it can be classified for a retry.
enum Streamed {
    Success(http::Response<ByteStream>),
    Error(http::Response<Bytes>),
}

impl Streamed {
    fn into_response(self) -> http::Response<ByteStream> {
        match self {
            Self::Success(response) => response,
            Self::Error(response) => response.map(ByteStream::from),
        }
    }
}

/// The largest error response body read into memory: error bodies are small JSON documents.
const ERROR_BODY_LIMIT: usize = 1024 * 1024;

/// Reads an error response of a streamed call whole (up to [`ERROR_BODY_LIMIT`]; a longer or
/// broken one keeps what was read: its status still tells the error).
async fn read_error_response(response: http::Response<ByteStream>) -> Streamed {
    use http_body_util::BodyExt as _;
    let (parts, body) = response.into_parts();
    let body = http_body_util::Limited::new(body, ERROR_BODY_LIMIT).collect().await;
    Streamed::Error(http::Response::from_parts(parts, body.map(|b| b.to_bytes()).unwrap_or_default()))
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ClientCore")
            .field("endpoint", &inner.endpoint)
            .field("region", &self.region())
            .field("signed", &inner.signer.is_some())
            .field("retry", &inner.retry)
            .field("timeouts", &inner.timeouts)
            .field("service", &inner.service)
            .finish_non_exhaustive()
    }
}

/// The configured endpoint URL; with a configuration read from the environment, the
/// service's own variable first.
fn endpoint_url(config: &Config, service: &ServiceInfo) -> Option<String> {
    let from_service_env = config.endpoint_from_env.then(|| service_endpoint_from_env(service)).flatten();
    from_service_env.or_else(|| config.endpoint_url.clone())
}

/// Parses and checks an endpoint URL.
fn parse_endpoint(url: &str) -> Result<Uri, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint { url: url.to_owned(), reason: reason.to_owned() };
    let uri: Uri = url.parse().map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
    let scheme = uri.scheme().cloned().ok_or_else(|| invalid("it has no scheme"))?;
    if scheme != Scheme::HTTP && scheme != Scheme::HTTPS {
        return Err(invalid("the scheme is neither http nor https"));
    }
    let authority = uri.authority().cloned().ok_or_else(|| invalid("it has no host"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("user information is not supported"));
    }
    if uri.query().is_some() {
        return Err(invalid("a query is not supported"));
    }
    let prefix = uri.path().trim_end_matches('/');
    let path = if prefix.is_empty() { "/" } else { prefix };
    Uri::builder().scheme(scheme).authority(authority).path_and_query(path).build().map_err(|e| invalid(&e.to_string()))
}

/// The `Host` header for `uri`, written as hyper writes it (the port only when it is not the
/// scheme's default), so that what is signed is what is sent.
fn host_header(uri: &Uri) -> Result<HeaderValue, SendError> {
    let invalid = |reason: &str| SendError::new(Repr::InvalidRequest(format!("the request URI {uri}: {reason}")));
    let authority = uri.authority().ok_or_else(|| invalid("has no host"))?;
    let default_port = match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    let host = match authority.port_u16() {
        Some(port) if Some(port) != default_port => authority.as_str(),
        _ => authority.host(),
    };
    HeaderValue::from_str(host).map_err(|_| invalid("has a host that is not a valid header value"))
}

/// A sleep drawn uniformly from zero to `limit`.
fn full_jitter(limit: Duration) -> Duration {
    let nanos = u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// The protocol a client speaks: the one `picked` in its config when the service declares it,
/// else the first the service lists.
fn pick_protocol(
    picked: Option<crate::protocol::Protocol>,
    service: &ServiceInfo,
) -> Result<crate::protocol::Protocol, ConfigError> {
    let first = service.protocols.first().copied().unwrap_or_default();
    match picked {
        None => Ok(first),
        Some(protocol) if service.protocols.contains(&protocol) => Ok(protocol),
        Some(protocol) => Err(ConfigError::UnsupportedProtocol {
            picked: protocol.name(),
            supported: service.protocols.iter().map(|p| p.name()).collect(),
        }),
    }
}

/// Why [`ClientCore::send`] returned no response.
#[derive(Debug)]
pub struct SendError {
    repr: Repr,
}

#[derive(Debug)]
enum Repr {
    Transport { error: TransportError, attempts: u32 },
    OperationTimeout { limit: Duration, attempts: u32 },
    Signing { error: BoxError, attempts: u32 },
    InvalidRequest(String),
}

/// What kind of failure a [`SendError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SendErrorKind {
    /// The last attempt got no response (see [`SendError::transport_error`]).
    Transport,
    /// The whole call took longer than [`Timeouts::operation`].
    OperationTimeout,
    /// The request could not be signed.
    Signing,
    /// The request cannot be sent as built (its URI has no host).
    InvalidRequest,
}

impl SendError {
    fn new(repr: Repr) -> Self {
        Self { repr }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> SendErrorKind {
        match self.repr {
            Repr::Transport { .. } => SendErrorKind::Transport,
            Repr::OperationTimeout { .. } => SendErrorKind::OperationTimeout,
            Repr::Signing { .. } => SendErrorKind::Signing,
            Repr::InvalidRequest(_) => SendErrorKind::InvalidRequest,
        }
    }

    /// How many attempts reached the transport (the last one possibly cut short by the
    /// operation timeout).
    pub fn attempts(&self) -> u32 {
        match self.repr {
            Repr::Transport { attempts, .. }
            | Repr::OperationTimeout { attempts, .. }
            | Repr::Signing { attempts, .. } => attempts,
            Repr::InvalidRequest(_) => 0,
        }
    }

    /// The last attempt's transport error, for a [`SendErrorKind::Transport`] failure.
    pub fn transport_error(&self) -> Option<&TransportError> {
        match &self.repr {
            Repr::Transport { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Transport { error, attempts } => write!(f, "{error} (no response after {})", plural(*attempts)),
            Repr::OperationTimeout { limit, attempts } => {
                write!(f, "the operation timed out after {limit:?} ({} started)", plural(*attempts))
            }
            Repr::Signing { .. } => f.write_str("the request could not be signed"),
            Repr::InvalidRequest(reason) => f.write_str(reason),
        }
    }
}

/// "1 attempt", "3 attempts".
fn plural(attempts: u32) -> String {
    format!("{attempts} attempt{}", if attempts == 1 { "" } else { "s" })
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            // The transport error's own message is already part of ours; its cause is next.
            Repr::Transport { error, .. } => std::error::Error::source(error),
            Repr::Signing { error, .. } => Some(error.as_ref()),
            Repr::OperationTimeout { .. } | Repr::InvalidRequest(_) => None,
        }
    }
}
