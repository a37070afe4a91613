//! SigV4 verification for servers.
//!
//! A server cannot ask a client how it signed, so [`Verifier::verify`] rebuilds the canonical
//! request the way the non-S3 AWS signers do (the Rust SDK's `aws-sigv4`, botocore, the
//! JavaScript SDK's `@smithy/signature-v4`) from what arrived on the wire, signs it with the
//! secret of the access key the request names, and compares the result in constant time.
//! The credential scope, signed headers and date are the request's own: the server checks that
//! they are consistent and that the date is close to its clock, not that they are the ones it
//! would have chosen.
//!
//! Both places a signature can travel are read: the `Authorization` header, and the query of a
//! presigned URL (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
//! `X-Amz-SignedHeaders`, `X-Amz-Signature`).

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, HOST};
use http::request::Parts;
use percent_encoding::{percent_decode, percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

mod events;

pub use events::EventSeed;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const SCOPE_TERMINATOR: &str = "aws4_request";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The payload hash of a request whose body is an event stream of signed messages.
const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";
const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// IAM's limit; anything longer is not a key, and would be echoed in `UnknownAccessKey`.
const MAX_ACCESS_KEY_ID_LEN: usize = 128;
/// AWS refuses presigned URLs that claim to live longer than a week; so do we.
const MAX_PRESIGNED_EXPIRES: u64 = 7 * 24 * 60 * 60;

/// Query parameters of a presigned URL.
mod param {
    pub const ALGORITHM: &str = "X-Amz-Algorithm";
    pub const CREDENTIAL: &str = "X-Amz-Credential";
    pub const DATE: &str = "X-Amz-Date";
    pub const EXPIRES: &str = "X-Amz-Expires";
    pub const SIGNED_HEADERS: &str = "X-Amz-SignedHeaders";
    pub const SIGNATURE: &str = "X-Amz-Signature";
}

/// RFC 3986's unreserved characters stay as they are; SigV4 percent-encodes everything else,
/// `%` included, which is what makes the canonical URI double-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Access keys the server accepts, and how far a request's clock may be off.
#[derive(Clone)]
pub struct Verifier {
    /// `(access key id, secret access key)`; a handful at most, so a list beats a map.
    keys: Vec<(String, String)>,
    max_skew: Duration,
    /// Signing keys derived so far, shared by the verifier's clones (see [`SigningKeys`]).
    signing_keys: Arc<SigningKeys>,
}

/// Signing keys by access key id and credential scope. Deriving one takes four HMACs, more
/// than checking the signature itself, and a signer uses the same key for a whole day, so
/// each is derived once. Bounded: a flood of scopes (any region or service name verifies
/// against its own key) empties it rather than growing it.
#[derive(Default)]
struct SigningKeys(Mutex<Vec<(String, String, Vec<u8>)>>);

impl SigningKeys {
    /// The most keys kept: a few days of a few regions for a few access keys.
    const CAPACITY: usize = 64;

    fn get_or_derive(&self, claim: &Claim, secret: &str) -> Vec<u8> {
        let cached = self.0.lock().ok().and_then(|keys| {
            keys.iter()
                .find(|(id, scope, _)| *id == claim.access_key_id && *scope == claim.scope)
                .map(|(_, _, key)| key.clone())
        });
        if let Some(key) = cached {
            return key;
        }
        let key = generate_signing_key(secret, claim.signed_at, &claim.region, &claim.service).as_ref().to_vec();
        if let Ok(mut keys) = self.0.lock() {
            if keys.len() >= Self::CAPACITY {
                keys.clear();
            }
            keys.push((claim.access_key_id.clone(), claim.scope.clone(), key.clone()));
        }
        key
    }
}

impl Default for Verifier {
    /// The same as [`Verifier::new`]: a derived default would allow no skew at all.
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("Verifier")
            .field("access_key_ids", &ids)
            .field("secret_access_keys", &crate::REDACTED)
            .field("max_skew", &self.max_skew)
            .finish()
    }
}

impl Verifier {
    /// A verifier that knows no keys and allows 15 minutes of clock skew, as AWS does.
    pub fn new() -> Self {
        Self { keys: Vec::new(), max_skew: DEFAULT_MAX_SKEW, signing_keys: Arc::default() }
    }

    /// Accepts requests signed with this key pair; a second call with the same access key id
    /// replaces its secret.
    pub fn with_key(mut self, access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        let (id, secret) = (access_key_id.into(), secret_access_key.into());
        self.keys.retain(|(known, _)| *known != id);
        self.keys.push((id, secret));
        // Keys derived from a replaced secret must not outlive it.
        self.signing_keys = Arc::default();
        self
    }

    /// How far `X-Amz-Date` may be from the server's clock, in either direction.
    pub fn with_max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = skew;
        self
    }

    /// Whether there is at least one key; without one every signed request is refused, so a
    /// server that has none should not call [`Verifier::verify`] at all.
    pub fn is_enabled(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Verifies a whole request: head + complete body bytes, at time `now`.
    pub fn verify(&self, head: &Parts, body: &[u8], now: SystemTime) -> Result<Verified, AuthError> {
        // Everything that needs no key first: a malformed request is malformed for any caller.
        let claim = Claim::from_request(head)?;
        let canonical_head = canonical_head(head, &claim)?;
        let secret = self.secret_for(&claim.access_key_id)?;
        self.check_time(&claim, now)?;
        let payload_hashes = payload_hashes(head, body, claim.expires.is_some())?;
        let signing_key = self.signing_keys.get_or_derive(&claim, secret);
        if claim.signature_matches(&signing_key, &canonical_head, &payload_hashes) {
            Ok(claim.into_verified())
        } else {
            Err(AuthError::SignatureMismatch)
        }
    }

    /// Verifies a request whose body is not read yet (a streamed one), at time `now`, as signed
    /// over `UNSIGNED-PAYLOAD`: declared so in `x-amz-content-sha256`, or with no such header
    /// (as aws-sigv4 signs `SignableBody::UnsignedPayload` without it, which the AWS SDK for Rust
    /// does for a body it cannot read ahead). `Ok(None)` when the request is signed over its
    /// body's hash instead: the caller must read the body and call [`Verifier::verify`].
    pub fn verify_unsigned_payload(&self, head: &Parts, now: SystemTime) -> Result<Option<Verified>, AuthError> {
        Ok(self.verify_stream_head(head, now)?.map(|(verified, _)| verified))
    }

    /// [`Verifier::verify_unsigned_payload`], and also a request whose body is an event stream
    /// of signed messages (`x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`): then
    /// the [`EventSeed`] that each message's signature is checked against comes with it.
    pub fn verify_stream_head(
        &self,
        head: &Parts,
        now: SystemTime,
    ) -> Result<Option<(Verified, Option<EventSeed>)>, AuthError> {
        let claim = Claim::from_request(head)?;
        let canonical_head = canonical_head(head, &claim)?;
        let secret = self.secret_for(&claim.access_key_id)?;
        self.check_time(&claim, now)?;
        let payload = match single_header(head, X_AMZ_CONTENT_SHA256)? {
            None | Some(UNSIGNED_PAYLOAD) => UNSIGNED_PAYLOAD,
            Some(STREAMING_EVENTS) => STREAMING_EVENTS,
            Some(_) => return Ok(None),
        };
        let signing_key = self.signing_keys.get_or_derive(&claim, secret);
        if claim.signature_matches(&signing_key, &canonical_head, &[payload.to_owned()]) {
            let seed =
                (payload == STREAMING_EVENTS).then(|| EventSeed::new(&claim, secret, signing_key, self.max_skew));
            return Ok(Some((claim.into_verified(), seed)));
        }
        // Declared unsigned, and still no match: nothing the body could change.
        if single_header(head, X_AMZ_CONTENT_SHA256)?.is_some() {
            return Err(AuthError::SignatureMismatch);
        }
        Ok(None)
    }

    fn secret_for(&self, access_key_id: &str) -> Result<&str, AuthError> {
        self.keys
            .iter()
            .find(|(id, _)| id == access_key_id)
            .map(|(_, secret)| secret.as_str())
            .ok_or_else(|| AuthError::UnknownAccessKey(access_key_id.to_owned()))
    }

    /// A signed header must be within the skew of now; a presigned URL may be used from its
    /// date (give or take the skew) until it expires.
    fn check_time(&self, claim: &Claim, now: SystemTime) -> Result<(), AuthError> {
        let too_skewed = || AuthError::RequestTimeTooSkewed { request_time: claim.amz_date.clone() };
        match claim.expires {
            None => {
                if distance(claim.signed_at, now) > self.max_skew {
                    return Err(too_skewed());
                }
            }
            Some(expires) => {
                let in_future = claim.signed_at.duration_since(now).unwrap_or(Duration::ZERO);
                let age = now.duration_since(claim.signed_at).unwrap_or(Duration::ZERO);
                if in_future > self.max_skew || age > expires {
                    return Err(too_skewed());
                }
            }
        }
        Ok(())
    }
}

/// How far apart two instants are, whichever comes first.
fn distance(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).unwrap_or_else(|earlier| earlier.duration())
}

/// Who signed: the access key id and the credential scope's region and service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key id the request was signed with.
    pub access_key_id: String,
    /// The region of the credential scope, e.g. `us-east-1`.
    pub region: String,
    /// The service name of the credential scope, e.g. `chime`.
    pub service: String,
}

/// Why a request's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// The request carries no `Authorization` header and no presigned query.
    MissingAuthorization,
    /// The signature cannot be read: the `Authorization` header, the presigned query or
    /// `X-Amz-Date` is unreadable, the algorithm is not `AWS4-HMAC-SHA256`, the scope's date is
    /// not `X-Amz-Date`'s, `host` is not signed, or a signed header is absent.
    Malformed(String),
    /// The request names an access key id the server does not know.
    UnknownAccessKey(String),
    /// The request's date is more than the allowed skew from the server's clock, or its
    /// presigned URL has expired.
    RequestTimeTooSkewed {
        /// The request's `X-Amz-Date`, as sent.
        request_time: String,
    },
    /// `x-amz-content-sha256` is not the SHA-256 of the body that arrived.
    BodyHashMismatch,
    /// The signature is not the one the request's own key, scope and content give.
    SignatureMismatch,
}

impl AuthError {
    /// 401 for "we do not know who you are" (missing, malformed, unknown access key), 403 for
    /// "we know who you claim to be and do not believe it".
    pub fn status(&self) -> u16 {
        match self {
            Self::MissingAuthorization | Self::Malformed(_) | Self::UnknownAccessKey(_) => 401,
            Self::RequestTimeTooSkewed { .. } | Self::BodyHashMismatch | Self::SignatureMismatch => 403,
        }
    }

    /// The error code AWS services answer with, for when the model has no matching error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingAuthorization => "MissingAuthenticationTokenException",
            Self::Malformed(_) => "IncompleteSignatureException",
            Self::UnknownAccessKey(_) => "UnrecognizedClientException",
            Self::RequestTimeTooSkewed { .. } | Self::BodyHashMismatch | Self::SignatureMismatch => {
                "InvalidSignatureException"
            }
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAuthorization => f.write_str(
                "missing authentication token: sign the request with AWS Signature Version 4 \
                 (an Authorization header or a presigned URL)",
            ),
            Self::Malformed(why) => write!(f, "incomplete or malformed signature: {why}"),
            Self::UnknownAccessKey(id) => {
                write!(f, "unknown access key id `{id}`: check the client's credentials")
            }
            // AWS's own wording, which SDKs and people search for.
            Self::RequestTimeTooSkewed { request_time } => write!(
                f,
                "Signature expired: {request_time} is too far from the server's time (or the \
                 presigned URL has expired); check the client's clock"
            ),
            Self::BodyHashMismatch => f.write_str(
                "the x-amz-content-sha256 header does not match the body: the body was changed \
                 after signing",
            ),
            Self::SignatureMismatch => {
                f.write_str("the signature does not match: check the secret access key and the signing method")
            }
        }
    }
}

impl std::error::Error for AuthError {}

fn malformed(why: impl Into<String>) -> AuthError {
    AuthError::Malformed(why.into())
}

/// The start of a client's text, for an error message: the answer to a request with a
/// megabyte-long header should not be a megabyte long.
fn excerpt(text: &str) -> Cow<'_, str> {
    const MAX_CHARS: usize = 80;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", text.get(..cut).unwrap_or_default())),
        None => Cow::Borrowed(text),
    }
}

/// What a request says about its own signature.
struct Claim {
    access_key_id: String,
    /// `yyyymmdd/region/service/aws4_request`: the credential without the access key id.
    scope: String,
    region: String,
    service: String,
    /// `SignedHeaders` as sent: it goes into the canonical request verbatim.
    signed_headers: String,
    /// Lower-case hex.
    signature: String,
    /// `X-Amz-Date` as sent.
    amz_date: String,
    signed_at: SystemTime,
    /// `Some` for a presigned URL: how long it stays valid.
    expires: Option<Duration>,
}

/// The raw fields of a signature, before they are checked against each other.
struct RawClaim<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
    amz_date: &'a str,
    expires: Option<Duration>,
}

impl Claim {
    /// The signature from the `Authorization` header, else from a presigned query.
    fn from_request(head: &Parts) -> Result<Self, AuthError> {
        let mut authorization = head.headers.get_all(AUTHORIZATION).iter();
        match (authorization.next(), authorization.next()) {
            (Some(value), None) => Self::from_authorization(head, value),
            (Some(_), Some(_)) => Err(malformed("the request has more than one Authorization header")),
            (None, _) => Self::from_presigned_query(head),
        }
    }

    fn from_authorization(head: &Parts, value: &HeaderValue) -> Result<Self, AuthError> {
        let value = value.to_str().map_err(|_| malformed("the Authorization header is not visible ASCII"))?;
        let fields = AuthorizationFields::parse(value)?;
        let amz_date = single_header(head, X_AMZ_DATE)?.ok_or_else(|| malformed("the X-Amz-Date header is missing"))?;
        Self::check(RawClaim {
            credential: fields.credential,
            signed_headers: fields.signed_headers,
            signature: fields.signature,
            amz_date,
            expires: None,
        })
    }

    fn from_presigned_query(head: &Parts) -> Result<Self, AuthError> {
        let query = decoded_query(head.uri.query().unwrap_or_default());
        // Any one of these makes the request an attempt at a presigned URL, to be judged as one.
        let presigned = [param::ALGORITHM, param::CREDENTIAL, param::SIGNATURE]
            .iter()
            .any(|name| query.iter().any(|(key, _)| key == name.as_bytes()));
        if !presigned {
            return Err(AuthError::MissingAuthorization);
        }
        let fields = PresignedFields::parse(&query)?;
        Self::check(RawClaim {
            credential: &fields.credential,
            signed_headers: &fields.signed_headers,
            signature: &fields.signature,
            amz_date: &fields.amz_date,
            expires: Some(fields.expires),
        })
    }

    /// Everything about a signature that can be checked without a key.
    fn check(raw: RawClaim<'_>) -> Result<Self, AuthError> {
        let signed_at = parse_amz_date(raw.amz_date)?;
        let credential = Credential::parse(raw.credential)?;
        // The date is only eight ASCII digits here: parse_amz_date checked it.
        let day = raw.amz_date.get(..8).unwrap_or_default();
        if credential.date != day {
            return Err(malformed(format!(
                "the credential scope's date {} is not the date of X-Amz-Date {}",
                excerpt(credential.date),
                raw.amz_date
            )));
        }
        check_signed_headers(raw.signed_headers)?;
        let signature = raw.signature.to_ascii_lowercase();
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed("the signature is not 64 hexadecimal digits"));
        }
        Ok(Self {
            access_key_id: credential.access_key_id.to_owned(),
            scope: format!("{}/{}/{}/{SCOPE_TERMINATOR}", credential.date, credential.region, credential.service),
            region: credential.region.to_owned(),
            service: credential.service.to_owned(),
            signed_headers: raw.signed_headers.to_owned(),
            signature,
            amz_date: raw.amz_date.to_owned(),
            signed_at,
            expires: raw.expires,
        })
    }

    fn signed_header_names(&self) -> impl Iterator<Item = &str> {
        self.signed_headers.split(';')
    }

    /// Whether signing the canonical request (`canonical_head` + one of `payload_hashes`) with
    /// the signing key gives the claimed signature.
    fn signature_matches(&self, signing_key: &[u8], canonical_head: &[u8], payload_hashes: &[String]) -> bool {
        // A presigned URL may have been signed over the body or over UNSIGNED-PAYLOAD, so both
        // are tried. Each comparison is constant-time, so timing does not reveal how many
        // leading characters of a forged signature were right.
        let mut matched = subtle::Choice::from(0);
        for payload_hash in payload_hashes {
            let mut canonical = canonical_head.to_vec();
            canonical.extend_from_slice(payload_hash.as_bytes());
            let expected = calculate_signature(signing_key, self.string_to_sign(&canonical).as_bytes());
            matched |= expected.as_bytes().ct_eq(self.signature.as_bytes());
        }
        matched.into()
    }

    fn string_to_sign(&self, canonical_request: &[u8]) -> String {
        let hash = sha256_hex(canonical_request);
        format!("{ALGORITHM}\n{}\n{}\n{hash}", self.amz_date, self.scope)
    }

    fn into_verified(self) -> Verified {
        Verified { access_key_id: self.access_key_id, region: self.region, service: self.service }
    }
}

/// `AWS4-HMAC-SHA256 Credential=.../aws4_request, SignedHeaders=host;x-amz-date, Signature=...`
struct AuthorizationFields<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

impl<'a> AuthorizationFields<'a> {
    fn parse(value: &'a str) -> Result<Self, AuthError> {
        let (algorithm, rest) = value
            .trim()
            .split_once(' ')
            .ok_or_else(|| malformed("the Authorization header has no Credential, SignedHeaders and Signature"))?;
        check_algorithm(algorithm)?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        // Signers put ", " or "," between fields; a trailing comma harms no one.
        for field in rest.split(',').map(str::trim).filter(|field| !field.is_empty()) {
            let (name, value) = field
                .split_once('=')
                .ok_or_else(|| malformed(format!("Authorization field `{}` has no `=`", excerpt(field))))?;
            let slot = match name {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                other => {
                    return Err(malformed(format!("unknown Authorization field `{}`", excerpt(other))));
                }
            };
            if slot.replace(value).is_some() {
                return Err(malformed(format!("Authorization field {name} appears twice")));
            }
        }
        let missing = |name: &str| malformed(format!("the Authorization header has no {name}"));
        Ok(Self {
            credential: credential.ok_or_else(|| missing("Credential"))?,
            signed_headers: signed_headers.ok_or_else(|| missing("SignedHeaders"))?,
            signature: signature.ok_or_else(|| missing("Signature"))?,
        })
    }
}

/// The signature parameters of a presigned URL, percent-decoded.
struct PresignedFields {
    credential: String,
    signed_headers: String,
    signature: String,
    amz_date: String,
    expires: Duration,
}

impl PresignedFields {
    fn parse(query: &[(Vec<u8>, Vec<u8>)]) -> Result<Self, AuthError> {
        let get = |name: &str| -> Result<String, AuthError> {
            let mut values = query.iter().filter(|(key, _)| key == name.as_bytes());
            let (_, value) = values.next().ok_or_else(|| malformed(format!("the presigned URL has no {name}")))?;
            if values.next().is_some() {
                return Err(malformed(format!("the presigned URL has {name} twice")));
            }
            String::from_utf8(value.clone()).map_err(|_| malformed(format!("the presigned URL's {name} is not UTF-8")))
        };
        let expires = get(param::EXPIRES)?;
        let expires =
            expires.parse::<u64>().ok().filter(|seconds| (1..=MAX_PRESIGNED_EXPIRES).contains(seconds)).ok_or_else(
                || {
                    malformed(format!(
                        "{} `{}` is not a number of seconds from 1 to {MAX_PRESIGNED_EXPIRES}",
                        param::EXPIRES,
                        excerpt(&expires)
                    ))
                },
            )?;
        check_algorithm(&get(param::ALGORITHM)?)?;
        Ok(Self {
            credential: get(param::CREDENTIAL)?,
            signed_headers: get(param::SIGNED_HEADERS)?,
            signature: get(param::SIGNATURE)?,
            amz_date: get(param::DATE)?,
            expires: Duration::from_secs(expires),
        })
    }
}

/// SigV4A (`AWS4-ECDSA-P256-SHA256`) and older versions are not accepted.
fn check_algorithm(algorithm: &str) -> Result<(), AuthError> {
    if algorithm == ALGORITHM {
        Ok(())
    } else {
        Err(malformed(format!("unsupported algorithm `{}`: only {ALGORITHM} is accepted", excerpt(algorithm))))
    }
}

/// `AKID/yyyymmdd/region/service/aws4_request`.
struct Credential<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
}

impl<'a> Credential<'a> {
    fn parse(credential: &'a str) -> Result<Self, AuthError> {
        let parts: Vec<&str> = credential.split('/').collect();
        match parts.as_slice() {
            [access_key_id, date, region, service, SCOPE_TERMINATOR]
                if [access_key_id, date, region, service].iter().all(|part| !part.is_empty())
                    && access_key_id.len() <= MAX_ACCESS_KEY_ID_LEN =>
            {
                Ok(Self { access_key_id, date, region, service })
            }
            _ => Err(malformed(format!(
                "credential `{}` is not `access-key-id/yyyymmdd/region/service/{SCOPE_TERMINATOR}`",
                excerpt(credential)
            ))),
        }
    }
}

/// The host must be signed, or a signature for one server would be good for any other.
fn check_signed_headers(signed_headers: &str) -> Result<(), AuthError> {
    let mut has_host = false;
    for name in signed_headers.split(';') {
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(malformed(format!("signed headers `{}` list an invalid name", excerpt(signed_headers))));
        }
        has_host |= name.eq_ignore_ascii_case("host");
    }
    if !has_host {
        return Err(malformed(format!("signed headers `{}` do not include host", excerpt(signed_headers))));
    }
    Ok(())
}

/// The value of a header that must appear at most once, as text.
fn single_header<'a>(head: &'a Parts, name: &str) -> Result<Option<&'a str>, AuthError> {
    let mut values = head.headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(malformed(format!("the request has more than one {name} header")));
    }
    value.to_str().map(Some).map_err(|_| malformed(format!("the {name} header is not visible ASCII")))
}

/// Reads ISO 8601 basic format, `20150830T123600Z`, the only one SigV4 uses.
fn parse_amz_date(text: &str) -> Result<SystemTime, AuthError> {
    let bad = || malformed(format!("X-Amz-Date `{}` is not a date like 20150830T123600Z", excerpt(text)));
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 16
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 => *b == b'T',
            15 => *b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(bad());
    }
    // Computed from the digits rather than through a date parser: every signed request has
    // one. Digits only, so every piece parses.
    let number = |from: usize, to: usize| text.get(from..to).and_then(|digits| digits.parse::<u32>().ok()).unwrap_or(0);
    let (year, month, day) = (number(0, 4), number(4, 6), number(6, 8));
    let (hour, minute, second) = (number(9, 11), number(11, 13), number(13, 15));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if year < 1970 || day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return Err(bad());
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + u64::from(hour * 3600 + minute * 60 + second);
    Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year 1970 or later;
/// month and day already checked), after Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: u32, month: u32, day: u32) -> u64 {
    let year = u64::from(if month <= 2 { year - 1 } else { year });
    let (month, day) = (u64::from(month), u64::from(day));
    let era = year / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Lower-case hex of a SHA-256 digest, written into a buffer (`hex::encode` goes through a
/// per-character iterator, which showed on the server's hot path).
fn sha256_hex(data: &[u8]) -> String {
    let mut digits = [0u8; 64];
    // 32 bytes always fit 64 hex digits.
    let _ = hex::encode_to_slice(Sha256::digest(data), &mut digits);
    String::from_utf8_lossy(&digits).into_owned()
}

/// The payload hashes the signer may have used. `x-amz-content-sha256`, when sent, is the one;
/// otherwise the body's hash, and for a presigned URL also `UNSIGNED-PAYLOAD`: botocore and the
/// JavaScript SDK presign over the body's hash, S3-style presigners and `aws-sigv4` given
/// `SignableBody::UnsignedPayload` over that literal, and the URL does not say which.
fn payload_hashes(head: &Parts, body: &[u8], presigned: bool) -> Result<Vec<String>, AuthError> {
    let body_hash = || sha256_hex(body);
    let Some(declared) = single_header(head, X_AMZ_CONTENT_SHA256)? else {
        return Ok(if presigned { vec![body_hash(), UNSIGNED_PAYLOAD.to_owned()] } else { vec![body_hash()] });
    };
    if declared == UNSIGNED_PAYLOAD {
        return Ok(vec![declared.to_owned()]);
    }
    // Streaming (aws-chunked) payloads sign each chunk; a server holding the whole body has
    // no use for them, and accepting their marker would leave the body unchecked.
    if declared.len() != 64 || !declared.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed(format!("unsupported x-amz-content-sha256 `{}`", excerpt(declared))));
    }
    if !declared.eq_ignore_ascii_case(&body_hash()) {
        return Err(AuthError::BodyHashMismatch);
    }
    Ok(vec![declared.to_owned()])
}

/// The canonical request up to and including the signed-headers line, so each candidate
/// payload hash only has to be appended.
fn canonical_head(head: &Parts, claim: &Claim) -> Result<Vec<u8>, AuthError> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(head.method.as_str().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(canonical_uri(head.uri.path()).as_bytes());
    out.push(b'\n');
    let skip_signature = claim.expires.is_some();
    out.extend_from_slice(canonical_query(head.uri.query().unwrap_or_default(), skip_signature).as_bytes());
    out.push(b'\n');
    for name in claim.signed_header_names() {
        let name = name.to_ascii_lowercase();
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        canonical_header_value(head, &name, &mut out)?;
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(claim.signed_headers.as_bytes());
    out.push(b'\n');
    Ok(out)
}

/// Every value of a signed header, each trimmed, joined by `,`.
fn canonical_header_value(head: &Parts, name: &str, out: &mut Vec<u8>) -> Result<(), AuthError> {
    let mut values = head.headers.get_all(name).iter().peekable();
    if values.peek().is_none() {
        // HTTP/2 carries the host in `:authority`, which `http` keeps in the URI.
        let authority = head.uri.authority().filter(|_| name == HOST.as_str());
        let authority = authority.and_then(|a| HeaderValue::from_str(a.as_str()).ok());
        let Some(authority) = authority else {
            return Err(malformed(format!("signed header `{name}` is not in the request")));
        };
        trim_all(authority.as_bytes(), out);
        return Ok(());
    }
    let mut first = true;
    for value in values {
        if !first {
            out.push(b',');
        }
        first = false;
        trim_all(value.as_bytes(), out);
    }
    Ok(())
}

/// SigV4's Trimall, as `aws-sigv4` does it: strips leading and trailing spaces and collapses
/// runs of spaces into one. Only spaces, not tabs.
fn trim_all(value: &[u8], out: &mut Vec<u8>) {
    let start = value.iter().position(|b| *b != b' ').unwrap_or(value.len());
    let end = value.iter().rposition(|b| *b != b' ').map_or(start, |last| last + 1);
    let mut previous_space = false;
    for &byte in value.get(start..end).unwrap_or_default() {
        if byte == b' ' && previous_space {
            continue;
        }
        previous_space = byte == b' ';
        out.push(byte);
    }
}

/// The path as the non-S3 signers see it: dot segments resolved and empty segments dropped
/// (RFC 3986 5.2.4, as `aws-sigv4` does it), then percent-encoded again on top of its own
/// encoding.
fn canonical_uri(path: &str) -> String {
    percent_encode(normalize_path(path).as_bytes(), UNRESERVED_AND_SLASH).to_string()
}

fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    let ends_in_directory = ["/", "/.", "/.."].iter().any(|end| path.ends_with(end));
    if ends_in_directory && !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

/// Each key and value decoded, then encoded with the unreserved set, sorted by key then value.
/// A presigned URL's own signature is not part of what it signs.
fn canonical_query(query: &str, skip_signature: bool) -> String {
    let mut pairs: Vec<(String, String)> = decoded_query(query)
        .into_iter()
        .filter(|(key, _)| !(skip_signature && key == param::SIGNATURE.as_bytes()))
        .map(|(key, value)| {
            (percent_encode(&key, UNRESERVED).to_string(), percent_encode(&value, UNRESERVED).to_string())
        })
        .collect();
    pairs.sort();
    let pairs: Vec<String> = pairs.into_iter().map(|(key, value)| format!("{key}={value}")).collect();
    pairs.join("&")
}

/// Splits a raw query into percent-decoded byte pairs, reading `+` as a space and skipping
/// empty pieces as `aws-sigv4` (form-urlencoded) does. Bytes, not text: a client may sign
/// `%FF`, and it must come out as `%FF` again.
fn decoded_query(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let decode = |text: &str| -> Vec<u8> {
        let spaced = text.replace('+', " ");
        percent_decode(spaced.as_bytes()).collect()
    };
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(key), decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn trimmed(value: &str) -> String {
        let mut out = Vec::new();
        trim_all(value.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn trim_all_strips_ends_and_collapses_inner_runs_of_spaces() {
        assert_eq!(trimmed("  a   b  c "), "a b c");
        assert_eq!(trimmed("   "), "");
        assert_eq!(trimmed("a\t\tb"), "a\t\tb");
    }

    #[test]
    fn normalize_path_resolves_dots_and_drops_empty_segments() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//a//b/"), "/a/b/");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/../.."), "/");
        assert_eq!(normalize_path("/a/b/.."), "/a/");
    }

    #[test]
    fn canonical_uri_encodes_the_already_encoded_path_again() {
        assert_eq!(canonical_uri("/users/a%20b%2Fc/%C3%A9:x"), "/users/a%2520b%252Fc/%25C3%25A9%3Ax");
    }

    #[test]
    fn canonical_query_decodes_reencodes_and_sorts() {
        assert_eq!(canonical_query("operation=update&b=2&a=1", false), "a=1&b=2&operation=update");
        assert_eq!(canonical_query("k=b&k=a&flag", false), "flag=&k=a&k=b");
        assert_eq!(canonical_query("e=a%2Bb+c%40d&x=%7e%FF", false), "e=a%2Bb%20c%40d&x=~%FF");
        assert_eq!(canonical_query("a=1&&X-Amz-Signature=f", true), "a=1");
    }

    #[test]
    fn amz_date_must_be_basic_format_and_a_real_date() {
        let parsed = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(parsed, SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160));
        let leap_day = parse_amz_date("20240229T000000Z").unwrap();
        assert_eq!(leap_day, SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_164_800));
        assert_eq!(parse_amz_date("19700101T000000Z").unwrap(), SystemTime::UNIX_EPOCH);
        for bad in [
            "2015-08-30T12:36:00Z",
            "20150830T123600",
            "20150230T123600Z",
            "2015083OT123600Z",
            "２0150830T12360Z",
            "20230229T000000Z",
            "20151330T000000Z",
            "20150830T240000Z",
            "20150830T126000Z",
        ] {
            assert!(matches!(parse_amz_date(bad), Err(AuthError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn authorization_fields_parse_with_or_without_spaces_after_commas() {
        for header in [
            "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/iam/aws4_request,SignedHeaders=host;x-amz-date,Signature=ab",
        ] {
            let fields = AuthorizationFields::parse(header).unwrap();
            assert_eq!(fields.credential, "AK/20150830/us-east-1/iam/aws4_request");
            assert_eq!(fields.signed_headers, "host;x-amz-date");
            assert_eq!(fields.signature, "ab");
        }
    }

    #[test]
    fn authorization_fields_reject_missing_duplicate_and_unknown_fields() {
        for header in [
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host",
            "AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=b, Signature=c",
            "AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=b, Extra=c",
            "AWS4-HMAC-SHA256 Credential",
        ] {
            assert!(matches!(AuthorizationFields::parse(header), Err(AuthError::Malformed(_))), "{header}");
        }
    }

    #[test]
    fn credential_needs_five_non_empty_parts_ending_in_aws4_request() {
        assert!(Credential::parse("AK/20150830/us-east-1/iam/aws4_request").is_ok());
        for bad in [
            "AK/20150830/us-east-1/iam",
            "AK/20150830//iam/aws4_request",
            "AK/20150830/r/s/aws4_request/x",
            "AK/20150830/r/s/aws5_request",
        ] {
            assert!(Credential::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn excerpt_cuts_long_text_on_a_character_boundary() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long), format!("{}…", "é".repeat(80)));
    }

    #[test]
    fn an_access_key_id_longer_than_iam_allows_is_malformed() {
        let long = format!("{}/20150830/us-east-1/iam/aws4_request", "A".repeat(129));
        assert!(Credential::parse(&long).is_err());
        let longest = format!("{}/20150830/us-east-1/iam/aws4_request", "A".repeat(128));
        assert!(Credential::parse(&longest).is_ok());
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let verifier = Verifier::new().with_key("AKIDEXAMPLE", "very-secret");
        let printed = format!("{verifier:?}");
        assert!(printed.contains("AKIDEXAMPLE"));
        assert!(!printed.contains("very-secret"));
    }

    #[test]
    fn default_allows_the_same_skew_as_new() {
        assert_eq!(Verifier::default().max_skew, Verifier::new().max_skew);
        assert!(!Verifier::default().is_enabled());
    }
}
