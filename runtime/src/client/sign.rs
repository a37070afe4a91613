//! SigV4 signing of an outgoing request, with the `aws-sigv4` crate as the AWS SDK for Rust
//! does.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use super::config::StaticCredentials;
use crate::BoxError;

/// Who signs, for which region and service.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    identity: Identity,
    region: String,
    signing_name: &'static str,
}

impl Signer {
    /// A signer for `credentials`, `region` and service `signing_name`.
    pub(crate) fn new(credentials: &StaticCredentials, region: String, signing_name: &'static str) -> Self {
        let credentials = Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.clone(),
            credentials.session_token.clone(),
            None,
            "smithy-runtime",
        );
        Self { identity: credentials.into(), region, signing_name }
    }

    /// The region this signer signs for.
    pub(crate) fn region(&self) -> &str {
        &self.region
    }

    /// Adds `Authorization`, `X-Amz-Date` and (with a session token) `X-Amz-Security-Token`
    /// to `request`, signed as at `time`. Every header already on the request is signed except
    /// the ones the default settings exclude (`User-Agent` among them, as proxies rewrite it).
    pub(crate) fn sign(&self, request: &mut http::Request<Bytes>, time: SystemTime) -> Result<(), BoxError> {
        let body = request.body().clone();
        self.sign_over(request, SignableBody::Bytes(&body), time)
    }

    /// Signs a request whose body is a stream: over `UNSIGNED-PAYLOAD`, declared in an
    /// `x-amz-content-sha256` header (itself signed), as S3 and Glacier clients do; a body that
    /// is read as it is sent cannot be hashed before its headers go out. The server's verifier
    /// accepts this, and also the same without the header (what aws-sigv4 writes by default).
    pub(crate) fn sign_streaming<B>(&self, request: &mut http::Request<B>, time: SystemTime) -> Result<(), BoxError> {
        request.headers_mut().insert("x-amz-content-sha256", HeaderValue::from_static("UNSIGNED-PAYLOAD"));
        self.sign_over(request, SignableBody::UnsignedPayload, time)
    }

    fn sign_over<B>(
        &self,
        request: &mut http::Request<B>,
        body: SignableBody<'_>,
        time: SystemTime,
    ) -> Result<(), BoxError> {
        let params = SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(self.signing_name)
            .time(time)
            .settings(SigningSettings::default())
            .build()?
            .into();
        let headers = signable_headers(request.headers())?;
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), body)?;
        let (instructions, _signature) = sign(signable, &params)?.into_parts();
        // Applied by hand rather than with `apply_to_request_http1x`, which panics on a header
        // value it cannot represent (a credential with a control character in it).
        // Inserted, not appended: a stale `X-Amz-Date` the caller left must not survive.
        let (headers, _query) = instructions.into_parts();
        for header in headers {
            let name = HeaderName::from_bytes(header.name().as_bytes())?;
            let mut value = HeaderValue::from_str(header.value())?;
            value.set_sensitive(header.sensitive());
            request.headers_mut().insert(name, value);
        }
        Ok(())
    }
}

/// The request's headers as text, which is all SigV4 can sign.
fn signable_headers(headers: &http::HeaderMap) -> Result<Vec<(&str, &str)>, BoxError> {
    headers
        .iter()
        .map(|(name, value)| match value.to_str() {
            Ok(value) => Ok((name.as_str(), value)),
            Err(_) => Err(format!("header {name} is not visible ASCII and cannot be signed").into()),
        })
        .collect()
}
