//! Telling HTTP/2 from HTTP/1.1 on a new connection (with the `http2` feature): an HTTP/2
//! client starts with its 24-byte preface (h2c with prior knowledge on plain TCP, and over TLS
//! once ALPN chose `h2`), an HTTP/1.1 one with a request line, and the first byte that differs
//! from the preface decides. What was read to decide is given back to whichever protocol is
//! spoken, by [`Prefixed`].
//!
//! hyper-util's `auto` builder does the same but waits for those bytes without a limit, which
//! would let a client that connects and says nothing hold a connection slot forever: here the
//! wait is bounded by the server's request timeout.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};

/// What every HTTP/2 connection starts with.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Reads the first bytes of `stream` until they decide the protocol, within `timeout`: the
/// stream (with those bytes given back) and whether it speaks HTTP/2; `None` for a client that
/// said nothing in time or closed first.
pub(super) async fn sniff<S: AsyncRead + Unpin>(mut stream: S, timeout: Duration) -> Option<(Prefixed<S>, bool)> {
    let mut prefix = Vec::with_capacity(PREFACE.len());
    let decided = async {
        let mut chunk = [0u8; PREFACE.len()];
        loop {
            let want = PREFACE.len() - prefix.len();
            let read = stream.read(&mut chunk[..want]).await.ok()?;
            if read == 0 {
                return None;
            }
            prefix.extend_from_slice(&chunk[..read]);
            if !PREFACE.starts_with(&prefix) {
                return Some(false);
            }
            if prefix.len() == PREFACE.len() {
                return Some(true);
            }
        }
    };
    let http2 = tokio::time::timeout(timeout, decided).await.ok()??;
    Some((Prefixed { prefix, read: 0, inner: stream }, http2))
}

/// A stream whose first bytes, already read, are read again before the rest.
pub(super) struct Prefixed<S> {
    prefix: Vec<u8>,
    read: usize,
    inner: S,
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.read < self.prefix.len() {
            let rest = &self.prefix[self.read..];
            let count = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..count]);
            self.read += count;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    async fn sniffed(sent: &'static [u8]) -> Option<(Vec<u8>, bool)> {
        let (mut client, server) = tokio::io::duplex(64);
        client.write_all(sent).await.unwrap();
        drop(client);
        let (mut stream, http2) = sniff(server, Duration::from_secs(1)).await?;
        let mut all = Vec::new();
        stream.read_to_end(&mut all).await.unwrap();
        Some((all, http2))
    }

    #[tokio::test]
    async fn the_preface_is_http2_and_a_request_line_is_not_and_both_are_read_again() {
        let h2 = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00";
        assert_eq!(sniffed(h2).await, Some((h2.to_vec(), true)));
        let h1 = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(sniffed(h1).await, Some((h1.to_vec(), false)));
        // "P" could still be the preface; "POST" is not.
        let post = b"POST / HTTP/1.1\r\n\r\n";
        assert_eq!(sniffed(post).await, Some((post.to_vec(), false)));
        assert_eq!(sniffed(b"PRI *").await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_says_nothing_is_dropped_at_the_timeout() {
        let (_client, server) = tokio::io::duplex(64);
        assert!(sniff(server, Duration::from_secs(5)).await.is_none());
    }
}
