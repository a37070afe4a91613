//! The four seed operations and the two listings with the real service's semantics, as an
//! implementation of the generated [`Chime`] trait. The generated server has already validated every input (and
//! checked the signature) before a method here runs.

use std::time::SystemTime;

use std::ops::Bound;

use chime::error::{
    BatchUpdateUserError, CreateAccountError, ListAccountsError, ListUsersError, UpdateAccountError, UpdateUserError,
};
use chime::service::Chime;
use chime::types::{
    Account, AccountStatus, AccountType, BatchUpdateUserInput, BatchUpdateUserOutput, CreateAccountInput,
    CreateAccountOutput, ErrorCode, License, ListAccountsInput, ListAccountsOutput, ListUsersInput, ListUsersOutput,
    NotFoundException, ServiceFailureException, UpdateAccountInput, UpdateAccountOutput, UpdateUserInput,
    UpdateUserOutput, User, UserError,
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

    /// The accounts in account ID order, a page at a time: the token is the last account ID
    /// of the page before. `Name` filters by prefix and `UserEmail` by a user's email, as
    /// the real service does.
    async fn list_accounts(&self, input: ListAccountsInput) -> Result<ListAccountsOutput, ListAccountsError> {
        let (accounts, next_token) = self.store.read(|state| {
            let after = input.next_token.clone().map_or(Bound::Unbounded, Bound::Excluded);
            let wanted = |account: &&Account| {
                input.name.as_ref().is_none_or(|prefix| account.name.starts_with(prefix.as_str()))
                    && input.user_email.as_ref().is_none_or(|email| {
                        state.users.values().any(|user| {
                            user.account_id.as_deref() == Some(account.account_id.as_str())
                                && user.primary_email.as_deref() == Some(email.as_str())
                        })
                    })
            };
            let matching = state.accounts.range((after, Bound::Unbounded)).filter(|(_, account)| wanted(account));
            page(matching.map(|(id, account)| (id.clone(), account.clone())), input.max_results, Clone::clone)
        });
        Ok(ListAccountsOutput::builder().accounts(accounts).set_next_token(next_token).build())
    }

    /// The users of an account in user ID order, a page at a time, filtered by email and
    /// user type; NotFound for an account that does not exist.
    async fn list_users(&self, input: ListUsersInput) -> Result<ListUsersOutput, ListUsersError> {
        let account_id = input.account_id.clone();
        let (users, next_token) = self.store.read(|state| {
            if !state.accounts.contains_key(&account_id) {
                return Err(Failure::NotFound(format!("account {account_id} not found")));
            }
            let from = (account_id.clone(), input.next_token.clone().unwrap_or_default());
            let after = if input.next_token.is_some() { Bound::Excluded(from) } else { Bound::Included(from) };
            let wanted = |user: &&User| {
                input.user_email.as_ref().is_none_or(|email| user.primary_email.as_deref() == Some(email.as_str()))
                    && input.user_type.as_ref().is_none_or(|kind| user.user_type.as_ref() == Some(kind))
            };
            let matching = state
                .users
                .range((after, Bound::Unbounded))
                .take_while(|((account, _), _)| *account == account_id)
                .filter(|(_, user)| wanted(user));
            Ok(page(matching.map(|(key, user)| (key.clone(), user.clone())), input.max_results, |key| key.1.clone()))
        })?;
        Ok(ListUsersOutput::builder().users(users).set_next_token(next_token).build())
    }
}

/// How many items a page holds when the request does not say (as the real service's
/// documentation gives it).
const DEFAULT_PAGE_SIZE: usize = 100;

/// One page of `items` (in key order) after the key `after`, at most `max` long, and the
/// token of the next page: the last key of this one, when more items follow.
fn page<K: Ord + Clone, V: Clone>(
    items: impl Iterator<Item = (K, V)>,
    max: Option<i32>,
    token: impl Fn(&K) -> String,
) -> (Vec<V>, Option<String>) {
    let max = max.and_then(|max| usize::try_from(max).ok()).unwrap_or(DEFAULT_PAGE_SIZE).max(1);
    let mut items = items.peekable();
    let mut page = Vec::new();
    let mut last = None;
    while page.len() < max {
        let Some((key, value)) = items.next() else { break };
        page.push(value);
        last = Some(key);
    }
    let next = last.filter(|_| items.peek().is_some()).map(|key| token(&key));
    (page, next)
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

errors_from_failure!(
    CreateAccountError,
    UpdateAccountError,
    UpdateUserError,
    BatchUpdateUserError,
    ListAccountsError,
    ListUsersError
);
