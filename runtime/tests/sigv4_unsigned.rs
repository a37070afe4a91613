#![allow(clippy::unwrap_used)]
//! The verifier of a streamed request, whose body it does not read: signed by `aws-sigv4` over
//! `UNSIGNED-PAYLOAD` with or without the `x-amz-content-sha256` header saying so (the AWS SDK
//! for Rust sends it without, for a body it cannot read ahead), or over the body's hash (then
//! the caller must read the body and verify it whole).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::request::Parts;
use smithy_runtime::sigv4::{AuthError, Verifier};

const ACCESS_KEY_ID: &str = "AKIDSTREAM";
const SECRET: &str = "stream-secret";
const HOST: &str = "streaming.example.test";
/// 2024-05-01T12:00:00Z, when every request here is signed.
const SIGNED_AT: u64 = 1_714_564_800;
const BODY: &[u8] = b"a body the verifier never sees";

fn at(unix_seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

/// The head of `PUT /uploads/x` as a server receives it, signed with `secret` over `body`.
fn signed(secret: &str, body: SignableBody<'_>, with_header: bool) -> Parts {
    let identity: Identity = Credentials::new(ACCESS_KEY_ID, secret, None, None, "test").into();
    let mut settings = SigningSettings::default();
    if with_header {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("streaming")
        .time(at(SIGNED_AT))
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let headers = [("content-type", "application/octet-stream")];
    let signable = SignableRequest::new("PUT", format!("https://{HOST}/uploads/x"), headers.into_iter(), body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::put("/uploads/x")
        .header("host", HOST)
        .header("content-type", "application/octet-stream")
        .body(())
        .unwrap();
    instructions.apply_to_request_http1x(&mut request);
    request.into_parts().0
}

fn verify(head: &Parts) -> Result<Option<String>, AuthError> {
    let verifier = Verifier::new().with_key(ACCESS_KEY_ID, SECRET);
    let verified = verifier.verify_unsigned_payload(head, at(SIGNED_AT + 30))?;
    Ok(verified.map(|v| v.service))
}

#[test]
fn unsigned_payload_verifies_with_or_without_the_header() {
    let with = signed(SECRET, SignableBody::UnsignedPayload, true);
    assert_eq!(with.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    assert_eq!(verify(&with), Ok(Some("streaming".to_owned())));
    let without = signed(SECRET, SignableBody::UnsignedPayload, false);
    assert!(!without.headers.contains_key("x-amz-content-sha256"));
    assert_eq!(verify(&without), Ok(Some("streaming".to_owned())));
}

#[test]
fn a_signature_over_the_body_hash_asks_for_the_body() {
    assert_eq!(verify(&signed(SECRET, SignableBody::Bytes(BODY), false)), Ok(None));
    assert_eq!(verify(&signed(SECRET, SignableBody::Bytes(BODY), true)), Ok(None));
}

#[test]
fn a_wrong_secret_declared_unsigned_is_refused_without_the_body() {
    let head = signed("not-the-secret", SignableBody::UnsignedPayload, true);
    assert_eq!(verify(&head), Err(AuthError::SignatureMismatch));
}

#[test]
fn an_unknown_key_or_a_stale_date_is_refused_before_anything_else() {
    let head = signed(SECRET, SignableBody::UnsignedPayload, true);
    let other = Verifier::new().with_key("AKIDOTHER", SECRET);
    let unknown = other.verify_unsigned_payload(&head, at(SIGNED_AT));
    assert!(matches!(unknown, Err(AuthError::UnknownAccessKey(_))), "{unknown:?}");
    let stale = Verifier::new().with_key(ACCESS_KEY_ID, SECRET).verify_unsigned_payload(&head, at(SIGNED_AT + 3600));
    assert!(matches!(stale, Err(AuthError::RequestTimeTooSkewed { .. })), "{stale:?}");
}
