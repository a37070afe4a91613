//! https for the default transport: the rustls connector, and a handshake failure told in
//! words a user can act on.

use std::error::Error;

use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use rustls::{CertificateError, ClientConfig};

/// A connector that speaks plain TCP to `http://` endpoints and TLS to `https://` ones, over
/// `tcp` (whose connect timeout and no-delay setting it keeps).
pub(super) fn connector(mut tcp: HttpConnector, mut config: ClientConfig) -> HttpsConnector<HttpConnector> {
    // The TLS connector hands `https` URIs down to the TCP one, which refuses them by default.
    tcp.enforce_http(false);
    // The builder sets ALPN itself (`http/1.1`) and refuses a configuration that has some.
    config.alpn_protocols.clear();
    let builder = HttpsConnectorBuilder::new().with_tls_config(config).https_or_http().enable_http1();
    // With the `http2` feature ALPN offers h2 too, and the pool speaks whichever is agreed.
    #[cfg(feature = "http2")]
    let builder = builder.enable_http2();
    builder.wrap_connector(tcp)
}

/// What the TLS layer refused, in words, when `error` (a connect error) came from it; `None`
/// for a failure of another kind (refused, unreachable, reset), which a retry may get past.
pub(super) fn refusal(error: &(dyn Error + 'static)) -> Option<String> {
    rustls_error(error).map(describe)
}

/// The rustls error at the root of `error`. The connector wraps it in `io::Error`s, whose
/// `source` skips the wrapped error, so each one is opened with `get_ref`.
fn rustls_error<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = error.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        next = match error.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// A rustls error as a sentence about the server.
fn describe(error: &rustls::Error) -> String {
    use rustls::Error as E;
    match error {
        E::InvalidCertificate(certificate) => describe_certificate(certificate),
        E::NoCertificatesPresented => "the server presented no certificate".to_owned(),
        E::AlertReceived(alert) => format!("the server ended the handshake with the alert {alert:?}"),
        E::InvalidMessage(_) | E::InappropriateMessage { .. } | E::InappropriateHandshakeMessage { .. } => {
            format!("the server did not answer in TLS; is it serving plain http? ({error})")
        }
        E::PeerIncompatible(_) => {
            format!("the server has no TLS version or cipher suite in common with this client ({error})")
        }
        other => format!("the handshake failed: {other}"),
    }
}

/// Why the server's certificate was refused.
fn describe_certificate(error: &CertificateError) -> String {
    use CertificateError as C;
    match error {
        C::NotValidForNameContext { expected, presented } if !presented.is_empty() => format!(
            "the server's certificate is not valid for the name {} (it is for {})",
            expected.to_str(),
            presented.iter().map(|name| bare_name(name)).collect::<Vec<_>>().join(", ")
        ),
        C::NotValidForNameContext { expected, .. } => {
            format!("the server's certificate is not valid for the name {}", expected.to_str())
        }
        C::NotValidForName => "the server's certificate is not valid for this host name".to_owned(),
        C::UnknownIssuer => {
            "the server's certificate is not signed by a certificate authority this client trusts".to_owned()
        }
        C::Expired | C::ExpiredContext { .. } => "the server's certificate has expired".to_owned(),
        C::NotValidYet | C::NotValidYetContext { .. } => "the server's certificate is not valid yet".to_owned(),
        C::Revoked => "the server's certificate has been revoked".to_owned(),
        C::BadSignature => "the server's certificate has a signature that does not verify".to_owned(),
        other => format!("the server's certificate was refused: {other}"),
    }
}

/// A name as webpki presents it (`DnsName("example.com")`, `IpAddress(10.0.0.1)`) without
/// the wrapping, as a reader knows a name when they see one.
fn bare_name(presented: &str) -> &str {
    let inner = presented.split_once('(').and_then(|(_, rest)| rest.strip_suffix(')')).unwrap_or(presented);
    inner.trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::bare_name;

    #[test]
    fn presented_names_lose_their_wrapping() {
        assert_eq!(bare_name("DnsName(\"example.com\")"), "example.com");
        assert_eq!(bare_name("IpAddress(10.0.0.1)"), "10.0.0.1");
        assert_eq!(bare_name("plain"), "plain");
    }
}
