#![allow(clippy::unwrap_used)]
//! The client core: retries, backoff, timeouts, signing, endpoints, error codes, and the two
//! shipped transports over real (loopback and in-process) servers.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use sha2::{Digest, Sha256};
use smithy_runtime::client::{
    error_code, error_message, BoxFuture, ClientCore, Config, ConfigError, HyperTransport, RetryConfig, SendErrorKind,
    ServiceInfo, ServiceTransport, Timeouts, Transport, TransportError, TransportErrorKind,
};
use smithy_runtime::ByteStream;
use tokio::time::Instant;

static SERVICE: ServiceInfo = ServiceInfo {
    signing_name: "chime",
    endpoint_env: "CLIENT_TEST_UNSET",
    user_agent: "test-rs/0.1",
    protocols: &[smithy_runtime::protocol::Protocol::RestJson1],
};

// ---------------------------------------------------------------------------------------------
// A scripted transport

/// What the fake transport does for one attempt.
#[derive(Clone)]
enum Step {
    Respond(u16, &'static [(&'static str, &'static str)], &'static str),
    Fail(TransportErrorKind),
    /// Responds 200 after this long.
    Slow(Duration),
}

/// Records every request with the (virtual) time it arrived, and plays `script` in order; the
/// last step repeats.
struct Fake {
    script: Mutex<VecDeque<Step>>,
    seen: Mutex<Vec<(Instant, Request<Bytes>)>>,
}

impl Fake {
    fn new(script: Vec<Step>) -> Arc<Self> {
        Arc::new(Self { script: Mutex::new(script.into()), seen: Mutex::new(Vec::new()) })
    }

    fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn requests(&self) -> Vec<Request<Bytes>> {
        self.seen.lock().unwrap().iter().map(|(_, r)| r.clone()).collect()
    }

    fn times(&self) -> Vec<Instant> {
        self.seen.lock().unwrap().iter().map(|(t, _)| *t).collect()
    }

    fn next_step(&self) -> Step {
        let mut script = self.script.lock().unwrap();
        if script.len() > 1 {
            script.pop_front().unwrap()
        } else {
            script.front().unwrap().clone()
        }
    }
}

impl Transport for Fake {
    fn send(&self, request: Request<Bytes>) -> BoxFuture<'_, Result<Response<Bytes>, TransportError>> {
        self.seen.lock().unwrap().push((Instant::now(), request));
        let step = self.next_step();
        Box::pin(async move {
            match step {
                Step::Respond(status, headers, body) => Ok(response(status, headers, body)),
                Step::Fail(TransportErrorKind::Connect) => Err(TransportError::connect("connection refused")),
                Step::Fail(TransportErrorKind::Timeout) => Err(TransportError::timeout()),
                Step::Fail(TransportErrorKind::Other) => Err(TransportError::other("connection reset")),
                Step::Fail(TransportErrorKind::Tls) => {
                    Err(TransportError::tls("example.com:443", "the server's certificate has expired", None))
                }
                Step::Slow(delay) => {
                    tokio::time::sleep(delay).await;
                    Ok(response(200, &[], "late"))
                }
            }
        })
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &'static str) -> Response<Bytes> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from_static(body.as_bytes())).unwrap()
}

fn ok() -> Step {
    Step::Respond(200, &[], "{}")
}

fn status(code: u16) -> Step {
    Step::Respond(code, &[], "{}")
}

/// A core over `fake` at http://example.com, with backoffs short enough not to matter.
fn core(fake: &Arc<Fake>, config: Config) -> ClientCore {
    let config = config.endpoint_url("http://example.com").transport(Arc::clone(fake));
    ClientCore::new(config, &SERVICE).unwrap()
}

fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig { max_attempts, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(1) }
}

/// The URI of `path_and_query` under `core`'s endpoint and its path prefix, as generated code
/// builds it.
fn uri(core: &ClientCore, path_and_query: &str) -> http::Uri {
    let endpoint = core.endpoint();
    let (scheme, authority) = (endpoint.scheme_str().unwrap(), endpoint.authority().unwrap());
    let prefix = endpoint.path().trim_end_matches('/');
    format!("{scheme}://{authority}{prefix}{path_and_query}").parse().unwrap()
}

fn request(core: &ClientCore) -> Request<Bytes> {
    Request::post(uri(core, "/accounts/a1?name=b"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{\"Name\":\"b\"}"))
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn a_503_is_retried_until_success() {
    let fake = Fake::new(vec![status(503), status(503), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    let response = core.send(request(&core)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(fake.attempts(), 3);
}

#[tokio::test]
async fn attempts_stop_at_max_attempts_and_the_last_error_response_is_returned() {
    let fake = Fake::new(vec![
        Step::Respond(500, &[], "first"),
        Step::Respond(500, &[], "second"),
        Step::Respond(500, &[], "third"),
        ok(),
    ]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    let response = core.send(request(&core)).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.body().as_ref(), b"third");
    assert_eq!(fake.attempts(), 3);
}

#[tokio::test]
async fn every_transient_status_is_retried() {
    for code in [429, 500, 502, 503, 504] {
        let fake = Fake::new(vec![status(code), ok()]);
        let core = core(&fake, Config::new().retry(fast_retry(3)));
        assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::OK, "status {code}");
        assert_eq!(fake.attempts(), 2, "status {code}");
    }
}

#[tokio::test]
async fn a_400_that_is_not_throttling_is_not_retried() {
    let fake = Fake::new(vec![Step::Respond(400, &[], r#"{"__type":"BadRequestException"}"#), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(fake.attempts(), 1);
}

#[tokio::test]
async fn a_400_with_a_throttling_error_type_header_is_retried() {
    let fake = Fake::new(vec![Step::Respond(400, &[("X-Amzn-Errortype", "ThrottlingException")], "{}"), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::OK);
    assert_eq!(fake.attempts(), 2);
}

#[tokio::test]
async fn a_throttling_code_in_the_body_is_retried() {
    let fake =
        Fake::new(vec![Step::Respond(400, &[], r#"{"__type":"com.amazonaws.chime#TooManyRequestsException"}"#), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::OK);
    assert_eq!(fake.attempts(), 2);
}

#[tokio::test]
async fn a_success_whose_body_has_a_throttling_code_member_is_not_retried() {
    let fake = Fake::new(vec![Step::Respond(200, &[], r#"{"code":"Throttling"}"#), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    assert_eq!(core.send(request(&core)).await.unwrap().body().as_ref(), br#"{"code":"Throttling"}"#);
    assert_eq!(fake.attempts(), 1);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let fake = Fake::new(vec![status(503), ok()]);
    let core = core(&fake, Config::new().retry(RetryConfig::disabled()));
    assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(fake.attempts(), 1);
}

#[tokio::test]
async fn transport_errors_are_retried() {
    let fake = Fake::new(vec![Step::Fail(TransportErrorKind::Connect), Step::Fail(TransportErrorKind::Other), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    assert_eq!(core.send(request(&core)).await.unwrap().status(), StatusCode::OK);
    assert_eq!(fake.attempts(), 3);
}

#[tokio::test]
async fn a_transport_error_on_the_last_attempt_is_a_send_error() {
    let fake = Fake::new(vec![Step::Fail(TransportErrorKind::Connect)]);
    let core = core(&fake, Config::new().retry(fast_retry(4)));
    let error = core.send(request(&core)).await.unwrap_err();
    assert_eq!(error.kind(), SendErrorKind::Transport);
    assert_eq!(error.attempts(), 4);
    assert_eq!(error.transport_error().unwrap().kind(), TransportErrorKind::Connect);
    assert_eq!(error.to_string(), "could not connect (no response after 4 attempts)");
    assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "connection refused");
    assert_eq!(fake.attempts(), 4);
}

#[tokio::test]
async fn a_tls_failure_is_not_retried_and_names_the_endpoint() {
    let fake = Fake::new(vec![Step::Fail(TransportErrorKind::Tls), ok()]);
    let core = core(&fake, Config::new().retry(fast_retry(3)));
    let error = core.send(request(&core)).await.unwrap_err();
    assert_eq!(error.transport_error().unwrap().kind(), TransportErrorKind::Tls);
    assert_eq!(error.transport_error().unwrap().endpoint(), Some("example.com:443"));
    assert_eq!(
        error.to_string(),
        "TLS with example.com:443 failed: the server's certificate has expired (no response after 1 attempt)"
    );
    assert_eq!(fake.attempts(), 1);
}

// ---------------------------------------------------------------------------------------------
// Backoff and timeouts, in paused (virtual) time

#[test]
fn the_backoff_limit_doubles_up_to_the_maximum() {
    let retry = RetryConfig {
        max_attempts: 10,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(350),
    };
    let limits: Vec<_> = [1, 2, 3, 4, 40].into_iter().map(|attempt| retry.backoff_limit(attempt)).collect();
    let ms = Duration::from_millis;
    assert_eq!(limits, [ms(100), ms(200), ms(350), ms(350), ms(350)]);
}

#[tokio::test(start_paused = true)]
async fn backoff_sleeps_are_jittered_within_their_limits() {
    let retry = RetryConfig {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(300),
    };
    let mut above_half = 0;
    for _ in 0..20 {
        let fake = Fake::new(vec![status(503)]);
        let core = core(&fake, Config::new().retry(retry.clone()));
        core.send(request(&core)).await.unwrap();
        let times = fake.times();
        assert_eq!(times.len(), 5);
        for (attempt, pair) in (1..).zip(times.windows(2)) {
            let slept = pair[1] - pair[0];
            let limit = retry.backoff_limit(attempt);
            assert!(slept <= limit, "slept {slept:?} after attempt {attempt}, limit {limit:?}");
            above_half += usize::from(slept > limit / 2);
        }
    }
    // 80 uniform draws: all in the lower half (or all zero, no sleep at all) would be a bug,
    // not bad luck (2^-80).
    assert!(above_half > 0);
}

#[tokio::test(start_paused = true)]
async fn the_attempt_timeout_cuts_a_slow_attempt_and_retries() {
    let fake = Fake::new(vec![Step::Slow(Duration::from_secs(10)), ok()]);
    let timeouts = Timeouts { attempt: Some(Duration::from_secs(1)), ..Timeouts::default() };
    let core = core(&fake, Config::new().retry(fast_retry(3)).timeouts(timeouts));
    let start = Instant::now();
    let response = core.send(request(&core)).await.unwrap();
    assert_eq!(response.body().as_ref(), b"{}");
    assert_eq!(fake.attempts(), 2);
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(1) && elapsed < Duration::from_millis(1100), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn an_attempt_timeout_on_the_last_attempt_is_a_timeout_error() {
    let fake = Fake::new(vec![Step::Slow(Duration::from_secs(10))]);
    let timeouts = Timeouts { attempt: Some(Duration::from_secs(1)), ..Timeouts::default() };
    let core = core(&fake, Config::new().retry(RetryConfig::disabled()).timeouts(timeouts));
    let error = core.send(request(&core)).await.unwrap_err();
    assert_eq!(error.transport_error().unwrap().kind(), TransportErrorKind::Timeout);
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_bounds_the_whole_call() {
    let fake = Fake::new(vec![Step::Slow(Duration::from_secs(10))]);
    let timeouts = Timeouts {
        attempt: Some(Duration::from_secs(1)),
        operation: Some(Duration::from_millis(2500)),
        ..Timeouts::default()
    };
    let retry = RetryConfig { max_attempts: 10, ..fast_retry(10) };
    let core = core(&fake, Config::new().retry(retry).timeouts(timeouts));
    let start = Instant::now();
    let error = core.send(request(&core)).await.unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(error.kind(), SendErrorKind::OperationTimeout);
    assert_eq!(error.attempts(), 3);
    assert_eq!(fake.attempts(), 3);
    assert!(elapsed >= Duration::from_millis(2500) && elapsed < Duration::from_millis(2510), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_covers_backoff_sleeps() {
    let fake = Fake::new(vec![status(503)]);
    let retry = RetryConfig {
        max_attempts: 1000,
        initial_backoff: Duration::from_secs(60),
        max_backoff: Duration::from_secs(60),
    };
    let timeouts = Timeouts { operation: Some(Duration::from_secs(120)), ..Timeouts::default() };
    let core = core(&fake, Config::new().retry(retry).timeouts(timeouts));
    let start = Instant::now();
    let error = core.send(request(&core)).await.unwrap_err();
    // 999 sleeps drawn from [0, 60 s] do not fit in 120 s: only the operation timeout can have
    // ended the call, and at its deadline.
    assert_eq!(error.kind(), SendErrorKind::OperationTimeout);
    assert!(fake.attempts() < 1000);
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(120) && elapsed < Duration::from_millis(120_010), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Signing and the headers every attempt carries

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[tokio::test]
async fn every_attempt_is_signed_with_the_session_token() {
    let fake = Fake::new(vec![status(503), ok()]);
    let config = Config::new()
        .region("us-east-1")
        .credentials(ACCESS_KEY, SECRET_KEY, Some("session-token".into()))
        .retry(fast_retry(3));
    let core = core(&fake, config);
    core.send(request(&core)).await.unwrap();
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let headers = request.headers();
        assert_eq!(headers["host"], "example.com");
        assert_eq!(headers["content-length"], "12");
        assert_eq!(headers["user-agent"], "test-rs/0.1");
        assert_eq!(headers["x-amz-security-token"], "session-token");
        assert!(headers.contains_key("x-amz-date"));
        let signed = verify_signature(request, SECRET_KEY);
        assert_eq!(signed, "content-length;content-type;host;x-amz-date;x-amz-security-token");
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(authorization.contains("Credential=AKIDEXAMPLE/"), "{authorization}");
        assert!(authorization.contains("/us-east-1/chime/aws4_request,"), "{authorization}");
    }
}

#[tokio::test]
async fn without_a_session_token_there_is_no_token_header() {
    let fake = Fake::new(vec![ok()]);
    let config = Config::new().region("eu-west-1").credentials(ACCESS_KEY, SECRET_KEY, None);
    let core = core(&fake, config);
    core.send(request(&core)).await.unwrap();
    let request = &fake.requests()[0];
    assert!(!request.headers().contains_key("x-amz-security-token"));
    assert_eq!(verify_signature(request, SECRET_KEY), "content-length;content-type;host;x-amz-date");
}

#[tokio::test]
async fn without_credentials_requests_are_not_signed() {
    let fake = Fake::new(vec![ok()]);
    let core = core(&fake, Config::new().region("us-east-1"));
    assert_eq!(core.region(), None);
    core.send(request(&core)).await.unwrap();
    let headers = fake.requests()[0].headers().clone();
    assert!(!headers.contains_key("authorization"));
    assert!(!headers.contains_key("x-amz-date"));
    assert_eq!(headers["host"], "example.com");
    assert_eq!(headers["content-length"], "12");
}

#[tokio::test]
async fn the_host_header_keeps_only_a_port_that_is_not_the_default() {
    for (endpoint, host) in [("http://example.com:80", "example.com"), ("http://example.com:8080", "example.com:8080")]
    {
        let fake = Fake::new(vec![ok()]);
        let config = Config::new().endpoint_url(endpoint).transport(Arc::clone(&fake));
        let core = ClientCore::new(config, &SERVICE).unwrap();
        core.send(Request::get(uri(&core, "/")).body(Bytes::new()).unwrap()).await.unwrap();
        let request = &fake.requests()[0];
        assert_eq!(request.headers()["host"], host);
    }
}

#[tokio::test]
async fn an_empty_body_has_a_content_length_only_when_the_method_expects_a_body() {
    let fake = Fake::new(vec![ok()]);
    let core = core(&fake, Config::new());
    for method in ["GET", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"] {
        let request = Request::builder().method(method).uri(uri(&core, "/")).body(Bytes::new()).unwrap();
        core.send(request).await.unwrap();
    }
    let request = Request::get(uri(&core, "/")).body(Bytes::from_static(b"odd")).unwrap();
    core.send(request).await.unwrap();
    let lengths: Vec<_> = fake
        .requests()
        .iter()
        .map(|r| (r.method().to_string(), r.headers().get("content-length").map(|v| v.to_str().unwrap().to_owned())))
        .collect();
    let expected = [
        ("GET", None),
        ("DELETE", None),
        ("HEAD", None),
        ("OPTIONS", None),
        ("POST", Some("0")),
        ("PUT", Some("0")),
        ("PATCH", Some("0")),
        ("GET", Some("3")),
    ];
    let expected: Vec<_> = expected.iter().map(|(m, l)| (m.to_string(), l.map(str::to_owned))).collect();
    assert_eq!(lengths, expected);
}

#[tokio::test]
async fn a_user_agent_the_request_carries_is_kept() {
    let fake = Fake::new(vec![ok()]);
    let core = core(&fake, Config::new());
    let request = Request::get(uri(&core, "/")).header("user-agent", "mine").body(Bytes::new()).unwrap();
    core.send(request).await.unwrap();
    assert_eq!(fake.requests()[0].headers()["user-agent"], "mine");
}

#[test]
fn the_send_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let fake = Fake::new(vec![ok()]);
    let core = core(&fake, Config::new());
    assert_send(&core.send(request(&core)));
}

/// Checks `request`'s SigV4 signature independently of `aws-sigv4` (simple paths and queries
/// only: no characters that need encoding); returns its signed header list.
fn verify_signature(request: &Request<Bytes>, secret_key: &str) -> String {
    let headers = request.headers();
    let authorization = headers["authorization"].to_str().unwrap();
    let rest = authorization.strip_prefix("AWS4-HMAC-SHA256 Credential=").unwrap();
    let (credential, rest) = rest.split_once(", SignedHeaders=").unwrap();
    let (signed_headers, signature) = rest.split_once(", Signature=").unwrap();
    let scope = credential.split_once('/').unwrap().1;
    let [date, region, service, _] = scope.split('/').collect::<Vec<_>>()[..] else { panic!("scope {scope}") };
    let amz_date = headers["x-amz-date"].to_str().unwrap();

    let mut query: Vec<_> = request.uri().query().unwrap_or("").split('&').filter(|p| !p.is_empty()).collect();
    query.sort_unstable();
    let canonical_headers: String =
        signed_headers.split(';').map(|name| format!("{name}:{}\n", headers[name].to_str().unwrap().trim())).collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method(),
        request.uri().path(),
        query.join("&"),
        hex::encode(Sha256::digest(request.body())),
    );
    let string_to_sign =
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let mut key = hmac(format!("AWS4{secret_key}").as_bytes(), date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    assert_eq!(hex::encode(hmac(&key, string_to_sign.as_bytes())), signature, "{canonical_request}");
    signed_headers.to_owned()
}

/// HMAC-SHA256 (RFC 2104), for keys no longer than a block.
fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<_>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(data).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().to_vec()
}

// ---------------------------------------------------------------------------------------------
// Configuration and endpoints

#[test]
fn an_endpoint_prefix_loses_its_trailing_slash_and_prefixes_operation_paths() {
    let config = Config::new().endpoint_url("http://localhost:8080/prod/").transport(Fake::new(vec![ok()]));
    let core = ClientCore::new(config, &SERVICE).unwrap();
    assert_eq!(core.endpoint().to_string(), "http://localhost:8080/prod");
    assert_eq!(uri(&core, "/accounts?x=1").to_string(), "http://localhost:8080/prod/accounts?x=1");
}

#[test]
fn an_endpoint_without_a_prefix_has_the_root_path() {
    let config = Config::new().endpoint_url("http://localhost:8080").transport(Fake::new(vec![ok()]));
    let core = ClientCore::new(config, &SERVICE).unwrap();
    assert_eq!(core.endpoint().to_string(), "http://localhost:8080/");
    assert_eq!(uri(&core, "/accounts").to_string(), "http://localhost:8080/accounts");
}

#[test]
fn unusable_configurations_are_rejected() {
    let build = |config: Config| ClientCore::new(config, &SERVICE).unwrap_err();
    assert_eq!(build(Config::new()), ConfigError::MissingEndpoint);
    // With TLS the default transport takes https (tests/tls.rs).
    #[cfg(not(feature = "tls"))]
    assert_eq!(
        build(Config::new().endpoint_url("https://example.com")),
        ConfigError::HttpsNeedsTransport { url: "https://example.com".into() }
    );
    assert_eq!(
        build(Config::new().endpoint_url("http://example.com").credentials("a", "b", None)),
        ConfigError::MissingRegion
    );
    for url in ["localhost:8080", "ftp://example.com", "http://example.com/?a=b", "http://u:p@example.com", "not a url"]
    {
        let error = build(Config::new().endpoint_url(url));
        assert!(matches!(error, ConfigError::InvalidEndpoint { .. }), "{url}: {error}");
    }
}

#[test]
fn an_https_endpoint_works_with_a_transport_of_ones_own() {
    let config = Config::new().endpoint_url("https://example.com").transport(Fake::new(vec![ok()]));
    assert!(ClientCore::new(config, &SERVICE).is_ok());
}

#[test]
fn debug_output_never_shows_secrets() {
    let config = Config::new().endpoint_url("http://example.com").region("us-east-1").credentials(
        ACCESS_KEY,
        SECRET_KEY,
        Some("session-token".into()),
    );
    let printed = format!("{config:?}");
    assert!(printed.contains(ACCESS_KEY), "{printed}");
    assert!(!printed.contains(SECRET_KEY) && !printed.contains("session-token"), "{printed}");
    let core = ClientCore::new(config, &SERVICE).unwrap();
    let printed = format!("{core:?}");
    assert!(!printed.contains(SECRET_KEY) && !printed.contains("session-token"), "{printed}");
}

/// The only test that touches the environment, so that tests running in parallel threads never
/// see each other's variables.
#[test]
fn the_environment_configures_a_client() {
    static ENV_SERVICE: ServiceInfo = ServiceInfo {
        signing_name: "chime",
        endpoint_env: "CLIENT_TEST_ENV",
        user_agent: "test-rs/0.1",
        protocols: &[smithy_runtime::protocol::Protocol::RestJson1],
    };
    let vars = [
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", "token"),
        ("AWS_DEFAULT_REGION", "eu-west-1"),
        ("AWS_ENDPOINT_URL", "http://general:1"),
        ("AWS_ENDPOINT_URL_CLIENT_TEST_ENV", "http://specific:2"),
    ];
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    std::env::remove_var("AWS_REGION");

    let core = ClientCore::new(Config::from_env(), &ENV_SERVICE).unwrap();
    assert_eq!(core.endpoint().authority().unwrap().as_str(), "specific:2");
    assert_eq!(core.region(), Some("eu-west-1"));
    // The service-specific variable is for that service only.
    let core = ClientCore::new(Config::from_env(), &SERVICE).unwrap();
    assert_eq!(core.endpoint().authority().unwrap().as_str(), "general:1");
    // What the code sets wins over the environment.
    let core = ClientCore::new(Config::from_env().endpoint_url("http://explicit:3"), &ENV_SERVICE).unwrap();
    assert_eq!(core.endpoint().authority().unwrap().as_str(), "explicit:3");
    std::env::set_var("AWS_REGION", "us-west-2");
    let config = Config::from_env();
    assert!(format!("{config:?}").contains("AKIDEXAMPLE"));
    assert_eq!(ClientCore::new(config, &ENV_SERVICE).unwrap().region(), Some("us-west-2"));

    for (name, _) in vars {
        std::env::remove_var(name);
    }
    std::env::remove_var("AWS_REGION");
    assert_eq!(ClientCore::new(Config::from_env(), &ENV_SERVICE).unwrap_err(), ConfigError::MissingEndpoint);
}

// ---------------------------------------------------------------------------------------------
// Error codes and messages

fn header(name: &'static str, value: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(name, value.parse().unwrap());
    headers
}

#[test]
fn error_codes_are_read_from_the_header_then_the_body() {
    let none = HeaderMap::new();
    let cases: [(&HeaderMap, &str, Option<&str>); 10] = [
        (&header("X-Amzn-Errortype", "FooError"), "", Some("FooError")),
        (
            &header(
                "X-Amzn-Errortype",
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            ),
            "",
            Some("FooError"),
        ),
        (&none, r#"{"__type":"aws.protocoltests.restjson#FooError"}"#, Some("FooError")),
        (&none, r#"{"__type":"FooError:http://internal.amazon.com/coral/"}"#, Some("FooError")),
        (&none, r#"{"code":"FooError"}"#, Some("FooError")),
        (&none, r#"{"Code":"FooError"}"#, Some("FooError")),
        (&none, r#"{"code":"Lower","__type":"Dunder"}"#, Some("Dunder")),
        (&header("X-Amzn-Errortype", "FromHeader"), r#"{"__type":"FromBody"}"#, Some("FromHeader")),
        (&none, r#"{"message":"no code here"}"#, None),
        (&none, "<html>bad gateway</html>", None),
    ];
    for (headers, body, expected) in cases {
        assert_eq!(error_code(headers, body.as_bytes()).as_deref(), expected, "{headers:?} {body}");
    }
}

#[test]
fn error_codes_that_are_not_strings_or_are_empty_are_skipped() {
    let none = HeaderMap::new();
    assert_eq!(error_code(&none, br#"{"code":42,"Code":"Real"}"#).as_deref(), Some("Real"));
    assert_eq!(error_code(&header("x-amzn-errortype", ""), br#"{"__type":"Body"}"#).as_deref(), Some("Body"));
}

#[test]
fn error_messages_are_read_from_any_of_the_usual_members() {
    assert_eq!(error_message(br#"{"message":"lower"}"#).as_deref(), Some("lower"));
    assert_eq!(error_message(br#"{"Message":"upper"}"#).as_deref(), Some("upper"));
    assert_eq!(error_message(br#"{"errorMessage":"lambda"}"#).as_deref(), Some("lambda"));
    assert_eq!(error_message(br#"{"Message":"upper","message":"lower"}"#).as_deref(), Some("lower"));
    assert_eq!(error_message(br#"{"message":7}"#), None);
    assert_eq!(error_message(b""), None);
}

// ---------------------------------------------------------------------------------------------
// HyperTransport over loopback TCP

/// A server on 127.0.0.1 that echoes the body and reports, in `x-seen-*` headers, the host,
/// content length, user agent and path it received.
async fn echo_server() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = hyper::service::service_fn(|request: Request<hyper::body::Incoming>| async move {
                let (parts, body) = request.into_parts();
                let body = body.collect().await?.to_bytes();
                let mut response = Response::new(Full::new(body));
                let seen = response.headers_mut();
                for name in ["host", "content-length", "user-agent"] {
                    if let Some(value) = parts.headers.get(name) {
                        seen.insert(format!("x-seen-{name}").parse::<http::HeaderName>().unwrap(), value.clone());
                    }
                }
                seen.insert("x-seen-path", parts.uri.path().parse().unwrap());
                Ok::<_, hyper::Error>(response)
            });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service),
            );
        }
    });
    addr
}

#[tokio::test]
async fn the_default_transport_makes_a_real_round_trip() {
    let addr = echo_server().await;
    let core = ClientCore::new(Config::new().endpoint_url(format!("http://{addr}/base")), &SERVICE).unwrap();
    for body in ["first", "second"] {
        let request = Request::put(uri(&core, "/items/1")).body(Bytes::from(body)).unwrap();
        let response = core.send(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.body().as_ref(), body.as_bytes());
        let headers = response.headers();
        assert_eq!(headers["x-seen-host"], addr.to_string().as_str());
        assert_eq!(headers["x-seen-content-length"], body.len().to_string().as_str());
        assert_eq!(headers["x-seen-user-agent"], "test-rs/0.1");
        assert_eq!(headers["x-seen-path"], "/base/items/1");
    }
}

#[tokio::test]
async fn a_get_without_a_body_goes_out_without_a_content_length() {
    let addr = echo_server().await;
    let core = ClientCore::new(Config::new().endpoint_url(format!("http://{addr}")), &SERVICE).unwrap();
    let response = core.send(Request::get(uri(&core, "/items")).body(Bytes::new()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!response.headers().contains_key("x-seen-content-length"), "{:?}", response.headers());
    let response = core.send(Request::post(uri(&core, "/items")).body(Bytes::new()).unwrap()).await.unwrap();
    assert_eq!(response.headers()["x-seen-content-length"], "0");
}

#[tokio::test]
async fn the_default_transport_refuses_a_response_body_over_its_limit() {
    let addr = echo_server().await;
    let transport = HyperTransport::new(None).body_limit(10);
    let send = |body: &'static str| {
        transport.send(Request::post(format!("http://{addr}/")).body(Bytes::from_static(body.as_bytes())).unwrap())
    };
    assert_eq!(send("ten bytes!").await.unwrap().body().as_ref(), b"ten bytes!");
    let error = send("eleven byte").await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other);
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("larger than the limit of 10 bytes"), "{source}");
}

/// A loopback port nothing listens on (bound, then released).
async fn closed_port() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let addr = closed_port().await;
    let transport = HyperTransport::new(Some(Duration::from_secs(1)));
    let request = Request::get(format!("http://{addr}/")).body(Bytes::new()).unwrap();
    let error = transport.send(request).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect);
}

#[tokio::test]
async fn a_refused_connection_is_retried() {
    let addr = closed_port().await;
    let config = Config::new().endpoint_url(format!("http://{addr}")).retry(fast_retry(2));
    let core = ClientCore::new(config, &SERVICE).unwrap();
    let error = core.send(Request::get(uri(&core, "/")).body(Bytes::new()).unwrap()).await.unwrap_err();
    assert_eq!(error.kind(), SendErrorKind::Transport);
    assert_eq!(error.attempts(), 2);
    assert_eq!(error.transport_error().unwrap().kind(), TransportErrorKind::Connect);
}

// ---------------------------------------------------------------------------------------------
// ServiceTransport in process

/// A tower service that answers 200 with the request's host and body, or 500 when it is called
/// without having been polled ready (the tower contract); `polls` counts poll_ready calls
/// across clones.
#[derive(Clone)]
struct Echo {
    ready: bool,
    polls: Arc<AtomicUsize>,
}

impl tower_service::Service<Request<ByteStream>> for Echo {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.ready = true;
        self.polls.fetch_add(1, Ordering::SeqCst);
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<ByteStream>) -> Self::Future {
        let ready = std::mem::replace(&mut self.ready, false);
        Box::pin(async move {
            let host = request.headers()["host"].clone();
            let body = request.into_body().collect().await.unwrap();
            let status = if ready { 200 } else { 500 };
            Ok(Response::builder().status(status).header("x-seen-host", host).body(Full::new(body)).unwrap())
        })
    }
}

#[tokio::test]
async fn the_service_transport_calls_a_ready_service_in_process() {
    let polls = Arc::new(AtomicUsize::new(0));
    let transport = ServiceTransport::new(Echo { ready: false, polls: Arc::clone(&polls) });
    let config = Config::new()
        .endpoint_url("http://in-process.test")
        .region("us-east-1")
        .credentials(ACCESS_KEY, SECRET_KEY, None)
        .transport(transport);
    let core = ClientCore::new(config, &SERVICE).unwrap();
    for body in ["one", "two"] {
        let response = core.send(Request::post(uri(&core, "/x")).body(Bytes::from(body)).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.body().as_ref(), body.as_bytes());
        assert_eq!(response.headers()["x-seen-host"], "in-process.test");
    }
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

/// A service whose response body is `chunks` MiB of zeros, streamed without a declared length.
#[derive(Clone)]
struct Big {
    chunks: usize,
}

impl tower_service::Service<Request<ByteStream>> for Big {
    type Response = Response<http_body_util::StreamBody<futures_util::stream::Iter<std::vec::IntoIter<Chunk>>>>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Request<ByteStream>) -> Self::Future {
        static MIB: [u8; 1 << 20] = [0; 1 << 20];
        // Static chunks: collecting them up to the limit copies nothing.
        let chunks: Vec<Chunk> =
            (0..self.chunks).map(|_| Ok(http_body::Frame::data(Bytes::from_static(&MIB)))).collect();
        let body = http_body_util::StreamBody::new(futures_util::stream::iter(chunks));
        std::future::ready(Ok(Response::new(body)))
    }
}

/// A chunk of a streamed body.
type Chunk = Result<http_body::Frame<Bytes>, Infallible>;

#[tokio::test]
async fn the_service_transport_refuses_a_response_body_over_64_mib_by_default() {
    let get = || Request::get("http://x/").body(Bytes::new()).unwrap();
    let response = ServiceTransport::new(Big { chunks: 64 }).send(get()).await.unwrap();
    assert_eq!(response.body().len(), 64 << 20);
    let error = ServiceTransport::new(Big { chunks: 65 }).send(get()).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other);
    let error = ServiceTransport::new(Big { chunks: 1 }).body_limit(1000).send(get()).await.unwrap_err();
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("larger than the limit of 1000 bytes"), "{source}");
}

/// A service that always fails.
#[derive(Clone)]
struct Broken;

impl tower_service::Service<Request<ByteStream>> for Broken {
    type Response = Response<Full<Bytes>>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Request<ByteStream>) -> Self::Future {
        std::future::ready(Err(std::io::Error::other("broken")))
    }
}

#[tokio::test]
async fn a_failing_service_is_a_transport_error() {
    let transport = ServiceTransport::new(Broken);
    let error = transport.send(Request::get("http://x/").body(Bytes::new()).unwrap()).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other);
    assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "broken");
}
