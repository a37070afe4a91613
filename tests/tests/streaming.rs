//! `@streaming` blobs through the generated client and server (tests/fixtures/models/streaming.json):
//! small bodies round-trip exactly, a streamed member is not held to the body limit while a
//! plain payload is, a stalled upload is ended by the request timeout, and signing works
//! both as our client signs streams (`UNSIGNED-PAYLOAD`) and over the body's hash.
//! The 1 GiB run is its own test binary (`streaming_gib.rs`), so nothing here pollutes its
//! memory figure.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use fixture_streaming::client::{Client, Config, RetryConfig, Timeouts, Transport};
use fixture_streaming::error::*;
use fixture_streaming::server::{server, ServerConfig};
use fixture_streaming::service::Streaming;
use fixture_streaming::types::*;
use smithy_runtime::byte_stream::ByteStreamErrorKind;
use smithy_runtime::client::{BoxFuture, ServiceTransport, TransportError};
use smithy_runtime::error::Unhandled;
use smithy_runtime::ByteStream;

/// Keeps uploads by name, and what went wrong while reading one.
#[derive(Clone, Default)]
struct Store {
    objects: Arc<Mutex<BTreeMap<String, Bytes>>>,
    read_errors: Arc<Mutex<Vec<ByteStreamErrorKind>>>,
}

impl Streaming for Store {
    async fn upload(&self, mut input: UploadInput) -> Result<UploadOutput, UploadError> {
        // Read chunk by chunk, as a handler that forwards the bytes elsewhere would.
        let mut kept = Vec::new();
        while let Some(chunk) = input.body.next().await {
            match chunk {
                Ok(chunk) => kept.extend_from_slice(&chunk),
                Err(error) => {
                    self.read_errors.lock().unwrap().push(error.kind());
                    return Err(Unhandled::new("RequestTimeout", Some(error.to_string()), 408).into());
                }
            }
        }
        let size = kept.len() as i64;
        self.objects.lock().unwrap().insert(input.name, Bytes::from(kept));
        Ok(UploadOutput::builder().size(size).set_note(input.note).build().unwrap())
    }

    async fn download(&self, input: DownloadInput) -> Result<DownloadOutput, DownloadError> {
        if input.name == "stall" {
            return Ok(DownloadOutput::builder().body(stalling()).build());
        }
        if input.name == "slow" {
            return Ok(DownloadOutput::builder().body(slow(10, Duration::from_millis(100))).build());
        }
        let found = self.objects.lock().unwrap().get(&input.name).cloned();
        match found {
            Some(bytes) => {
                Ok(DownloadOutput::builder().note(format!("{} bytes", bytes.len())).body(bytes.into()).build())
            }
            None => Err(NotFound::builder().message(format!("no object {}", input.name)).build().into()),
        }
    }

    async fn echo(&self, input: EchoInput) -> Result<EchoOutput, EchoError> {
        // The request body goes back out as it arrives: never held whole.
        Ok(EchoOutput::builder().set_note(input.note).body(input.body).build())
    }

    async fn put_small(&self, input: PutSmallInput) -> Result<PutSmallOutput, PutSmallError> {
        Ok(PutSmallOutput::builder().size(input.body.map_or(0, |b| b.as_ref().len() as i64)).build().unwrap())
    }

    async fn put_sized(&self, input: PutSizedInput) -> Result<PutSizedOutput, PutSizedError> {
        // The length was declared before a byte was read.
        let declared = input.body.exact_len().unwrap_or(0) as i64;
        let read = input.body.collect().await.map_err(|e| Unhandled::new("Broken", Some(e.to_string()), 500))?;
        assert_eq!(declared, read.len() as i64);
        Ok(PutSizedOutput::builder().size(declared).build().unwrap())
    }
}

const KEY: (&str, &str) = ("AKIDSTREAM", "stream-secret");

/// A client of an in-process server over `store`, signing when `config` has keys.
fn client(store: &Store, config: ServerConfig, signed: bool) -> Client {
    let transport = ServiceTransport::new(server(store.clone(), config));
    let mut config = Config::new()
        .endpoint_url("http://streaming.local")
        .region("us-east-1")
        .retry(RetryConfig::disabled())
        .transport(transport);
    if signed {
        config = config.credentials(KEY.0, KEY.1, None);
    }
    Client::new(config).unwrap()
}

/// `len` bytes that are not all alike, so a reordered or dropped chunk shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ (i >> 10) as u8).collect()
}

/// A live stream (not replayable, length unknown) of `data` in chunks of `chunk` bytes.
fn live(data: &[u8], chunk: usize) -> ByteStream {
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        data.chunks(chunk).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    ByteStream::from_stream(futures_util::stream::iter(chunks))
}

/// One chunk, then nothing: a peer that stopped sending without closing.
fn stalling() -> ByteStream {
    let first: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"first chunk"))];
    ByteStream::from_stream(futures_util::StreamExt::chain(
        futures_util::stream::iter(first),
        futures_util::stream::pending(),
    ))
}

/// `chunks` chunks of 10 bytes, `gap` apart: slow, but moving.
fn slow(chunks: u8, gap: Duration) -> ByteStream {
    ByteStream::from_stream(futures_util::StreamExt::then(futures_util::stream::iter(0..chunks), move |i| async move {
        tokio::time::sleep(gap).await;
        Ok::<_, std::io::Error>(Bytes::from(vec![i; 10]))
    }))
}

#[tokio::test]
async fn small_bodies_round_trip_exactly_with_their_label_and_headers() {
    let store = Store::default();
    let client = client(&store, ServerConfig::new(), false);
    for (name, data) in [("empty", Vec::new()), ("one", vec![7]), ("some", pattern(100_000))] {
        let input =
            UploadInput::builder().name(name).note(format!("note {name}")).body(live(&data, 4096)).build().unwrap();
        let uploaded = Streaming::upload(&client, input).await.unwrap();
        assert_eq!((uploaded.size, uploaded.note), (data.len() as i64, Some(format!("note {name}"))));
        assert_eq!(store.objects.lock().unwrap()[name], data);
        let downloaded =
            Streaming::download(&client, DownloadInput::builder().name(name).build().unwrap()).await.unwrap();
        assert_eq!(downloaded.note, Some(format!("{} bytes", data.len())));
        assert_eq!(downloaded.body.collect().await.unwrap(), data);
        let echoed =
            Streaming::echo(&client, EchoInput::builder().note("back").body(Bytes::from(data.clone()).into()).build());
        let echoed = echoed.await.unwrap();
        assert_eq!(echoed.note.as_deref(), Some("back"));
        assert_eq!(echoed.body.collect().await.unwrap(), data);
    }
}

#[tokio::test]
async fn non_stream_members_are_still_bound_and_validated() {
    let store = Store::default();
    let client = client(&store, ServerConfig::new(), false);
    let input = UploadInput::builder().name("Not Valid!").body(ByteStream::from("x")).build().unwrap();
    match Streaming::upload(&client, input).await {
        Err(UploadError::ValidationException(error)) => assert!(error.message.contains("/Name"), "{}", error.message),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(store.objects.lock().unwrap().is_empty(), "the handler must not run");
    let missing = Streaming::download(&client, DownloadInput::builder().name("nothing").build().unwrap()).await;
    assert!(matches!(missing, Err(DownloadError::NotFound(_))), "{missing:?}");
}

#[tokio::test]
async fn a_body_over_the_limit_passes_through_a_stream_but_not_a_plain_payload() {
    let store = Store::default();
    let limit = 1024 * 1024;
    let client = client(&store, ServerConfig::new().body_limit(limit), false);
    let data = pattern(3 * limit);
    let uploaded =
        Streaming::upload(&client, UploadInput::builder().name("big").body(live(&data, 64 * 1024)).build().unwrap());
    assert_eq!(uploaded.await.unwrap().size, data.len() as i64);
    let echoed = Streaming::echo(&client, EchoInput::builder().body(live(&data, 64 * 1024)).build()).await.unwrap();
    assert_eq!(echoed.body.collect().await.unwrap().len(), data.len());
    let refused =
        Streaming::put_small(&client, PutSmallInput::builder().body(data.clone().into()).build()).await.unwrap_err();
    assert_eq!((refused.http_status(), refused.code()), (413, "RequestEntityTooLargeException"));
    let small =
        Streaming::put_small(&client, PutSmallInput::builder().body(pattern(1000).into()).build()).await.unwrap();
    assert_eq!(small.size, 1000);
}

#[tokio::test]
async fn a_stalled_upload_is_ended_by_the_request_timeout() {
    let store = Store::default();
    let timeout = Duration::from_millis(200);
    let client = client(&store, ServerConfig::new().request_timeout(timeout), false);
    let started = Instant::now();
    let input = UploadInput::builder().name("stalled").body(stalling()).build().unwrap();
    let error =
        tokio::time::timeout(Duration::from_secs(10), Streaming::upload(&client, input)).await.unwrap().unwrap_err();
    assert_eq!(error.http_status(), 408, "{error}");
    assert!(started.elapsed() >= timeout, "ended after {:?}", started.elapsed());
    assert_eq!(*store.read_errors.lock().unwrap(), [ByteStreamErrorKind::Stalled]);
    assert!(store.objects.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_slow_stream_that_keeps_moving_is_not_cut_short() {
    let store = Store::default();
    let timeout = Duration::from_millis(300);
    let client = client(&store, ServerConfig::new().request_timeout(timeout), false);
    // Ten chunks, 100 ms apart: a second in all, over three times the timeout, each read in time.
    let input = UploadInput::builder().name("slow").body(slow(10, Duration::from_millis(100))).build().unwrap();
    assert_eq!(Streaming::upload(&client, input).await.unwrap().size, 100);
}

#[tokio::test]
async fn signed_streams_are_verified_unread_and_a_wrong_secret_is_refused() {
    let store = Store::default();
    let config = || ServerConfig::new().access_key(KEY.0, KEY.1).body_limit(1024);
    let client = client(&store, config(), true);
    // Over the body limit: the server cannot have read it to check a hash.
    let data = pattern(100_000);
    let uploaded =
        Streaming::upload(&client, UploadInput::builder().name("signed").body(live(&data, 1000)).build().unwrap());
    assert_eq!(uploaded.await.unwrap().size, data.len() as i64);
    let echoed = Streaming::echo(&client, EchoInput::builder().body(data.clone().into()).build()).await.unwrap();
    assert_eq!(echoed.body.collect().await.unwrap(), data);
    let wrong = Client::new(
        Config::new()
            .endpoint_url("http://streaming.local")
            .region("us-east-1")
            .retry(RetryConfig::disabled())
            .credentials(KEY.0, "not-the-secret", None)
            .transport(ServiceTransport::new(server(store.clone(), config()))),
    )
    .unwrap();
    let refused = Streaming::echo(&wrong, EchoInput::builder().body(ByteStream::from("x")).build()).await.unwrap_err();
    assert_eq!(refused.http_status(), 403, "{refused}");
}

/// What the client core needs to know to sign for the fixture's service.
static SERVICE: smithy_runtime::client::ServiceInfo = smithy_runtime::client::ServiceInfo {
    signing_name: "streaming",
    endpoint_env: "STREAMING_TEST_UNSET",
    user_agent: "streaming-test/0.1",
    protocols: &[smithy_runtime::protocol::Protocol::RestJson1],
};

#[tokio::test]
async fn a_stream_signed_over_its_hash_is_read_whole_and_checked() {
    // What a signer that hashes every body sends (the AWS SDKs do for a body in memory).
    let store = Store::default();
    let server = server(store.clone(), ServerConfig::new().access_key(KEY.0, KEY.1));
    let config = Config::new()
        .endpoint_url("http://streaming.local")
        .region("us-east-1")
        .credentials(KEY.0, KEY.1, None)
        .retry(RetryConfig::disabled())
        .transport(ServiceTransport::new(server));
    let core = smithy_runtime::client::ClientCore::new(config, &SERVICE).unwrap();
    let request = http::Request::put("http://streaming.local/uploads/hashed")
        .header("content-type", "application/octet-stream")
        .body(Bytes::from_static(b"hashed body"))
        .unwrap();
    let response = core.send(request).await.unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.body());
    assert_eq!(store.objects.lock().unwrap()["hashed"], "hashed body");
}

#[test]
fn the_generator_refuses_a_stream_it_cannot_bind() {
    let model = |member_traits: &str| {
        format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}],
                           "traits": {{"aws.protocols#restJson1": {{}}}}}},
                "ex#Op": {{"type": "operation", "input": {{"target": "ex#In"}},
                          "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/"}}}}}},
                "ex#In": {{"type": "structure", "members": {{"Data": {{"target": "ex#Stream", "traits": {{{member_traits}}}}}}}}},
                "ex#Stream": {{"type": "blob", "traits": {{"smithy.api#streaming": {{}}}}}}
            }}}}"#
        )
    };
    let options = codegen::GenerateOptions {
        service: None,
        crate_name: None,
        runtime_path: "../runtime".into(),
        exclude_operations: Vec::new(),
    };
    let report = |traits: &str| codegen::generate(&model(traits), &options).err().map(|p| p.to_string());
    let optional = report(r#""smithy.api#httpPayload": {}"#).unwrap();
    assert!(optional.contains("Data: a @streaming blob member must be @required or have a @default"), "{optional}");
    let in_body = report(r#""smithy.api#required": {}"#).unwrap();
    assert!(in_body.contains("a @streaming blob member must be the @httpPayload"), "{in_body}");
    assert_eq!(report(r#""smithy.api#required": {}, "smithy.api#httpPayload": {}"#), None);
}

/// A client whose attempts may take at most `attempt`.
fn client_with_attempt_timeout(store: &Store, attempt: Duration) -> Client {
    let timeouts = Timeouts { attempt: Some(attempt), ..Timeouts::default() };
    Client::new(
        Config::new()
            .endpoint_url("http://streaming.local")
            .retry(RetryConfig::disabled())
            .timeouts(timeouts)
            .transport(ServiceTransport::new(server(store.clone(), ServerConfig::new()))),
    )
    .unwrap()
}

#[tokio::test]
async fn the_attempt_timeout_bounds_each_read_of_a_download_not_the_whole() {
    let store = Store::default();
    let client = client_with_attempt_timeout(&store, Duration::from_millis(300));
    // A second in all, each chunk within the timeout: read to the end.
    let slow = Streaming::download(&client, DownloadInput::builder().name("slow").build().unwrap()).await.unwrap();
    assert_eq!(slow.body.collect().await.unwrap().len(), 100);
    // The head comes at once, then nothing after the first chunk.
    let mut stalled =
        Streaming::download(&client, DownloadInput::builder().name("stall").build().unwrap()).await.unwrap().body;
    assert_eq!(stalled.next().await.unwrap().unwrap(), "first chunk");
    let error = stalled.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ByteStreamErrorKind::Stalled, "{error}");
}

/// Answers the first `failures` streamed attempts with 503 (dropping their bodies unread),
/// then passes requests to the server; counts the attempts.
struct Flaky {
    server: ServiceTransport<fixture_streaming::server::Server<Store>>,
    failures: AtomicU32,
    attempts: AtomicU32,
}

impl Transport for Flaky {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.server.send(request)
    }

    fn send_streaming(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let fail = self.failures.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        if fail {
            let response = http::Response::builder().status(503).body(ByteStream::new_empty()).unwrap();
            return Box::pin(std::future::ready(Ok(response)));
        }
        self.server.send_streaming(request)
    }
}

#[tokio::test]
async fn a_stream_in_memory_is_retried_and_a_live_one_is_not() {
    let store = Store::default();
    let flaky = Arc::new(Flaky {
        server: ServiceTransport::new(server(store.clone(), ServerConfig::new())),
        failures: AtomicU32::new(1),
        attempts: AtomicU32::new(0),
    });
    let retry = RetryConfig {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let config = Config::new().endpoint_url("http://streaming.local").retry(retry).transport(Arc::clone(&flaky));
    let client = Client::new(config).unwrap();
    let replayable = UploadInput::builder().name("again").body(ByteStream::from("sent twice")).build().unwrap();
    assert_eq!(Streaming::upload(&client, replayable).await.unwrap().size, 10);
    assert_eq!(flaky.attempts.swap(0, Ordering::SeqCst), 2);
    flaky.failures.store(1, Ordering::SeqCst);
    let live = UploadInput::builder().name("once").body(live(b"read by the first attempt", 4)).build().unwrap();
    let error = Streaming::upload(&client, live).await.unwrap_err();
    assert_eq!(error.http_status(), 503, "{error}");
    assert_eq!(flaky.attempts.load(Ordering::SeqCst), 1, "a live stream cannot be sent again");
    assert!(!store.objects.lock().unwrap().contains_key("once"));
}

#[tokio::test]
async fn over_tcp_a_stalled_upload_is_ended_by_the_request_timeout() {
    let store = Store::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = ServerConfig::new().request_timeout(Duration::from_millis(300));
    let serving = tokio::spawn(fixture_streaming::server::serve(
        listener,
        server(store.clone(), config),
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));
    let client = Client::new(Config::new().endpoint_url(format!("http://{address}")).retry(RetryConfig::disabled()));
    let input = UploadInput::builder().name("stalled").body(stalling()).build().unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(10), Streaming::upload(&client.unwrap(), input)).await;
    let error = outcome.expect("the stalled upload was not ended").unwrap_err();
    assert_eq!(error.http_status(), 408, "{error}");
    assert_eq!(*store.read_errors.lock().unwrap(), [ByteStreamErrorKind::Stalled]);
    let _ = stop.send(());
    serving.await.unwrap();
}

#[tokio::test]
async fn a_requires_length_stream_must_know_its_length_on_both_sides() {
    let store = Store::default();
    let client = client(&store, ServerConfig::new(), false);
    let sized = Streaming::put_sized(&client, PutSizedInput::builder().body(pattern(5000).into()).build().unwrap())
        .await
        .unwrap();
    assert_eq!(sized.size, 5000);
    // The client refuses to send a stream of unknown length...
    let refused =
        Streaming::put_sized(&client, PutSizedInput::builder().body(live(&pattern(5000), 100)).build().unwrap())
            .await
            .unwrap_err();
    assert_eq!(refused.code(), Unhandled::CONSTRUCTION_FAILURE, "{refused}");
    // ...and the server refuses one sent chunked (no Content-Length) with 411.
    let transport = ServiceTransport::new(server(store.clone(), ServerConfig::new()));
    let request = http::Request::put("http://streaming.local/sized").body(live(&pattern(5000), 100)).unwrap();
    let response = transport.send_streaming(request).await.unwrap();
    assert_eq!(response.status(), 411);
    assert_eq!(response.headers()["x-amzn-errortype"], "LengthRequiredException");
}
