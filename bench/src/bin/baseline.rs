//! `baseline --listen ADDR --response JSON`: the hand-written server the generated one is
//! measured against. One hyper HTTP/1.1 handler, on the same Tokio runtime chime-local uses,
//! that reads the whole body, parses UpdateUser's JSON into a struct with serde, and answers
//! 200 with the bytes chime-local answers UpdateUser with. No routing table, no SigV4, no
//! validation, no request ID: the least a Rust server can do for this call.

use std::convert::Infallible;
use std::io::Write;

use bench::{fail, flag, flag_or};
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde::Deserialize;

/// UpdateUser's JSON body.
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let listen = flag_or(&args, "--listen", "127.0.0.1:0");
    let response: Bytes = flag(&args, "--response").unwrap_or_else(|| fail("--response JSON is required")).into();
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

async fn answer(request: Request<Incoming>, response: Bytes) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Ok(status(400)),
    };
    if serde_json::from_slice::<UpdateUserBody>(&body).is_err() {
        return Ok(status(400));
    }
    let mut answer = Response::new(Full::new(response));
    answer.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    Ok(answer)
}

fn status(code: u16) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::BAD_REQUEST);
    response
}
