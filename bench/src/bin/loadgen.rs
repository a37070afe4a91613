//! `loadgen --addr HOST:PORT --path PATH (--body TEXT | --body-base64 BYTES)
//! [--header NAME:VALUE]... [--sign AKID:SECRET] [--signing-name NAME] [--connections N]
//! [--seconds S] [--warmup S]`: a closed-loop HTTP/1.1 load generator (`--body-base64` sends
//! any bytes, e.g. CBOR; `--header` adds a header or replaces the JSON `content-type`). N
//! keep-alive connections each send the same POST back to back for the warm-up and then the
//! measured seconds; it prints requests/s, p50/p99/max latency and the first response (its
//! status, content type, and body as text and as base64), as JSON.
//!
//! With `--sign` the request is SigV4-signed once, with the aws-sigv4 crate, and replayed:
//! the server verifies every copy in full, while the loader spends nothing on signing, so
//! that it takes as little of the machine from the server as it can.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use bench::{base64, bytes_flag, credentials, fail, flag, flag_or, flags, number_flag};
use bytes::Bytes;
use hdrhistogram::Histogram;
use http::{HeaderName, HeaderValue, Request};
use http_body_util::{BodyExt, Full};

/// What every connection sends.
#[derive(Clone)]
struct Template {
    path: String,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Template {
    fn request(&self) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.path.parse().unwrap_or_else(|_| fail("bad --path"));
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// The shared tallies (one thread: a RefCell suffices).
struct Tally {
    histogram: Histogram<u64>,
    errors: u64,
    /// Every response, warm-up included (the server's CPU time covers those too).
    completed: u64,
    first: Option<First>,
}

/// The first response: what the hand-written server is given to answer with.
#[derive(Clone, Default)]
struct First {
    status: u16,
    content_type: String,
    body: Bytes,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr = flag(&args, "--addr").unwrap_or_else(|| fail("--addr HOST:PORT is required"));
    let path = flag(&args, "--path").unwrap_or_else(|| fail("--path is required"));
    let body = bytes_flag(&args, "--body").unwrap_or_else(|message| fail(&message)).unwrap_or_else(|| b"{}".to_vec());
    let connections = number_flag(&args, "--connections", 16).max(1);
    let seconds = number_flag(&args, "--seconds", 5).max(1);
    let warmup = number_flag(&args, "--warmup", 1);
    let headers: Vec<(String, String)> = flags(&args, "--header")
        .iter()
        .map(|header| match header.split_once(':') {
            Some((name, value)) => (name.trim().to_ascii_lowercase(), value.trim().to_owned()),
            None => fail("--header takes NAME:VALUE"),
        })
        .collect();
    let signing = flag(&args, "--sign").map(|key| (key, flag_or(&args, "--signing-name", "chime")));
    let template = template(&addr, &path, body, &headers, signing.as_ref());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|error| fail(&format!("cannot start tokio: {error}")));
    let tally = Rc::new(RefCell::new(Tally {
        histogram: Histogram::new_with_bounds(1, 60_000_000, 3).unwrap_or_else(|_| fail("histogram bounds")),
        errors: 0,
        completed: 0,
        first: None,
    }));
    let local = tokio::task::LocalSet::new();
    let started = Instant::now();
    let measure_from = started + Duration::from_secs(warmup);
    let until = measure_from + Duration::from_secs(seconds);
    local.block_on(&runtime, async {
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (addr, template, tally) = (addr.clone(), template.clone(), Rc::clone(&tally));
            tasks.push(tokio::task::spawn_local(connection(addr, template, tally, measure_from, until)));
        }
        for task in tasks {
            if let Err(error) = task.await {
                fail(&format!("a connection task failed: {error}"));
            }
        }
    });
    let tally = tally.borrow();
    let requests = tally.histogram.len();
    let first = tally.first.clone().unwrap_or_default();
    let micros = |quantile: f64| tally.histogram.value_at_quantile(quantile);
    let report = serde_json::json!({
        "connections": connections,
        "seconds": seconds,
        "requests": requests,
        "errors": tally.errors,
        "completed": tally.completed,
        "rps": requests as f64 / seconds as f64,
        "p50_us": micros(0.50),
        "p99_us": micros(0.99),
        "max_us": tally.histogram.max(),
        "status": first.status,
        "content_type": first.content_type,
        "body": String::from_utf8_lossy(&first.body),
        "body_base64": base64(&first.body),
    });
    println!("{report}");
}

/// One keep-alive connection sending the request back to back until `until`.
async fn connection(
    addr: String,
    template: Template,
    tally: Rc<RefCell<Tally>>,
    measure_from: Instant,
    until: Instant,
) {
    let stream = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|error| fail(&format!("cannot connect to {addr}: {error}")));
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
        .await
        .unwrap_or_else(|error| fail(&format!("handshake: {error}")));
    tokio::task::spawn_local(conn);
    loop {
        let sent = Instant::now();
        if sent >= until {
            break;
        }
        if sender.ready().await.is_err() {
            fail("the server closed a connection");
        }
        let response = match sender.send_request(template.request()).await {
            Ok(response) => response,
            Err(error) => fail(&format!("request failed: {error}")),
        };
        let status = response.status().as_u16();
        // Read only for the first response, to take nothing from the others.
        let content_type = match tally.borrow().first {
            None => response.headers().get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok()),
            Some(_) => None,
        }
        .map(str::to_owned);
        let body = match response.into_body().collect().await {
            Ok(body) => body.to_bytes(),
            Err(error) => fail(&format!("response body failed: {error}")),
        };
        let done = Instant::now();
        let mut tally = tally.borrow_mut();
        tally.completed += 1;
        if tally.first.is_none() {
            tally.first = Some(First { status, content_type: content_type.unwrap_or_default(), body });
        }
        if sent >= measure_from && done <= until {
            if status >= 300 {
                tally.errors += 1;
            }
            let micros = (done - sent).as_micros().max(1) as u64;
            let _ = tally.histogram.record(micros);
        }
    }
}

/// The request every connection sends: signed now when credentials (and the signing name)
/// are given.
fn template(
    addr: &str,
    path: &str,
    body: Vec<u8>,
    headers: &[(String, String)],
    sign_with: Option<&(String, String)>,
) -> Template {
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("http://{addr}{path}"))
        .header("host", addr)
        .header("content-type", "application/json")
        .header("content-length", body.len().to_string())
        .body(Bytes::from(body))
        .unwrap_or_else(|error| fail(&format!("bad request: {error}")));
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap_or_else(|_| fail("bad --header name"));
        let value = HeaderValue::from_str(value).unwrap_or_else(|_| fail("bad --header value"));
        request.headers_mut().insert(name, value);
    }
    if let Some((text, signing_name)) = sign_with {
        let (id, secret) = credentials(text);
        sign_request(&mut request, &id, &secret, signing_name);
    }
    let (parts, body) = request.into_parts();
    Template { path: path.to_owned(), headers: parts.headers, body }
}

/// Signs as the AWS SDKs do (region us-east-1, the given signing name).
fn sign_request(request: &mut http::Request<Bytes>, id: &str, secret: &str, signing_name: &str) {
    let identity: Identity = Credentials::new(id, secret, None, None, "loadgen").into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(signing_name)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap_or_else(|error| fail(&format!("signing parameters: {error}")))
        .into();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.iter().map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(request.body()),
    )
    .unwrap_or_else(|error| fail(&format!("signable request: {error}")));
    let (instructions, _) =
        sign(signable, &params).unwrap_or_else(|error| fail(&format!("signing: {error}"))).into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let name = HeaderName::from_bytes(header.name().as_bytes()).unwrap_or_else(|_| fail("bad header name"));
        let value = HeaderValue::from_str(header.value()).unwrap_or_else(|_| fail("bad header value"));
        request.headers_mut().insert(name, value);
    }
}
