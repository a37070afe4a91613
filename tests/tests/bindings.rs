//! Every restJson1 HTTP binding trait through the generated client and server
//! (tests/fixtures/models/bindings.json): what the client puts on the wire, that the server
//! reads it back, and that the server's response reads back on the client.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fixture_bindings::client::{Client, Config, RetryConfig};
use fixture_bindings::error::*;
use fixture_bindings::server::{server, ServerConfig};
use fixture_bindings::service::Bindings;
use fixture_bindings::types::*;
use smithy_runtime::client::{BoxFuture, ServiceTransport, Transport, TransportError};
use smithy_runtime::DateTime;

/// Echoes every input back in its output; a note of "throttle" fails with a header-bound error.
struct Echo;

impl Bindings for Echo {
    async fn everything(&self, input: EverythingInput) -> Result<EverythingOutput, EverythingError> {
        if input.note.as_deref() == Some("throttle") {
            return Err(Throttled::builder().message("slow down").retry_after_seconds(7).build().into());
        }
        Ok(EverythingOutput::builder()
            .status(202)
            .set_token(input.token)
            .set_flag(input.flag)
            .set_stamp(input.stamp)
            .set_names(input.names)
            .set_dates(input.dates)
            .set_meta(input.meta)
            .set_body_time(input.body_time)
            .note(format!(
                "{}|{}|{:?}|{:?}|{:?}|{:?}",
                input.label, input.greedy, input.when, input.tags, input.count, input.extra
            ))
            .build())
    }

    async fn blob_payload(&self, input: BlobPayloadInput) -> Result<BlobPayloadOutput, BlobPayloadError> {
        Ok(BlobPayloadOutput::builder().set_content_type(input.content_type).set_data(input.data).build())
    }

    async fn string_payload(&self, input: StringPayloadInput) -> Result<StringPayloadOutput, StringPayloadError> {
        Ok(StringPayloadOutput::builder().set_text(input.text).build())
    }

    async fn struct_payload(&self, input: StructPayloadInput) -> Result<StructPayloadOutput, StructPayloadError> {
        Ok(StructPayloadOutput::builder().set_nested(input.nested).build())
    }

    async fn union_payload(&self, input: UnionPayloadInput) -> Result<UnionPayloadOutput, UnionPayloadError> {
        Ok(UnionPayloadOutput::builder().set_choice(input.choice).build())
    }

    async fn host_prefixed(&self, input: HostPrefixedInput) -> Result<HostPrefixedOutput, HostPrefixedError> {
        assert_eq!(input.account, "acct-1");
        assert!(input.token.is_some(), "the client fills an unset idempotency token");
        Ok(HostPrefixedOutput::builder().build())
    }
}

/// Records what the client sent and what the server answered, in between the two.
struct Recorder {
    server: ServiceTransport<fixture_bindings::server::Server<Echo>>,
    requests: Mutex<Vec<http::Request<Bytes>>>,
    responses: Mutex<Vec<http::Response<Bytes>>>,
}

impl Transport for Recorder {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.requests.lock().unwrap().push(request.clone());
        Box::pin(async move {
            let response = self.server.send(request).await?;
            self.responses.lock().unwrap().push(response.clone());
            Ok(response)
        })
    }
}

fn setup() -> (Client, Arc<Recorder>) {
    let recorder = Arc::new(Recorder {
        server: ServiceTransport::new(server(Echo, ServerConfig::new())),
        requests: Mutex::new(Vec::new()),
        responses: Mutex::new(Vec::new()),
    });
    let config =
        Config::new().endpoint_url("http://bindings.local").retry(RetryConfig::disabled()).transport(recorder.clone());
    (Client::new(config).unwrap(), recorder)
}

fn everything() -> EverythingInput {
    EverythingInput::builder()
        .label("a b")
        .greedy("x/y z")
        .when(DateTime::from_secs(1_576_540_098))
        .tags(vec!["t1".into(), "t&2".into()])
        .count(3)
        .extra(BTreeMap::from([("tag".into(), "ignored".into()), ("free".into(), "form".into())]))
        .token("secret-token")
        .flag(true)
        .ratio(f64::INFINITY)
        .stamp(DateTime::from_secs(1_576_540_098))
        .names(vec!["plain".into(), "with, comma".into(), "with \"quote\"".into()])
        .dates(vec![DateTime::from_secs(1_576_540_098), DateTime::from_secs(0)])
        .meta(BTreeMap::from([("one".into(), "1".into()), ("two".into(), "2".into())]))
        .special("from-member")
        .body_time(DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000))
        .note("hello")
        .build()
        .unwrap()
}

#[tokio::test]
async fn labels_query_headers_and_body_go_where_the_traits_say() {
    let (client, recorder) = setup();
    Bindings::everything(&client, everything()).await.unwrap();
    let request = recorder.requests.lock().unwrap().remove(0);
    // @http + @httpLabel (greedy keeps its slashes) + the URI's query literal + @httpQuery
    // (lists repeat the key, timestamps are date-time) + @httpQueryParams (never overriding
    // an @httpQuery key).
    assert_eq!(
        request.uri().to_string(),
        "http://bindings.local/everything/a%20b/x/y%20z?fixed=yes&flagonly&when=2019-12-16T23%3A48%3A18Z&tag=t1&tag=t%262&count=3&free=form"
    );
    let header = |name: &str| request.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    // @httpHeader: strings, booleans, doubles by name, timestamps as HTTP dates, lists
    // comma-joined with quoting, timestamp lists unquoted.
    assert_eq!(header("x-token").as_deref(), Some("secret-token"));
    assert_eq!(header("x-flag").as_deref(), Some("true"));
    assert_eq!(header("x-ratio").as_deref(), Some("Infinity"));
    assert_eq!(header("x-stamp").as_deref(), Some("Mon, 16 Dec 2019 23:48:18 GMT"));
    assert_eq!(header("x-names").as_deref(), Some(r#"plain, "with, comma", "with \"quote\"""#));
    assert_eq!(header("x-dates").as_deref(), Some("Mon, 16 Dec 2019 23:48:18 GMT, Thu, 01 Jan 1970 00:00:00 GMT"));
    // @httpPrefixHeaders, never repeating a header an @httpHeader member sets.
    assert_eq!((header("x-meta-one").as_deref(), header("x-meta-two").as_deref()), (Some("1"), Some("2")));
    assert_eq!(request.headers().get_all("x-meta-special").iter().collect::<Vec<_>>(), ["from-member"]);
    // The body holds only the unbound members; body timestamps are epoch seconds.
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({"BodyTime": 1576540098.5, "Note": "hello"}));
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
}

#[tokio::test]
async fn the_server_reads_every_binding_and_the_client_reads_the_response_back() {
    let (client, recorder) = setup();
    let mut input = everything();
    input.meta.as_mut().unwrap().insert("Special".into(), "from-map".into());
    let output = Bindings::everything(&client, input.clone()).await.unwrap();
    // The server saw each bound member with its value (echoed in the note); its
    // @httpQueryParams map holds every query parameter, as the protocol tests ask of servers.
    assert_eq!(
        output.note.as_deref(),
        Some(concat!(
            "a b|x/y z|Some(2019-12-16T23:48:18Z)|Some([\"t1\", \"t&2\"])|Some(3)|",
            "Some({\"count\": \"3\", \"fixed\": \"yes\", \"flagonly\": \"\", \"free\": \"form\", \"tag\": \"t1\", \"when\": \"2019-12-16T23:48:18Z\"})"
        ))
    );
    // @httpResponseCode, response headers and prefix headers read back.
    assert_eq!(output.status, Some(202));
    assert_eq!((output.token, output.flag, output.stamp), (input.token, input.flag, input.stamp));
    assert_eq!(output.names, input.names);
    assert_eq!(output.dates, input.dates);
    // The server's prefix map holds every header with the prefix, the bound one included.
    let mut meta = input.meta.clone().unwrap();
    meta.remove("Special");
    meta.insert("special".into(), "from-member".into());
    assert_eq!(output.meta, Some(meta));
    assert_eq!(output.body_time, input.body_time);
    let response = recorder.responses.lock().unwrap().remove(0);
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["x-meta-two"], "2");
}

#[tokio::test]
async fn an_error_with_a_header_bound_member_round_trips() {
    let (client, recorder) = setup();
    let input = {
        let mut value = everything();
        value.note = Some("throttle".into());
        value
    };
    let error = Bindings::everything(&client, input).await.unwrap_err();
    let EverythingError::Throttled(throttled) = &error else { panic!("{error:?}") };
    assert_eq!(throttled.retry_after_seconds, Some(7));
    assert_eq!(throttled.message.as_deref(), Some("slow down"));
    let response = recorder.responses.lock().unwrap().remove(0);
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.headers()["x-amzn-errortype"], "Throttled");
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body, serde_json::json!({"Message": "slow down"}));
}

#[tokio::test]
async fn blob_payloads_are_the_raw_body_with_their_content_type() {
    let (client, recorder) = setup();
    let data = smithy_runtime::Blob::new(vec![0u8, 159, 146, 150, 255]);
    let input = BlobPayloadInput::builder().key("k").content_type("image/x-test").data(data.clone()).build().unwrap();
    let output = Bindings::blob_payload(&client, input).await.unwrap();
    assert_eq!((output.data, output.content_type.as_deref()), (Some(data), Some("image/x-test")));
    let request = recorder.requests.lock().unwrap().remove(0);
    assert_eq!(request.body().as_ref(), [0u8, 159, 146, 150, 255]);
    assert_eq!(request.headers()["content-type"], "image/x-test");

    let input = BlobPayloadInput::builder().key("k").build().unwrap();
    let output = Bindings::blob_payload(&client, input).await.unwrap();
    assert_eq!(output.data, None);
    let request = recorder.requests.lock().unwrap().remove(0);
    assert!(request.body().is_empty());
}

#[tokio::test]
async fn string_structure_and_union_payloads_round_trip() {
    let (client, recorder) = setup();
    let output =
        Bindings::string_payload(&client, StringPayloadInput::builder().text("plain text é").build()).await.unwrap();
    assert_eq!(output.text.as_deref(), Some("plain text é"));
    let request = recorder.requests.lock().unwrap().remove(0);
    assert_eq!(request.body().as_ref(), "plain text é".as_bytes());
    assert_eq!(request.headers()["content-type"], "text/plain");
    recorder.responses.lock().unwrap().clear();

    let nested = Nested::builder().name("n").size(9_007_199_254_740_993).build();
    let output =
        Bindings::struct_payload(&client, StructPayloadInput::builder().nested(nested.clone()).build()).await.unwrap();
    assert_eq!(output.nested, Some(nested));
    let request = recorder.requests.lock().unwrap().remove(0);
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({"Name": "n", "Size": 9_007_199_254_740_993_i64}));
    assert_eq!(recorder.responses.lock().unwrap().remove(0).status(), 201, "@http code");

    let output =
        Bindings::union_payload(&client, UnionPayloadInput::builder().choice(Choice::Number(4)).build()).await.unwrap();
    assert_eq!(output.choice, Some(Choice::Number(4)));
    let request = recorder.requests.lock().unwrap().remove(0);
    assert_eq!(request.body().as_ref(), br#"{"Number":4}"#);
}

#[tokio::test]
async fn endpoint_host_prefix_takes_the_host_label() {
    let (client, recorder) = setup();
    Bindings::host_prefixed(&client, HostPrefixedInput::builder().account("acct-1").build().unwrap()).await.unwrap();
    let request = recorder.requests.lock().unwrap().remove(0);
    let query = request.uri().query().unwrap();
    assert!(query.starts_with("token=") && query.len() == "token=".len() + 36, "{query}");
    let given = HostPrefixedInput::builder().account("acct-1").token("mine").build().unwrap();
    Bindings::host_prefixed(&client, given).await.unwrap();
    assert_eq!(recorder.requests.lock().unwrap().remove(0).uri().query(), Some("token=mine"));
    recorder.responses.lock().unwrap().remove(0);
    // An output with no members is still a JSON object on the wire.
    let response = recorder.responses.lock().unwrap().remove(0);
    assert_eq!(response.body().as_ref(), b"{}");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(request.uri().host(), Some("acct-1.data.bindings.local"));
    assert_eq!(request.headers()["host"], "acct-1.data.bindings.local");
    // A label that is not a host name is refused before anything is sent.
    let error = Bindings::host_prefixed(&client, HostPrefixedInput::builder().account("evil.com/").build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.code(), smithy_runtime::error::Unhandled::CONSTRUCTION_FAILURE);
    let error = Bindings::host_prefixed(&client, HostPrefixedInput::builder().account("a.b").build().unwrap())
        .await
        .unwrap_err();
    assert!(error.message().unwrap().contains("not a valid DNS label"), "{error}");
    assert!(recorder.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_configured_provider_fills_unset_idempotency_tokens() {
    let recorder = Arc::new(Recorder {
        server: ServiceTransport::new(server(Echo, ServerConfig::new())),
        requests: Mutex::new(Vec::new()),
        responses: Mutex::new(Vec::new()),
    });
    let config = Config::new()
        .endpoint_url("http://bindings.local")
        .retry(RetryConfig::disabled())
        .idempotency_token_provider(|| "pinned-token".to_owned())
        .transport(recorder.clone());
    let client = Client::new(config).unwrap();
    Bindings::host_prefixed(&client, HostPrefixedInput::builder().account("acct-1").build().unwrap()).await.unwrap();
    assert_eq!(recorder.requests.lock().unwrap().remove(0).uri().query(), Some("token=pinned-token"));
    // The provider belongs to that client: another one still draws random UUIDs.
    let (other, other_recorder) = setup();
    Bindings::host_prefixed(&other, HostPrefixedInput::builder().account("acct-1").build().unwrap()).await.unwrap();
    let query = other_recorder.requests.lock().unwrap().remove(0).uri().query().unwrap().to_owned();
    assert!(query.starts_with("token=") && query.len() == "token=".len() + 36, "{query}");
}
