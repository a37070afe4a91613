//! The official AWS SDK for Rust (aws-sdk-chime), unmodified, against chime-local: only an
//! endpoint URL and credentials are set.

use aws_sdk_chime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chime::error::SdkError;
use aws_sdk_chime::operation::update_account::UpdateAccountError;
use aws_sdk_chime::types::{License, UpdateUserRequestItem};
use aws_sdk_chime::{Client, Config};
use rust_sdk_conformance::LocalServer;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../seed.json");
const ACCOUNT_ID: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
const ALICE: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";
const BOB: &str = "2bc3456d-78ef-9012-g34h-56i789012k3l";
const ACCESS_KEY_ID: &str = "AKIDCHIMELOCALTEST";
const SECRET_ACCESS_KEY: &str = "chime-local-test-secret";

/// A chime-local process on a free port, stopped with SIGTERM when the test ends.
struct ChimeLocal {
    server: LocalServer,
}

impl ChimeLocal {
    async fn start() -> Self {
        let server = LocalServer::start("CHIME_LOCAL", &["--seed", SEED], ACCESS_KEY_ID, SECRET_ACCESS_KEY).await;
        ChimeLocal { server }
    }

    fn client(&self, secret: &str) -> Client {
        let config = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.server.url)
            .credentials_provider(Credentials::new(ACCESS_KEY_ID, secret, None, None, "test"))
            .build();
        Client::from_conf(config)
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

#[tokio::test]
async fn create_account_makes_a_team_account() {
    let server = ChimeLocal::start().await;
    let output = server.client(SECRET_ACCESS_KEY).create_account().name("Acme Rockets").send().await.unwrap();
    let account = output.account().expect("an account");
    assert_eq!(account.name(), "Acme Rockets");
    assert_eq!(account.aws_account_id(), "111122223333");
    assert_eq!(account.account_id().len(), 36);
    assert_eq!(account.account_type().map(|t| t.as_str()), Some("Team"));
    assert_eq!(account.account_status().map(|s| s.as_str()), Some("Active"));
    assert_eq!(account.default_license(), Some(&License::Pro));
    assert_eq!(account.supported_licenses(), [License::Basic, License::Pro]);
    let created = account.created_timestamp().expect("a creation time").secs();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now - created).abs() < 60, "created {created}, now {now}");
    server.stop().await;
}

#[tokio::test]
async fn update_account_changes_name_and_license() {
    let server = ChimeLocal::start().await;
    let client = server.client(SECRET_ACCESS_KEY);
    let output =
        client.update_account().account_id(ACCOUNT_ID).name("Renamed").default_license(License::Basic).send().await;
    let account = output.unwrap().account.expect("an account");
    assert_eq!(account.name(), "Renamed");
    assert_eq!(account.default_license(), Some(&License::Basic));
    let unchanged = client.update_account().account_id(ACCOUNT_ID).send().await.unwrap().account.unwrap();
    assert_eq!(unchanged, account);
    server.stop().await;
}

#[tokio::test]
async fn update_account_of_an_unknown_account_is_not_found() {
    let server = ChimeLocal::start().await;
    let error = server.client(SECRET_ACCESS_KEY).update_account().account_id("no-such-account").name("x").send().await;
    let error = error.expect_err("not found").into_service_error();
    let UpdateAccountError::NotFoundException(not_found) = &error else { panic!("not NotFoundException: {error:?}") };
    assert!(not_found.message().unwrap_or_default().contains("no-such-account"), "{not_found:?}");
    server.stop().await;
}

#[tokio::test]
async fn update_user_and_batch_update_user_change_licenses() {
    let server = ChimeLocal::start().await;
    let client = server.client(SECRET_ACCESS_KEY);
    let user = client.update_user().account_id(ACCOUNT_ID).user_id(ALICE).license_type(License::Basic).send().await;
    let user = user.unwrap().user.expect("a user");
    assert_eq!(user.license_type(), Some(&License::Basic));
    assert_eq!(user.primary_email(), Some("alice@example.com"));

    let item = |id: &str, license| UpdateUserRequestItem::builder().user_id(id).license_type(license).build().unwrap();
    let output = client
        .batch_update_user()
        .account_id(ACCOUNT_ID)
        .update_user_request_items(item(BOB, License::Pro))
        .update_user_request_items(item("ghost", License::Basic))
        .send()
        .await
        .unwrap();
    let errors = output.user_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].user_id(), Some("ghost"));
    assert_eq!(errors[0].error_code().map(|c| c.as_str()), Some("NotFound"));
    let bob = client.update_user().account_id(ACCOUNT_ID).user_id(BOB).send().await.unwrap().user.unwrap();
    assert_eq!(bob.license_type(), Some(&License::Pro));
    server.stop().await;
}

#[tokio::test]
async fn a_bad_request_lists_every_violation() {
    let server = ChimeLocal::start().await;
    let name = " ".repeat(101);
    let error = server.client(SECRET_ACCESS_KEY).create_account().name(name).send().await.expect_err("rejected");
    let error = error.into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let message = error.meta().message().unwrap_or_default();
    assert!(message.starts_with("2 validation errors detected"), "{message}");
    assert!(message.contains("Member must have length between 1 and 100, inclusive"), "{message}");
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_secret_is_forbidden() {
    let server = ChimeLocal::start().await;
    let error = server.client("wrong").create_account().name("x").send().await.expect_err("refused");
    let SdkError::ServiceError(context) = &error else { panic!("not a service error: {error:?}") };
    assert_eq!(context.raw().status().as_u16(), 403);
    assert!(context.err().is_forbidden_exception(), "{error:?}");
    server.stop().await;
}
