//! Serving a [`Server`] on a TCP listener, in plain HTTP ([`serve`]) or over TLS
//! ([`serve_tls`]): one accept loop with a connection limit and graceful shutdown, and a
//! per-connection step (the TLS handshake, or nothing) that runs in the connection's own task.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use super::{Dispatch, Server};

/// Serves `server` on `listener` until `shutdown` completes, then stops accepting and waits
/// up to `grace` for requests in flight to finish.
///
/// At most [`ServerConfig::max_connections`](super::ServerConfig::max_connections)
/// connections are handled at once; a connection is accepted only when one is free, so that a
/// flood of clients waits in the listener's backlog instead of exhausting memory.
pub async fn serve<D: Dispatch>(
    listener: TcpListener,
    server: Server<D>,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    serve_with(listener, server, shutdown, grace, |stream| std::future::ready(Some(stream))).await;
}

/// [`serve`] over TLS: every connection does a TLS handshake as `tls` says (its certificate
/// chain and key; see [`server_config_from_pem_files`](crate::tls::server_config_from_pem_files))
/// before HTTP/1.1 is spoken on it.
///
/// The handshake runs in the connection's own task, so a slow client cannot hold up the
/// others, and must finish within the server's
/// [`request_timeout`](super::ServerConfig::request_timeout); a connection that fails it or
/// takes longer is closed. It holds one of the
/// [`max_connections`](super::ServerConfig::max_connections) slots while it lasts.
#[cfg(feature = "tls")]
pub async fn serve_tls<D: Dispatch>(
    listener: TcpListener,
    server: Server<D>,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let timeout = server.config.request_timeout;
    let handshake = move |stream: TcpStream| {
        let accept = acceptor.accept(stream);
        // A client that gives up, or speaks something else, is its own problem.
        async move { tokio::time::timeout(timeout, accept).await.ok()?.ok() }
    };
    serve_with(listener, server, shutdown, grace, handshake).await;
}

/// How each connection is served: HTTP/1.1, whose header read is timed (without a timer hyper
/// ignores the header read timeout).
fn connection_builder(header_timeout: Duration) -> hyper::server::conn::http1::Builder {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_timeout);
    builder
}

/// Serves one connection until it closes or the server shuts down: HTTP/1.1, or with the
/// `http2` feature HTTP/2 when the client starts with its preface (see `sniff`).
async fn serve_connection<D, S>(
    stream: S,
    server: Server<D>,
    http1: hyper::server::conn::http1::Builder,
    watcher: hyper_util::server::graceful::Watcher,
) where
    D: Dispatch,
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper_util::service::TowerToHyperService::new(server.clone());
    #[cfg(feature = "http2")]
    {
        let Some((stream, http2)) = super::sniff::sniff(stream, server.config.request_timeout).await else { return };
        if http2 {
            let mut builder = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
            builder.timer(hyper_util::rt::TokioTimer::new());
            let _ = watcher.watch(builder.serve_connection(TokioIo::new(stream), service)).await;
            return;
        }
        let _ = watcher.watch(http1.serve_connection(TokioIo::new(stream), service)).await;
    }
    // A client that hangs up mid-request is its own problem, not the server's.
    #[cfg(not(feature = "http2"))]
    let _ = watcher.watch(http1.serve_connection(TokioIo::new(stream), service)).await;
}

/// The accept loop of [`serve`] and [`serve_tls`]: `open` turns an accepted TCP stream into
/// the stream HTTP is spoken on (`None` drops the connection), in the connection's task.
async fn serve_with<D, O, F, S>(
    listener: TcpListener,
    server: Server<D>,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
    open: O,
) where
    D: Dispatch,
    O: Fn(TcpStream) -> F,
    F: Future<Output = Option<S>> + Send + 'static,
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(server.config.max_connections));
    let builder = connection_builder(server.config.request_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let opening = open(stream);
                    let (server, builder, watcher) = (server.clone(), builder.clone(), graceful.watcher());
                    tokio::spawn(async move {
                        if let Some(stream) = opening.await {
                            serve_connection(stream, server, builder, watcher).await;
                        }
                        drop(slot);
                    });
                }
                // Out of file descriptors or similar: back off briefly and keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}
