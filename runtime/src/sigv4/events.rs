//! Verifying the signed messages of an event-stream request: each message's
//! `:chunk-signature` is the HMAC of a string to sign that chains the previous signature (the
//! request's own for the first message), the message's `:date` and its payload, with the
//! signing key of that date's scope. Compared in constant time.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use aws_smithy_types::DateTime;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{distance, Claim};

/// What checking an event stream's messages takes: the request's signature (the seed of the
/// chain), its credential scope, and the secret to derive a later day's key with.
pub struct EventSeed {
    seed_signature: String,
    secret: String,
    region: String,
    service: String,
    /// `yyyymmdd` of the request's date, whose key is `signing_key`.
    day: String,
    signing_key: Vec<u8>,
    max_skew: Duration,
}

impl EventSeed {
    pub(super) fn new(claim: &Claim, secret: &str, signing_key: Vec<u8>, max_skew: Duration) -> Self {
        Self {
            seed_signature: claim.signature.clone(),
            secret: secret.to_owned(),
            region: claim.region.clone(),
            service: claim.service.clone(),
            day: claim.amz_date.get(..8).unwrap_or_default().to_owned(),
            signing_key,
            max_skew,
        }
    }

    /// The request's signature, which the first message's chains from.
    pub fn seed_signature(&self) -> &str {
        &self.seed_signature
    }

    /// Checks `envelope`, signed after `previous` (a signature in hex), at time `now`: its
    /// own signature in hex when it verifies, else why not.
    pub fn verify(&self, previous: &str, envelope: &Message, now: SystemTime) -> Result<String, String> {
        let header = |name: &str| envelope.headers().iter().find(|h| h.name().as_str() == name).map(Header::value);
        let Some(HeaderValue::ByteArray(claimed)) = header(":chunk-signature") else {
            return Err("the message has no :chunk-signature byte-array header".to_owned());
        };
        let Some(HeaderValue::Timestamp(date)) = header(":date") else {
            return Err("the message has no :date timestamp header".to_owned());
        };
        let signed_at = SystemTime::try_from(*date).map_err(|_| "the message's :date is out of range".to_owned())?;
        if distance(signed_at, now) > self.max_skew {
            return Err("the message's :date is too far from the server's clock".to_owned());
        }
        let stamp = date.fmt(Format::DateTime).map_err(|_| "the message's :date is out of range".to_owned())?;
        // `2026-12-02T01:02:03Z` (no fraction: signers truncate to seconds) as `20261202T010203Z`.
        let stamp: String = stamp.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let day = stamp.get(..8).unwrap_or_default();
        let string_to_sign = self.string_to_sign(previous, &stamp, *date, envelope.payload());
        let derived;
        let key = if day == self.day {
            &self.signing_key[..]
        } else {
            derived = generate_signing_key(&self.secret, signed_at, &self.region, &self.service);
            derived.as_ref()
        };
        let expected = calculate_signature(key, string_to_sign.as_bytes());
        let claimed = hex::encode(claimed);
        if bool::from(expected.as_bytes().ct_eq(claimed.as_bytes())) {
            Ok(expected)
        } else {
            Err("the message's signature does not match".to_owned())
        }
    }

    /// `AWS4-HMAC-SHA256-PAYLOAD`, the date, the scope, the previous signature, and the
    /// SHA-256 of the encoded `:date` header and of the payload.
    fn string_to_sign(&self, previous: &str, stamp: &str, date: DateTime, payload: &[u8]) -> String {
        let date_header = encoded_date_header(date);
        let day = stamp.get(..8).unwrap_or_default();
        format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{stamp}\n{day}/{}/{}/aws4_request\n{previous}\n{}\n{}",
            self.region,
            self.service,
            hex::encode(Sha256::digest(&date_header)),
            hex::encode(Sha256::digest(payload)),
        )
    }
}

/// The `:date` header as a frame encodes it: the name's length and bytes, the timestamp type
/// (8), and the milliseconds since the epoch, big-endian. (Written here so that a server
/// without the `event-stream` feature need not build the frame codec to verify nothing.)
fn encoded_date_header(date: DateTime) -> Vec<u8> {
    const NAME: &[u8] = b":date";
    const TIMESTAMP: u8 = 8;
    let millis = date.to_millis().unwrap_or_default();
    let mut header = Vec::with_capacity(1 + NAME.len() + 1 + 8);
    header.push(NAME.len() as u8);
    header.extend_from_slice(NAME);
    header.push(TIMESTAMP);
    header.extend_from_slice(&millis.to_be_bytes());
    header
}

impl fmt::Debug for EventSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSeed")
            .field("region", &self.region)
            .field("service", &self.service)
            .field("secret", &crate::REDACTED)
            .finish_non_exhaustive()
    }
}

impl PartialEq for EventSeed {
    fn eq(&self, other: &Self) -> bool {
        self.seed_signature == other.seed_signature
    }
}

impl Eq for EventSeed {}

#[cfg(all(test, feature = "event-stream"))]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_is_encoded_as_the_frame_codec_does() {
        let date = DateTime::from_millis(1_767_225_600_004);
        let mut expected = Vec::new();
        aws_smithy_eventstream::frame::write_headers_to(
            &[Header::new(":date", HeaderValue::Timestamp(date))],
            &mut expected,
        )
        .unwrap();
        assert_eq!(encoded_date_header(date), expected);
    }
}
