//! Signed event streams: each message is wrapped in one whose payload is the message's frame,
//! with a `:date` header and a `:chunk-signature` chained from the previous message's
//! signature (the first from the request's own), and the stream is closed by a signed empty
//! message.

use std::sync::{Arc, Mutex, PoisonError};

use super::{EventStreamError, Message};

/// Signs the messages of one stream, in order (the client's side).
pub trait MessageSigner: Send + Sync {
    /// `message` as it is sent: wrapped and signed, or as it is when there is nothing to sign
    /// with.
    fn sign(&mut self, message: Message) -> Result<Message, EventStreamError>;

    /// The signed empty message that ends the stream, if the stream is signed.
    fn sign_empty(&mut self) -> Option<Result<Message, EventStreamError>>;
}

/// Checks the signed messages of one stream, in order (the server's side).
pub trait MessageVerifier: Send + Sync {
    /// The message `envelope` carries once its signature is checked: `Ok(None)` for the
    /// empty message that ends the stream, an error for a signature that does not verify.
    fn verify(&mut self, envelope: &Message) -> Result<Option<Message>, EventStreamError>;
}

/// A signer that is known only once the request is signed (its signature seeds the chain):
/// the request carries one in its extensions, the client core gives it the real signer, and
/// the body, read after the head is sent, signs with it. Without one, messages go unsigned.
#[derive(Clone, Default)]
pub struct DeferredSigner {
    signer: Arc<Mutex<Option<Box<dyn MessageSigner>>>>,
}

impl DeferredSigner {
    /// Makes `signer` sign the stream's messages.
    pub fn set(&self, signer: Box<dyn MessageSigner>) {
        *self.signer.lock().unwrap_or_else(PoisonError::into_inner) = Some(signer);
    }
}

impl std::fmt::Debug for DeferredSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferredSigner").finish_non_exhaustive()
    }
}

impl MessageSigner for DeferredSigner {
    fn sign(&mut self, message: Message) -> Result<Message, EventStreamError> {
        match self.signer.lock().unwrap_or_else(PoisonError::into_inner).as_mut() {
            Some(signer) => signer.sign(message),
            None => Ok(message),
        }
    }

    fn sign_empty(&mut self) -> Option<Result<Message, EventStreamError>> {
        self.signer.lock().unwrap_or_else(PoisonError::into_inner).as_mut().and_then(|signer| signer.sign_empty())
    }
}

/// The message a signed envelope carries: `None` for the empty one that ends the stream.
/// The signature is not checked here (see [`MessageVerifier`]).
pub fn unwrap_envelope(envelope: &Message) -> Result<Option<Message>, EventStreamError> {
    if envelope.payload().is_empty() {
        return Ok(None);
    }
    super::frame::decode(envelope.payload().clone()).map(Some)
}

/// Whether `message` is a signed envelope.
pub fn is_signed(message: &Message) -> bool {
    message.headers().iter().any(|h| h.name().as_str() == ":chunk-signature")
}

/// The verifier of the messages of the request being served: one seeded by its signature
/// when SigV4 verified it as a signed event stream, else none.
#[cfg(feature = "server")]
pub fn verifier_for_request() -> Option<Box<dyn MessageVerifier>> {
    let seed = crate::service::RequestContext::current()?.event_seed()?;
    let previous = seed.seed_signature().to_owned();
    Some(Box::new(SeedVerifier { seed, previous }))
}

/// Checks each message against the chain that starts at the request's signature.
#[cfg(feature = "server")]
struct SeedVerifier {
    seed: std::sync::Arc<crate::sigv4::EventSeed>,
    previous: String,
}

#[cfg(feature = "server")]
impl MessageVerifier for SeedVerifier {
    fn verify(&mut self, envelope: &Message) -> Result<Option<Message>, EventStreamError> {
        let signature = self
            .seed
            .verify(&self.previous, envelope, std::time::SystemTime::now())
            .map_err(|why| EventStreamError::new(super::ErrorKind::Signature, why))?;
        self.previous = signature;
        unwrap_envelope(envelope)
    }
}
