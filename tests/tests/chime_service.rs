//! The service trait is implementable with plain `async fn`s (a fake in a few lines), its
//! futures are `Send`, and each operation's error enum says what went wrong.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::Mutex;

use chime::error::{BatchUpdateUserError, CreateAccountError, UpdateAccountError, UpdateUserError};
use chime::service::Chime;
use chime::types::*;
use smithy_runtime::error::Unhandled;

/// An in-memory fake, as a user of the crate would write one.
#[derive(Default)]
struct Fake {
    accounts: Mutex<BTreeMap<String, Account>>,
}

fn not_found(what: &str) -> NotFoundException {
    NotFoundException::builder().code(ErrorCode::NotFound).message(format!("{what} does not exist")).build()
}

impl Chime for Fake {
    async fn create_account(&self, input: CreateAccountInput) -> Result<CreateAccountOutput, CreateAccountError> {
        let mut accounts = self.accounts.lock().unwrap();
        let id = format!("a-{}", accounts.len() + 1);
        let account = Account::builder()
            .aws_account_id("111122223333")
            .account_id(id.clone())
            .name(input.name)
            .account_type(AccountType::Team)
            .default_license(License::Pro)
            .supported_licenses(vec![License::Basic, License::Pro])
            .account_status(AccountStatus::Active)
            .build()
            .unwrap();
        accounts.insert(id, account.clone());
        Ok(CreateAccountOutput::builder().account(account).build())
    }

    async fn update_account(&self, input: UpdateAccountInput) -> Result<UpdateAccountOutput, UpdateAccountError> {
        let mut accounts = self.accounts.lock().unwrap();
        let account = accounts.get_mut(&input.account_id).ok_or_else(|| not_found(&input.account_id))?;
        if let Some(name) = input.name {
            account.name = name;
        }
        Ok(UpdateAccountOutput::builder().account(account.clone()).build())
    }

    async fn update_user(&self, input: UpdateUserInput) -> Result<UpdateUserOutput, UpdateUserError> {
        Err(not_found(&input.user_id).into())
    }

    async fn batch_update_user(
        &self,
        _input: BatchUpdateUserInput,
    ) -> Result<BatchUpdateUserOutput, BatchUpdateUserError> {
        Err(Unhandled::new("InternalFailure", Some("not built".into()), 500).into())
    }
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[tokio::test]
async fn a_fake_serves_the_trait_with_send_futures() {
    let fake = Fake::default();
    let created =
        assert_send(fake.create_account(CreateAccountInput::builder().name("example").build().unwrap())).await.unwrap();
    let id = created.account.unwrap().account_id;
    let input = UpdateAccountInput::builder().account_id(id).name("renamed").build().unwrap();
    let updated = fake.update_account(input).await.unwrap();
    assert_eq!(updated.account.unwrap().name, "renamed");
}

#[tokio::test]
async fn errors_show_code_message_and_status() {
    let fake = Fake::default();
    let input = UpdateAccountInput::builder().account_id("a-404").build().unwrap();
    let error = fake.update_account(input).await.unwrap_err();
    assert!(matches!(error, UpdateAccountError::NotFoundException(_)));
    assert_eq!(
        (error.code(), error.message(), error.http_status()),
        ("NotFoundException", Some("a-404 does not exist"), 404)
    );
    assert_eq!(error.to_string(), "NotFoundException: a-404 does not exist");
    assert!(std::error::Error::source(&error).is_some());

    let error = fake
        .batch_update_user(
            BatchUpdateUserInput::builder().account_id("a").update_user_request_items(vec![]).build().unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!((error.code(), error.http_status()), ("InternalFailure", 500));
    assert_eq!(error.to_string(), "InternalFailure: not built");
}

#[test]
fn every_modeled_error_has_its_status() {
    let cases: Vec<(CreateAccountError, u16)> = vec![
        (BadRequestException::builder().build().into(), 400),
        (UnauthorizedClientException::builder().build().into(), 401),
        (ForbiddenException::builder().build().into(), 403),
        (NotFoundException::builder().build().into(), 404),
        (ThrottledClientException::builder().build().into(), 429),
        (ServiceFailureException::builder().build().into(), 500),
        (ServiceUnavailableException::builder().build().into(), 503),
    ];
    for (error, status) in cases {
        assert_eq!(error.http_status(), status, "{}", error.code());
    }
}
