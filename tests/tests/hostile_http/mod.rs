//! What the in-process hostile-request corpora (`aws_json_hostile`, `cbor_hostile`) share: a
//! case (a request and the answer it must get), its builder methods, and sending it to a
//! generated server with any panic caught. Each corpus includes this module and adds its
//! protocol's `Case::call` (the intact request of an operation) and its reading of answers.
//!
//! A streamed body is the including crate's: its root defines `STREAM_HEAD` (bytes sent
//! first) and `STREAM_FILL` (the byte repeated after them), so that the stream is a value of
//! the protocol that never ends before the server's limit.

use std::panic::AssertUnwindSafe;

use bytes::Bytes;
use futures_util::FutureExt;
use http_body_util::BodyExt;

/// What a case must be answered with: the status and the error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect(
    /// The HTTP status.
    pub u16,
    /// The error type, empty for a success.
    pub &'static str,
);

/// A case's body.
#[derive(Debug, Clone)]
pub enum Body {
    /// These bytes, whole.
    Bytes(Vec<u8>),
    /// This many bytes (`STREAM_HEAD`, then `STREAM_FILL` repeated) in 64 KiB chunks, made as
    /// they are read and without a declared length, so that only the server's limit on what
    /// it reads can stop them.
    Stream {
        /// How many bytes in all.
        length: usize,
    },
}

/// One request and the answer it must get.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case tries, for the failure list.
    pub name: String,
    /// The HTTP method.
    pub method: &'static str,
    /// The path and query.
    pub uri: String,
    /// The headers, as bytes so that they can be invalid UTF-8.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Body,
    /// The answer it must get.
    pub expect: Expect,
}

impl Case {
    /// This case with header `name` set to `value` (in place of any it had).
    pub fn header(self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        let mut case = self.without(name);
        case.headers.push((name.into(), value.into()));
        case
    }

    /// This case without header `name`.
    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// This case with another method.
    pub fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    /// This case with another path and query.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = uri.into();
        self
    }

    /// This case with another body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    fn request(&self) -> http::Request<http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>> {
        let mut builder = http::Request::builder().method(self.method).uri(self.uri.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_slice());
        }
        let body = match &self.body {
            Body::Bytes(bytes) => http_body_util::Full::new(Bytes::from(bytes.clone())).boxed(),
            Body::Stream { length } => {
                let chunk = Bytes::from(vec![crate::STREAM_FILL; 64 * 1024]);
                let head = std::iter::once(Bytes::from_static(crate::STREAM_HEAD)).filter(|h| !h.is_empty());
                let chunks = head.chain((0..length.div_ceil(chunk.len())).map(move |_| chunk.clone()));
                let frames = chunks.map(|c| Ok(http_body::Frame::data(c)));
                http_body_util::StreamBody::new(futures_util::stream::iter(frames)).boxed()
            }
        };
        builder.body(body).unwrap_or_else(|error| panic!("{}: the request cannot be built: {error}", self.name))
    }
}

/// What the server answered, before a corpus reads the body its protocol's way.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Response {
    /// Header `name` as text, empty when there is none.
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).unwrap_or_default()
    }
}

/// Sends `case` to `server`; a panic anywhere on the way is an `Err`.
pub async fn send_case<D: smithy_runtime::service::Dispatch>(
    server: &smithy_runtime::service::Server<D>,
    case: &Case,
) -> Result<Response, String> {
    let response = AssertUnwindSafe(server.handle(case.request())).catch_unwind().await.map_err(|panic| {
        let text =
            panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).into()));
        format!("panicked: {}", text.unwrap_or_default())
    })?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.map_err(|e| format!("the body failed: {e}"))?;
    Ok(Response { status, headers, body })
}
