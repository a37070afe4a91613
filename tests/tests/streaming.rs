//! `@streaming` blobs through the generated client and server (tests/fixtures/models/streaming.json):
//! small bodies round-trip exactly, a streamed member is not held to the body limit while a
//! plain payload is, a stalled upload is ended by the request timeout, and signing works
//! both as our client signs streams (`UNSIGNED-PAYLOAD`) and over the body's hash.
//! The 1 GiB run is its own test binary (`streaming_gib.rs`), so nothing here pollutes its
//! memory figure.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use fixture_streaming::client::{Client, Config, RetryConfig};
use fixture_streaming::error::*;
use fixture_streaming::server::{server, ServerConfig};
use fixture_streaming::service::Streaming;
use fixture_streaming::types::*;
use smithy_runtime::byte_stream::ByteStreamErrorKind;
use smithy_runtime::client::ServiceTransport;
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
        Ok(UploadOutput { size, note: input.note })
    }

    async fn download(&self, input: DownloadInput) -> Result<DownloadOutput, DownloadError> {
        let found = self.objects.lock().unwrap().get(&input.name).cloned();
        match found {
            Some(bytes) => Ok(DownloadOutput { note: Some(format!("{} bytes", bytes.len())), body: bytes.into() }),
            None => Err(NotFound { message: Some(format!("no object {}", input.name)) }.into()),
        }
    }

    async fn echo(&self, input: EchoInput) -> Result<EchoOutput, EchoError> {
        // The request body goes back out as it arrives: never held whole.
        Ok(EchoOutput { note: input.note, body: input.body })
    }

    async fn put_small(&self, input: PutSmallInput) -> Result<PutSmallOutput, PutSmallError> {
        Ok(PutSmallOutput { size: input.body.map_or(0, |b| b.as_ref().len() as i64) })
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

#[tokio::test]
async fn small_bodies_round_trip_exactly_with_their_label_and_headers() {
    let store = Store::default();
    let client = client(&store, ServerConfig::new(), false);
    for (name, data) in [("empty", Vec::new()), ("one", vec![7]), ("some", pattern(100_000))] {
        let input = UploadInput { name: name.into(), note: Some(format!("note {name}")), body: live(&data, 4096) };
        let uploaded = client.upload(input).await.unwrap();
        assert_eq!((uploaded.size, uploaded.note), (data.len() as i64, Some(format!("note {name}"))));
        assert_eq!(store.objects.lock().unwrap()[name], data);
        let downloaded = client.download(DownloadInput { name: name.into() }).await.unwrap();
        assert_eq!(downloaded.note, Some(format!("{} bytes", data.len())));
        assert_eq!(downloaded.body.collect().await.unwrap(), data);
        let echoed = client.echo(EchoInput { note: Some("back".into()), body: Bytes::from(data.clone()).into() });
        let echoed = echoed.await.unwrap();
        assert_eq!(echoed.note.as_deref(), Some("back"));
        assert_eq!(echoed.body.collect().await.unwrap(), data);
    }
}

#[tokio::test]
async fn non_stream_members_are_still_bound_and_validated() {
    let store = Store::default();
    let client = client(&store, ServerConfig::new(), false);
    let input = UploadInput { name: "Not Valid!".into(), note: None, body: ByteStream::from("x") };
    match client.upload(input).await {
        Err(UploadError::ValidationException(error)) => assert!(error.message.contains("/Name"), "{}", error.message),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(store.objects.lock().unwrap().is_empty(), "the handler must not run");
    let missing = client.download(DownloadInput { name: "nothing".into() }).await;
    assert!(matches!(missing, Err(DownloadError::NotFound(_))), "{missing:?}");
}

#[tokio::test]
async fn a_body_over_the_limit_passes_through_a_stream_but_not_a_plain_payload() {
    let store = Store::default();
    let limit = 1024 * 1024;
    let client = client(&store, ServerConfig::new().body_limit(limit), false);
    let data = pattern(3 * limit);
    let uploaded = client.upload(UploadInput { name: "big".into(), note: None, body: live(&data, 64 * 1024) });
    assert_eq!(uploaded.await.unwrap().size, data.len() as i64);
    let echoed = client.echo(EchoInput { note: None, body: live(&data, 64 * 1024) }).await.unwrap();
    assert_eq!(echoed.body.collect().await.unwrap().len(), data.len());
    let refused = client.put_small(PutSmallInput { body: Some(data.clone().into()) }).await.unwrap_err();
    assert_eq!((refused.http_status(), refused.code()), (413, "RequestEntityTooLargeException"));
    let small = client.put_small(PutSmallInput { body: Some(pattern(1000).into()) }).await.unwrap();
    assert_eq!(small.size, 1000);
}

#[tokio::test]
async fn a_stalled_upload_is_ended_by_the_request_timeout() {
    let store = Store::default();
    let timeout = Duration::from_millis(200);
    let client = client(&store, ServerConfig::new().request_timeout(timeout), false);
    // One chunk, then nothing: a client that stopped sending without closing.
    let first: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"first chunk"))];
    let stalled = futures_util::StreamExt::chain(futures_util::stream::iter(first), futures_util::stream::pending());
    let started = Instant::now();
    let input = UploadInput { name: "stalled".into(), note: None, body: ByteStream::from_stream(stalled) };
    let error = tokio::time::timeout(Duration::from_secs(10), client.upload(input)).await.unwrap().unwrap_err();
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
    let chunks = futures_util::StreamExt::then(futures_util::stream::iter(0..10u8), |i| async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok::<_, std::io::Error>(Bytes::from(vec![i; 10]))
    });
    let input = UploadInput { name: "slow".into(), note: None, body: ByteStream::from_stream(chunks) };
    assert_eq!(client.upload(input).await.unwrap().size, 100);
}

#[tokio::test]
async fn signed_streams_are_verified_unread_and_a_wrong_secret_is_refused() {
    let store = Store::default();
    let config = || ServerConfig::new().access_key(KEY.0, KEY.1).body_limit(1024);
    let client = client(&store, config(), true);
    // Over the body limit: the server cannot have read it to check a hash.
    let data = pattern(100_000);
    let uploaded = client.upload(UploadInput { name: "signed".into(), note: None, body: live(&data, 1000) });
    assert_eq!(uploaded.await.unwrap().size, data.len() as i64);
    let echoed = client.echo(EchoInput { note: None, body: data.clone().into() }).await.unwrap();
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
    let refused = wrong.echo(EchoInput { note: None, body: ByteStream::from("x") }).await.unwrap_err();
    assert_eq!(refused.http_status(), 403, "{refused}");
}

/// What the client core needs to know to sign for the fixture's service.
static SERVICE: smithy_runtime::client::ServiceInfo = smithy_runtime::client::ServiceInfo {
    signing_name: "streaming",
    endpoint_env: "STREAMING_TEST_UNSET",
    user_agent: "streaming-test/0.1",
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
    let options = codegen::GenerateOptions { service: None, crate_name: None, runtime_path: "../runtime".into() };
    let report = |traits: &str| codegen::generate(&model(traits), &options).err().map(|p| p.to_string());
    let optional = report(r#""smithy.api#httpPayload": {}"#).unwrap();
    assert!(optional.contains("Data: a @streaming blob member must be @required or have a @default"), "{optional}");
    let in_body = report(r#""smithy.api#required": {}"#).unwrap();
    assert!(in_body.contains("a @streaming blob member must be the @httpPayload"), "{in_body}");
    assert_eq!(report(r#""smithy.api#required": {}, "smithy.api#httpPayload": {}"#), None);
}
