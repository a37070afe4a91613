//! The `event_stream` target: bytes as an event-stream body (`application/vnd.amazon.eventstream`)
//! read by `EventStream::<ChatEvents>::from_body`, the receiving side of the generated client
//! and server, over the `event_streams` fixture's union (headers of every type, blob, string
//! and structure payloads, an `@error` member).
//!
//! The first byte is the layout of the body, the rest its bytes:
//!
//! - bits 0 to 3: the size of its chunks ([`CHUNK_SIZES`], 15 for sizes of 1 to 40 that vary),
//!   so that preludes, headers and CRCs straddle chunk boundaries;
//! - bit 4: every whole frame's two CRCs (and those of a frame that is a frame's whole payload,
//!   a signed envelope's) are put right first, so that mutations get past them to the headers;
//! - bit 5: an empty chunk before each chunk;
//! - bit 6: the body is pending (and wakes itself) before each chunk;
//! - bit 7: the body fails (a transport error) where it would end.
//!
//! The body is read to its end on a current-thread tokio runtime: every item must be a clean
//! `Ok` or `Err`, never a panic or a hang, an `Err` or a modeled exception is the last item (the
//! next `recv` is `Ok(None)`, and stays so), and then:
//!
//! - the same bytes in one chunk give the same items (chunk boundaries change nothing);
//! - a plain walk over the frames with `aws-smithy-eventstream`'s `read_message_from` and the
//!   runtime's public pieces (`sign::unwrap_envelope`, `Event::from_message`) gives the same
//!   events and the same kind of end;
//! - the same chunks in a body that never ends give the same items up to the point where only
//!   the end of the body could decide (a prelude with a wrong CRC, or declaring a length out of
//!   bounds, more than `MAX_MESSAGE_LEN` among them, is an error at once, without waiting for
//!   the frame's bytes);
//! - an event written back as a message (`Event::to_message`) reads back as itself;
//! - and, whatever the input, a prelude declaring more than `MAX_MESSAGE_LEN` (a length the
//!   input picks) is an `Err` of kind `Frame` as soon as its 12 bytes are in.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use bytes::Bytes;
use fixture_event_streams::types::ChatEvents;
use smithy_runtime::event_stream::{sign, string_header, ErrorKind, Event, EventStreamError, MAX_MESSAGE_LEN};
use smithy_runtime::futures_core::Stream;
use smithy_runtime::{ByteStream, EventStream};

/// The chunk sizes bits 0 to 3 of the first byte pick (`usize::MAX`: the body in one chunk);
/// 15 is sizes of 1 to 40 that vary.
pub const CHUNK_SIZES: [usize; 15] = [usize::MAX, 1, 2, 3, 4, 5, 7, 11, 12, 13, 16, 17, 64, 100, 1024];

/// A prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// The smallest frame: a prelude and the message CRC.
const MIN_FRAME_LEN: usize = PRELUDE_LEN + 4;
/// Longer than any run of the target takes: a stream that has not ended by then hangs.
const HANG: Duration = Duration::from_secs(10);

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime"));

/// What reading a body gave: its events in order, and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The events, a modeled exception (the last) among them.
    pub events: Vec<ChatEvents>,
    /// The last item.
    pub end: End,
}

/// How a stream ended.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// `Ok(None)`: the body ended between frames, the signed empty message closed the stream,
    /// or a modeled exception was the last event.
    Ended,
    /// An `Err` item, of this kind and text.
    Error(ErrorKind, String),
    /// Over a body that never ends: the stream waits for more bytes.
    Waiting,
}

impl End {
    fn kind(&self) -> Option<ErrorKind> {
        match self {
            End::Error(kind, _) => Some(*kind),
            _ => None,
        }
    }
}

/// How the body is cut and how it ends, from the first byte.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// The index of the chunk size (15: varying).
    chunking: u8,
    fix_crcs: bool,
    empty_chunks: bool,
    pending: bool,
    fail: bool,
}

impl Layout {
    fn new(mode: u8) -> Self {
        Self {
            chunking: mode & 0x0F,
            fix_crcs: mode & 0x10 != 0,
            empty_chunks: mode & 0x20 != 0,
            pending: mode & 0x40 != 0,
            fail: mode & 0x80 != 0,
        }
    }

    /// The same, with the body in one chunk.
    fn whole(self) -> Self {
        Self { chunking: 0, ..self }
    }

    fn chunks(self, body: &Bytes) -> VecDeque<Bytes> {
        let mut chunks = VecDeque::new();
        let mut at = 0;
        // A small xorshift for the varying sizes, seeded by the length.
        let mut state = (body.len() as u32).wrapping_mul(0x9E37_79B9) | 1;
        while at < body.len() {
            let size = match CHUNK_SIZES.get(usize::from(self.chunking)) {
                Some(&size) => size,
                None => {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    1 + (state % 40) as usize
                }
            };
            let end = at.saturating_add(size).min(body.len());
            chunks.push_back(body.slice(at..end));
            at = end;
        }
        chunks
    }
}

/// What the body does after its last chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    End,
    Fail,
    /// Never ends: pending for ever (and never wakes).
    Open,
}

/// A body made of chunks, as the layout says.
struct Body {
    chunks: VecDeque<Bytes>,
    layout: Layout,
    tail: Tail,
    /// Whether this chunk's pending poll, and its empty chunk, have been given.
    stalled: bool,
    emptied: bool,
}

impl Body {
    fn new(body: &Bytes, layout: Layout, tail: Tail) -> Self {
        Self { chunks: layout.chunks(body), layout, tail, stalled: false, emptied: false }
    }
}

impl Stream for Body {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.layout.pending && !this.stalled {
            this.stalled = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if this.layout.empty_chunks && !this.emptied {
            this.emptied = true;
            return Poll::Ready(Some(Ok(Bytes::new())));
        }
        if let Some(chunk) = this.chunks.pop_front() {
            this.stalled = false;
            this.emptied = false;
            return Poll::Ready(Some(Ok(chunk)));
        }
        match this.tail {
            Tail::End => Poll::Ready(None),
            Tail::Fail => {
                this.tail = Tail::End;
                Poll::Ready(Some(Err(std::io::Error::other("the connection broke"))))
            }
            Tail::Open => Poll::Pending,
        }
    }
}

fn stream(body: &Bytes, layout: Layout, tail: Tail) -> EventStream<ChatEvents> {
    EventStream::from_body(ByteStream::from_stream(Body::new(body, layout, tail)), None)
}

/// Reads `data` as the module documentation says; a broken property panics.
pub fn event_stream(data: &[u8]) {
    let _ = outcome(data);
}

/// What the body `data` describes gave, after every check of the target; `None` for an empty
/// input.
pub fn outcome(data: &[u8]) -> Option<Outcome> {
    let (&mode, rest) = data.split_first()?;
    let layout = Layout::new(mode);
    let mut bytes = rest.to_vec();
    if layout.fix_crcs {
        fix_crcs(&mut bytes);
    }
    let body = Bytes::from(bytes);
    let tail = if layout.fail { Tail::Fail } else { Tail::End };

    let read = drain(stream(&body, layout, tail));
    if layout.chunking != 0 {
        let whole = drain(stream(&body, layout.whole(), tail));
        assert_eq!(read, whole, "{layout:?} and the body in one chunk read differently");
    }
    assert!(read.events.len() <= body.len() / MIN_FRAME_LEN, "{} events from {} bytes", read.events.len(), body.len());

    let (expected, by_the_end) = reference(&body, layout.fail);
    assert_eq!(read.events, expected.events, "the events differ from a plain walk over the frames");
    assert_eq!(read.end.kind(), expected.end.kind(), "the end differs from a plain walk: {:?}", read.end);

    let open = read_open(&body, layout);
    assert_eq!(open.events, read.events, "a body that never ends gives other events");
    if by_the_end {
        assert_eq!(open.end, End::Waiting, "the end of the body decides, yet {:?} came without it", open.end);
    } else {
        assert_eq!(open.end, read.end, "a body that never ends ends otherwise");
    }

    for event in &read.events {
        round_trip(event);
    }
    oversized(layout, rest);
    Some(read)
}

/// Reads `stream` to its end (with tokio, as the client and server do).
fn drain(mut stream: EventStream<ChatEvents>) -> Outcome {
    RUNTIME.block_on(async {
        let read = async {
            let mut events = Vec::new();
            let end = loop {
                match stream.recv().await {
                    Ok(Some(event)) => events.push(event),
                    Ok(None) => break End::Ended,
                    Err(error) => break ended_by(&error),
                }
            };
            // The end is the end: nothing comes after an error, an exception or `Ok(None)`.
            for _ in 0..2 {
                let after = stream.recv().await;
                assert!(matches!(after, Ok(None)), "after {end:?}, {after:?}");
            }
            Outcome { events, end }
        };
        let outcome = tokio::time::timeout(HANG, read).await.expect("the stream hangs");
        if let Some(position) = outcome.events.iter().position(Event::is_exception) {
            assert_eq!(position + 1, outcome.events.len(), "events after the exception: {:?}", outcome.events);
        }
        outcome
    })
}

fn ended_by(error: &EventStreamError) -> End {
    // Its text and error code are written out for the other side: they must not fail.
    let _ = (error.to_string(), error.code());
    End::Error(error.kind(), error.message().to_owned())
}

/// Records that it was woken.
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Reads the chunks of `body` as they are, followed by no end: polled by hand until the stream
/// ends or waits without having asked to be woken.
fn read_open(body: &Bytes, layout: Layout) -> Outcome {
    let mut stream = stream(body, layout, Tail::Open);
    let woken = Arc::new(Woken(AtomicBool::new(false)));
    let waker = Waker::from(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    // Each wake is one of the body's pending polls, two per chunk at most.
    let mut wakes_left = 2 * body.len() + 8;
    let mut events = Vec::new();
    let end = loop {
        match Pin::new(&mut stream).poll_next(&mut cx) {
            Poll::Pending if woken.0.swap(false, Ordering::SeqCst) => {
                wakes_left = wakes_left.checked_sub(1).expect("the stream keeps waking itself");
            }
            Poll::Pending => break End::Waiting,
            Poll::Ready(None) => break End::Ended,
            Poll::Ready(Some(Ok(event))) => events.push(event),
            Poll::Ready(Some(Err(error))) => break ended_by(&error),
        }
    };
    if end != End::Waiting {
        let after = Pin::new(&mut stream).poll_next(&mut cx);
        assert!(matches!(after, Poll::Ready(None)), "after {end:?}, {after:?}");
    }
    Outcome { events, end }
}

/// The frames of `body` read one after the other with `aws-smithy-eventstream` and the
/// runtime's public pieces, as a plain loop; the errors' texts are left empty. Also whether the
/// end of the body decided the outcome (the body ended between frames, inside one, or failed).
fn reference(body: &[u8], fail: bool) -> (Outcome, bool) {
    let at_the_end = |kind| (End::Error(if fail { ErrorKind::Transport } else { kind }, String::new()), true);
    let error = |kind| (End::Error(kind, String::new()), false);
    let mut events = Vec::new();
    let mut rest = body;
    let (end, by_the_end) = loop {
        if rest.is_empty() {
            break if fail { at_the_end(ErrorKind::Transport) } else { (End::Ended, true) };
        }
        if rest.len() < PRELUDE_LEN {
            break at_the_end(ErrorKind::Frame);
        }
        // A prelude is judged as soon as it is in: its CRC, then the length it declares.
        let prelude_crc = u32::from_be_bytes([rest[8], rest[9], rest[10], rest[11]]);
        if crc32fast::hash(&rest[..8]) != prelude_crc {
            break error(ErrorKind::Frame);
        }
        let total = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if !(MIN_FRAME_LEN..=MAX_MESSAGE_LEN).contains(&total) {
            break error(ErrorKind::Frame);
        }
        if rest.len() < total {
            break at_the_end(ErrorKind::Frame);
        }
        let (frame, after) = rest.split_at(total);
        rest = after;
        let Ok(message) = read_message_from(frame) else { break error(ErrorKind::Frame) };
        let message = if sign::is_signed(&message) {
            match sign::unwrap_envelope(&message) {
                Ok(None) => break (End::Ended, false),
                Ok(Some(inner)) => inner,
                Err(e) => break error(e.kind()),
            }
        } else {
            message
        };
        match string_header(&message, ":message-type") {
            Some("event" | "exception") => match ChatEvents::from_message(&message) {
                Ok(None) => {}
                Ok(Some(event)) => {
                    let last = event.is_exception();
                    events.push(event);
                    if last {
                        break (End::Ended, false);
                    }
                }
                Err(e) => break error(e.kind()),
            },
            Some("error") => break error(ErrorKind::Remote),
            _ => break error(ErrorKind::Message),
        }
    };
    (Outcome { events, end }, by_the_end)
}

/// An event written as a message and framed reads back as itself.
fn round_trip(event: &ChatEvents) {
    // Not every event read can be written (a string header over 32 KiB, say); those are fine.
    let Ok(message) = event.to_message() else { return };
    let mut frame = Vec::new();
    if write_message_to(&message, &mut frame).is_err() {
        return;
    }
    let again = read_message_from(&frame[..]).expect("a frame just written reads");
    match ChatEvents::from_message(&again) {
        Ok(Some(read)) if read == *event => {}
        other => panic!("{event:?} written as {message:?} reads back as {other:?}"),
    }
}

/// A prelude declaring more than `MAX_MESSAGE_LEN` (by an amount `data` picks), in the layout's
/// chunks, over a body that never ends: an error at once.
fn oversized(layout: Layout, data: &[u8]) {
    let max = MAX_MESSAGE_LEN as u32;
    let pick = data.iter().fold(0u32, |hash, &byte| hash.rotate_left(5) ^ u32::from(byte));
    let declared = max + 1 + pick % (u32::MAX - max);
    let mut frame = Vec::with_capacity(PRELUDE_LEN + 16);
    frame.extend_from_slice(&declared.to_be_bytes());
    frame.extend_from_slice(&(pick >> 16).to_be_bytes());
    frame.extend_from_slice(&crc32(&frame).to_be_bytes());
    frame.extend_from_slice(&data[..data.len().min(16)]);
    let read = read_open(&Bytes::from(frame), layout);
    assert!(read.events.is_empty() && read.end.kind() == Some(ErrorKind::Frame), "{declared} bytes declared: {read:?}");
}

/// Puts right the prelude CRC of each frame of `body` and the message CRC of each whole one,
/// first those of a whole frame's payload that is itself exactly one frame (an envelope's).
pub fn fix_crcs(mut body: &mut [u8]) {
    while body.len() >= PRELUDE_LEN {
        let total = u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize;
        let crc = crc32(&body[..8]);
        body[8..PRELUDE_LEN].copy_from_slice(&crc.to_be_bytes());
        if total < MIN_FRAME_LEN || total > body.len() {
            return;
        }
        let (frame, rest) = std::mem::take(&mut body).split_at_mut(total);
        let headers = u32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]) as usize;
        if let Some(start) = PRELUDE_LEN.checked_add(headers).filter(|start| start + 4 <= total) {
            let payload = &mut frame[start..total - 4];
            let declared = payload.get(..4).map(|len| u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize);
            if payload.len() >= MIN_FRAME_LEN && declared == Some(payload.len()) {
                fix_crcs(payload);
            }
        }
        let crc = crc32(&frame[..total - 4]);
        frame[total - 4..].copy_from_slice(&crc.to_be_bytes());
        body = rest;
    }
}

/// The CRC-32 (IEEE) the frames carry.
pub fn crc32(bytes: &[u8]) -> u32 {
    static TABLE: LazyLock<[u32; 256]> = LazyLock::new(|| {
        let mut table = [0u32; 256];
        for (n, entry) in (0u32..).zip(table.iter_mut()) {
            *entry = (0..8).fold(n, |c, _| if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 });
        }
        table
    });
    !bytes.iter().fold(!0u32, |crc, &byte| TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8))
}
