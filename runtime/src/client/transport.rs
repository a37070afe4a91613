//! How a request reaches a server: the `Transport` seam and the two transports shipped here.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::{BoxError, BoxFuture, ByteStream};

/// The largest response body the shipped transports read by default: 64 MiB.
const DEFAULT_RESPONSE_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Sends one HTTP request and returns the whole response (body collected).
///
/// The client core signs, retries and times out around it, so an implementation only moves
/// bytes: plug a TLS-capable client, a proxy or a test double in here.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` once. A response with any status is `Ok`; `Err` means no response
    /// arrived.
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;

    /// Sends a request whose body streams (a `@streaming` input), or whose response body
    /// should be handed over as it arrives (a `@streaming` output): returns once the response
    /// head is in. The shipped transports stream both ways; this default, for a transport
    /// that implements only [`Transport::send`], reads the request body whole and sends it
    /// with `send`, whose whole response becomes the stream.
    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(TransportError::other)?;
            let response = self.send(http::Request::from_parts(parts, body)).await?;
            Ok(response.map(ByteStream::from))
        })
    }
}

/// A shared transport is still a transport, so a caller can keep a handle on it (a test that
/// inspects what was sent, several clients over one connection pool).
impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        (**self).send_streaming(request)
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS, connect timeout): the server
    /// never saw the request.
    Connect,
    /// The attempt took longer than its limit.
    Timeout,
    /// Anything else: the connection broke, the response could not be read.
    Other,
    /// The TLS handshake failed: the server's certificate was refused (an authority the client
    /// does not trust, another host name, expired), the server refused the client, or the
    /// transport cannot speak TLS. Not retried: the next attempt would fail the same way.
    Tls,
}

/// Why a [`Transport`] returned no response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
    /// What a TLS failure says beyond its kind.
    tls: Option<Box<TlsFailure>>,
}

/// Where and why a TLS handshake failed.
#[derive(Debug)]
struct TlsFailure {
    endpoint: String,
    reason: String,
}

impl TransportError {
    /// No connection could be made.
    pub fn connect(error: impl Into<BoxError>) -> Self {
        Self { kind: TransportErrorKind::Connect, source: Some(error.into()), tls: None }
    }

    /// The attempt ran out of time.
    pub fn timeout() -> Self {
        Self { kind: TransportErrorKind::Timeout, source: None, tls: None }
    }

    /// Any other failure.
    pub fn other(error: impl Into<BoxError>) -> Self {
        Self { kind: TransportErrorKind::Other, source: Some(error.into()), tls: None }
    }

    /// The TLS handshake with `endpoint` (`host:port`) failed for `reason`, a sentence about
    /// the server ("the server's certificate is not valid for the name ..."); `source` is the
    /// TLS library's error, when there is one.
    pub fn tls(endpoint: impl Into<String>, reason: impl Into<String>, source: Option<BoxError>) -> Self {
        let failure = TlsFailure { endpoint: endpoint.into(), reason: reason.into() };
        Self { kind: TransportErrorKind::Tls, source, tls: Some(Box::new(failure)) }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The `host:port` a TLS failure happened with.
    pub fn endpoint(&self) -> Option<&str> {
        self.tls.as_ref().map(|failure| failure.endpoint.as_str())
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cause is reachable through `source()`; repeating it here would print it twice in
        // an error chain. A TLS failure's reason is ours, in words, and says more than the
        // library's error, so it is printed.
        if let Some(failure) = &self.tls {
            return write!(f, "TLS with {} failed: {}", failure.endpoint, failure.reason);
        }
        f.write_str(match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "the attempt timed out",
            TransportErrorKind::Other => "the request failed in transit",
            TransportErrorKind::Tls => "the TLS handshake failed",
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The default transport: HTTP/1.1 over TCP, or TLS for `https://` endpoints, with a pool of
/// kept-alive connections per endpoint (a second call reuses the first call's connection).
///
/// With the `tls` feature (on by default) `https://` works: rustls with the ring provider,
/// TLS 1.3 and 1.2, trusting `tls::default_roots` (Mozilla's roots with the `webpki-roots`
/// feature, the platform's with `native-roots`) unless made with `HyperTransport::with_roots`
/// or `HyperTransport::with_tls_config`. (Plain text, not links: without the feature they do
/// not exist.) A handshake that
/// fails is a [`TransportErrorKind::Tls`] error that names the endpoint and says what was
/// refused. Without the feature, an `https://` request fails with that kind too.
///
/// A response body longer than [`HyperTransport::body_limit`] (64 MiB by default) is a
/// [`TransportError`]. Needs a Tokio runtime (with the time driver) when sending.
#[derive(Clone)]
pub struct HyperTransport {
    pool: Pool,
    body_limit: usize,
}

/// The pooled hyper client, over TLS when it can be.
#[derive(Clone)]
enum Pool {
    /// `http://` and `https://`.
    #[cfg(feature = "tls")]
    Tls(Client<hyper_rustls::HttpsConnector<HttpConnector>, ByteStream>),
    /// `http://` only; `https` says why `https://` is not available.
    Plain { client: Client<HttpConnector, ByteStream>, https: Arc<str> },
}

impl HyperTransport {
    /// A transport that gives up connecting after `connect_timeout` (no limit when `None`),
    /// trusting the default roots for `https://`.
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        #[cfg(feature = "tls")]
        {
            // Cannot fail with the ring provider, which has every default protocol version; if
            // it ever did, http would still work and https would say why it does not.
            match crate::tls::client_config(crate::tls::default_roots()) {
                Ok(config) => Self::with_tls_config(connect_timeout, config),
                Err(error) => Self::plain(connect_timeout, format!("TLS could not be set up: {error}")),
            }
        }
        #[cfg(not(feature = "tls"))]
        Self::plain(connect_timeout, "this build has no TLS (smithy-runtime's `tls` feature is off)".to_owned())
    }

    /// A transport that trusts `roots` (and no other authority) for `https://`: a private
    /// certificate authority, or a test's (see [`roots_from_pem`](crate::tls::roots_from_pem)).
    #[cfg(feature = "tls")]
    pub fn with_roots(
        connect_timeout: Option<Duration>,
        roots: rustls::RootCertStore,
    ) -> Result<Self, crate::tls::TlsConfigError> {
        Ok(Self::with_tls_config(connect_timeout, crate::tls::client_config(roots)?))
    }

    /// A transport that speaks TLS as `config` says (roots, client certificates, protocol
    /// versions). Its ALPN protocols are replaced by `http/1.1`, the one this transport speaks.
    #[cfg(feature = "tls")]
    pub fn with_tls_config(connect_timeout: Option<Duration>, config: rustls::ClientConfig) -> Self {
        let connector = super::tls::connector(tcp_connector(connect_timeout), config);
        Self { pool: Pool::Tls(pooled(connector)), body_limit: DEFAULT_RESPONSE_BODY_LIMIT }
    }

    /// A transport that speaks HTTP/2 without asking first (prior knowledge: h2c on
    /// `http://`, h2 over TLS on `https://`), to a server known to speak it; what a client of
    /// an event stream that flows both ways at once over plain TCP needs. With the `http2`
    /// feature; `HyperTransport::new` speaks HTTP/2 over TLS anyway when ALPN agrees to it.
    #[cfg(feature = "http2")]
    pub fn http2_prior_knowledge(connect_timeout: Option<Duration>) -> Self {
        let mut builder = Client::builder(TokioExecutor::new());
        builder.pool_timer(TokioTimer::new()).timer(TokioTimer::new()).http2_only(true);
        #[cfg(feature = "tls")]
        if let Ok(config) = crate::tls::client_config(crate::tls::default_roots()) {
            let connector = super::tls::connector(tcp_connector(connect_timeout), config);
            return Self { pool: Pool::Tls(builder.build(connector)), body_limit: DEFAULT_RESPONSE_BODY_LIMIT };
        }
        let client = builder.build(tcp_connector(connect_timeout));
        let https = "this transport was built without TLS".into();
        Self { pool: Pool::Plain { client, https }, body_limit: DEFAULT_RESPONSE_BODY_LIMIT }
    }

    /// A transport for `http://` only; an `https://` request fails, saying `why`.
    fn plain(connect_timeout: Option<Duration>, why: String) -> Self {
        let client = pooled(tcp_connector(connect_timeout));
        Self { pool: Pool::Plain { client, https: why.into() }, body_limit: DEFAULT_RESPONSE_BODY_LIMIT }
    }

    /// Reads response bodies of at most `bytes`; a longer one is a [`TransportError`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

/// The TCP connector under either pool.
fn tcp_connector(connect_timeout: Option<Duration>) -> HttpConnector {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(connect_timeout);
    // Nagle's algorithm would hold back the body of a small request behind its headers.
    connector.set_nodelay(true);
    connector
}

/// A hyper client with a pool of kept-alive connections over `connector`.
fn pooled<C>(connector: C) -> Client<C, ByteStream>
where
    C: hyper_util::client::legacy::connect::Connect + Clone,
{
    Client::builder(TokioExecutor::new()).pool_timer(TokioTimer::new()).build(connector)
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tls = match &self.pool {
            #[cfg(feature = "tls")]
            Pool::Tls(_) => true,
            Pool::Plain { .. } => false,
        };
        f.debug_struct("HyperTransport").field("tls", &tls).finish_non_exhaustive()
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let response = self.request(request.map(ByteStream::from)).await?;
            collect(response, self.body_limit).await
        })
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move { Ok(self.request(request).await?.map(ByteStream::from_body)) })
    }
}

impl HyperTransport {
    /// Sends one request; the response body is not read yet.
    async fn request(
        &self,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<hyper::body::Incoming>, TransportError> {
        let https = request.uri().scheme() == Some(&http::uri::Scheme::HTTPS);
        // Kept for an error message only: cloning an authority is a reference count.
        let authority = request.uri().authority().cloned();
        let result = match &self.pool {
            #[cfg(feature = "tls")]
            Pool::Tls(client) => client.request(request).await,
            Pool::Plain { https: why, .. } if https => {
                return Err(TransportError::tls(endpoint(https, authority.as_ref()), why.as_ref(), None));
            }
            Pool::Plain { client, .. } => client.request(request).await,
        };
        result.map_err(|e| connection_error(e, https, authority.as_ref()))
    }
}

/// A hyper client error as a [`TransportError`]: TLS refusals, connect failures, the rest.
fn connection_error(
    error: hyper_util::client::legacy::Error,
    https: bool,
    authority: Option<&http::uri::Authority>,
) -> TransportError {
    if !error.is_connect() {
        return TransportError::other(error);
    }
    #[cfg(feature = "tls")]
    if let Some(reason) = super::tls::refusal(&error) {
        return TransportError::tls(endpoint(https, authority), reason, Some(error.into()));
    }
    // Without TLS, nothing reads these.
    #[cfg(not(feature = "tls"))]
    let _ = (https, authority);
    TransportError::connect(error)
}

/// `host:port` of a request, with the scheme's port when the URI has none.
fn endpoint(https: bool, authority: Option<&http::uri::Authority>) -> String {
    let Some(authority) = authority else { return "an endpoint without a host".to_owned() };
    // Host and port only: an authority may carry user information, which is no one's business.
    let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
    format!("{}:{port}", authority.host())
}

/// Hands requests straight to a tower `Service` in the same process (tests, in-process
/// servers), with no socket in between. A response body longer than
/// [`ServiceTransport::body_limit`] (64 MiB by default) is a [`TransportError`].
#[derive(Clone)]
pub struct ServiceTransport<S> {
    service: S,
    body_limit: usize,
}

impl<S> ServiceTransport<S> {
    /// A transport that calls `service` for every request.
    pub fn new(service: S) -> Self {
        Self { service, body_limit: DEFAULT_RESPONSE_BODY_LIMIT }
    }

    /// Reads response bodies of at most `bytes`; a longer one is a [`TransportError`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

impl<S> fmt::Debug for ServiceTransport<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceTransport").finish_non_exhaustive()
    }
}

impl<S, B> Transport for ServiceTransport<S>
where
    S: tower_service::Service<http::Request<ByteStream>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let response = self.call(request.map(ByteStream::from)).await?;
            collect(response, self.body_limit).await
        })
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move { Ok(self.call(request).await?.map(ByteStream::from_body)) })
    }
}

impl<S, B> ServiceTransport<S>
where
    S: tower_service::Service<http::Request<ByteStream>, Response = http::Response<B>> + Clone,
    S::Error: Into<BoxError>,
{
    /// Calls the service once; the response body is not read yet.
    async fn call(&self, request: http::Request<ByteStream>) -> Result<http::Response<B>, TransportError> {
        // Tower's convention: a service that was polled ready is the one that must be called,
        // so each call readies its own clone instead of sharing `self.service`.
        let mut service = self.service.clone();
        futures_util::future::poll_fn(|cx| service.poll_ready(cx)).await.map_err(TransportError::other)?;
        service.call(request).await.map_err(TransportError::other)
    }
}

/// Reads a response's whole body, so the caller holds plain bytes it can parse or retry on;
/// one longer than `limit` is an error, as a server must not make a client run out of memory.
async fn collect<B>(response: http::Response<B>, limit: usize) -> Result<http::Response<Bytes>, TransportError>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let too_large = || TransportError::other(format!("the response body is larger than the limit of {limit} bytes"));
    let (parts, body) = response.into_parts();
    // A declared length over the limit fails before anything is read.
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    let body = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => return Err(too_large()),
        Err(error) => return Err(TransportError::other(error)),
    };
    Ok(http::Response::from_parts(parts, body))
}
