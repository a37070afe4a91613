//! Writing restJson1 requests on the client: the URI from an `@http` pattern and its labels,
//! the query, headers and body; and reading the response back into an output or an error.

use std::fmt;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Request, Response, Uri};
use serde::Serialize;

use crate::error::{Rejection, Unhandled};
use crate::text::{append_header, encode_component, encode_greedy};
use crate::ByteStream;

/// Why a request could not be built from an input: a label with no value, a header value
/// HTTP cannot carry, a body that is not JSON-serializable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request could not be built: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// Builds a request; the first problem is kept and reported when the request is finished.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    host_prefix: String,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: HeaderMap,
    problem: Option<String>,
}

impl RequestBuilder {
    /// A request with this method and, so far, an empty path.
    pub fn new(method: &'static str) -> Self {
        Self {
            method,
            host_prefix: String::new(),
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            problem: None,
        }
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// Appends literal text of the `@http` pattern's path, as written in the model.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a label's value, percent-encoded; a greedy label keeps its slashes. An empty
    /// value would change which operation the URI means, so it is refused.
    pub fn label(&mut self, name: &str, value: &str, greedy: bool) {
        if value.is_empty() {
            self.fail(format!("label {name} is empty"));
        } else if greedy {
            self.path.push_str(&encode_greedy(value.trim_start_matches('/')));
        } else {
            self.path.push_str(&encode_component(value));
        }
    }

    /// Adds a query parameter.
    pub fn query(&mut self, key: &str, value: &str) {
        self.query.push((key.to_owned(), Some(value.to_owned())));
    }

    /// Adds a query parameter without a value (a URI pattern's `?list`).
    pub fn query_flag(&mut self, key: &str) {
        self.query.push((key.to_owned(), None));
    }

    /// Whether the query already has parameter `key` (`@httpQuery` wins over
    /// `@httpQueryParams`).
    pub fn has_query(&self, key: &str) -> bool {
        self.query.iter().any(|(k, _)| k == key)
    }

    /// Adds a header.
    pub fn header(&mut self, name: &str, value: &str) {
        if !append_header(&mut self.headers, name, value) {
            self.fail(format!("header {name} cannot carry the value {value:?}"));
        }
    }

    /// A `@hostLabel` member's value, checked to be one DNS label (letters, digits, hyphens,
    /// not starting with a hyphen, at most 63): a dot or slash would move the request to
    /// another host.
    pub fn host_label(&mut self, name: &str, value: String) -> String {
        let valid = (1..=63).contains(&value.len())
            && !value.starts_with('-')
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            self.fail(format!("host label {name} is {value:?}, which is not a valid DNS label"));
        }
        value
    }

    /// Prefixes the endpoint's host (`@endpoint` with `@hostLabel`s); the prefix must be a
    /// valid host part.
    pub fn host_prefix(&mut self, prefix: &str) {
        let valid = prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if valid {
            self.host_prefix = prefix.to_owned();
        } else {
            self.fail(format!("host prefix {prefix:?} is not a valid host name"));
        }
    }

    /// Finishes with a JSON body (`application/json`).
    pub fn json<T: Serialize>(self, endpoint: &Uri, body: &T) -> Result<Request<Bytes>, BuildError> {
        self.json_as(endpoint, "application/json", body)
    }

    /// Finishes with a JSON body of the given media type (awsJson's
    /// `application/x-amz-json-1.0`).
    pub fn json_as<T: Serialize>(
        self,
        endpoint: &Uri,
        content_type: &str,
        body: &T,
    ) -> Result<Request<Bytes>, BuildError> {
        let bytes = serde_json::to_vec(body).map_err(|error| BuildError(format!("the body is not JSON: {error}")))?;
        self.body(endpoint, content_type, bytes)
    }

    /// Finishes with a CBOR body (rpcv2Cbor's `application/cbor`).
    pub fn cbor<T: Serialize>(self, endpoint: &Uri, body: &T) -> Result<Request<Bytes>, BuildError> {
        let bytes = crate::cbor::to_vec(body).map_err(|error| BuildError(format!("the body is not CBOR: {error}")))?;
        self.body(endpoint, crate::cbor::CONTENT_TYPE, bytes)
    }

    /// Finishes with the body of an RPC protocol's request (awsJson, rpcv2Cbor): `body` in
    /// the protocol's codec and media type.
    pub fn rpc_body<T: Serialize>(
        self,
        endpoint: &Uri,
        protocol: crate::protocol::Protocol,
        body: &T,
    ) -> Result<Request<Bytes>, BuildError> {
        if protocol.is_cbor() {
            self.cbor(endpoint, body)
        } else {
            self.json_as(endpoint, protocol.content_type(), body)
        }
    }

    /// Finishes an RPC protocol's request without members: awsJson sends `{}`; rpcv2Cbor
    /// sends nothing for a `unit` input (none at all) and an empty map otherwise.
    pub fn rpc_empty(
        self,
        endpoint: &Uri,
        protocol: crate::protocol::Protocol,
        unit: bool,
    ) -> Result<Request<Bytes>, BuildError> {
        match (protocol.is_cbor(), unit) {
            (true, true) => self.empty(endpoint),
            (true, false) => self.cbor(endpoint, &crate::cbor::EmptyMap),
            (false, _) => self.body(endpoint, protocol.content_type(), "{}"),
        }
    }

    /// Finishes with a body of this content type (unless a member already set one).
    pub fn body(
        mut self,
        endpoint: &Uri,
        content_type: &str,
        bytes: impl Into<Bytes>,
    ) -> Result<Request<Bytes>, BuildError> {
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.header("content-type", content_type);
        }
        self.finish(endpoint, bytes.into())
    }

    /// Finishes with no body.
    pub fn empty(self, endpoint: &Uri) -> Result<Request<Bytes>, BuildError> {
        self.finish(endpoint, Bytes::new())
    }

    /// Finishes with a streamed body (a `@streaming` input) of this content type (unless a
    /// member set one). With `requires_length` (`@requiresLength`), a stream whose length is
    /// not known is refused: the service needs a `Content-Length`.
    pub fn stream(
        mut self,
        endpoint: &Uri,
        content_type: &str,
        body: ByteStream,
        requires_length: bool,
    ) -> Result<Request<ByteStream>, BuildError> {
        if requires_length && body.exact_len().is_none() {
            self.fail("the operation requires the stream's length, and this stream does not know it".to_owned());
        }
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.header("content-type", content_type);
        }
        self.finish(endpoint, body)
    }

    #[cfg(feature = "event-stream")]
    /// Finishes with an event stream (a `@streaming` union input) as the body: each event a
    /// frame, sent as it comes. The client core signs the request for events
    /// (`STREAMING-AWS4-HMAC-SHA256-EVENTS`) and then each message, when it has credentials.
    pub fn event_stream<T: crate::event_stream::Event>(
        mut self,
        endpoint: &Uri,
        events: crate::EventStream<T>,
    ) -> Result<Request<ByteStream>, BuildError> {
        self.header("content-type", crate::event_stream::MEDIA_TYPE);
        let signing = crate::event_stream::sign::DeferredSigner::default();
        let body = events.into_body(Some(Box::new(signing.clone())));
        let mut request = self.finish(endpoint, body)?;
        request.extensions_mut().insert(signing);
        Ok(request)
    }

    fn finish<B>(self, endpoint: &Uri, body: B) -> Result<Request<B>, BuildError> {
        if let Some(problem) = self.problem {
            return Err(BuildError(problem));
        }
        let uri = self.uri(endpoint)?;
        let mut request = Request::new(body);
        *request.method_mut() = Method::from_bytes(self.method.as_bytes())
            .map_err(|_| BuildError(format!("{} is not an HTTP method", self.method)))?;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        Ok(request)
    }

    /// The endpoint, with the host prefix, the endpoint's own path, this path and the query.
    fn uri(&self, endpoint: &Uri) -> Result<Uri, BuildError> {
        let scheme = endpoint.scheme_str().unwrap_or("http");
        let authority = endpoint.authority().map(|a| a.as_str()).unwrap_or_default();
        let base = endpoint.path().trim_end_matches('/');
        let mut text = format!("{scheme}://{}{authority}{base}{}", self.host_prefix, self.path);
        for (i, (key, value)) in self.query.iter().enumerate() {
            text.push(if i == 0 { '?' } else { '&' });
            text.push_str(&encode_component(key));
            if let Some(value) = value {
                text.push('=');
                text.push_str(&encode_component(value));
            }
        }
        text.parse().map_err(|error| BuildError(format!("{text} is not a valid URI: {error}")))
    }
}

/// The smallest body `@requestCompression` compresses: Smithy's default, below which gzip
/// costs more than it saves.
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// Gzips the body of an operation with `@requestCompression` (when it is at least
/// [`MIN_COMPRESSION_SIZE`] bytes) and appends `gzip` to its `Content-Encoding`, after any
/// encoding the caller set.
pub fn with_gzip(mut request: Request<Bytes>) -> Request<Bytes> {
    use std::io::Write as _;
    if request.body().len() < MIN_COMPRESSION_SIZE {
        return request;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail; should it, the request goes uncompressed.
    let Ok(compressed) = encoder.write_all(request.body()).and_then(|()| encoder.finish()) else {
        return request;
    };
    let encoding = match request.headers().get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(given) if !given.trim().is_empty() => format!("{given}, gzip"),
        _ => "gzip".to_owned(),
    };
    if let Ok(value) = http::HeaderValue::from_str(&encoding) {
        request.headers_mut().insert(http::header::CONTENT_ENCODING, value);
        *request.body_mut() = Bytes::from(compressed);
    }
    request
}

/// Adds `Content-MD5`, the base64 of the body's MD5 digest, which an operation with
/// `@httpChecksumRequired` must carry.
pub fn with_content_md5(mut request: Request<Bytes>) -> Request<Bytes> {
    use md5::{Digest, Md5};
    let digest = aws_smithy_types::base64::encode(Md5::digest(request.body()));
    if let Ok(value) = http::HeaderValue::from_str(&digest) {
        request.headers_mut().insert("content-md5", value);
    }
    request
}

/// What a generated request writer takes from the client calling it: where the request
/// goes, and where tokens for unset `@idempotencyToken` members come from
/// ([`Config::idempotency_token_provider`](crate::client::Config::idempotency_token_provider),
/// a random UUID by default). Passed explicitly, so that writing a request depends on the
/// call's client and nothing else.
#[derive(Debug, Clone, Copy)]
pub struct WriteContext<'a> {
    /// The service endpoint.
    pub endpoint: &'a Uri,
    /// Makes a token for an `@idempotencyToken` member the caller left unset.
    pub idempotency_token: fn() -> String,
    /// The protocol the client speaks (a service may declare several).
    pub protocol: crate::protocol::Protocol,
}

impl<'a> WriteContext<'a> {
    /// The context of a request of `core`'s client.
    fn of(core: &'a crate::client::ClientCore) -> Self {
        Self {
            endpoint: core.endpoint(),
            idempotency_token: core.idempotency_token_provider(),
            protocol: core.protocol(),
        }
    }
}

/// Calls one operation: writes the input as a request, sends it through the client core and
/// reads the output or the operation's error. Failures before a response exist become the
/// error's `Unhandled` variant. The same for every operation, so generated code only names the
/// operation's functions.
pub async fn call<I, O, E: From<Unhandled>>(
    core: &crate::client::ClientCore,
    input: I,
    write: fn(I, &WriteContext<'_>) -> Result<Request<Bytes>, BuildError>,
    output: ReadOutput<O>,
    error: fn(u16, &HeaderMap, &[u8]) -> E,
) -> Result<O, E> {
    let request = write(input, &WriteContext::of(core)).map_err(Unhandled::construction)?;
    let response = core.send(request).await.map_err(Unhandled::dispatch)?;
    read_response(response, output, error)
}

/// The signature of a generated reader of a success response.
pub type ReadOutput<O> = fn(u16, &HeaderMap, &[u8]) -> Result<O, Rejection>;

/// The signature of a generated reader of a success response whose body streams.
pub type ReadStreamedOutput<O> = fn(u16, &HeaderMap, ByteStream) -> Result<O, Rejection>;

#[cfg(feature = "event-stream")]
/// The signature of a generated reader of an RPC protocol's event-stream output: the payload
/// of its `initial-response` message (the other members, as JSON), and the rest of the body.
pub type ReadEventsOutput<O> = fn(u16, &HeaderMap, &[u8], ByteStream) -> Result<O, Rejection>;

/// How a streamed call reads its success response.
#[derive(Debug)]
pub enum OutputReader<O> {
    /// Read whole, then parsed (an output with no `@streaming` member).
    Whole(ReadOutput<O>),
    /// Handed the body as it arrives (an output with a `@streaming` payload).
    Stream(ReadStreamedOutput<O>),
    /// An RPC protocol's event stream: its `initial-response` message is read first.
    #[cfg(feature = "event-stream")]
    Events(ReadEventsOutput<O>),
}

/// The largest response body a streamed call reads whole (a non-streamed output or an error).
const WHOLE_RESPONSE_LIMIT: usize = 64 * 1024 * 1024;

/// Calls an operation whose input or output streams (see [`call`]): the request body goes out
/// as it is read ([`ClientCore::send_streaming`](crate::client::ClientCore::send_streaming)
/// says when it is retried and what bounds the download), and a streamed output is handed
/// over as soon as the response head is in. Error responses are read whole.
pub async fn call_streaming<I, O, E: From<Unhandled>>(
    core: &crate::client::ClientCore,
    input: I,
    write: impl FnOnce(I, &WriteContext<'_>) -> Result<Request<ByteStream>, BuildError>,
    output: OutputReader<O>,
    error: fn(u16, &HeaderMap, &[u8]) -> E,
) -> Result<O, E> {
    let request = write(input, &WriteContext::of(core)).map_err(Unhandled::construction)?;
    let response = core.send_streaming(request).await.map_err(Unhandled::dispatch)?;
    let status = response.status().as_u16();
    let (head, body) = response.into_parts();
    if let (true, OutputReader::Stream(read)) = (head.status.is_success(), &output) {
        return read(status, &head.headers, body)
            .map_err(|rejection| E::from(unreadable(status, &head.headers, rejection)));
    }
    #[cfg(feature = "event-stream")]
    if let (true, OutputReader::Events(read)) = (head.status.is_success(), &output) {
        let unreadable = |rejection| E::from(unreadable(status, &head.headers, rejection));
        let (initial, rest) = crate::event_stream::read_initial_message(body, "initial-response")
            .await
            .map_err(|error| unreadable(Rejection::Malformed(error.to_string())))?;
        return read(status, &head.headers, &initial, rest).map_err(unreadable);
    }
    let body = read_whole(body).await.map_err(|e| E::from(unreadable(status, &head.headers, e)))?;
    match output {
        OutputReader::Whole(read) => read_response(Response::from_parts(head, body), read, error),
        // Only an error response gets here.
        OutputReader::Stream(_) => Err(error(status, &head.headers, &body)),
        #[cfg(feature = "event-stream")]
        OutputReader::Events(_) => Err(error(status, &head.headers, &body)),
    }
}

/// Reads a response body whole, up to [`WHOLE_RESPONSE_LIMIT`].
async fn read_whole(body: ByteStream) -> Result<Bytes, crate::ByteStreamError> {
    use http_body_util::BodyExt as _;
    match http_body_util::Limited::new(body, WHOLE_RESPONSE_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) => Err(crate::ByteStreamError::new(error)),
    }
}

/// [`read_response`] for an output whose body streams, from a response in memory (a canned
/// one: the protocol tests): a success is handed to `output` as a stream of its bytes.
pub fn read_streamed_response<O, E: From<Unhandled>>(
    response: Response<Bytes>,
    output: ReadStreamedOutput<O>,
    error: fn(u16, &HeaderMap, &[u8]) -> E,
) -> Result<O, E> {
    let status = response.status().as_u16();
    let (head, body) = response.into_parts();
    if head.status.is_success() {
        output(status, &head.headers, ByteStream::from(body))
            .map_err(|rejection| E::from(unreadable(status, &head.headers, rejection)))
    } else {
        Err(error(status, &head.headers, &body))
    }
}

/// Turns a response into the operation's output (2xx) or its error (anything else); an
/// output that cannot be read becomes an `Unhandled` error that keeps the reason.
pub fn read_response<O, E: From<Unhandled>>(
    response: Response<Bytes>,
    output: ReadOutput<O>,
    error: fn(u16, &HeaderMap, &[u8]) -> E,
) -> Result<O, E> {
    let status = response.status().as_u16();
    let (head, body) = response.into_parts();
    if head.status.is_success() {
        output(status, &head.headers, &body).map_err(|rejection| E::from(unreadable(status, &head.headers, rejection)))
    } else {
        Err(error(status, &head.headers, &body))
    }
}

/// A success response that could not be read as the output, with the response's request ID.
fn unreadable(status: u16, headers: &HeaderMap, error: impl std::error::Error + Send + Sync + 'static) -> Unhandled {
    Unhandled::unreadable(status, error).with_response_metadata(crate::ResponseMetadata::from_response(status, headers))
}

/// A response body to deserialize as JSON: an empty body reads as an empty object.
pub fn json_body(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    }
}

/// Reads a response's JSON body.
pub fn read_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    // A client takes date-times with UTC offsets, which a service may send.
    serde_json::from_slice(json_body(body))
        .map_err(|error| Rejection::Malformed(format!("the response body is not valid: {error}")))
}

/// Reads the body of an RPC protocol's response: CBOR when its `Content-Type` says so
/// (rpcv2Cbor), else JSON. A client of a service that speaks several protocols reads the
/// answer in the one it asked in.
pub fn read_rpc<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Rejection> {
    let cbor = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().starts_with(crate::cbor::CONTENT_TYPE));
    if cbor {
        read_cbor(body)
    } else {
        read_json(body)
    }
}

/// Reads a response's CBOR body (rpcv2Cbor), leniently: an empty body is an empty map.
pub fn read_cbor<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    let value = crate::cbor::body_to_json(body, None)
        .map_err(|error| Rejection::Malformed(format!("the response body is not valid CBOR: {error}")))?;
    serde_json::from_value(value)
        .map_err(|error| Rejection::Malformed(format!("the response body is not valid: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Uri {
        Uri::from_static("http://localhost:8080/base/")
    }

    #[test]
    fn large_bodies_are_gzipped_after_the_callers_encoding() {
        use std::io::Read as _;
        let small = with_gzip(Request::new(Bytes::from_static(b"tiny")));
        assert_eq!((small.body().as_ref(), small.headers().get("content-encoding")), (b"tiny".as_slice(), None));
        let text = "a".repeat(MIN_COMPRESSION_SIZE);
        let mut request = Request::new(Bytes::from(text.clone()));
        request.headers_mut().insert("content-encoding", http::HeaderValue::from_static("custom"));
        let request = with_gzip(request);
        assert_eq!(request.headers()["content-encoding"], "custom, gzip");
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(request.body().as_ref()).read_to_string(&mut unzipped).unwrap();
        assert_eq!(unzipped, text);
    }

    #[test]
    fn content_md5_is_the_base64_digest_of_the_body() {
        let request = Request::new(Bytes::from_static(b"abc"));
        let request = with_content_md5(request);
        assert_eq!(request.headers()["content-md5"], "kAFQmDzST7DWlj99KOF/cg==");
    }

    #[test]
    fn labels_are_encoded_and_the_query_follows_the_path() {
        let mut builder = RequestBuilder::new("POST");
        builder.path("/accounts/");
        builder.label("AccountId", "a b/c", false);
        builder.query("operation", "update");
        builder.query("name", "x&y");
        builder.query_flag("list");
        let request = builder.empty(&endpoint()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.uri(), "http://localhost:8080/base/accounts/a%20b%2Fc?operation=update&name=x%26y&list");
        assert_eq!(request.method(), "POST");
    }

    #[test]
    fn an_empty_label_or_a_bad_header_is_an_error_not_a_panic() {
        let mut builder = RequestBuilder::new("GET");
        builder.path("/users/");
        builder.label("UserId", "", false);
        assert!(builder.empty(&endpoint()).is_err());
        let mut builder = RequestBuilder::new("GET");
        builder.header("x-a", "line\nbreak");
        assert!(builder.empty(&endpoint()).is_err());
    }

    #[test]
    fn a_host_prefix_goes_before_the_endpoint_host() {
        let mut builder = RequestBuilder::new("GET");
        builder.host_prefix("data-foo.");
        builder.path("/");
        let request = builder.empty(&Uri::from_static("http://example.com")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.uri(), "http://data-foo.example.com/");
    }
}
