//! Event streams: the value of a member that targets a `@streaming` union, a sequence of
//! `application/vnd.amazon.eventstream` messages read and written as they come.
//!
//! The frame codec (prelude, headers of every type, payload, both CRCs) is
//! `aws-smithy-eventstream`'s, the crate the AWS SDK for Rust uses; this module adds what
//! Smithy says about the messages (`:message-type` event, exception or error, `:event-type`,
//! `:exception-type`), a bound on the size of a frame read from the network, and the
//! [`EventStream`] type that the service trait, the client and the server share.
//!
//! How a union's events become messages is generated, per protocol, as an implementation of
//! [`Event`]; the JSON protocols' rules are in [`json`].

mod frame;
pub mod json;
pub mod sign;

use std::fmt;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

pub use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use futures_core::Stream;

use crate::{BoxError, ByteStream};
use frame::FrameReader;
pub use frame::MAX_MESSAGE_LEN;
pub use sign::{MessageSigner, MessageVerifier};

/// The media type of an event-stream body.
pub const MEDIA_TYPE: &str = "application/vnd.amazon.eventstream";

/// A union of events as messages: implemented by the generator for every `@streaming` union,
/// with the rules of the service's protocol.
pub trait Event: Sized + Send + 'static {
    /// This event as a message, its `:message-type` header included (`event`, or
    /// `exception` for a member that targets an `@error` structure).
    fn to_message(&self) -> Result<Message, EventStreamError>;

    /// The event a message of type `event` or `exception` holds, or `None` for an event type
    /// the union does not have (a newer service's; it is skipped). An exception type the union
    /// does not have is an error.
    fn from_message(message: &Message) -> Result<Option<Self>, EventStreamError>;

    /// Whether this is one of the union's modeled exceptions, which end the stream.
    fn is_exception(&self) -> bool;
}

/// A stream of `T` events (a `@streaming` union): the value of an event-stream member, on
/// both sides of the API.
///
/// Whoever sends one builds it from events ([`EventStream::from_events`]) or from any
/// [`Stream`] of them ([`EventStream::from_stream`]); whoever receives one reads it with
/// [`EventStream::recv`] (or as a `Stream`). A modeled exception arrives as the union's
/// variant for it and is the last item; anything else that goes wrong (a frame that does
/// not decode, a bad signature, an error message from the other side, an exception the model
/// does not have) is an `Err` item, also the last.
///
/// Nothing is buffered beyond the message being read: a slow reader slows the writer, since
/// the next message is asked for only when the transport can take it.
pub struct EventStream<T> {
    // The mutex is never locked to read (polling has `&mut self`); it makes the stream `Sync`
    // like the rest of a model type, as `ByteStream` does.
    inner: Mutex<Inner<T>>,
}

enum Inner<T> {
    /// Events made on this side, not yet sent.
    Local(Pin<Box<dyn Stream<Item = Result<T, BoxError>> + Send>>),
    /// Messages arriving from the other side.
    Remote(Box<Remote>),
    /// Ended: by its last event, an exception or an error.
    Done,
}

/// The receiving side: frames from a body, checked and unwrapped.
struct Remote {
    reader: FrameReader,
    verifier: Option<Box<dyn MessageVerifier>>,
}

impl<T: Event> EventStream<T> {
    /// A stream of the events of `events`, in order.
    pub fn from_events(events: impl IntoIterator<Item = T, IntoIter: Send + 'static>) -> Self {
        Self::from_stream(futures_util::stream::iter(events.into_iter().map(Ok::<T, BoxError>)))
    }

    /// A stream of the items of `stream`; an `Err` item ends it with an error message to the
    /// other side (its text becomes the message).
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream = futures_util::TryStreamExt::map_err(stream, Into::into);
        Self { inner: Mutex::new(Inner::Local(Box::pin(stream))) }
    }

    /// A stream with no events.
    pub fn empty() -> Self {
        Self { inner: Mutex::new(Inner::Done) }
    }

    /// The events of an event-stream body as they arrive; `verifier` checks each message's
    /// signature and unwraps it (a signed message carries the event in its payload).
    #[doc(hidden)]
    pub fn from_body(body: ByteStream, verifier: Option<Box<dyn MessageVerifier>>) -> Self {
        let remote = Remote { reader: FrameReader::new(body), verifier };
        Self { inner: Mutex::new(Inner::Remote(Box::new(remote))) }
    }

    /// The next event, `Ok(None)` at the end.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }

    /// This stream as an event-stream body: each event a message, signed by `signer` when
    /// there is one (and then closed by the signed empty message).
    #[doc(hidden)]
    pub fn into_body(self, signer: Option<Box<dyn MessageSigner>>) -> ByteStream {
        ByteStream::from_stream(Encoder { first: None, events: self, signer, ended: false })
    }

    /// [`EventStream::into_body`] with `first` sent before the events: the initial-response
    /// message of the RPC protocols, which holds the output's other members.
    #[doc(hidden)]
    pub fn into_body_after(self, first: Message) -> ByteStream {
        ByteStream::from_stream(Encoder { first: Some(first), events: self, signer: None, ended: false })
    }

    fn inner(&mut self) -> &mut Inner<T> {
        self.inner.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Event> Default for EventStream<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &*self.inner.lock().unwrap_or_else(PoisonError::into_inner) {
            Inner::Local(_) => "local",
            Inner::Remote(_) => "remote",
            Inner::Done => "ended",
        };
        f.debug_struct("EventStream").field("kind", &kind).finish_non_exhaustive()
    }
}

impl<T: Event> Stream for EventStream<T> {
    type Item = Result<T, EventStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let inner = self.inner();
        let item = match inner {
            Inner::Done => return Poll::Ready(None),
            Inner::Local(events) => match std::task::ready!(events.as_mut().poll_next(cx)) {
                None => None,
                Some(Ok(event)) => Some(Ok(event)),
                Some(Err(error)) => Some(Err(EventStreamError::local(error))),
            },
            Inner::Remote(remote) => std::task::ready!(remote.poll_event::<T>(cx)),
        };
        // An exception or an error is the last item; so is the end.
        let last = match &item {
            None | Some(Err(_)) => true,
            Some(Ok(event)) => event.is_exception(),
        };
        if last {
            *inner = Inner::Done;
        }
        Poll::Ready(item)
    }
}

impl Remote {
    /// The next event, skipping those of types the union does not know.
    fn poll_event<T: Event>(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, EventStreamError>>> {
        loop {
            let message = match std::task::ready!(self.reader.poll_message(cx)) {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(message)) => message,
            };
            // A signed stream's messages are envelopes: checked when there is a verifier (a
            // server that verified the request), else only opened.
            let opened = match &mut self.verifier {
                Some(verifier) => verifier.verify(&message),
                None if sign::is_signed(&message) => sign::unwrap_envelope(&message),
                None => Ok(Some(message)),
            };
            let message = match opened {
                Err(error) => return Poll::Ready(Some(Err(error))),
                // The signed empty message closes the stream.
                Ok(None) => return Poll::Ready(None),
                Ok(Some(inner)) => inner,
            };
            match read_event::<T>(&message) {
                Ok(None) => continue,
                Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}

/// The event a message holds, by its `:message-type`.
fn read_event<T: Event>(message: &Message) -> Result<Option<T>, EventStreamError> {
    match string_header(message, ":message-type") {
        Some("event" | "exception") => T::from_message(message),
        Some("error") => Err(EventStreamError::new(
            ErrorKind::Remote,
            format!(
                "{}: {}",
                string_header(message, ":error-code").unwrap_or("error"),
                string_header(message, ":error-message").unwrap_or("the other side ended the stream with an error"),
            ),
        )),
        Some(other) => Err(EventStreamError::new(ErrorKind::Message, format!("unknown :message-type `{other}`"))),
        None => Err(EventStreamError::new(ErrorKind::Message, "a message without :message-type")),
    }
}

/// The first message of an event-stream body, which must be the event `event_type` (the RPC
/// protocols' `initial-response`): its payload, and the body that is left, frames after it
/// included.
pub async fn read_initial_message(body: ByteStream, event_type: &str) -> Result<(Bytes, ByteStream), EventStreamError> {
    let mut reader = FrameReader::new(body);
    let message = std::future::poll_fn(|cx| reader.poll_message(cx)).await.unwrap_or_else(|| {
        Err(EventStreamError::new(ErrorKind::Frame, format!("the stream ended before its {event_type} message")))
    })?;
    if string_header(&message, ":event-type") != Some(event_type) {
        return Err(EventStreamError::new(ErrorKind::Message, format!("the first message is not {event_type}")));
    }
    Ok((message.payload().clone(), reader.into_rest()))
}

/// The text of `message`'s string header `name`, if it has one.
pub fn string_header<'m>(message: &'m Message, name: &str) -> Option<&'m str> {
    let header = message.headers().iter().find(|h| h.name().as_str() == name)?;
    header.value().as_string().ok().map(|s| s.as_str())
}

/// The error for an exception of type `name` that the stream's union does not have; its text
/// carries the payload's `message`, when it has one.
#[doc(hidden)]
pub fn unmodeled_exception(name: &str, message: &Message) -> EventStreamError {
    let payload: Option<serde_json::Value> = serde_json::from_slice(message.payload()).ok();
    let text = payload
        .as_ref()
        .and_then(|p| p.get("message").or_else(|| p.get("Message")))
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    EventStreamError::new(ErrorKind::UnmodeledException, format!("{name}: {text}"))
}

/// An error message, for a stream that ends with an error its model does not have.
fn error_message(error: &EventStreamError) -> Message {
    Message::new(Bytes::new())
        .add_header(Header::new(":message-type", HeaderValue::String("error".into())))
        .add_header(Header::new(":error-code", HeaderValue::String(error.code().into())))
        .add_header(Header::new(":error-message", HeaderValue::String(error.message.clone().into())))
}

/// Writes an [`EventStream`] as frames, one per event, asking for the next event only when
/// the body is polled again.
struct Encoder<T> {
    /// A message to send before the events.
    first: Option<Message>,
    events: EventStream<T>,
    signer: Option<Box<dyn MessageSigner>>,
    ended: bool,
}

impl<T: Event> Stream for Encoder<T> {
    type Item = Result<Bytes, EventStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(frame::encode(&first)));
        }
        let message = match std::task::ready!(Pin::new(&mut this.events).poll_next(cx)) {
            Some(Ok(event)) => event.to_message(),
            Some(Err(error)) => Ok(error_message(&error)),
            None => {
                this.ended = true;
                // A signed stream ends with the signed empty message; an unsigned one just ends.
                let end = this.signer.as_mut().and_then(|signer| signer.sign_empty());
                return Poll::Ready(end.map(|message| message.and_then(|m| frame::encode(&m))));
            }
        };
        let framed = message.and_then(|message| match &mut this.signer {
            Some(signer) => signer.sign(message).and_then(|signed| frame::encode(&signed)),
            None => frame::encode(&message),
        });
        Poll::Ready(Some(framed))
    }
}

/// Why an event stream ended early.
#[derive(Debug)]
pub struct EventStreamError {
    kind: ErrorKind,
    message: String,
}

/// What kind of failure an [`EventStreamError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bytes that are not a frame: a bad prelude or CRC, a length beyond the frame or the
    /// limit, a truncated frame.
    Frame,
    /// A frame that is not a message of the model: an unknown `:message-type`, a missing or
    /// mistyped header, a payload that does not parse.
    Message,
    /// An exception type the model does not have.
    UnmodeledException,
    /// The other side ended the stream with an error message.
    Remote,
    /// A message signature that does not verify, or signing that failed.
    Signature,
    /// The transport failed under the stream.
    Transport,
    /// The sending side's own stream of events gave an error.
    Local,
}

impl EventStreamError {
    /// An error of `kind` saying `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    fn local(error: BoxError) -> Self {
        Self::new(ErrorKind::Local, error.to_string())
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The error's text.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `:error-code` an error message for this carries.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Frame | ErrorKind::Message => "SerializationException",
            ErrorKind::Signature => "InvalidSignatureException",
            _ => "InternalFailure",
        }
    }
}

impl fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Frame => "event stream frame error",
            ErrorKind::Message => "event stream message error",
            ErrorKind::UnmodeledException => "unmodeled exception in event stream",
            ErrorKind::Remote => "event stream ended with an error",
            ErrorKind::Signature => "event stream signature error",
            ErrorKind::Transport => "event stream transport error",
            ErrorKind::Local => "event stream source error",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for EventStreamError {}
