//! What a handler learns from [`RequestContext::current`]: the request ID the response carries,
//! and the access key that signed the request when the server checks signatures, for a body
//! read whole and for a streamed one; nothing outside a handler, or in a task it spawns
//! without handing the context over.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use smithy_runtime::router::{Route, Router, Segment};
use smithy_runtime::service::{AuthErrors, Dispatch, RequestContext, Routed, Server, ServerConfig};
use smithy_runtime::BoxFuture;

const ACCESS_KEY_ID: &str = "AKIDCONTEXT";
const SECRET: &str = "context-secret";
const HOST: &str = "context.example.test";

static ROUTES: &[Route] = &[
    Route { method: "POST", path: &[Segment::Literal("whole")], query: &[] },
    Route { method: "PUT", path: &[Segment::Literal("stream")], query: &[] },
];

/// Answers every request with what its handler saw: `request-id key spawned handed-over`,
/// `-` for what it did not see.
struct Echo {
    router: Router,
}

impl Dispatch for Echo {
    fn router(&self) -> &Router {
        &self.router
    }

    fn auth_errors(&self) -> AuthErrors {
        AuthErrors::default()
    }

    fn streams_input(&self, operation: usize) -> bool {
        operation == 1
    }

    fn dispatch<'a>(&'a self, _: Routed<'a>) -> BoxFuture<'a, Response<Bytes>> {
        Box::pin(async move {
            let Some(context) = RequestContext::current() else {
                return Response::new(Bytes::from_static(b"no context"));
            };
            let spawned = tokio::spawn(async { RequestContext::current() }).await.unwrap();
            let handed = tokio::spawn(context.clone().scope(async { RequestContext::current() })).await.unwrap();
            let id = |context: Option<RequestContext>| context.map_or("-".to_owned(), |c| c.request_id().to_owned());
            let line = format!(
                "{} {} {} {}",
                context.request_id(),
                context.access_key_id().unwrap_or("-"),
                id(spawned),
                id(handed),
            );
            Response::new(Bytes::from(line))
        })
    }
}

fn server(config: ServerConfig) -> Server<Echo> {
    Server::new(Echo { router: Router::new(ROUTES) }, config)
}

/// `method path` with `body`, signed now with the test's key over `signed_body`.
fn signed(method: &str, path: &str, body: &'static [u8], signed_body: SignableBody<'_>) -> Request<Full<Bytes>> {
    let identity: Identity = Credentials::new(ACCESS_KEY_ID, SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("context")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let signable =
        SignableRequest::new(method, format!("https://{HOST}{path}"), std::iter::empty(), signed_body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = unsigned(method, path, body);
    instructions.apply_to_request_http1x(&mut request);
    request
}

fn unsigned(method: &str, path: &str, body: &'static [u8]) -> Request<Full<Bytes>> {
    Request::builder().method(method).uri(path).header("host", HOST).body(Full::new(Bytes::from_static(body))).unwrap()
}

/// The response's status, its `x-amzn-requestid` and its body.
async fn answer(server: &Server<Echo>, request: Request<Full<Bytes>>) -> (u16, String, String) {
    let response = server.handle(request).await;
    let status = response.status().as_u16();
    let id = response.headers()["x-amzn-requestid"].to_str().unwrap().to_owned();
    let body = response.into_body().collect().await.unwrap();
    (status, id, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn a_signed_request_shows_its_request_id_and_access_key_to_the_handler() {
    let server = server(ServerConfig::new().access_key(ACCESS_KEY_ID, SECRET));
    let (status, id, body) = answer(&server, signed("POST", "/whole", b"{}", SignableBody::Bytes(b"{}"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(body, format!("{id} {ACCESS_KEY_ID} - {id}"));
}

#[tokio::test]
async fn a_streamed_request_signed_over_unsigned_payload_shows_its_access_key() {
    let server = server(ServerConfig::new().access_key(ACCESS_KEY_ID, SECRET));
    let request = signed("PUT", "/stream", b"unread bytes", SignableBody::UnsignedPayload);
    let (status, id, body) = answer(&server, request).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, format!("{id} {ACCESS_KEY_ID} - {id}"));

    // Signed over its hash, a streamed body is read and verified whole: the key still shows.
    let request = signed("PUT", "/stream", b"read bytes", SignableBody::Bytes(b"read bytes"));
    let (status, id, body) = answer(&server, request).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, format!("{id} {ACCESS_KEY_ID} - {id}"));
}

#[tokio::test]
async fn without_keys_the_handler_sees_no_access_key() {
    let server = server(ServerConfig::new());
    for (method, path) in [("POST", "/whole"), ("PUT", "/stream")] {
        let (status, id, body) = answer(&server, unsigned(method, path, b"{}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, format!("{id} - - {id}"), "{method} {path}");
    }
}

#[tokio::test]
async fn every_request_gets_its_own_id() {
    let server = server(ServerConfig::new());
    let (_, first, first_body) = answer(&server, unsigned("POST", "/whole", b"{}")).await;
    let (_, second, second_body) = answer(&server, unsigned("POST", "/whole", b"{}")).await;
    assert_ne!(first, second);
    assert!(first_body.starts_with(&first) && second_body.starts_with(&second));
}

#[tokio::test]
async fn there_is_no_context_outside_a_handler() {
    assert_eq!(RequestContext::current(), None);
    let server = server(ServerConfig::new());
    let _ = answer(&server, unsigned("POST", "/whole", b"{}")).await;
    assert_eq!(RequestContext::current(), None, "the handler's context does not outlive it");
    let context = RequestContext::new("made-by-hand", None);
    let seen = context.clone().scope(async { RequestContext::current() }).await;
    assert_eq!(seen, Some(context));
}
