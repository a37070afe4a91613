//! `baseline --listen ADDR (--response TEXT | --response-base64 BYTES) [--content-type TYPE]`:
//! the hand-written server the generated one is measured against. One hyper HTTP/1.1 handler,
//! on the same Tokio runtime chime-local uses, that reads the whole body, parses it into
//! UpdateUser's struct with serde (JSON with serde_json, or CBOR with ciborium when the request
//! says `application/cbor`; another operation's members are skipped, which still reads every
//! byte), and answers 200 with the given bytes (the generated server's answer) and content
//! type (default `application/json`). No routing table, no SigV4, no validation, no request
//! ID: the least a Rust server can do for this call.

use std::convert::Infallible;
use std::io::Write;

use bench::{bytes_flag, fail, flag_or};
use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde::Deserialize;

/// UpdateUser's body.
#[derive(Deserialize)]
#[allow(dead_code)]
struct UpdateUserBody {
    #[serde(rename = "LicenseType")]
    license_type: Option<String>,
    #[serde(rename = "UserType")]
    user_type: Option<String>,
    #[serde(rename = "AlexaForBusinessMetadata")]
    alexa_for_business_metadata: Option<serde_json::Value>,
}

/// What every request is answered with.
#[derive(Clone)]
struct Answer {
    body: Bytes,
    content_type: http::HeaderValue,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let listen = flag_or(&args, "--listen", "127.0.0.1:0");
    let response = bytes_flag(&args, "--response").unwrap_or_else(|message| fail(&message));
    let response = Answer {
        body: response.unwrap_or_else(|| fail("--response TEXT or --response-base64 BYTES is required")).into(),
        content_type: http::HeaderValue::from_str(&flag_or(&args, "--content-type", "application/json"))
            .unwrap_or_else(|_| fail("--content-type: not a header value")),
    };
    // The same runtime as chime-local's: multi-threaded, a worker per core.
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|error| fail(&format!("tokio: {error}")));
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen).await.unwrap_or_else(|error| fail(&error.to_string()));
        let address = listener.local_addr().unwrap_or_else(|error| fail(&error.to_string()));
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on http://{address}");
        let _ = stdout.flush();
        drop(stdout);
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let response = response.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| answer(request, response.clone()));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

async fn answer(request: Request<Incoming>, response: Answer) -> Result<http::Response<Full<Bytes>>, Infallible> {
    let cbor = request.headers().get(http::header::CONTENT_TYPE).is_some_and(|value| value == "application/cbor");
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Ok(status(400)),
    };
    let parsed = if cbor {
        ciborium::from_reader::<UpdateUserBody, _>(&body[..]).is_ok()
    } else {
        serde_json::from_slice::<UpdateUserBody>(&body).is_ok()
    };
    if !parsed {
        return Ok(status(400));
    }
    let mut answer = http::Response::new(Full::new(response.body));
    answer.headers_mut().insert(http::header::CONTENT_TYPE, response.content_type);
    Ok(answer)
}

fn status(code: u16) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::new()));
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::BAD_REQUEST);
    response
}
