//! The fluent client (`client.update_user().account_id(a).send()`): the same requests as the
//! service trait's methods, every unset `@required` member reported before anything is sent,
//! and per-call overrides of the client's retries.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chime::client::{CallConfig, Client, Config, RetryConfig};
use chime::service::Chime;
use chime::types::{License, UpdateUserInput};
use smithy_runtime::client::{BoxFuture, Transport, TransportError};

/// Answers every request with one status and body, and keeps what it was sent.
struct Canned {
    status: u16,
    body: &'static str,
    seen: Mutex<Vec<http::Request<Bytes>>>,
}

impl Transport for Canned {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.seen.lock().unwrap().push(request);
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", "application/json")
            .body(Bytes::from_static(self.body.as_bytes()))
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn canned(status: u16, body: &'static str) -> (Client, Arc<Canned>) {
    let canned = Arc::new(Canned { status, body, seen: Mutex::new(Vec::new()) });
    let retry = RetryConfig { max_attempts: 3, initial_backoff: Duration::from_millis(1), ..RetryConfig::default() };
    let config = Config::new().endpoint_url("http://chime.local").retry(retry).transport(canned.clone());
    (Client::new(config).unwrap(), canned)
}

const USER: &str = r#"{"User": {"UserId": "u-1", "LicenseType": "Pro"}}"#;

#[tokio::test]
async fn a_fluent_call_sends_what_the_trait_method_sends() {
    let (client, sent) = canned(200, USER);
    let fluent = client.update_user().account_id("a-1").user_id("u-1").license_type(License::Pro).send().await;
    assert_eq!(fluent.unwrap().user.unwrap().license_type, Some(License::Pro));
    let input = UpdateUserInput::builder().account_id("a-1").user_id("u-1").license_type(License::Pro).build().unwrap();
    Chime::update_user(&client, input).await.unwrap();
    let seen = sent.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].method(), seen[0].uri()), (seen[1].method(), seen[1].uri()));
    assert_eq!(seen[0].uri().path(), "/accounts/a-1/users/u-1");
    assert_eq!(seen[0].body(), seen[1].body());
}

#[tokio::test]
async fn unset_required_members_fail_the_call_before_it_is_sent() {
    let (client, sent) = canned(200, USER);
    let error = client.update_user().license_type(License::Basic).send().await.unwrap_err();
    assert_eq!(error.code(), "ConstructionFailure");
    assert_eq!(
        error.message(),
        Some("cannot build UpdateUserInput: required members are not set: `account_id`, `user_id`")
    );
    assert!(sent.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_call_can_override_the_clients_retries() {
    let (client, sent) = canned(503, r#"{"Message": "busy"}"#);
    let error = client.create_account().name("x").send().await.unwrap_err();
    assert_eq!(error.http_status(), 503);
    assert_eq!(sent.seen.lock().unwrap().len(), 3, "the client's three attempts");
    sent.seen.lock().unwrap().clear();
    let once = client.create_account().name("x").config_override(CallConfig::new().max_attempts(1)).send().await;
    assert_eq!(once.unwrap_err().http_status(), 503);
    assert_eq!(sent.seen.lock().unwrap().len(), 1, "one attempt for this call");
    sent.seen.lock().unwrap().clear();
    client.create_account().name("x").send().await.unwrap_err();
    assert_eq!(sent.seen.lock().unwrap().len(), 3, "the override was this call's only");
}
