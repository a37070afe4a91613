#![allow(clippy::unwrap_used)]
//! https end to end: `serve_tls` with a certificate from a certificate authority made here
//! (rcgen), and the default transport calling it: trusting that authority it gets answers,
//! over one kept-alive connection; a certificate for another name, or from an authority it
//! does not trust, is refused with a `Tls` error that names the endpoint, and not retried.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use smithy_runtime::client::{
    ClientCore, Config, HyperTransport, RetryConfig, SendError, ServiceInfo, TransportErrorKind,
};
use smithy_runtime::protocol::Protocol;
use smithy_runtime::router::{Route, Router, Segment};
use smithy_runtime::service::{serve, serve_tls, AuthErrors, Dispatch, Routed, Server, ServerConfig};
use smithy_runtime::tls::{roots_from_pem, server_config_from_pem_files};
use smithy_runtime::BoxFuture;
use tokio::net::{TcpListener, TcpStream};

static SERVICE: ServiceInfo = ServiceInfo {
    signing_name: "hello",
    endpoint_env: "TLS_TEST_UNSET",
    user_agent: "tls-test/0.1",
    protocols: &[Protocol::RestJson1],
};

// ---------------------------------------------------------------------------------------------
// Certificates

/// A certificate authority made for one test.
struct Authority {
    certificate: rcgen::Certificate,
    key: KeyPair,
}

impl Authority {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        Self { certificate, key }
    }

    /// A transport that trusts this authority alone.
    fn transport(&self) -> HyperTransport {
        let roots = roots_from_pem(self.certificate.pem().as_bytes()).unwrap();
        HyperTransport::with_roots(Some(Duration::from_secs(5)), roots).unwrap()
    }

    /// A server certificate for `names` and its key, written as PEM files in `dir`.
    fn issue(&self, dir: &Path, names: &[&str]) -> (PathBuf, PathBuf) {
        let params = CertificateParams::new(names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>()).unwrap();
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.certificate, &self.key).unwrap();
        let (cert_path, key_path) = (dir.join("server.pem"), dir.join("server.key"));
        std::fs::write(&cert_path, certificate.pem()).unwrap();
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        (cert_path, key_path)
    }
}

// ---------------------------------------------------------------------------------------------
// A server with one operation

/// `POST /hello` answers `hello, ` and the request body.
struct Hello {
    router: Router,
}

static ROUTES: &[Route] = &[Route { method: "POST", path: &[Segment::Literal("hello")], query: &[] }];

impl Dispatch for Hello {
    fn router(&self) -> &Router {
        &self.router
    }

    fn auth_errors(&self) -> AuthErrors {
        AuthErrors { unauthorized: None, forbidden: None }
    }

    fn dispatch<'a>(&'a self, request: Routed<'a>) -> BoxFuture<'a, Response<Bytes>> {
        let mut body = b"hello, ".to_vec();
        body.extend_from_slice(request.body);
        Box::pin(async move { Response::new(Bytes::from(body)) })
    }
}

fn hello_server() -> Server<Hello> {
    hello_server_with(ServerConfig::new())
}

fn hello_server_with(config: ServerConfig) -> Server<Hello> {
    Server::new(Hello { router: Router::new(ROUTES) }, config)
}

/// `serve_tls` on a free loopback port with the certificate and key files given.
async fn tls_server(cert: &Path, key: &Path) -> SocketAddr {
    tls_server_with(cert, key, ServerConfig::new()).await
}

/// [`tls_server`] with `config`.
async fn tls_server_with(cert: &Path, key: &Path, config: ServerConfig) -> SocketAddr {
    let tls = server_config_from_pem_files(cert, key).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve_tls(listener, hello_server_with(config), tls, std::future::pending(), Duration::ZERO));
    addr
}

/// A TCP relay to `target` that counts the connections made through it.
async fn counting_relay(target: SocketAddr) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let (mut inbound, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut outbound = TcpStream::connect(target).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (addr, count)
}

// ---------------------------------------------------------------------------------------------
// The client

/// A client core at `url`, over `transport` (the default one when `None`), retrying up to
/// three times.
fn core(url: &str, transport: Option<HyperTransport>) -> ClientCore {
    let retry = RetryConfig { max_attempts: 3, initial_backoff: Duration::from_millis(1), ..RetryConfig::default() };
    let config = Config::new().endpoint_url(url).retry(retry);
    let config = match transport {
        Some(transport) => config.transport(transport),
        None => config,
    };
    ClientCore::new(config, &SERVICE).unwrap()
}

/// Calls `POST /hello` with `name`; the answer's status and body.
async fn hello(core: &ClientCore, name: &str) -> Result<(u16, String), SendError> {
    let endpoint = core.endpoint();
    let uri = format!("{}://{}/hello", endpoint.scheme_str().unwrap(), endpoint.authority().unwrap());
    let request = Request::post(uri).body(Bytes::from(name.to_owned())).unwrap();
    let response = core.send(request).await?;
    Ok((response.status().as_u16(), String::from_utf8(response.body().to_vec()).unwrap()))
}

/// Asserts that `error` is a TLS refusal of `endpoint`, made on the first attempt, that says
/// `reason`.
fn assert_refused(error: &SendError, endpoint: &str, reason: &str) {
    let transport = error.transport_error().unwrap_or_else(|| panic!("not a transport error: {error}"));
    assert_eq!(transport.kind(), TransportErrorKind::Tls, "{error}");
    assert_eq!(transport.endpoint(), Some(endpoint));
    let message = error.to_string();
    assert!(message.starts_with(&format!("TLS with {endpoint} failed: ")), "{message}");
    assert!(message.contains(reason), "{message:?} does not say {reason:?}");
    // A certificate refused once is refused again: no retry.
    assert_eq!(error.attempts(), 1, "{message}");
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn a_client_that_trusts_the_authority_gets_answers_over_one_connection() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    let (relay, connections) = counting_relay(server).await;
    let core = core(&format!("https://localhost:{}", relay.port()), Some(ca.transport()));
    assert_eq!(hello(&core, "first").await.unwrap(), (200, "hello, first".to_owned()));
    assert_eq!(hello(&core, "second").await.unwrap(), (200, "hello, second".to_owned()));
    assert_eq!(connections.load(Ordering::SeqCst), 1, "the second call should reuse the first one's connection");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    // 127.0.0.1 is not among the certificate's names.
    let endpoint = format!("127.0.0.1:{}", server.port());
    let error = hello(&core(&format!("https://{endpoint}"), Some(ca.transport())), "x").await.unwrap_err();
    assert_refused(
        &error,
        &endpoint,
        "the server's certificate is not valid for the name 127.0.0.1 (it is for localhost)",
    );
}

#[tokio::test]
async fn a_certificate_that_names_another_host_is_refused() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["other.example"]);
    let server = tls_server(&cert, &key).await;
    let endpoint = format!("localhost:{}", server.port());
    let error = hello(&core(&format!("https://{endpoint}"), Some(ca.transport())), "x").await.unwrap_err();
    assert_refused(&error, &endpoint, "not valid for the name localhost (it is for other.example)");
}

#[tokio::test]
async fn a_certificate_from_an_untrusted_authority_is_refused() {
    let dir = temp_dir();
    let (trusted, other) = (Authority::new("trusted CA"), Authority::new("other CA"));
    let (cert, key) = other.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    let endpoint = format!("localhost:{}", server.port());
    let error = hello(&core(&format!("https://{endpoint}"), Some(trusted.transport())), "x").await.unwrap_err();
    assert_refused(&error, &endpoint, "not signed by a certificate authority this client trusts");
}

#[tokio::test]
async fn the_default_transport_speaks_https_and_trusts_only_the_usual_roots() {
    // `Config::endpoint_url("https://...")` with no transport of one's own is accepted, and
    // its transport does TLS: the test authority is not among Mozilla's roots.
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    let endpoint = format!("localhost:{}", server.port());
    let error = hello(&core(&format!("https://{endpoint}"), None), "x").await.unwrap_err();
    assert_refused(&error, &endpoint, "not signed by a certificate authority this client trusts");
}

#[tokio::test]
async fn the_tls_transport_still_speaks_plain_http() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, hello_server(), std::future::pending(), Duration::ZERO));
    let core = core(&format!("http://{addr}"), Some(Authority::new("unused CA").transport()));
    assert_eq!(hello(&core, "plain").await.unwrap(), (200, "hello, plain".to_owned()));
}

#[tokio::test]
async fn a_plain_http_server_behind_an_https_url_is_a_tls_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, hello_server(), std::future::pending(), Duration::ZERO));
    let endpoint = format!("localhost:{}", addr.port());
    let error = hello(&core(&format!("https://{endpoint}"), Some(Authority::new("CA").transport())), "x").await;
    assert_refused(&error.unwrap_err(), &endpoint, "the server did not answer in TLS");
}

#[tokio::test]
async fn a_client_that_never_handshakes_does_not_hold_up_the_others() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    // Connected, silent: its handshake waits in its own task.
    let _silent = TcpStream::connect(server).await.unwrap();
    let core = core(&format!("https://localhost:{}", server.port()), Some(ca.transport()));
    let answer = tokio::time::timeout(Duration::from_secs(10), hello(&core, "next")).await.unwrap();
    assert_eq!(answer.unwrap(), (200, "hello, next".to_owned()));
}

#[tokio::test]
async fn a_handshake_that_does_not_finish_within_the_request_timeout_is_dropped() {
    let dir = temp_dir();
    let (cert, key) = Authority::new("test CA").issue(dir.path(), &["localhost"]);
    let config = ServerConfig::new().request_timeout(Duration::from_millis(200));
    let server = tls_server_with(&cert, &key, config).await;
    let mut silent = TcpStream::connect(server).await.unwrap();
    let mut buffer = [0u8; 16];
    let read = tokio::io::AsyncReadExt::read(&mut silent, &mut buffer);
    // The server closes the connection (end of stream) rather than wait on it for good.
    let read = tokio::time::timeout(Duration::from_secs(5), read).await.expect("the connection was left open");
    assert_eq!(read.unwrap(), 0);
}

#[test]
fn unusable_certificate_and_key_files_are_named_in_the_error() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let missing = dir.path().join("missing.pem");
    let error = |cert: &Path, key: &Path| server_config_from_pem_files(cert, key).unwrap_err().to_string();

    let message = error(&missing, &key);
    assert!(message.starts_with(&format!("cannot read certificates from {}: ", missing.display())), "{message}");
    // The key file has no CERTIFICATE section.
    assert_eq!(error(&key, &key), format!("the certificate file {} holds no CERTIFICATE section", key.display()));
    // The certificate file has no private key.
    let message = error(&cert, &cert);
    assert!(message.starts_with(&format!("cannot read a private key from {}: ", cert.display())), "{message}");
    // A key that is not the certificate's.
    let other_key = dir.path().join("other.key");
    std::fs::write(&other_key, KeyPair::generate().unwrap().serialize_pem()).unwrap();
    let message = error(&cert, &other_key);
    assert!(message.starts_with(&format!("{} with {}: ", cert.display(), other_key.display())), "{message}");
}

/// With the `http2` feature, ALPN agrees on h2 with `serve_tls`, and the default transport
/// speaks it (over one connection, as before); without it both say http/1.1.
#[tokio::test]
async fn alpn_agrees_on_the_http_version_both_sides_speak() {
    let dir = temp_dir();
    let ca = Authority::new("test CA");
    let (cert, key) = ca.issue(dir.path(), &["localhost"]);
    let server = tls_server(&cert, &key).await;
    let core = core(&format!("https://localhost:{}", server.port()), Some(ca.transport()));
    let endpoint = core.endpoint();
    let uri = format!("https://{}/hello", endpoint.authority().unwrap());
    let response = core.send(Request::post(uri).body(Bytes::from_static(b"h2")).unwrap()).await.unwrap();
    let expected = if cfg!(feature = "http2") { http::Version::HTTP_2 } else { http::Version::HTTP_11 };
    assert_eq!(response.version(), expected);
    assert_eq!(response.body().as_ref(), b"hello, h2");
}
