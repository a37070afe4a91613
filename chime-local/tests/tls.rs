//! chime-local over https (`--tls-cert`, `--tls-key`), called by the generated client that
//! trusts the certificate authority made here.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use chime::client::{Client, Config, RetryConfig};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use smithy_runtime::client::HyperTransport;
use smithy_runtime::tls::roots_from_pem;

use common::{chime_local, Running, KEY};

/// A certificate authority's PEM, and a certificate it signed for `localhost` and its key,
/// written in `dir`.
fn certificates(dir: &Path) -> (String, PathBuf, PathBuf) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let certificate =
        CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_path, certificate.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (ca.pem(), cert_path, key_path)
}

/// Starts chime-local with `args` on a free port and waits for its `listening` line.
fn start(args: &[&str]) -> Running {
    let credentials = format!("{}:{}", KEY.0, KEY.1);
    let mut child = chime_local(&["--listen", "127.0.0.1:0", "--credentials", &credentials])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line:?}")).to_owned();
    Running { child, url }
}

#[tokio::test]
async fn with_a_certificate_and_key_it_serves_https() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let server = start(&["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]);
    let port = server.url.strip_prefix("https://127.0.0.1:").unwrap_or_else(|| panic!("{}", server.url));
    // The certificate names localhost.
    let transport = HyperTransport::with_roots(Some(Duration::from_secs(5)), roots_from_pem(ca.as_bytes()).unwrap());
    let config = Config::new()
        .endpoint_url(format!("https://localhost:{port}"))
        .region("us-east-1")
        .credentials(KEY.0, KEY.1, None)
        .retry(RetryConfig::disabled())
        .transport(transport.unwrap());
    let client = Client::new(config).unwrap();
    let made = client.create_account().name("Over TLS").send().await.unwrap();
    assert_eq!(made.account().unwrap().name(), "Over TLS");
}

#[test]
fn a_certificate_needs_its_key_and_a_bad_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, key) = certificates(dir.path());
    let refused = |args: &[&str]| {
        let output = chime_local(&["--listen", "127.0.0.1:0", "--no-auth"]).args(args).output().unwrap();
        assert!(!output.status.success(), "{args:?} started");
        assert!(output.stdout.is_empty());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = refused(&["--tls-cert", cert.to_str().unwrap()]);
    assert!(stderr.contains("--tls-key"), "{stderr}");
    let stderr = refused(&["--tls-key", key.to_str().unwrap()]);
    assert!(stderr.contains("--tls-cert"), "{stderr}");
    // The key file holds no certificate.
    let stderr = refused(&["--tls-cert", key.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]);
    assert!(
        stderr.contains(&format!("the certificate file {} holds no CERTIFICATE section", key.display())),
        "{stderr}"
    );
}
