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
    Account::builder()
        .aws_account_id("111122223333")
        .account_id(id)
        .name(name)
        .account_type(AccountType::Team)
        .created_timestamp(smithy_runtime::DateTime::from_secs(1_546_970_358))
        .default_license(License::Pro)
        .supported_licenses(vec![License::Basic, License::Pro])
        .account_status(AccountStatus::Active)
        .build()
        .unwrap()
}

fn modeled_error(code: &str) -> UpdateAccountError {
    let message = Some(format!("the fake was asked for {code}"));
    let error_code = Some(ErrorCode::BadRequest);
    match code {
        "BadRequestException" => {
            BadRequestException::builder().set_code(error_code).set_message(message).build().into()
        }
        "ForbiddenException" => ForbiddenException::builder().set_code(error_code).set_message(message).build().into(),
        "NotFoundException" => NotFoundException::builder().set_code(error_code).set_message(message).build().into(),
        "ServiceFailureException" => {
            ServiceFailureException::builder().set_code(error_code).set_message(message).build().into()
        }
        "ServiceUnavailableException" => {
            ServiceUnavailableException::builder().set_code(error_code).set_message(message).build().into()
        }
        "ThrottledClientException" => {
            ThrottledClientException::builder().set_code(error_code).set_message(message).build().into()
        }
        "UnauthorizedClientException" => {
            UnauthorizedClientException::builder().set_code(error_code).set_message(message).build().into()
        }
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
        Ok(CreateAccountOutput::builder().account(created).build())
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
            return Err(NotFoundException::builder().code(ErrorCode::NotFound).set_message(message).build().into());
        };
        if let Some(name) = input.name {
            account.name = name;
        }
        if let Some(license) = input.default_license {
            account.default_license = Some(license);
        }
        Ok(UpdateAccountOutput::builder().account(account.clone()).build())
    }

    async fn update_user(&self, input: UpdateUserInput) -> Result<UpdateUserOutput, UpdateUserError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let user = {
            let mut value = user("");
            value.user_id = input.user_id;
            value.account_id = Some(input.account_id);
            value.license_type = input.license_type;
            value.user_type = input.user_type;
            value
        };
        Ok(UpdateUserOutput::builder().user(user).build())
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
            .map(|item| {
                UserError::builder()
                    .user_id(item.user_id.clone())
                    .error_code(ErrorCode::NotFound)
                    .error_message("no such user")
                    .build()
            })
            .collect();
        Ok(BatchUpdateUserOutput::builder().user_errors(user_errors).build())
    }
}

fn user(id: &str) -> User {
    User::builder().user_id(id).build().unwrap()
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
    UpdateUserRequestItem::builder().user_id(id).license_type(License::Basic).build().unwrap()
}

#[tokio::test]
async fn the_four_operations_round_trip_in_process() {
    let client = in_process_client(fake_server(ServerConfig::new()));
    let created =
        Chime::create_account(&client, CreateAccountInput::builder().name("example").build().unwrap()).await.unwrap();
    let account = created.account.unwrap();
    assert_eq!((account.account_id.as_str(), account.name.as_str()), ("a-1", "example"));
    assert_eq!(account.created_timestamp, Some(smithy_runtime::DateTime::from_secs(1_546_970_358)));

    let input = UpdateAccountInput::builder()
        .account_id("a-1")
        .name("renamed")
        .default_license(License::Basic)
        .build()
        .unwrap();
    let updated = Chime::update_account(&client, input).await.unwrap().account.unwrap();
    assert_eq!((updated.name.as_str(), updated.default_license), ("renamed", Some(License::Basic)));

    let input = UpdateUserInput::builder()
        .account_id("a-1")
        .user_id("u 1/é")
        .license_type(License::Pro)
        .user_type(UserType::SharedDevice)
        .build()
        .unwrap();
    let user = Chime::update_user(&client, input).await.unwrap().user.unwrap();
    assert_eq!(
        (user.user_id.as_str(), user.license_type, user.user_type),
        ("u 1/é", Some(License::Pro), Some(UserType::SharedDevice))
    );

    let items = vec![item("u-1"), item("missing-2")];
    let input = BatchUpdateUserInput::builder().account_id("a-1").update_user_request_items(items).build().unwrap();
    let errors = Chime::batch_update_user(&client, input).await.unwrap().user_errors.unwrap();
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
        let input = UpdateAccountInput::builder().account_id(format!("error-{code}")).build().unwrap();
        let error = Chime::update_account(&client, input).await.unwrap_err();
        assert_eq!((error.code(), error.http_status()), (code, status), "{error:?}");
        assert!(!matches!(error, UpdateAccountError::Unhandled(_)), "{error:?}");
        assert_eq!(error.message(), Some(format!("the fake was asked for {code}").as_str()));
        let id = smithy_runtime::RequestId::request_id(&error).unwrap();
        assert_eq!(error.to_string(), format!("{code}: the fake was asked for {code} (request ID: {id})"));
    }
    let input = UpdateAccountInput::builder().account_id("error-TeapotException").build().unwrap();
    let error = Chime::update_account(&client, input).await.unwrap_err();
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
    let input = BatchUpdateUserInput::builder().account_id("a-1").update_user_request_items(items).build().unwrap();
    let error = Chime::batch_update_user(&client, input).await.unwrap_err();
    let BatchUpdateUserError::BadRequestException(bad) = &error else { panic!("{error:?}") };
    let message = bad.message.as_deref().unwrap();
    assert!(message.starts_with("2 validation errors detected. "), "{message}");
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
    assert!(message.starts_with("3 validation errors detected. "), "{message}");
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
    // GET /accounts is ListAccounts; no operation deletes the account list.
    let delete = http::Request::delete("/accounts").body(Full::new(Bytes::new())).unwrap();
    let (status, _, _) = raw(&server, delete).await;
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

/// A chunk of a streamed body.
type Chunk = Result<http_body::Frame<Bytes>, std::convert::Infallible>;

/// A body that does not declare its length.
fn futures_body(text: String) -> http_body_util::StreamBody<futures_util::stream::Iter<std::vec::IntoIter<Chunk>>> {
    let chunks: Vec<Chunk> =
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

/// A transport that records each request and answers with a canned response.
struct Canned {
    status: u16,
    body: &'static str,
    seen: Mutex<Vec<http::Request<Bytes>>>,
}

impl smithy_runtime::client::Transport for Canned {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> smithy_runtime::client::BoxFuture<'_, Result<http::Response<Bytes>, smithy_runtime::client::TransportError>>
    {
        self.seen.lock().unwrap().push(request);
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", "application/json")
            .body(Bytes::from_static(self.body.as_bytes()))
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

/// Calls one operation through a canned transport with the seeds' endpoint (the API
/// reference's samples go to `/console`), and returns what was sent.
async fn with_canned<T>(
    status: u16,
    body: &'static str,
    call: impl AsyncFnOnce(&Client) -> T,
) -> (T, http::Request<Bytes>) {
    let canned = std::sync::Arc::new(Canned { status, body, seen: Mutex::new(Vec::new()) });
    let config = Config::new()
        .endpoint_url("https://service.chime.aws.amazon.com/console")
        .region("us-east-1")
        .credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
        .transport(canned.clone());
    let client = Client::new(config).unwrap();
    let result = call(&client).await;
    let request = canned.seen.lock().unwrap().remove(0);
    (result, request)
}

fn assert_sent(request: &http::Request<Bytes>, path: &str, body: &str) {
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), path);
    assert_eq!(request.uri().query(), None);
    let sent: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(sent, serde_json::from_str::<serde_json::Value>(body).unwrap());
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers()["host"], "service.chime.aws.amazon.com");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{authorization}");
    assert!(authorization.contains("/us-east-1/chime/aws4_request"), "{authorization}");
}

const ACCOUNT_ID: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
const USER_ID: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";

#[tokio::test]
async fn the_seeds_sample_requests_are_what_the_client_sends_and_their_responses_parse() {
    // CreateAccount: the API reference's sample request and 201 response.
    let response = r#"{"Account": {"AccountId": "12a3456b-7c89-012d-3456-78901e23fg45","AccountStatus": "Active","AccountType": "Team","Admins": null,"AwsAccountId": "111122223333","BillingType": "SeatBilling","CreatedTimestamp": "2019-01-08T17:59:18.006Z","DefaultLicense": "Pro","DelegationStatus": "NoDelegation","DirectoryId": null,"Domains": null,"Groups": [],"Name": "example","Owner": null,"SupportedLicenses": ["Basic", "Pro"],"UseProTrialLicense": false} }"#;
    let (output, request) = with_canned(201, response, async |c| {
        Chime::create_account(c, CreateAccountInput::builder().name("example").build().unwrap()).await
    })
    .await;
    assert_sent(&request, "/console/accounts", r#"{"Name": "example"}"#);
    let account = output.unwrap().account.unwrap();
    assert_eq!((account.account_id.as_str(), account.default_license), (ACCOUNT_ID, Some(License::Pro)));

    // UpdateAccount.
    let response = r#"{"Account": {"AccountId": "12a3456b-7c89-012d-3456-78901e23fg45","AccountStatus": "Active","AccountType": "Team","Admins": null,"AwsAccountId": "111122223333","BillingType": "SeatBilling","CreatedTimestamp": "2018-09-04T21:44:22.292Z","DefaultLicense": "Pro","DelegationStatus": "NoDelegation","DirectoryId": null,"Domains": null,"Groups": [],"Name": "Example3","Owner": null,"SupportedLicenses": ["Basic", "Pro"],"UseProTrialLicense": false} }"#;
    let input = UpdateAccountInput::builder().account_id(ACCOUNT_ID).name("Example3").build().unwrap();
    let (output, request) = with_canned(200, response, async |c| Chime::update_account(c, input).await).await;
    assert_sent(&request, &format!("/console/accounts/{ACCOUNT_ID}"), r#"{"Name": "Example3"}"#);
    assert_eq!(output.unwrap().account.unwrap().name, "Example3");

    // UpdateUser: the sample response is all nulls but the ID ("InvitedOn": null included).
    let response = r#"{ "User": { "AccountId": null, "Delegates": null, "Devices": null, "DisplayName": null, "EmailAlias": null, "FullName": null, "InvitedOn": null, "IsProTrial": null, "LastActiveOn": null, "LicenseType": null, "PersonalPIN": null, "PresenceVisibility": null, "PrimaryEmail": null, "PrimaryProvisionedNumber": null, "RegisteredOn": null, "UserId": "1ab2345c-67de-8901-f23g-45h678901j2k", "UserInvitationStatus": null, "UserLocale": null, "UserRegistrationStatus": null, "Vanity": null } }"#;
    let input = UpdateUserInput::builder()
        .account_id(ACCOUNT_ID)
        .user_id(USER_ID)
        .license_type(License::Basic)
        .build()
        .unwrap();
    let (output, request) = with_canned(200, response, async |c| Chime::update_user(c, input).await).await;
    assert_sent(&request, &format!("/console/accounts/{ACCOUNT_ID}/users/{USER_ID}"), r#"{"LicenseType": "Basic"}"#);
    let user = output.unwrap().user.unwrap();
    assert_eq!((user.user_id.as_str(), user.invited_on), (USER_ID, None));

    // BatchUpdateUser.
    let items = vec![item(USER_ID), item("2ab2345c-67de-8901-f23g-45h678901j2k")];
    let input =
        BatchUpdateUserInput::builder().account_id(ACCOUNT_ID).update_user_request_items(items).build().unwrap();
    let (output, request) =
        with_canned(200, r#"{"UserErrors": [] }"#, async |c| Chime::batch_update_user(c, input).await).await;
    let body = r#"{"UpdateUserRequestItems": [{"UserId": "1ab2345c-67de-8901-f23g-45h678901j2k", "LicenseType": "Basic"}, {"UserId": "2ab2345c-67de-8901-f23g-45h678901j2k", "LicenseType": "Basic"}]}"#;
    assert_sent(&request, &format!("/console/accounts/{ACCOUNT_ID}/users"), body);
    assert_eq!(output.unwrap().user_errors, Some(vec![]));
}

#[tokio::test]
async fn an_error_response_is_dispatched_by_its_code_wherever_it_is() {
    // Header, `__type` with a namespace and a URL suffix, `code`: each picks the variant.
    let bodies = [
        r#"{"__type": "com.amazonaws.chime#NotFoundException:http://internal.amazon.com/", "Message": "gone"}"#,
        r#"{"code": "NotFoundException", "Message": "gone"}"#,
    ];
    for body in bodies {
        let input = UpdateAccountInput::builder().account_id("a").build().unwrap();
        let (error, _) = with_canned(404, body, async |c| Chime::update_account(c, input).await).await;
        let error = error.unwrap_err();
        assert!(
            matches!(&error, UpdateAccountError::NotFoundException(e) if e.message.as_deref() == Some("gone")),
            "{error:?}"
        );
    }
    let input = UpdateAccountInput::builder().account_id("a").build().unwrap();
    let (error, _) =
        with_canned(502, "<html>bad gateway</html>", async |c| Chime::update_account(c, input).await).await;
    let error = error.unwrap_err();
    assert_eq!((error.code(), error.http_status()), ("Http502", 502));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_requests_over_loopback_tcp_and_a_graceful_shutdown() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = ServerConfig::new().access_key("AKIDLOCAL", "local-secret");
    let serving = tokio::spawn(chime::server::serve(
        listener,
        fake_server(config),
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(5),
    ));
    let client_config = |secret: &str| {
        Config::new()
            .endpoint_url(format!("http://{address}"))
            .region("us-east-1")
            .credentials("AKIDLOCAL", secret, None)
            .retry(RetryConfig::disabled())
    };
    let client = Client::new(client_config("local-secret")).unwrap();
    let created =
        Chime::create_account(&client, CreateAccountInput::builder().name("over tcp").build().unwrap()).await.unwrap();
    let id = created.account.unwrap().account_id;
    let input = UpdateAccountInput::builder().account_id(id.clone()).name("renamed").build().unwrap();
    assert_eq!(Chime::update_account(&client, input).await.unwrap().account.unwrap().name, "renamed");
    let input = UpdateUserInput::builder().account_id(id.clone()).user_id("u-1").build().unwrap();
    assert_eq!(Chime::update_user(&client, input).await.unwrap().user.unwrap().user_id, "u-1");
    let input =
        BatchUpdateUserInput::builder().account_id(id).update_user_request_items(vec![item("u-1")]).build().unwrap();
    assert_eq!(Chime::batch_update_user(&client, input).await.unwrap().user_errors, Some(vec![]));

    // A wrong secret is refused with the model's 403 error.
    let wrong = Client::new(client_config("not-the-secret")).unwrap();
    let error =
        Chime::create_account(&wrong, CreateAccountInput::builder().name("x").build().unwrap()).await.unwrap_err();
    assert!(matches!(error, CreateAccountError::ForbiddenException(_)), "{error:?}");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), serving).await.unwrap().unwrap();
    let error =
        Chime::create_account(&client, CreateAccountInput::builder().name("late").build().unwrap()).await.unwrap_err();
    assert_eq!(error.code(), Unhandled::DISPATCH_FAILURE, "{error:?}");
}

/// Hands requests to the server after changing them (as a proxy or an attacker could).
struct Tamper<F> {
    server: ServiceTransport<FakeServer>,
    change: F,
}

impl<F: Fn(&mut http::Request<Bytes>) + Send + Sync + 'static> smithy_runtime::client::Transport for Tamper<F> {
    fn send(
        &self,
        mut request: http::Request<Bytes>,
    ) -> smithy_runtime::client::BoxFuture<'_, Result<http::Response<Bytes>, smithy_runtime::client::TransportError>>
    {
        (self.change)(&mut request);
        self.server.send(request)
    }
}

fn signed_client(
    server: FakeServer,
    access_key: &str,
    change: impl Fn(&mut http::Request<Bytes>) + Send + Sync + 'static,
) -> Client {
    let config = Config::new()
        .endpoint_url("http://chime.local")
        .region("us-east-1")
        .credentials(access_key, "local-secret", None)
        .retry(RetryConfig::disabled())
        .transport(Tamper { server: ServiceTransport::new(server), change });
    Client::new(config).unwrap()
}

#[tokio::test]
async fn sigv4_rejections_are_the_models_401_and_403_errors() {
    let server = fake_server(ServerConfig::new().access_key("AKIDLOCAL", "local-secret"));
    let create = |client: Client| async move {
        Chime::create_account(&client, CreateAccountInput::builder().name("x").build().unwrap()).await
    };

    let accepted = create(signed_client(server.clone(), "AKIDLOCAL", |_| {})).await;
    assert!(accepted.is_ok(), "{accepted:?}");

    let unsigned = create(in_process_client(server.clone())).await.unwrap_err();
    assert!(matches!(unsigned, CreateAccountError::UnauthorizedClientException(_)), "{unsigned:?}");
    assert_eq!(unsigned.http_status(), 401);

    let unknown = create(signed_client(server.clone(), "AKIDOTHER", |_| {})).await.unwrap_err();
    assert!(matches!(unknown, CreateAccountError::UnauthorizedClientException(_)), "{unknown:?}");

    let body_changed = signed_client(server.clone(), "AKIDLOCAL", |request| {
        *request.body_mut() = Bytes::from_static(br#"{"Name": "changed"}"#);
        request.headers_mut().insert("content-length", http::HeaderValue::from_static("19"));
    });
    let error = create(body_changed).await.unwrap_err();
    assert!(matches!(error, CreateAccountError::ForbiddenException(_)), "{error:?}");
    assert_eq!(error.http_status(), 403);

    let path_changed = signed_client(server.clone(), "AKIDLOCAL", |request| {
        *request.uri_mut() = "http://chime.local/accounts?extra=1".parse().unwrap();
    });
    let error = create(path_changed).await.unwrap_err();
    assert!(matches!(error, CreateAccountError::ForbiddenException(_)), "{error:?}");

    let old_date = signed_client(server.clone(), "AKIDLOCAL", |request| {
        let date = request.headers()["x-amz-date"].to_str().unwrap().to_owned();
        // An hour earlier, same day or not: the signature no longer matches either way, but the
        // date check comes first and must say so.
        let hour: u32 = date[9..11].parse().unwrap();
        let earlier = format!("{}{:02}{}", &date[..9], (hour + 23) % 24, &date[11..]);
        request.headers_mut().insert("x-amz-date", http::HeaderValue::from_str(&earlier).unwrap());
    });
    let error = create(old_date).await.unwrap_err();
    assert!(error.http_status() == 403 || error.http_status() == 401, "{error:?}");
    assert!(
        error.message().unwrap().to_lowercase().contains("time") || error.message().unwrap().contains("scope"),
        "{error:?}"
    );
}

/// Whether `id` is a version 4 UUID in lower-case hyphenated form.
fn is_uuid_v4(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

#[tokio::test]
async fn every_response_carries_a_fresh_request_id() {
    let server = fake_server(ServerConfig::new().body_limit(64));
    let signed = fake_server(ServerConfig::new().access_key("AKIDLOCAL", "local-secret"));
    let big = format!(r#"{{"Name": "{}"}}"#, "x".repeat(100));
    let requests = [
        (&server, post("/accounts", r#"{"Name": "ok"}"#)),
        (&server, post("/accounts", r#"{"Name": "again"}"#)),
        (&server, post("/nothing/here", "{}")),
        (&server, post("/accounts", big)),
        (&signed, post("/accounts", r#"{"Name": "unsigned"}"#)),
        (&server, post("/accounts/panic", "{}")),
    ];
    let mut answers = Vec::new();
    for (server, request) in requests {
        let response = server.clone().oneshot(request).await.unwrap();
        let id = response.headers().get("x-amzn-requestid").map(|v| v.to_str().unwrap().to_owned());
        answers.push((response.status().as_u16(), id.unwrap_or_default()));
    }
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [201, 201, 404, 413, 401, 500]);
    for (status, id) in &answers {
        assert!(is_uuid_v4(id), "status {status}: request id {id:?}");
    }
    let distinct: std::collections::BTreeSet<&String> = answers.iter().map(|(_, id)| id).collect();
    assert_eq!(distinct.len(), answers.len(), "{answers:?}");
}

#[tokio::test]
async fn a_body_that_stalls_is_a_408_after_the_request_timeout() {
    let server = fake_server(ServerConfig::new().request_timeout(Duration::from_millis(100)));
    let stalled = http_body_util::StreamBody::new(futures_util::stream::pending::<Chunk>());
    let request = http::Request::post("/accounts").header("content-type", "application/json").body(stalled).unwrap();
    let response = tokio::time::timeout(Duration::from_secs(5), server.clone().oneshot(request))
        .await
        .expect("no timeout")
        .unwrap();
    assert_eq!(response.status(), 408);
    assert_eq!(response.headers()["x-amzn-errortype"], "RequestTimeoutException");
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(json["message"].as_str().unwrap().contains("did not arrive"), "{json}");
    let (status, _, _) = raw(&server, post("/accounts", r#"{"Name": "after"}"#)).await;
    assert_eq!(status, 201);
}

/// Serves a fake Chime on a loopback port for the rest of the test.
async fn serve_on_loopback(config: ServerConfig) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(chime::server::serve(listener, fake_server(config), std::future::pending(), Duration::from_secs(1)));
    address
}

/// Reads from a raw connection until the server closes it or nothing arrives for `wait`: what
/// came back, and whether the server closed the connection.
fn read_reply(stream: &mut std::net::TcpStream, wait: Duration) -> (String, bool) {
    use std::io::{ErrorKind, Read};
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut reply = Vec::new();
    let mut buffer = [0u8; 4096];
    let closed = loop {
        match stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => reply.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break false,
            Err(_) => break true,
        }
    };
    (String::from_utf8_lossy(&reply).into_owned(), closed)
}

/// Opens a raw connection to `address`, writes `sent` and reads the reply (blocking, so off
/// the runtime's threads).
async fn raw_tcp(address: std::net::SocketAddr, sent: String) -> (String, bool) {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(sent.as_bytes()).unwrap();
        read_reply(&mut stream, Duration::from_secs(5))
    })
    .await
    .unwrap()
}

/// A complete CreateAccount request as a client writes it on the wire.
fn create_account_on_the_wire(name: &str) -> String {
    let body = format!(r#"{{"Name": "{name}"}}"#);
    format!(
        "POST /accounts HTTP/1.1\r\nHost: chime.local\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn over_tcp_a_stalled_body_is_a_408_and_the_connection_closes() {
    let address = serve_on_loopback(ServerConfig::new().request_timeout(Duration::from_millis(300))).await;
    let head =
        "POST /accounts HTTP/1.1\r\nHost: chime.local\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    let (reply, closed) = raw_tcp(address, format!("{head}{{\"Na")).await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("RequestTimeoutException"), "{reply}");
    assert!(closed, "the connection stayed open after the 408: {reply}");
    let (reply, _) = raw_tcp(address, create_account_on_the_wire("after")).await;
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
}

#[tokio::test]
async fn over_tcp_headers_that_stall_get_the_connection_closed() {
    let address = serve_on_loopback(ServerConfig::new().request_timeout(Duration::from_millis(300))).await;
    let (reply, closed) = raw_tcp(address, "POST /accounts HTTP/1.1\r\nHost: chime.local\r\n".into()).await;
    assert!(closed, "the connection stayed open with half its headers sent: {reply}");
}

#[tokio::test]
async fn over_tcp_connections_beyond_the_limit_wait_until_one_closes() {
    let address = serve_on_loopback(ServerConfig::new().max_connections(1)).await;
    let (waiting, answered) = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        // Accepted first (the backlog is in order), it takes the only slot by staying open.
        let first = std::net::TcpStream::connect(address).unwrap();
        let mut second = std::net::TcpStream::connect(address).unwrap();
        second.write_all(create_account_on_the_wire("second").as_bytes()).unwrap();
        let (waiting, _) = read_reply(&mut second, Duration::from_millis(500));
        drop(first);
        let (answered, _) = read_reply(&mut second, Duration::from_secs(5));
        (waiting, answered)
    })
    .await
    .unwrap();
    assert_eq!(waiting, "", "a second connection was served while the only slot was taken");
    assert!(answered.starts_with("HTTP/1.1 201"), "{answered}");
}
