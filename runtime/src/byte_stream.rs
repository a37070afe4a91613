//! `ByteStream`: the value of a `@streaming` blob member, a body of unknown length that is
//! read as it arrives and never held whole unless its user asks for that.
//!
//! It is an [`http_body::Body`] itself, so it goes straight into hyper as a request or
//! response body, and a [`futures_core::Stream`] of `Bytes` chunks for code that reads it.
//! The boxing and collecting are `http-body-util`'s ([`UnsyncBoxBody`], [`BodyExt`],
//! [`StreamBody`]); this module adds the `Sync` wrapper, the in-memory fast path that makes a
//! stream built from bytes replayable (the client retries only those), and a typed error.

use std::fmt;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, StreamBody};

use crate::BoxError;

/// A stream of bytes: the value of a `@streaming` blob member, on both sides of the API.
///
/// Build one from bytes already in memory (`ByteStream::from(vec)`, `from(Bytes)`,
/// `from(String)`, `from(&'static [u8])`), from any [`http_body::Body`]
/// ([`ByteStream::from_body`]) or from a [`futures_core::Stream`] of chunks
/// ([`ByteStream::from_stream`]). Read it chunk by chunk with [`ByteStream::next`] (or as a
/// `Stream`), or whole with [`ByteStream::collect`].
///
/// It is `Send` and `Sync` (a body that is only `Send`, such as hyper's, is kept behind a
/// mutex that is never locked while reading: polling needs `&mut self`). `Debug` prints its
/// kind and size hint, never its contents.
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// Bytes in memory; `None` once they have been read.
    Once(Option<Bytes>),
    /// A body read as it arrives.
    Body(SyncBody),
}

impl ByteStream {
    /// A stream with no bytes.
    pub fn new_empty() -> Self {
        Self { inner: Inner::Once(None) }
    }

    /// A stream over any HTTP body whose chunks are `Bytes`.
    pub fn from_body<B>(body: B) -> Self
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let body = UnsyncBoxBody::new(body.map_err(Into::into));
        Self { inner: Inner::Body(SyncBody(Mutex::new(body))) }
    }

    /// A stream over a `Stream` of chunks; an `Err` item ends it with that error.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::from_body(StreamBody::new(DataFrames(Box::pin(stream))))
    }

    /// The next chunk, `None` at the end. Trailers, should a body have any, are skipped.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// Reads the rest of the stream into memory, for a caller who does want it whole.
    pub async fn collect(self) -> Result<Bytes, ByteStreamError> {
        if let Inner::Once(bytes) = self.inner {
            return Ok(bytes.unwrap_or_default());
        }
        Ok(BodyExt::collect(self).await?.to_bytes())
    }

    /// The bytes, when the stream was built from bytes in memory and not read yet.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Once(bytes) => Some(bytes.as_deref().unwrap_or_default()),
            Inner::Body(_) => None,
        }
    }

    /// A copy that reads the same bytes, when the stream is in memory (see
    /// [`ByteStream::bytes`]); `None` for a live stream, which can be read only once.
    pub fn try_clone(&self) -> Option<Self> {
        match &self.inner {
            Inner::Once(bytes) => Some(Self { inner: Inner::Once(bytes.clone()) }),
            Inner::Body(_) => None,
        }
    }

    /// What is known of the length still to come: exact for bytes in memory and for a body
    /// with a declared length.
    pub fn size_hint(&self) -> SizeHint {
        Body::size_hint(self)
    }

    /// The exact length still to come, when it is known.
    pub fn exact_len(&self) -> Option<u64> {
        self.size_hint().exact()
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::new_empty()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Once(_) => "in memory",
            Inner::Body(_) => "streaming",
        };
        let hint = self.size_hint();
        f.debug_struct("ByteStream")
            .field("kind", &kind)
            .field("lower", &hint.lower())
            .field("upper", &hint.upper())
            .finish_non_exhaustive()
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self { inner: Inner::Once(Some(bytes)) }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> Self {
        Self::from(blob.into_inner())
    }
}

impl Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match &mut self.get_mut().inner {
            // An empty chunk is no chunk: hyper would send it as the end of a chunked body.
            Inner::Once(bytes) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b)))),
            Inner::Body(body) => body.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Once(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            Inner::Body(body) => body.with(|body| body.is_end_stream()).unwrap_or(false),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Once(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Inner::Body(body) => body.with(|body| body.size_hint()).unwrap_or_default(),
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            return match std::task::ready!(Pin::new(&mut *self).poll_frame(cx)) {
                None => Poll::Ready(None),
                Some(Err(error)) => Poll::Ready(Some(Err(error))),
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => Poll::Ready(Some(Ok(data))),
                    // Trailers carry no bytes of the stream.
                    Err(_) => continue,
                },
            };
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

/// A `Send` body made `Sync`: it is polled through `&mut self` (`Mutex::get_mut`, no lock
/// taken); only the size hint and end check, which get `&self`, lock it.
struct SyncBody(Mutex<UnsyncBoxBody<Bytes, BoxError>>);

impl SyncBody {
    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        // Nothing panics while holding the lock, so it is never poisoned; if it were, the
        // body itself is still fine to read.
        let body = self.0.get_mut().unwrap_or_else(PoisonError::into_inner);
        Pin::new(body).poll_frame(cx).map_err(ByteStreamError::from_box)
    }

    /// `None` when the body is being polled at this moment (another thread cannot, as that
    /// takes `&mut`, so this is only a guard against a lock that cannot happen).
    fn with<T>(&self, read: impl FnOnce(&UnsyncBoxBody<Bytes, BoxError>) -> T) -> Option<T> {
        self.0.try_lock().ok().map(|body| read(&body))
    }
}

/// A stream of `Result<Bytes, E>` as the data frames `StreamBody` takes.
struct DataFrames<S>(Pin<Box<S>>);

impl<S, E> futures_core::Stream for DataFrames<S>
where
    S: futures_core::Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Frame<Bytes>, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| item.map(|chunk| chunk.map(Frame::data).map_err(Into::into)))
    }
}

/// What kind of failure a [`ByteStreamError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteStreamErrorKind {
    /// No bytes arrived for longer than the limit on one read (the server's request timeout,
    /// the client's attempt timeout).
    Stalled,
    /// The underlying body failed: the connection broke, or the producer of the stream
    /// returned an error.
    Body,
}

/// Why reading a [`ByteStream`] failed.
#[derive(Debug)]
pub struct ByteStreamError {
    kind: ByteStreamErrorKind,
    source: Option<BoxError>,
}

impl ByteStreamError {
    /// A failure of the underlying body.
    pub fn new(source: impl Into<BoxError>) -> Self {
        Self::from_box(source.into())
    }

    /// A stream that stalled: nothing arrived within `limit`.
    pub fn stalled(limit: std::time::Duration) -> Self {
        Self { kind: ByteStreamErrorKind::Stalled, source: Some(format!("no bytes arrived within {limit:?}").into()) }
    }

    /// Unwraps an error that is a `ByteStreamError` already (a stream over a stream), so a
    /// failure is not reported nested in itself.
    fn from_box(source: BoxError) -> Self {
        match source.downcast::<Self>() {
            Ok(error) => *error,
            Err(source) => Self { kind: ByteStreamErrorKind::Body, source: Some(source) },
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ByteStreamErrorKind {
        self.kind
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ByteStreamErrorKind::Stalled => "the byte stream stalled",
            ByteStreamErrorKind::Body => "the byte stream failed",
        })?;
        // The cause is short and says what happened; a chain printer would show it anyway,
        // but most callers print only the top error.
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(any(feature = "client", feature = "server"))]
pub(crate) use idle::with_idle_timeout;

/// The limit on one read of a stream that comes from the network.
#[cfg(any(feature = "client", feature = "server"))]
mod idle {
    use super::*;
    use std::future::Future as _;
    use std::time::Duration;
    use tokio::time::{Instant, Sleep};

    /// `stream`, failing with [`ByteStreamErrorKind::Stalled`] when one read waits longer
    /// than `limit` for bytes. Each read has the whole limit, so a long transfer that keeps
    /// moving is never cut short, and a stalled one ends. The timer is armed only when a read
    /// has to wait. Needs a Tokio runtime with the time driver when read.
    pub(crate) fn with_idle_timeout(stream: ByteStream, limit: Duration) -> ByteStream {
        if stream.bytes().is_some() {
            return stream;
        }
        ByteStream::from_body(IdleTimeout { stream, limit, timer: None, armed: false })
    }

    struct IdleTimeout {
        stream: ByteStream,
        limit: Duration,
        /// Made on the first wait (a `Sleep` needs the runtime), reset on later ones.
        timer: Option<Pin<Box<Sleep>>>,
        armed: bool,
    }

    impl Body for IdleTimeout {
        type Data = Bytes;
        type Error = ByteStreamError;

        fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            let this = self.get_mut();
            if let Poll::Ready(frame) = Pin::new(&mut this.stream).poll_frame(cx) {
                this.armed = false;
                return Poll::Ready(frame);
            }
            let deadline = Instant::now() + this.limit;
            let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
            if !this.armed {
                timer.as_mut().reset(deadline);
                this.armed = true;
            }
            match timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(ByteStreamError::stalled(this.limit)))),
                Poll::Pending => Poll::Pending,
            }
        }

        fn is_end_stream(&self) -> bool {
            self.stream.is_end_stream()
        }

        fn size_hint(&self) -> SizeHint {
            self.stream.size_hint()
        }
    }
}

#[cfg(all(test, any(feature = "client", feature = "server")))]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        runtime.unwrap_or_else(|e| panic!("{e}")).block_on(future)
    }

    #[test]
    fn bytes_in_memory_read_once_and_clone_before_reading() {
        let mut stream = ByteStream::from("hello");
        assert_eq!(stream.exact_len(), Some(5));
        let copy = stream.try_clone().map(|c| c.bytes().map(<[u8]>::to_vec));
        assert_eq!(copy, Some(Some(b"hello".to_vec())));
        block_on(async {
            assert_eq!(stream.next().await.map(|r| r.ok()), Some(Some(Bytes::from("hello"))));
            assert!(stream.next().await.is_none());
        });
    }

    #[test]
    fn a_stream_of_chunks_collects_whole_and_keeps_its_error() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok("ab".into()), Ok("cd".into())];
        let stream = ByteStream::from_stream(futures_util::stream::iter(chunks));
        assert!(stream.bytes().is_none() && stream.try_clone().is_none());
        assert_eq!(block_on(stream.collect()).ok(), Some(Bytes::from("abcd")));
        let failing: Vec<Result<Bytes, std::io::Error>> = vec![Ok("ab".into()), Err(std::io::Error::other("gone"))];
        let error = block_on(ByteStream::from_stream(futures_util::stream::iter(failing)).collect());
        let error = error.err().map(|e| (e.kind(), e.to_string()));
        assert_eq!(error, Some((ByteStreamErrorKind::Body, "the byte stream failed: gone".to_owned())));
    }

    #[test]
    fn debug_does_not_print_the_contents() {
        let text = format!("{:?}", ByteStream::from("secret"));
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("in memory"), "{text}");
    }

    #[test]
    fn a_stalled_stream_ends_with_a_stalled_error() {
        let pending = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
        let stream = with_idle_timeout(ByteStream::from_stream(pending), std::time::Duration::from_millis(20));
        let error = block_on(stream.collect()).err().map(|e| e.kind());
        assert_eq!(error, Some(ByteStreamErrorKind::Stalled));
    }
}
