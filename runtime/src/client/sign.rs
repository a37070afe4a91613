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
#[cfg(feature = "event-stream")]
use crate::event_stream::{ErrorKind, EventStreamError, Message};
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
        self.sign_over(request, SignableBody::Bytes(&body), time).map(drop)
    }

    /// Signs a request whose body is a stream: over `UNSIGNED-PAYLOAD`, declared in an
    /// `x-amz-content-sha256` header (itself signed), as S3 and Glacier clients do; a body that
    /// is read as it is sent cannot be hashed before its headers go out. The server's verifier
    /// accepts this, and also the same without the header (what aws-sigv4 writes by default).
    pub(crate) fn sign_streaming<B>(&self, request: &mut http::Request<B>, time: SystemTime) -> Result<(), BoxError> {
        request.headers_mut().insert("x-amz-content-sha256", HeaderValue::from_static("UNSIGNED-PAYLOAD"));
        self.sign_over(request, SignableBody::UnsignedPayload, time).map(drop)
    }

    #[cfg(feature = "event-stream")]
    /// Signs a request whose body is an event stream, over
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS` (declared in `x-amz-content-sha256`), and gives
    /// `messages` the signer of its messages, seeded with the request's signature.
    pub(crate) fn sign_event_stream<B>(
        &self,
        request: &mut http::Request<B>,
        messages: &crate::event_stream::sign::DeferredSigner,
        time: SystemTime,
    ) -> Result<(), BoxError> {
        const EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
        request.headers_mut().insert("x-amz-content-sha256", HeaderValue::from_static(EVENTS));
        let seed = self.sign_over(request, SignableBody::Precomputed(EVENTS.to_owned()), time)?;
        messages.set(Box::new(MessageSigner { signer: self.clone(), last_signature: seed }));
        Ok(())
    }

    fn sign_over<B>(
        &self,
        request: &mut http::Request<B>,
        body: SignableBody<'_>,
        time: SystemTime,
    ) -> Result<String, BoxError> {
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
        let (instructions, signature) = sign(signable, &params)?.into_parts();
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
        Ok(signature)
    }
}

/// Signs each message of an event stream, chained from the previous signature, as
/// `aws-sigv4`'s event-stream signing does.
#[cfg(feature = "event-stream")]
struct MessageSigner {
    signer: Signer,
    last_signature: String,
}

#[cfg(feature = "event-stream")]
impl MessageSigner {
    /// Signs `message` (the empty end message for `None`) and chains on from its signature.
    fn sign_next(&mut self, message: Option<&Message>) -> Result<Message, EventStreamError> {
        let failed = |error: String| EventStreamError::new(ErrorKind::Signature, error);
        let params = SigningParams::builder()
            .identity(&self.signer.identity)
            .region(&self.signer.region)
            .name(self.signer.signing_name)
            .time(SystemTime::now())
            .settings(())
            .build()
            .map_err(|error| failed(error.to_string()))?;
        let signed = match message {
            Some(message) => aws_sigv4::event_stream::sign_message(message, &self.last_signature, &params),
            None => aws_sigv4::event_stream::sign_empty_message(&self.last_signature, &params),
        };
        let (message, signature) = signed.map_err(|error| failed(error.to_string()))?.into_parts();
        self.last_signature = signature;
        Ok(message)
    }
}

#[cfg(feature = "event-stream")]
impl crate::event_stream::MessageSigner for MessageSigner {
    fn sign(&mut self, message: Message) -> Result<Message, EventStreamError> {
        self.sign_next(Some(&message))
    }

    fn sign_empty(&mut self) -> Option<Result<Message, EventStreamError>> {
        Some(self.sign_next(None))
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
