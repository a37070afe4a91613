//! Every output and error the generated client reads keeps the response's request ID and HTTP
//! status (`smithy_runtime::RequestId`), an error's `Display` names the request ID, and none
//! of it changes what the values compare equal to.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::client::{Client, Config, RequestId, RetryConfig};
use chime::error::UpdateAccountError;
use chime::server::{server, ServerConfig};
use chime::types::{Account, CreateAccountOutput};
use chime_local::{ChimeLocal, State, Store};
use smithy_runtime::bytes::Bytes;
use smithy_runtime::client::{BoxFuture, ServiceTransport, Transport, TransportError};

fn client() -> Client {
    let service = ChimeLocal::new(Store::in_memory(State::default()), "111122223333");
    let transport = ServiceTransport::new(server(service, ServerConfig::new()));
    Client::new(Config::new().endpoint_url("http://chime.local").retry(RetryConfig::disabled()).transport(transport))
        .unwrap()
}

/// Answers every request with one status, body and request ID.
struct Canned(u16, &'static str);

impl Transport for Canned {
    fn send(&self, _: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let response = http::Response::builder()
            .status(self.0)
            .header("content-type", "application/json")
            .header("x-amzn-RequestId", "canned-request-1")
            .body(Bytes::from_static(self.1.as_bytes()))
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn canned(status: u16, body: &'static str) -> Client {
    let config =
        Config::new().endpoint_url("http://chime.local").retry(RetryConfig::disabled()).transport(Canned(status, body));
    Client::new(config).unwrap()
}

fn is_uuid(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}

#[tokio::test]
async fn an_output_keeps_its_request_id_and_status() {
    let client = client();
    let created = client.create_account().name("acme").send().await.unwrap();
    let metadata = created.response_metadata();
    assert!(metadata.request_id().is_some_and(is_uuid), "{metadata:?}");
    assert_eq!(metadata.http_status(), Some(201));
    let again = client.create_account().name("acme-2").send().await.unwrap();
    assert_ne!(created.request_id(), again.request_id(), "each response has its own request ID");
    // The metadata is not a member: the output equals one built with the same account.
    let account: Account = created.account().unwrap().clone();
    assert_eq!(created, CreateAccountOutput::builder().account(account).build());
    assert_eq!(CreateAccountOutput::builder().build().request_id(), None);
}

#[tokio::test]
async fn a_modeled_error_keeps_its_request_id_and_displays_it() {
    let error = client().update_account().account_id("no-such-account").name("x").send().await.unwrap_err();
    let UpdateAccountError::NotFoundException(not_found) = &error else { panic!("{error:?}") };
    let id = error.request_id().unwrap().to_owned();
    assert!(is_uuid(&id), "{id}");
    assert_eq!(not_found.request_id(), Some(id.as_str()));
    assert_eq!(error.response_metadata().http_status(), Some(404));
    let shown = error.to_string();
    assert!(shown.starts_with("NotFoundException: "), "{shown}");
    assert!(shown.ends_with(&format!(" (request ID: {id})")), "{shown}");
}

#[tokio::test]
async fn an_unmodeled_or_unreadable_response_keeps_its_request_id() {
    let body = r#"{"__type": "SlowDownException", "message": "slow down"}"#;
    let error = canned(429, body).update_account().account_id("a").name("x").send().await.unwrap_err();
    let UpdateAccountError::Unhandled(unhandled) = &error else { panic!("{error:?}") };
    assert_eq!(unhandled.request_id(), Some("canned-request-1"));
    assert_eq!(error.response_metadata().http_status(), Some(429));
    assert_eq!(error.to_string(), "SlowDownException: slow down (request ID: canned-request-1)");

    let error = canned(200, "{not json").update_account().account_id("a").name("x").send().await.unwrap_err();
    assert_eq!(error.code(), "ResponseError");
    assert_eq!(error.request_id(), Some("canned-request-1"));
    assert!(error.to_string().ends_with("(request ID: canned-request-1)"), "{error}");
}

#[tokio::test]
async fn an_error_that_got_no_response_has_no_request_id() {
    let error = client().update_account().name("x").send().await.unwrap_err();
    assert_eq!(error.code(), "ConstructionFailure");
    assert_eq!((error.request_id(), error.response_metadata().http_status()), (None, None));
    assert!(!error.to_string().contains("request ID"), "{error}");
}
