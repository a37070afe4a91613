//! TLS set-up shared by both sides (the `tls` feature): rustls configurations with the ring
//! provider, root certificates for the client, and a certificate chain and key for the server.
//!
//! The client's default transport (`client::HyperTransport`) trusts [`default_roots`]; a test
//! or a private network gives it its own with `HyperTransport::with_roots`. The server's
//! `serve_tls` takes a [`rustls::ServerConfig`], most simply from
//! [`server_config_from_pem_files`]. (Plain text where the item is one side's: a build of the
//! other side has no such item to link to.)

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::RootCertStore;

use crate::BoxError;

// The configurations are this crate's rustls types: re-exported so a user builds them with the
// same version.
pub use rustls;

/// Why a TLS configuration could not be made: a certificate or key file that cannot be read or
/// parsed, or a key that does not fit its certificate.
#[derive(Debug)]
pub struct TlsConfigError {
    message: String,
    source: Option<BoxError>,
}

impl TlsConfigError {
    fn new(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self { message: message.into(), source: Some(source.into()) }
    }
}

impl fmt::Display for TlsConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TlsConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The cryptography every configuration made here uses: ring, named explicitly so that a
/// program that also links aws-lc-rs (through another crate) does not make rustls refuse to
/// pick a process-wide default.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The root certificates the client trusts unless told otherwise: Mozilla's, compiled in (the
/// `webpki-roots` feature), and the platform's, read now (the `native-roots` feature); both
/// when both are on. Empty when neither is: every https server is then refused as signed by
/// an unknown authority, unless the transport is given roots of its own.
pub fn default_roots() -> RootCertStore {
    // Not `mut` when neither feature adds anything to it.
    #[cfg_attr(not(any(feature = "webpki-roots", feature = "native-roots")), allow(unused_mut))]
    let mut roots = RootCertStore::empty();
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    #[cfg(feature = "native-roots")]
    {
        // A platform store with some unreadable entries still has the others; one that cannot
        // be read at all leaves the Mozilla roots, if any, to do the job.
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
    }
    roots
}

/// Root certificates from PEM text (one or more `CERTIFICATE` sections): a private
/// certificate authority, such as a test's.
pub fn roots_from_pem(pem: &[u8]) -> Result<RootCertStore, TlsConfigError> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsConfigError::new(format!("cannot read root certificates from PEM: {e}"), e))?;
    roots_from(certificates, "the PEM text")
}

/// Root certificates from a PEM file, as [`roots_from_pem`] reads them.
pub fn roots_from_pem_file(path: &Path) -> Result<RootCertStore, TlsConfigError> {
    let certificates = read_certificates(path)?;
    roots_from(certificates, &path.display().to_string())
}

/// A store of `certificates`, refusing none at all or one that is not a certificate.
fn roots_from(certificates: Vec<CertificateDer<'static>>, origin: &str) -> Result<RootCertStore, TlsConfigError> {
    if certificates.is_empty() {
        return Err(TlsConfigError { message: format!("{origin} holds no CERTIFICATE section"), source: None });
    }
    let mut roots = RootCertStore::empty();
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|e| TlsConfigError::new(format!("a root certificate in {origin} is not usable: {e}"), e))?;
    }
    Ok(roots)
}

/// A client configuration that trusts `roots`: ring, TLS 1.3 and 1.2, no client certificate.
/// The transport sets ALPN itself (to `http/1.1`).
pub fn client_config(roots: RootCertStore) -> Result<rustls::ClientConfig, TlsConfigError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsConfigError::new(format!("cannot set up TLS: {e}"), e))?;
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}

/// A server configuration that presents `chain` (the server's certificate first, then any
/// intermediates) signed by `key`: ring, TLS 1.3 and 1.2, ALPN `http/1.1`, no client
/// certificates asked for.
pub fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, TlsConfigError> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsConfigError::new(format!("cannot set up TLS: {e}"), e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsConfigError::new(format!("the certificate and key cannot be used together: {e}"), e))?;
    // What the server speaks: HTTP/1.1, and HTTP/2 with the `http2` feature (preferred when the
    // client offers both). Saying so lets a client that offers only h2 fall back or give up.
    config.alpn_protocols =
        if cfg!(feature = "http2") { vec![b"h2".to_vec(), b"http/1.1".to_vec()] } else { vec![b"http/1.1".to_vec()] };
    Ok(Arc::new(config))
}

/// A server configuration from PEM files: `cert` holds the certificate chain (the server's
/// certificate first), `key` the private key (PKCS#8, PKCS#1 or SEC1). Each failure names
/// the file and what is wrong with it.
pub fn server_config_from_pem_files(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsConfigError> {
    let chain = read_certificates(cert)?;
    if chain.is_empty() {
        return Err(TlsConfigError {
            message: format!("the certificate file {} holds no CERTIFICATE section", cert.display()),
            source: None,
        });
    }
    let private_key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| TlsConfigError::new(format!("cannot read a private key from {}: {e}", key.display()), e))?;
    server_config(chain, private_key).map_err(|e| TlsConfigError {
        message: format!("{} with {}: {}", cert.display(), key.display(), e.message),
        source: e.source,
    })
}

/// Every `CERTIFICATE` section of the PEM file at `path`.
fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsConfigError> {
    let unreadable = |e: rustls::pki_types::pem::Error| {
        TlsConfigError::new(format!("cannot read certificates from {}: {e}", path.display()), e)
    };
    CertificateDer::pem_file_iter(path).map_err(unreadable)?.collect::<Result<Vec<_>, _>>().map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "webpki-roots")]
    #[test]
    fn the_default_roots_hold_mozillas() {
        // Over a hundred authorities; a wrong feature wiring would leave the store empty.
        assert!(default_roots().len() > 100, "{} roots", default_roots().len());
    }

    #[test]
    fn pem_without_a_certificate_is_refused() {
        let error = roots_from_pem(b"not pem at all").map(|_| ()).unwrap_err();
        assert_eq!(error.to_string(), "the PEM text holds no CERTIFICATE section");
    }
}
