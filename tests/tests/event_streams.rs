//! Event streams through the generated client and server (tests/fixtures/models/event_streams.smithy,
//! restJson1): an output stream of every payload kind and header type, a modeled exception
//! mid-stream, an unmodeled error, an input stream, both ways at once, signed messages
//! checked by the server (and a forged one refused), over the in-process transport and over
//! TCP, and what a slow reader does to the writer.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use fixture_event_streams::client::{Client, Config, RetryConfig};
use fixture_event_streams::error::*;
use fixture_event_streams::server::{server, ServerConfig};
use fixture_event_streams::service::Events;
use fixture_event_streams::types::*;
use futures_util::StreamExt;
use smithy_runtime::client::{BoxFuture, ServiceTransport, Transport, TransportError};
use smithy_runtime::event_stream::Message;
use smithy_runtime::event_stream::{ErrorKind, Event};
use smithy_runtime::ByteStream;
use smithy_runtime::{Blob, DateTime, EventStream};

const KEY: (&str, &str) = ("AKIDEVENTS", "events-secret");

/// Answers chats from the prompt, counts uploads, echoes; counts the events it has produced.
#[derive(Clone, Default)]
struct Chat {
    produced: Arc<AtomicUsize>,
    /// The answers whose stream is still held by the server.
    held: Arc<AtomicUsize>,
}

/// Counts down when the stream that holds it is dropped.
struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn token(seq: i32, text: &str) -> ChatEvents {
    ChatEvents::Token(Token::builder().seq(seq).text(text).build().unwrap())
}

impl Events for Chat {
    async fn chat(&self, input: ChatInput) -> Result<ChatOutput, ChatError> {
        let count = input.count.unwrap_or(3);
        let events: Vec<ChatEvents> = match input.prompt.as_str() {
            "bad" => return Err(BadPrompt::builder().message("no").build().into()),
            "throttle" => {
                vec![
                    token(0, "a"),
                    token(1, "b"),
                    ChatEvents::Throttled(Throttled::builder().message("slow down").build()),
                ]
            }
            "fail" => {
                let first = futures_util::stream::iter([Ok(token(0, "a"))]);
                let failed = futures_util::stream::iter([Err(std::io::Error::other("the model broke"))]);
                let events = EventStream::from_stream(first.chain(failed));
                return Ok(ChatOutput::builder().events(events).build());
            }
            "held" => {
                // One event, then nothing, holding a guard the test watches for its drop.
                let guard = Guard(self.held.clone());
                self.held.fetch_add(1, Ordering::SeqCst);
                let first = futures_util::stream::iter([Ok::<_, std::io::Error>(token(0, "held"))]);
                let rest = futures_util::stream::pending::<Result<ChatEvents, std::io::Error>>().inspect(move |_| {
                    let _ = &guard;
                });
                return Ok(ChatOutput::builder().events(EventStream::from_stream(first.chain(rest))).build());
            }
            "many" => {
                // Made as they are asked for, so that the count shows how far the writer got.
                let produced = self.produced.clone();
                let events = futures_util::stream::iter(0..count).map(move |seq| {
                    produced.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, std::io::Error>(token(seq, "x"))
                });
                return Ok(ChatOutput::builder().events(EventStream::from_stream(events)).build());
            }
            _ => {
                let mut events: Vec<ChatEvents> = (0..count).map(|seq| token(seq, &input.prompt)).collect();
                events.extend(every_kind());
                events
            }
        };
        Ok(ChatOutput::builder().session(format!("s-{}", input.room)).events(EventStream::from_events(events)).build())
    }

    async fn upload(&self, mut input: UploadInput) -> Result<UploadOutput, UploadError> {
        let (mut chunks, mut bytes) = (0, 0);
        loop {
            match input.chunks.recv().await {
                Ok(Some(UploadEvents::Chunk(chunk))) => {
                    chunks += 1;
                    bytes += chunk.bytes.as_ref().len() as i64;
                }
                Ok(Some(UploadEvents::End(_)) | None) => break,
                Ok(Some(_)) => {}
                Err(error) => {
                    let status = if error.kind() == ErrorKind::Signature { 403 } else { 400 };
                    return Err(
                        smithy_runtime::error::Unhandled::new(error.code(), Some(error.to_string()), status).into()
                    );
                }
            }
        }
        Ok(UploadOutput::builder().chunks(chunks).bytes(bytes).build().unwrap())
    }

    async fn echo(&self, input: EchoInput) -> Result<EchoOutput, EchoError> {
        Ok(EchoOutput::builder().events(EventStream::from_stream(input.events)).build().unwrap())
    }
}

/// One event of each payload kind and one of every header type.
fn every_kind() -> Vec<ChatEvents> {
    vec![
        ChatEvents::Data(Data::builder().bytes(Blob::new(vec![0, 1, 2, 255])).build()),
        ChatEvents::Note(Note::builder().text("plain text").build()),
        ChatEvents::Usage(UsageEvent::builder().usage(Usage::builder().input(3).output(5).build()).build()),
        ChatEvents::Headers(
            AllHeaders::builder()
                .flag(true)
                .small(-7)
                .short(-300)
                .int(70_000)
                .long(1 << 40)
                .blob(Blob::new(b"bytes".to_vec()))
                .text("héllo")
                .time(DateTime::from_secs(1_700_000_000))
                .when(DateTime::from_secs(1_700_000_001))
                .rest("in the payload")
                .build(),
        ),
        ChatEvents::Done(Done::builder().at(DateTime::from_secs(1_700_000_002)).reason("stop").build()),
    ]
}

fn client_of(service: Chat, config: ServerConfig, signed: bool) -> Client {
    let transport = ServiceTransport::new(server(service, config));
    let mut config = Config::new()
        .endpoint_url("http://events.local")
        .region("us-east-1")
        .retry(RetryConfig::disabled())
        .transport(transport);
    if signed {
        config = config.credentials(KEY.0, KEY.1, None);
    }
    Client::new(config).unwrap()
}

async fn collect(mut events: EventStream<ChatEvents>) -> (Vec<ChatEvents>, Option<smithy_runtime::EventStreamError>) {
    let mut got = Vec::new();
    loop {
        match events.recv().await {
            Ok(Some(event)) => got.push(event),
            Ok(None) => return (got, None),
            Err(error) => return (got, Some(error)),
        }
    }
}

#[tokio::test]
async fn an_output_stream_carries_every_payload_kind_and_header_type() {
    let client = client_of(Chat::default(), ServerConfig::new(), false);
    let output = client.chat().room("r1").prompt("hi").count(2).send().await.unwrap();
    assert_eq!(output.session.as_deref(), Some("s-r1"));
    let (events, error) = collect(output.events.unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    let mut expected = vec![token(0, "hi"), token(1, "hi")];
    expected.extend(every_kind());
    assert_eq!(events, expected);
}

#[tokio::test]
async fn a_modeled_exception_is_the_last_event() {
    let client = client_of(Chat::default(), ServerConfig::new(), false);
    let output = client.chat().room("r").prompt("throttle").send().await.unwrap();
    let (events, error) = collect(output.events.unwrap()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events.len(), 3);
    assert!(events[2].is_exception());
    assert!(matches!(&events[2], ChatEvents::Throttled(t) if t.message.as_deref() == Some("slow down")));
}

#[tokio::test]
async fn an_unmodeled_error_ends_the_stream_with_an_error() {
    let client = client_of(Chat::default(), ServerConfig::new(), false);
    let output = client.chat().room("r").prompt("fail").send().await.unwrap();
    let (events, error) = collect(output.events.unwrap()).await;
    assert_eq!(events, [token(0, "a")]);
    let error = error.expect("the stream ended without its error");
    assert_eq!(error.kind(), ErrorKind::Remote);
    assert!(error.to_string().contains("the model broke"), "{error}");
}

#[tokio::test]
async fn an_error_before_the_stream_is_the_operation_error() {
    let client = client_of(Chat::default(), ServerConfig::new(), false);
    let error = client.chat().room("r").prompt("bad").send().await.unwrap_err();
    assert!(matches!(error, ChatError::BadPrompt(_)), "{error}");
}

#[tokio::test]
async fn an_input_stream_arrives_signed_and_checked() {
    let config = ServerConfig::new().access_key(KEY.0, KEY.1);
    let client = client_of(Chat::default(), config, true);
    let chunks =
        (0..50).map(|i| UploadEvents::Chunk(Chunk::builder().bytes(Blob::new(vec![i as u8; i])).build().unwrap()));
    let output =
        client.upload().name("n").chunks(EventStream::from_events(chunks.collect::<Vec<_>>())).send().await.unwrap();
    assert_eq!(output.chunks, 50);
    assert_eq!(output.bytes, (0..50).sum::<i64>());
}

/// A client of the server at `address` over TCP, signing when `signed`.
fn tcp_config(address: std::net::SocketAddr, signed: bool) -> Config {
    let config =
        Config::new().endpoint_url(format!("http://{address}")).region("us-east-1").retry(RetryConfig::disabled());
    if signed {
        config.credentials(KEY.0, KEY.1, None)
    } else {
        config
    }
}

/// Sends `rounds` events through Echo one at a time, each only once the previous one has come
/// back: only a transport that streams both ways at once gets through this.
async fn ping_pong(client: &Client, rounds: i32) {
    let (sender, receiver) = tokio::sync::mpsc::channel::<ChatEvents>(1);
    let outgoing = futures_util::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|e| (Ok::<_, std::io::Error>(e), r))
    });
    let output = client.echo().events(EventStream::from_stream(outgoing)).send();
    sender.send(token(0, "echo")).await.unwrap();
    let mut echoed = output.await.unwrap().events;
    for seq in 1..rounds {
        let got = tokio::time::timeout(Duration::from_secs(5), echoed.recv()).await.expect("no echo").unwrap();
        assert_eq!(got, Some(token(seq - 1, "echo")));
        sender.send(token(seq, "echo")).await.unwrap();
    }
    drop(sender);
    assert_eq!(echoed.recv().await.unwrap(), Some(token(rounds - 1, "echo")));
    assert_eq!(echoed.recv().await.unwrap(), None);
}

#[tokio::test]
async fn both_ways_at_once_over_tcp() {
    let (address, task) = serving(Chat::default(), ServerConfig::new().access_key(KEY.0, KEY.1)).await;
    ping_pong(&Client::new(tcp_config(address, true)).unwrap(), 20).await;
    task.abort();
}

#[tokio::test]
async fn a_slow_reader_slows_the_writer() {
    let chat = Chat::default();
    let (address, task) = serving(chat.clone(), ServerConfig::new()).await;
    let client = Client::new(tcp_config(address, false)).unwrap();
    let output = client.chat().room("r").prompt("many").count(1_000_000).send().await.unwrap();
    let mut events = output.events.unwrap();
    for _ in 0..10 {
        events.recv().await.unwrap().unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The socket buffers hold some frames (a few hundred kilobytes); the rest were never made.
    let produced = chat.produced.load(Ordering::SeqCst);
    assert!(produced < 100_000, "the writer ran ahead of the reader: {produced} events made");
    drop(events);
    task.abort();
}

/// Sends through the inner transport with each frame of a request body (its index, its
/// bytes) rewritten by the function.
struct Rewrite<T>(T, fn(usize, bytes::Bytes) -> bytes::Bytes);

impl<T: Transport> Transport for Rewrite<T> {
    fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>> {
        self.0.send(request)
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        let (parts, body) = request.into_parts();
        let rewrite = self.1;
        let rewritten = body.enumerate().map(move |(index, frame)| frame.map(|frame| rewrite(index, frame)));
        self.0.send_streaming(http::Request::from_parts(parts, ByteStream::from_stream(rewritten)))
    }
}

fn encode(message: &Message) -> bytes::Bytes {
    let mut out = Vec::new();
    write_message_to(message, &mut out).unwrap();
    bytes::Bytes::from(out)
}

/// Changes the event inside the third signed message, keeping both frames' CRCs right: only
/// the signature can tell.
fn forge_third(index: usize, frame: bytes::Bytes) -> bytes::Bytes {
    if index != 2 {
        return frame;
    }
    let outer = read_message_from(frame).unwrap();
    let inner = read_message_from(outer.payload().clone()).unwrap();
    let forged = Message::new_from_parts(inner.headers().to_vec(), bytes::Bytes::from_static(b"forged"));
    encode(&Message::new_from_parts(outer.headers().to_vec(), encode(&forged)))
}

/// Sends each message without its signature (the signed end message as an empty event).
fn unsign(_: usize, frame: bytes::Bytes) -> bytes::Bytes {
    let outer = read_message_from(frame).unwrap();
    outer.payload().clone()
}

fn signed_client_over(rewrite: fn(usize, bytes::Bytes) -> bytes::Bytes) -> Client {
    let config = ServerConfig::new().access_key(KEY.0, KEY.1);
    let transport = Rewrite(ServiceTransport::new(server(Chat::default(), config)), rewrite);
    let config = Config::new()
        .endpoint_url("http://events.local")
        .region("us-east-1")
        .credentials(KEY.0, KEY.1, None)
        .retry(RetryConfig::disabled())
        .transport(transport);
    Client::new(config).unwrap()
}

fn five_chunks() -> EventStream<UploadEvents> {
    let chunk = || UploadEvents::Chunk(Chunk::builder().bytes(Blob::new(b"data".to_vec())).build().unwrap());
    EventStream::from_events((0..5).map(|_| chunk()).collect::<Vec<_>>())
}

#[tokio::test]
async fn a_forged_message_is_refused_by_the_server() {
    let client = signed_client_over(forge_third);
    let error = client.upload().name("n").chunks(five_chunks()).send().await.unwrap_err();
    assert_eq!(error.http_status(), 403, "{error}");
    assert!(error.to_string().contains("signature does not match"), "{error}");
}

#[tokio::test]
async fn unsigned_messages_are_refused_when_the_request_is_signed_for_events() {
    let client = signed_client_over(unsign);
    let error = client.upload().name("n").chunks(five_chunks()).send().await.unwrap_err();
    assert_eq!(error.http_status(), 403, "{error}");
    assert!(error.to_string().contains("no :chunk-signature"), "{error}");
}

#[tokio::test]
async fn the_untouched_signed_stream_passes_the_same_path() {
    // The control for the two above: the same rewriting transport, leaving frames as they are.
    let client = signed_client_over(|_, frame| frame);
    let output = client.upload().name("n").chunks(five_chunks()).send().await.unwrap();
    assert_eq!((output.chunks, output.bytes), (5, 20));
}

/// A server on a free port for `chat`, with `config`; its address and the task serving it.
async fn serving(chat: Chat, config: ServerConfig) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(fixture_event_streams::server::serve(
        listener,
        server(chat, config),
        tokio::time::sleep(Duration::from_secs(30)),
        Duration::from_secs(1),
    ));
    (address, task)
}

#[tokio::test]
async fn a_client_that_goes_away_frees_the_handlers_stream() {
    let chat = Chat::default();
    let (address, task) = serving(chat.clone(), ServerConfig::new()).await;
    let client = Client::new(tcp_config(address, false)).unwrap();
    let output = client.chat().room("r").prompt("held").send().await.unwrap();
    let mut events = output.events.unwrap();
    assert_eq!(events.recv().await.unwrap(), Some(token(0, "held")));
    assert_eq!(chat.held.load(Ordering::SeqCst), 1);
    // The client drops the stream (and with it the connection) mid-answer.
    drop(events);
    drop(client);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while chat.held.load(Ordering::SeqCst) != 0 {
        assert!(tokio::time::Instant::now() < deadline, "the handler's stream outlived its client");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    task.abort();
}

#[tokio::test]
async fn a_stalled_input_stream_is_ended_by_the_servers_timeout() {
    let config = ServerConfig::new().request_timeout(Duration::from_millis(300));
    let (address, task) = serving(Chat::default(), config).await;
    let client = Client::new(tcp_config(address, false)).unwrap();
    // One chunk, then nothing and no end.
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>(UploadEvents::Chunk(
        Chunk::builder().bytes(Blob::new(b"x".to_vec())).build().unwrap(),
    ))]);
    let stalled = EventStream::from_stream(first.chain(futures_util::stream::pending()));
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(10), client.upload().name("n").chunks(stalled).send()).await;
    let error = outcome.expect("the stalled stream was not ended").unwrap_err();
    assert_eq!(error.http_status(), 400, "{error}");
    assert!(error.to_string().contains("transport"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    task.abort();
}

#[tokio::test]
async fn both_ways_at_once_over_h2c() {
    use smithy_runtime::client::HyperTransport;
    let (address, task) = serving(Chat::default(), ServerConfig::new().access_key(KEY.0, KEY.1)).await;
    let h2c = Client::new(tcp_config(address, true).transport(HyperTransport::http2_prior_knowledge(None))).unwrap();
    ping_pong(&h2c, 50).await;
    // The same server still speaks HTTP/1.1 to a client that does.
    let plain = Client::new(tcp_config(address, true)).unwrap();
    let output = plain.chat().room("r").prompt("hi").count(1).send().await.unwrap();
    assert_eq!(collect(output.events.unwrap()).await.0.len(), 1 + every_kind().len());
    task.abort();
}
