//! The generated Chime client against the generated Chime server: in-process (the client's
//! transport hands requests straight to the server) and over loopback TCP, for the four
//! operations, every modeled error, validation failures, malformed requests, the body limit,
//! a panicking handler and SigV4.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use chime::client::{Client, Config, RetryConfig};
use chime::error::{BatchUpdateUserError, CreateAccountError, UpdateAccountError, UpdateUserError};
use chime::server::{server, ServerConfig};
use chime::service::Chime;
use chime::types::*;
use http_body_util::Full;
use smithy_runtime::client::ServiceTransport;
use smithy_runtime::error::Unhandled;
use tower::ServiceExt;

/// An in-memory Chime with a few switches for failure cases: an account ID of
/// `error-{Code}` makes UpdateAccount fail with that error, `panic` makes it panic.
#[derive(Default)]
struct Fake {
    accounts: Mutex<BTreeMap<String, Account>>,
    calls: AtomicUsize,
}

fn account(id: &str, name: &str) -> Account {
    Account {
        aws_account_id: "111122223333".into(),
        account_id: id.into(),
        name: name.into(),
        account_type: Some(AccountType::Team),
        created_timestamp: Some(smithy_runtime::DateTime::from_secs(1_546_970_358)),
        default_license: Some(License::Pro),
        supported_licenses: Some(vec![License::Basic, License::Pro]),
        account_status: Some(AccountStatus::Active),
        signin_delegate_groups: None,
    }
}

fn modeled_error(code: &str) -> UpdateAccountError {
    let message = Some(format!("the fake was asked for {code}"));
    let error_code = Some(ErrorCode::BadRequest);
    match code {
        "BadRequestException" => BadRequestException { code: error_code, message }.into(),
        "ForbiddenException" => ForbiddenException { code: error_code, message }.into(),
        "NotFoundException" => NotFoundException { code: error_code, message }.into(),
        "ServiceFailureException" => ServiceFailureException { code: error_code, message }.into(),
        "ServiceUnavailableException" => ServiceUnavailableException { code: error_code, message }.into(),
        "ThrottledClientException" => ThrottledClientException { code: error_code, message }.into(),
        "UnauthorizedClientException" => UnauthorizedClientException { code: error_code, message }.into(),
        other => Unhandled::new(other, message, 418).into(),
    }
}

impl Chime for Fake {
    async fn create_account(&self, input: CreateAccountInput) -> Result<CreateAccountOutput, CreateAccountError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let mut accounts = self.accounts.lock().unwrap();
        let id = format!("a-{}", accounts.len() + 1);
        let created = account(&id, &input.name);
        accounts.insert(id, created.clone());
        Ok(CreateAccountOutput { account: Some(created) })
    }

    async fn update_account(&self, input: UpdateAccountInput) -> Result<UpdateAccountOutput, UpdateAccountError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if input.account_id == "panic" {
            panic!("the handler panicked on purpose");
        }
        if let Some(code) = input.account_id.strip_prefix("error-") {
            return Err(modeled_error(code));
        }
        let mut accounts = self.accounts.lock().unwrap();
        let Some(account) = accounts.get_mut(&input.account_id) else {
            let message = Some(format!("account {} does not exist", input.account_id));
            return Err(NotFoundException { code: Some(ErrorCode::NotFound), message }.into());
        };
        if let Some(name) = input.name {
            account.name = name;
        }
        if let Some(license) = input.default_license {
            account.default_license = Some(license);
        }
        Ok(UpdateAccountOutput { account: Some(account.clone()) })
    }

    async fn update_user(&self, input: UpdateUserInput) -> Result<UpdateUserOutput, UpdateUserError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let user = User {
            user_id: input.user_id,
            account_id: Some(input.account_id),
            license_type: input.license_type,
            user_type: input.user_type,
            ..user("")
        };
        Ok(UpdateUserOutput { user: Some(user) })
    }

    async fn batch_update_user(
        &self,
        input: BatchUpdateUserInput,
    ) -> Result<BatchUpdateUserOutput, BatchUpdateUserError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let user_errors = input
            .update_user_request_items
            .iter()
            .filter(|item| item.user_id.starts_with("missing"))
            .map(|item| UserError {
                user_id: Some(item.user_id.clone()),
                error_code: Some(ErrorCode::NotFound),
                error_message: Some("no such user".into()),
            })
            .collect();
        Ok(BatchUpdateUserOutput { user_errors: Some(user_errors) })
    }
}

fn user(id: &str) -> User {
    User {
        user_id: id.into(),
        account_id: None,
        primary_email: None,
        primary_provisioned_number: None,
        display_name: None,
        license_type: None,
        user_type: None,
        user_registration_status: None,
        user_invitation_status: None,
        registered_on: None,
        invited_on: None,
        alexa_for_business_metadata: None,
        personal_pin: None,
    }
}

type FakeServer = chime::server::Server<Fake>;

fn fake_server(config: ServerConfig) -> FakeServer {
    server(Fake::default(), config)
}

/// A client whose requests go straight to `server`, unsigned, without retries.
fn in_process_client(server: FakeServer) -> Client {
    let config = Config::new()
        .endpoint_url("http://chime.local")
        .retry(RetryConfig::disabled())
        .transport(ServiceTransport::new(server));
    Client::new(config).unwrap()
}

/// Sends a raw request to the server and returns status, error type header and JSON body.
async fn raw(server: &FakeServer, request: http::Request<Full<Bytes>>) -> (u16, String, serde_json::Value) {
    let response = server.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let error_type =
        response.headers().get("x-amzn-errortype").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    (status, error_type, json)
}

fn post(uri: &str, body: impl Into<Bytes>) -> http::Request<Full<Bytes>> {
    http::Request::post(uri).header("content-type", "application/json").body(Full::new(body.into())).unwrap()
}

fn item(id: &str) -> UpdateUserRequestItem {
    UpdateUserRequestItem {
        user_id: id.into(),
        license_type: Some(License::Basic),
        user_type: None,
        alexa_for_business_metadata: None,
    }
}

#[tokio::test]
async fn the_four_operations_round_trip_in_process() {
    let client = in_process_client(fake_server(ServerConfig::new()));
    let created = client.create_account(CreateAccountInput { name: "example".into() }).await.unwrap();
    let account = created.account.unwrap();
    assert_eq!((account.account_id.as_str(), account.name.as_str()), ("a-1", "example"));
    assert_eq!(account.created_timestamp, Some(smithy_runtime::DateTime::from_secs(1_546_970_358)));

    let input = UpdateAccountInput {
        account_id: "a-1".into(),
        name: Some("renamed".into()),
        default_license: Some(License::Basic),
    };
    let updated = client.update_account(input).await.unwrap().account.unwrap();
    assert_eq!((updated.name.as_str(), updated.default_license), ("renamed", Some(License::Basic)));

    let input = UpdateUserInput {
        account_id: "a-1".into(),
        user_id: "u 1/é".into(), // a label that needs percent-encoding both ways
        license_type: Some(License::Pro),
        user_type: Some(UserType::SharedDevice),
        alexa_for_business_metadata: None,
    };
    let user = client.update_user(input).await.unwrap().user.unwrap();
    assert_eq!(
        (user.user_id.as_str(), user.license_type, user.user_type),
        ("u 1/é", Some(License::Pro), Some(UserType::SharedDevice))
    );

    let items = vec![item("u-1"), item("missing-2")];
    let input = BatchUpdateUserInput { account_id: "a-1".into(), update_user_request_items: items };
    let errors = client.batch_update_user(input).await.unwrap().user_errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].user_id.as_deref(), Some("missing-2"));
}

#[tokio::test]
async fn every_modeled_error_reaches_the_client_as_its_variant() {
    let client = in_process_client(fake_server(ServerConfig::new()));
    let cases = [
        ("BadRequestException", 400),
        ("ForbiddenException", 403),
        ("NotFoundException", 404),
        ("ServiceFailureException", 500),
        ("ServiceUnavailableException", 503),
        ("ThrottledClientException", 429),
        ("UnauthorizedClientException", 401),
    ];
    for (code, status) in cases {
        let input = UpdateAccountInput { account_id: format!("error-{code}"), name: None, default_license: None };
        let error = client.update_account(input).await.unwrap_err();
        assert_eq!((error.code(), error.http_status()), (code, status), "{error:?}");
        assert!(!matches!(error, UpdateAccountError::Unhandled(_)), "{error:?}");
        assert_eq!(error.message(), Some(format!("the fake was asked for {code}").as_str()));
        assert_eq!(error.to_string(), format!("{code}: the fake was asked for {code}"));
    }
    let input = UpdateAccountInput { account_id: "error-TeapotException".into(), name: None, default_license: None };
    let error = client.update_account(input).await.unwrap_err();
    assert!(matches!(&error, UpdateAccountError::Unhandled(_)));
    assert_eq!((error.code(), error.http_status()), ("TeapotException", 418));
}

#[tokio::test]
async fn a_modeled_error_keeps_its_members_on_the_wire() {
    let server = fake_server(ServerConfig::new());
    let (status, error_type, body) = raw(&server, post("/accounts/error-NotFoundException", "{}")).await;
    assert_eq!((status, error_type.as_str()), (404, "NotFoundException"));
    assert_eq!(body, serde_json::json!({"Code": "BadRequest", "Message": "the fake was asked for NotFoundException"}));
}

#[tokio::test]
async fn validation_failures_list_every_violation_in_bad_request_exception() {
    let server = fake_server(ServerConfig::new());
    let client = in_process_client(server.clone());
    let mut items: Vec<UpdateUserRequestItem> = (0..21).map(|i| item(&format!("u-{i}"))).collect();
    items[9].license_type = Some(License::from("Bogus"));
    let input = BatchUpdateUserInput { account_id: "a-1".into(), update_user_request_items: items };
    let error = client.batch_update_user(input).await.unwrap_err();
    let BatchUpdateUserError::BadRequestException(bad) = &error else { panic!("{error:?}") };
    let message = bad.message.as_deref().unwrap();
    assert!(message.starts_with("2 validation errors detected: "), "{message}");
    assert!(message.contains("'/UpdateUserRequestItems/9/LicenseType'"), "{message}");
    assert!(message.contains("Member must have length between 0 and 20, inclusive"), "{message}");

    // A missing required member cannot be sent by the typed client: send it raw.
    let mut items: Vec<serde_json::Value> =
        (0..21).map(|i| serde_json::json!({"UserId": format!("u-{i}"), "LicenseType": "Basic"})).collect();
    items[4] = serde_json::json!({"LicenseType": "Basic"});
    items[9] = serde_json::json!({"UserId": "u-9", "LicenseType": "Bogus"});
    let body = serde_json::json!({ "UpdateUserRequestItems": items }).to_string();
    let (status, error_type, json) = raw(&server, post("/accounts/a-1/users", body)).await;
    assert_eq!((status, error_type.as_str()), (400, "BadRequestException"));
    let message = json["Message"].as_str().unwrap();
    assert!(message.starts_with("3 validation errors detected: "), "{message}");
    assert!(message
        .contains("Value at '/UpdateUserRequestItems/4/UserId' failed to satisfy constraint: Member must not be null"));
}

#[tokio::test]
async fn malformed_requests_get_a_400_serialization_exception() {
    let server = fake_server(ServerConfig::new());
    let cases = [
        ("/accounts", "{"),                  // not JSON
        ("/accounts", r#"{"Name": 5}"#),     // wrong type
        ("/accounts", r#"[1, 2]"#),          // not an object
        ("/accounts/a%FF/users/u", r#"{}"#), // label not UTF-8
        ("/accounts/a-1/users", r#"{"UpdateUserRequestItems": {}}"#),
    ];
    for (uri, body) in cases {
        let (status, error_type, json) = raw(&server, post(uri, body)).await;
        assert_eq!((status, error_type.as_str()), (400, "SerializationException"), "{uri} {body}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()), "{uri} {body}: {json}");
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (status, _, _) = raw(&server, post("/accounts", deep)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let server = fake_server(ServerConfig::new());
    let (status, error_type, _) = raw(&server, post("/nothing/here", "{}")).await;
    assert_eq!((status, error_type.as_str()), (404, "UnknownOperationException"));
    let get = http::Request::get("/accounts").body(Full::new(Bytes::new())).unwrap();
    let (status, _, _) = raw(&server, get).await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_the_server_keeps_serving() {
    let server = fake_server(ServerConfig::new().body_limit(64));
    let big = format!(r#"{{"Name": "{}"}}"#, "x".repeat(100));
    let (status, _, _) = raw(&server, post("/accounts", big.clone())).await;
    assert_eq!(status, 413);
    // Without a Content-Length (streamed), the limit still holds.
    let stream = futures_body(big);
    let request = http::Request::post("/accounts").body(stream).unwrap();
    let response = server.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 413);
    let (status, _, json) = raw(&server, post("/accounts", r#"{"Name": "ok"}"#)).await;
    assert_eq!((status, json["Account"]["Name"].as_str()), (201, Some("ok")));
}

/// A body that does not declare its length.
fn futures_body(
    text: String,
) -> http_body_util::StreamBody<
    futures_util::stream::Iter<std::vec::IntoIter<Result<http_body::Frame<Bytes>, std::convert::Infallible>>>,
> {
    let chunks: Vec<_> =
        text.into_bytes().chunks(16).map(|c| Ok(http_body::Frame::data(Bytes::copy_from_slice(c)))).collect();
    http_body_util::StreamBody::new(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_server_keeps_serving() {
    let server = fake_server(ServerConfig::new());
    let (status, error_type, _) = raw(&server, post("/accounts/panic", "{}")).await;
    assert_eq!((status, error_type.as_str()), (500, "InternalFailure"));
    let (status, _, _) = raw(&server, post("/accounts", r#"{"Name": "after"}"#)).await;
    assert_eq!(status, 201);
}
