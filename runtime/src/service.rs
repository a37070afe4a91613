//! The model-independent half of a generated server as a `tower::Service`: the body limit and
//! read timeout, SigV4 verification, routing, catching a handler's panic, request IDs, and
//! serving on a TCP socket with a connection limit and graceful shutdown. The generated crate
//! supplies a [`Dispatch`]: its routes and the code that reads, runs and answers one operation.
//!
//! An operation whose input is a `@streaming` blob gets its request body as a [`ByteStream`]:
//! not read first, not held to the body limit, each read bounded by the request timeout
//! (see [`ServerConfig::request_timeout`]). Responses are `ByteStream`s too, so a streamed
//! output goes out as it is produced.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::FutureExt;
use http::{HeaderValue, Request, Response};
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::byte_stream::with_idle_timeout;
use crate::protocol::Protocol;
use crate::response::{self, ErrorShape};
use crate::router::{parse_query, RouteError, Router};
use crate::server::RequestParts;
use crate::sigv4::{AuthError, EventSeed, Verified, Verifier};
use crate::{BoxError, ByteStream};

// Generated dispatchers name it here.
pub use crate::BoxFuture;

mod context;
pub use self::context::RequestContext;

mod listen;
#[cfg(feature = "http2")]
mod sniff;
pub use self::listen::serve;
#[cfg(feature = "tls")]
pub use self::listen::serve_tls;

/// A request routed to one operation, as the generated dispatcher sees it.
#[derive(Debug)]
pub struct Routed<'a> {
    /// The operation's index in the generated route table.
    pub operation: usize,
    /// Labels, query, headers.
    pub parts: RequestParts<'a>,
    /// The whole body; empty for an operation whose input streams (see [`Routed::take_stream`]).
    pub body: &'a [u8],
    /// The body of an operation whose input streams, until the dispatcher takes it. Behind a
    /// mutex because the dispatcher gets `&Routed` and its future must stay `Send`.
    stream: Mutex<Option<ByteStream>>,
}

impl Routed<'_> {
    /// The request body of an operation whose input streams ([`Dispatch::streams_input`]),
    /// unread; an empty stream for any other operation or when it was taken already.
    pub fn take_stream(&self) -> ByteStream {
        let mut stream = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        stream.take().unwrap_or_default()
    }
}

/// What a generated server supplies to [`Server`].
pub trait Dispatch: Send + Sync + 'static {
    /// The service's routes.
    fn router(&self) -> &Router;

    /// The modeled errors for failed authentication (401) and refused signatures (403), when
    /// the model has them.
    fn auth_errors(&self) -> AuthErrors;

    /// Reads the routed operation's input, runs the handler and writes its answer, whole.
    fn dispatch<'a>(&'a self, request: Routed<'a>) -> BoxFuture<'a, Response<Bytes>>;

    /// Whether operation number `operation` takes its request body as a stream (its input has
    /// a `@streaming` blob payload); the server then neither reads the body first nor holds
    /// it to the body limit. None does, unless the generated crate says so.
    fn streams_input(&self, operation: usize) -> bool {
        let _ = operation;
        false
    }

    /// What the server calls: [`Dispatch::dispatch`], with a body that may be a stream. A
    /// service with streamed outputs implements this, and `dispatch` over it.
    fn dispatch_streaming<'a>(&'a self, request: Routed<'a>) -> BoxFuture<'a, Response<ByteStream>> {
        Box::pin(async move { self.dispatch(request).await.map(ByteStream::from) })
    }
}

/// A streamed response read whole: [`Dispatch::dispatch`] of a service whose outputs stream.
/// A stream that fails is a 500.
pub async fn collect_response(response: Response<ByteStream>) -> Response<Bytes> {
    let (parts, body) = response.into_parts();
    match body.collect().await {
        Ok(bytes) => Response::from_parts(parts, bytes),
        Err(error) => response::internal_error(&format!("the streamed response failed: {error}")),
    }
}

/// A request body as the routed operation takes it.
enum Received {
    /// Read whole, within the body limit.
    Whole(Bytes),
    /// Unread, for an operation whose input streams.
    Stream(ByteStream),
}

/// The modeled error shapes an authentication failure is answered with.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuthErrors {
    /// For a request whose signer is unknown (HTTP 401).
    pub unauthorized: Option<ErrorShape>,
    /// For a request whose signature is refused (HTTP 403).
    pub forbidden: Option<ErrorShape>,
}

/// How a server treats requests before they reach a handler.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    body_limit: usize,
    request_timeout: Duration,
    max_connections: usize,
    verifier: Verifier,
    validate_input: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: Self::DEFAULT_BODY_LIMIT,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            verifier: Verifier::new(),
            validate_input: true,
        }
    }
}

impl ServerConfig {
    /// The largest request body accepted by default: 10 MiB.
    pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

    /// How long a client may take to send a request's headers, and then its body, by
    /// default: 60 s.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

    /// How many connections [`serve`] handles at once by default: 1024.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

    /// The defaults: a 10 MiB body limit, a 60 s request timeout, 1024 connections and no
    /// signature checks.
    pub fn new() -> Self {
        Self::default()
    }

    /// The largest request body accepted; a larger one is answered with 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a client may take to send a request: its body, once the headers are in (a
    /// slower one is answered with 408 and its connection closed), and with [`serve`] also its
    /// headers (a connection idle that long is closed) and with `serve_tls` its TLS handshake,
    /// so that a stalled client cannot hold a connection forever.
    ///
    /// A streamed request body (a `@streaming` input) has no total limit, as it may be of any
    /// size: each read of it must bring bytes within this time, else the handler's read fails
    /// with [`ByteStreamErrorKind::Stalled`](crate::byte_stream::ByteStreamErrorKind::Stalled).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How many connections [`serve`] handles at once (at least 1); further clients wait in
    /// the listener's backlog until one closes.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        self
    }

    /// Whether inputs are checked against the model's constraint traits (`@length`,
    /// `@pattern`, `@range`, enums, `@uniqueItems`) before a handler runs; on by default.
    /// Off, a handler may see any value the types can hold (missing `@required` members are
    /// still refused); meant for measuring what validation costs, or for a handler that
    /// checks for itself.
    pub fn validate_input(mut self, validate: bool) -> Self {
        self.validate_input = validate;
        self
    }

    /// Requires SigV4 signatures, checked against these keys.
    pub fn verifier(mut self, verifier: Verifier) -> Self {
        self.verifier = verifier;
        self
    }

    /// Requires SigV4 signatures and accepts this access key.
    pub fn access_key(self, access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        let verifier = self.verifier.clone().with_key(access_key_id, secret_access_key);
        self.verifier(verifier)
    }
}

/// A restJson1 server over a generated [`Dispatch`]: a `tower::Service` that works with
/// hyper, axum and tower middleware.
#[derive(Debug)]
pub struct Server<D> {
    dispatch: Arc<D>,
    config: Arc<ServerConfig>,
}

impl<D> Clone for Server<D> {
    fn clone(&self) -> Self {
        Self { dispatch: Arc::clone(&self.dispatch), config: Arc::clone(&self.config) }
    }
}

impl<D: Dispatch> Server<D> {
    /// A server answering with `dispatch`.
    pub fn new(dispatch: D, config: ServerConfig) -> Self {
        Self { dispatch: Arc::new(dispatch), config: Arc::new(config) }
    }

    /// Answers one request. Never fails: every problem is an HTTP error response. Every
    /// response carries a fresh `x-amzn-requestid`, which the handler sees as
    /// [`RequestContext::request_id`]. Needs a Tokio runtime with the time driver (for the
    /// request timeout).
    pub async fn handle<B>(&self, request: Request<B>) -> Response<ByteStream>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        // Made before answering, so that the handler can see (and log) the ID the client gets.
        let request_id = crate::new_uuid();
        // A UUID is always a valid header value.
        let header = HeaderValue::from_str(&request_id).ok();
        let mut response = self.answer(request, request_id).await;
        if let Some(id) = header {
            response.headers_mut().insert(REQUEST_ID_HEADER, id);
        }
        response
    }

    /// The response to `request`, without its request ID header; the handler runs with
    /// `request_id` in its [`RequestContext`].
    async fn answer<B>(&self, request: Request<B>, request_id: String) -> Response<ByteStream>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let (head, body) = request.into_parts();
        // Parsed once: routing matches query literals, and the input binds query members.
        let query = head.uri.query().map(parse_query).unwrap_or_default();
        // Routed before the body is read, to know whether the operation streams it; a route
        // failure is still answered after the body and signature checks, as before.
        let router = self.dispatch.router();
        let protocol = router.protocol_for(&head.headers);
        let route = router.route_request(&head, &query);
        let streams = matches!(&route, Ok(matched) if self.dispatch.streams_input(matched.operation));
        let (received, verified, seed) = match self.receive(protocol, &head, body, streams).await {
            Ok(received) => received,
            Err(response) => return response.map(ByteStream::from),
        };
        let matched = match route {
            Ok(matched) => matched,
            Err(error) => return route_failure(protocol, &error).map(ByteStream::from),
        };
        let (body, stream) = match received {
            Received::Whole(body) => (body, None),
            Received::Stream(stream) => (Bytes::new(), Some(stream)),
        };
        let routed = Routed {
            operation: matched.operation,
            parts: RequestParts::with_query(&matched, query, &head.headers)
                .validating(self.config.validate_input)
                .speaking(protocol),
            body: &body,
            stream: Mutex::new(stream),
        };
        // The dispatcher is called inside the scope too, so that one that does work before
        // returning its future sees the context as well.
        let context = RequestContext::new(request_id, verified).with_event_seed(seed);
        let handled = context.scope(async move { self.dispatch.dispatch_streaming(routed).await });
        // A panicking handler must cost one request, not the connection or the server.
        match AssertUnwindSafe(handled).catch_unwind().await {
            Ok(response) => response,
            Err(_) => protocol.internal_error("the handler panicked").map(ByteStream::from),
        }
    }

    /// The request body as the operation takes it, its signature checked when keys are set,
    /// and who signed it (`None` without keys). A streamed body must be signed as
    /// `UNSIGNED-PAYLOAD` (with or without the `x-amz-content-sha256` header saying so) to stay
    /// unread; one signed over its hash is read whole, within the body limit, so that the hash
    /// can be checked.
    async fn receive<B>(
        &self,
        protocol: Protocol,
        head: &http::request::Parts,
        body: B,
        streams: bool,
    ) -> Result<(Received, Option<Verified>, Option<EventSeed>), Response<Bytes>>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let verifier = &self.config.verifier;
        if streams {
            // `Some` when the body may stay unread: no keys, or signed over UNSIGNED-PAYLOAD.
            let unread = match verifier.is_enabled() {
                false => Some((None, None)),
                true => match verifier.verify_stream_head(head, SystemTime::now()) {
                    Ok(verified) => verified.map(|(verified, seed)| (Some(verified), seed)),
                    Err(error) => return Err(auth_failure(protocol, &error, self.dispatch.auth_errors())),
                },
            };
            if let Some((verified, seed)) = unread {
                let stream = with_idle_timeout(ByteStream::from_body(body), self.config.request_timeout);
                return Ok((Received::Stream(stream), verified, seed));
            }
        }
        let body = self.read_whole(protocol, head, body).await?;
        let verified = match verifier.is_enabled() {
            false => None,
            true => match verifier.verify(head, &body, SystemTime::now()) {
                Ok(verified) => Some(verified),
                Err(error) => return Err(auth_failure(protocol, &error, self.dispatch.auth_errors())),
            },
        };
        let body = gunzipped(protocol, head, body, self.config.body_limit).map_err(|response| *response)?;
        let received = if streams { Received::Stream(ByteStream::from(body)) } else { Received::Whole(body) };
        Ok((received, verified, None))
    }

    /// Reads the whole body within the body limit and the request timeout.
    async fn read_whole<B>(
        &self,
        protocol: Protocol,
        head: &http::request::Parts,
        body: B,
    ) -> Result<Bytes, Response<Bytes>>
    where
        B: Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        let limit = self.config.body_limit;
        let timeout = self.config.request_timeout;
        let mut read = std::pin::pin!(read_limited(protocol, head, body, limit));
        // A body that is already in is read without arming a timer: a timer costs a clock
        // read and two trips through the runtime's timer wheel, on every request.
        let read_now = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
        match read_now {
            Poll::Ready(read) => read,
            Poll::Pending => match tokio::time::timeout(timeout, read).await {
                Ok(read) => read,
                Err(_) => Err(request_timed_out(protocol, timeout)),
            },
        }
    }
}

impl<D, B> tower_service::Service<Request<B>> for Server<D>
where
    D: Dispatch,
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<ByteStream>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let server = self.clone();
        Box::pin(async move { Ok(server.handle(request).await) })
    }
}

/// Reads the whole body, refusing (413) one longer than `limit` before reading it when its
/// declared length says so.
async fn read_limited<B>(
    protocol: Protocol,
    head: &http::request::Parts,
    body: B,
    limit: usize,
) -> Result<Bytes, Response<Bytes>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let too_large = || {
        protocol.error(
            413,
            "RequestEntityTooLargeException",
            "message",
            &format!("the request body is larger than this server's limit of {limit} bytes"),
        )
    };
    let declared = head.headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large()),
        Err(error) => Err(protocol.serialization_error(&format!("the request body was cut off: {error}"))),
    }
}

/// The body with its outermost `gzip` content coding undone (clients compress the inputs of
/// `@requestCompression` operations; the signature is over the compressed bytes, so this
/// comes after it is checked). The unzipped body is held to `limit` too (413), and one that
/// is not gzip is malformed (400). Other codings are left as they are.
fn gunzipped(
    protocol: Protocol,
    head: &http::request::Parts,
    body: Bytes,
    limit: usize,
) -> Result<Bytes, Box<Response<Bytes>>> {
    let codings = head.headers.get_all(http::header::CONTENT_ENCODING).iter().filter_map(|v| v.to_str().ok());
    let last = codings.flat_map(|value| value.split(',')).map(str::trim).rfind(|c| !c.is_empty());
    if !last.is_some_and(|coding| coding.eq_ignore_ascii_case("gzip")) {
        return Ok(body);
    }
    let mut unzipped = Vec::new();
    let decoder = flate2::read::GzDecoder::new(body.as_ref());
    match std::io::Read::read_to_end(&mut std::io::Read::take(decoder, limit as u64 + 1), &mut unzipped) {
        Ok(read) if read > limit => Err(Box::new(protocol.error(
            413,
            "RequestEntityTooLargeException",
            "message",
            &format!("the unzipped request body is larger than this server's limit of {limit} bytes"),
        ))),
        Ok(_) => Ok(Bytes::from(unzipped)),
        Err(error) => {
            Err(Box::new(protocol.serialization_error(&format!("the gzip request body cannot be read: {error}"))))
        }
    }
}

/// The header that carries a response's request ID.
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";

/// The answer to a request whose body did not arrive within `timeout`. It closes the
/// connection: what is left of the body could only be read as the next request.
fn request_timed_out(protocol: Protocol, timeout: Duration) -> Response<Bytes> {
    let message = format!("the request body did not arrive within {timeout:?}");
    let mut response = protocol.error(408, "RequestTimeoutException", "message", &message);
    response.headers_mut().insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a request no route takes.
fn route_failure(protocol: Protocol, error: &RouteError) -> Response<Bytes> {
    match error {
        RouteError::NotFound => {
            protocol.error(404, "UnknownOperationException", "message", "no operation matches this request's path")
        }
        RouteError::MethodNotAllowed => protocol.error(
            405,
            "UnknownOperationException",
            "message",
            "an operation has this path, but not this HTTP method",
        ),
        RouteError::BadLabel(message) => protocol.serialization_error(message),
        // As AWS's awsJson services answer an unknown target.
        RouteError::UnknownTarget(message) => protocol.error(400, "UnknownOperationException", "message", message),
    }
}

/// The answer to a request whose signature is not accepted: the model's 401 or 403 error when
/// it has one, else the error AWS itself would answer with.
fn auth_failure(protocol: Protocol, error: &AuthError, errors: AuthErrors) -> Response<Bytes> {
    let shape = if error.status() == 401 { errors.unauthorized } else { errors.forbidden };
    match shape {
        Some(shape) => protocol.shape_error(&shape, &error.to_string()),
        None => protocol.error(error.status(), error.code(), "message", &error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(encoding: Option<&'static str>) -> http::request::Parts {
        let mut request = Request::new(());
        if let Some(encoding) = encoding {
            request.headers_mut().insert(http::header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        request.into_parts().0
    }

    fn gzip(bytes: &[u8]) -> Bytes {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, bytes).unwrap_or_default();
        Bytes::from(encoder.finish().unwrap_or_default())
    }

    #[test]
    fn a_gzip_body_is_unzipped_within_the_limit() {
        let protocol = Protocol::RpcV2Cbor;
        let unzip =
            |encoding, body: Bytes, limit| gunzipped(protocol, &head(encoding), body, limit).map_err(|r| r.status());
        assert_eq!(unzip(Some("gzip"), gzip(b"hello"), 5), Ok(Bytes::from_static(b"hello")));
        assert_eq!(unzip(Some("identity, GZIP"), gzip(b"hello"), 5), Ok(Bytes::from_static(b"hello")));
        assert_eq!(unzip(Some("gzip"), gzip(b"hello"), 4).map_err(u16::from), Err(413));
        assert_eq!(unzip(Some("gzip"), Bytes::from_static(b"plain"), 100).map_err(u16::from), Err(400));
        assert_eq!(unzip(None, Bytes::from_static(b"plain"), 100), Ok(Bytes::from_static(b"plain")));
        assert_eq!(unzip(Some("gzip, custom"), gzip(b"x"), 100), Ok(gzip(b"x")));
    }
}
