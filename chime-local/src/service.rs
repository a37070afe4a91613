//! The four seed operations with the real service's semantics, as an implementation of the
//! generated [`Chime`] trait. The generated server has already validated every input (and
//! checked the signature) before a method here runs.

use std::time::SystemTime;

use chime::error::{BatchUpdateUserError, CreateAccountError, UpdateAccountError, UpdateUserError};
use chime::service::Chime;
use chime::types::{
    Account, AccountStatus, AccountType, BatchUpdateUserInput, BatchUpdateUserOutput, CreateAccountInput,
    CreateAccountOutput, ErrorCode, License, NotFoundException, ServiceFailureException, UpdateAccountInput,
    UpdateAccountOutput, UpdateUserInput, UpdateUserOutput, User, UserError,
};
use smithy_runtime::DateTime;

use crate::store::{Failure, State, Store};

/// The AWS account that owns new Amazon Chime accounts unless `--aws-account-id` says otherwise.
pub const DEFAULT_AWS_ACCOUNT_ID: &str = "111122223333";

/// A local Amazon Chime service over a [`Store`].
#[derive(Debug)]
pub struct ChimeLocal {
    store: Store,
    aws_account_id: String,
}

impl ChimeLocal {
    /// A service over `store` whose new accounts belong to `aws_account_id`.
    pub fn new(store: Store, aws_account_id: impl Into<String>) -> Self {
        ChimeLocal { store, aws_account_id: aws_account_id.into() }
    }

    /// The state as it stands now.
    pub fn snapshot(&self) -> State {
        self.store.snapshot()
    }

    /// A new Team account, as the real service makes one.
    fn new_account(&self, name: String) -> Result<Account, Failure> {
        Account::builder()
            .aws_account_id(self.aws_account_id.clone())
            .account_id(smithy_runtime::new_uuid())
            .name(name)
            .account_type(AccountType::Team)
            .created_timestamp(now_to_the_millisecond())
            .default_license(License::Pro)
            .supported_licenses(vec![License::Basic, License::Pro])
            .account_status(AccountStatus::Active)
            .build()
            .map_err(|error| Failure::Internal(error.to_string()))
    }
}

impl Chime for ChimeLocal {
    async fn create_account(&self, input: CreateAccountInput) -> Result<CreateAccountOutput, CreateAccountError> {
        let account = self.new_account(input.name)?;
        self.store.transact(|state| {
            state.accounts.insert(account.account_id.clone(), account.clone());
            Ok(())
        })?;
        Ok(CreateAccountOutput::builder().account(account).build())
    }

    async fn update_account(&self, input: UpdateAccountInput) -> Result<UpdateAccountOutput, UpdateAccountError> {
        let account = self.store.transact(|state| {
            let account = account_mut(state, &input.account_id)?;
            if let Some(name) = input.name {
                account.name = name;
            }
            if let Some(license) = input.default_license {
                account.default_license = Some(license);
            }
            Ok(account.clone())
        })?;
        Ok(UpdateAccountOutput::builder().account(account).build())
    }

    async fn update_user(&self, input: UpdateUserInput) -> Result<UpdateUserOutput, UpdateUserError> {
        let user = self.store.transact(|state| {
            account_mut(state, &input.account_id)?;
            let user = user_mut(state, &input.account_id, &input.user_id)?;
            apply_user_changes(user, input.license_type, input.user_type, input.alexa_for_business_metadata);
            Ok(user.clone())
        })?;
        Ok(UpdateUserOutput::builder().user(user).build())
    }

    async fn batch_update_user(
        &self,
        input: BatchUpdateUserInput,
    ) -> Result<BatchUpdateUserOutput, BatchUpdateUserError> {
        let account_id = input.account_id;
        let user_errors = self.store.transact(|state| {
            account_mut(state, &account_id)?;
            let mut user_errors = Vec::new();
            for item in input.update_user_request_items {
                match user_mut(state, &account_id, &item.user_id) {
                    Ok(user) => {
                        apply_user_changes(user, item.license_type, item.user_type, item.alexa_for_business_metadata)
                    }
                    Err(Failure::NotFound(message)) | Err(Failure::Internal(message)) => user_errors.push(
                        UserError::builder()
                            .user_id(item.user_id)
                            .error_code(ErrorCode::NotFound)
                            .error_message(message)
                            .build(),
                    ),
                }
            }
            Ok(user_errors)
        })?;
        Ok(BatchUpdateUserOutput::builder().user_errors(user_errors).build())
    }
}

/// The time now, to the millisecond as the real service gives it: finer digits would not
/// survive the date-time text of a data file, and a reloaded state would differ.
fn now_to_the_millisecond() -> DateTime {
    let since_epoch = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    DateTime::from_millis(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
}

/// The account `account_id`, or NotFound.
fn account_mut<'a>(state: &'a mut State, account_id: &str) -> Result<&'a mut Account, Failure> {
    state.accounts.get_mut(account_id).ok_or_else(|| Failure::NotFound(format!("account {account_id} not found")))
}

/// The user `user_id` of account `account_id`, or NotFound.
fn user_mut<'a>(state: &'a mut State, account_id: &str, user_id: &str) -> Result<&'a mut User, Failure> {
    state
        .users
        .get_mut(&(account_id.to_owned(), user_id.to_owned()))
        .ok_or_else(|| Failure::NotFound(format!("user {user_id} not found in account {account_id}")))
}

/// Sets whichever of the changeable user fields the request gives; the rest stay as stored.
fn apply_user_changes(
    user: &mut User,
    license_type: Option<License>,
    user_type: Option<chime::types::UserType>,
    alexa_for_business_metadata: Option<chime::types::AlexaForBusinessMetadata>,
) {
    if license_type.is_some() {
        user.license_type = license_type;
    }
    if user_type.is_some() {
        user.user_type = user_type;
    }
    if alexa_for_business_metadata.is_some() {
        user.alexa_for_business_metadata = alexa_for_business_metadata;
    }
}

/// Each operation's error enum from a failed transaction: the model's NotFoundException or
/// ServiceFailureException, with the ErrorCode the real service sets.
macro_rules! errors_from_failure {
    ($($error:ident),*) => {$(
        impl From<Failure> for $error {
            fn from(failure: Failure) -> Self {
                match failure {
                    Failure::NotFound(message) => $error::NotFoundException(
                        NotFoundException::builder().code(ErrorCode::NotFound).message(message).build(),
                    ),
                    Failure::Internal(message) => $error::ServiceFailureException(
                        ServiceFailureException::builder().code(ErrorCode::ServiceFailure).message(message).build(),
                    ),
                }
            }
        }
    )*};
}

errors_from_failure!(CreateAccountError, UpdateAccountError, UpdateUserError, BatchUpdateUserError);
