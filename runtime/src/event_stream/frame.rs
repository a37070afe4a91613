//! Frames on the wire: written with `aws-smithy-eventstream`, and read from a body with a
//! bound on how much a frame may make us hold.

use std::pin::Pin;
use std::task::{Context, Poll};

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;

use super::{ErrorKind, EventStreamError, Message};
use crate::ByteStream;

/// The largest frame read: a 16 MiB payload (the most AWS services take in one event) with
/// room for its headers. A prelude that declares more is refused before anything is kept.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024 + 128 * 1024;

/// A prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;

/// The smallest frame: a prelude and the message CRC.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;

/// `message` as one frame.
pub(super) fn encode(message: &Message) -> Result<Bytes, EventStreamError> {
    let mut frame = Vec::with_capacity(message.payload().len() + 64);
    write_message_to(message, &mut frame)
        .map_err(|error| EventStreamError::new(ErrorKind::Message, format!("cannot write the message: {error}")))?;
    Ok(Bytes::from(frame))
}

/// Decodes one whole frame (both CRCs are checked).
pub fn decode(frame: Bytes) -> Result<Message, EventStreamError> {
    read_message_from(frame).map_err(|error| EventStreamError::new(ErrorKind::Frame, error.to_string()))
}

/// The frames of a body, as they arrive.
pub(super) struct FrameReader {
    body: ByteStream,
    buffer: BytesMut,
    ended: bool,
}

impl FrameReader {
    /// A reader over `body`.
    pub(super) fn new(body: ByteStream) -> Self {
        Self { body, buffer: BytesMut::new(), ended: false }
    }

    /// The bytes not read yet: what is buffered, then the rest of the body.
    pub(super) fn into_rest(self) -> ByteStream {
        if self.buffer.is_empty() {
            return self.body;
        }
        let buffered = futures_util::stream::iter([Ok(self.buffer.freeze())]);
        ByteStream::from_stream(futures_util::StreamExt::chain(buffered, self.body))
    }

    /// The next message, `None` at the end of the body between frames.
    pub(super) fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Message, EventStreamError>>> {
        loop {
            match next_frame_len(&self.buffer) {
                Err(error) => return Poll::Ready(Some(Err(error))),
                Ok(Some(len)) if self.buffer.len() >= len => {
                    let frame = self.buffer.split_to(len).freeze();
                    return Poll::Ready(Some(decode(frame)));
                }
                Ok(_) => {}
            }
            if self.ended {
                if self.buffer.is_empty() {
                    return Poll::Ready(None);
                }
                let why = format!("the body ended inside a frame ({} bytes of it)", self.buffer.len());
                self.buffer.clear();
                return Poll::Ready(Some(Err(EventStreamError::new(ErrorKind::Frame, why))));
            }
            match std::task::ready!(Pin::new(&mut self.body).poll_next(cx)) {
                None => self.ended = true,
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(error)) => {
                    self.ended = true;
                    self.buffer.clear();
                    return Poll::Ready(Some(Err(EventStreamError::new(ErrorKind::Transport, error.to_string()))));
                }
            }
        }
    }
}

/// The length of the frame at the start of `buffer`, once its prelude is in; a prelude whose
/// CRC is wrong, or a length outside the frame limits, is an error before any more of the
/// frame is kept.
fn next_frame_len(buffer: &[u8]) -> Result<Option<usize>, EventStreamError> {
    if buffer.len() < PRELUDE_LEN {
        return Ok(None);
    }
    let claimed_crc = (&buffer[8..12]).get_u32();
    if crc32fast::hash(&buffer[..8]) != claimed_crc {
        return Err(EventStreamError::new(ErrorKind::Frame, "the prelude's CRC does not match"));
    }
    let total = (&buffer[..4]).get_u32() as usize;
    if !(MIN_MESSAGE_LEN..=MAX_MESSAGE_LEN).contains(&total) {
        let why = format!("a frame of {total} bytes (frames are {MIN_MESSAGE_LEN} to {MAX_MESSAGE_LEN} bytes)");
        return Err(EventStreamError::new(ErrorKind::Frame, why));
    }
    Ok(Some(total))
}
