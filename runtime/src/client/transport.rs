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
}

/// Why a [`Transport`] returned no response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

impl TransportError {
    /// No connection could be made.
    pub fn connect(error: impl Into<BoxError>) -> Self {
        Self { kind: TransportErrorKind::Connect, source: Some(error.into()) }
    }

    /// The attempt ran out of time.
    pub fn timeout() -> Self {
        Self { kind: TransportErrorKind::Timeout, source: None }
    }

    /// Any other failure.
    pub fn other(error: impl Into<BoxError>) -> Self {
        Self { kind: TransportErrorKind::Other, source: Some(error.into()) }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cause is reachable through `source()`; repeating it here would print it twice in
        // an error chain.
        f.write_str(match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "the attempt timed out",
            TransportErrorKind::Other => "the request failed in transit",
        })
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The default transport: HTTP/1.1 over plain TCP with a pool of kept-alive connections.
///
/// Only `http://` endpoints work: this crate links no TLS library, so an `https://` request
/// fails with a connect error. To reach a TLS endpoint, implement [`Transport`] over a
/// TLS-capable client and pass it to [`Config::transport`](super::Config::transport).
///
/// A response body longer than [`HyperTransport::body_limit`] (64 MiB by default) is a
/// [`TransportError`]. Needs a Tokio runtime (with the time driver) when sending.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpConnector, ByteStream>,
    body_limit: usize,
}

impl HyperTransport {
    /// A transport that gives up connecting after `connect_timeout` (no limit when `None`).
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(connect_timeout);
        // Nagle's algorithm would hold back the body of a small request behind its headers.
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new()).pool_timer(TokioTimer::new()).build(connector);
        Self { client, body_limit: DEFAULT_RESPONSE_BODY_LIMIT }
    }

    /// Reads response bodies of at most `bytes`; a longer one is a [`TransportError`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport").finish_non_exhaustive()
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
        self.client.request(request).await.map_err(|e| {
            if e.is_connect() {
                TransportError::connect(e)
            } else {
                TransportError::other(e)
            }
        })
    }
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
