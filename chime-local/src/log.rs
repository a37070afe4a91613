//! The request log: one line on standard error per request a handler answers, naming the
//! request ID the client got in `x-amzn-requestid`, the operation, the access key that signed
//! it and how it ended. The server's [`RequestContext`] supplies the ID and the key, so the
//! service trait needs no extra argument.

use std::io::Write;

use chime::error::{
    BatchUpdateUserError, CreateAccountError, ListAccountsError, ListUsersError, UpdateAccountError, UpdateUserError,
};
use chime::service::Chime;
use chime::types::{
    BatchUpdateUserInput, BatchUpdateUserOutput, CreateAccountInput, CreateAccountOutput, ListAccountsInput,
    ListAccountsOutput, ListUsersInput, ListUsersOutput, UpdateAccountInput, UpdateAccountOutput, UpdateUserInput,
    UpdateUserOutput,
};
use smithy_runtime::service::RequestContext;

/// Any implementation of [`Chime`], logging each call it answers as
/// `chime-local: <request-id> <operation> key=<access key id> -> ok|<error code>` (`-` for
/// what is unknown: no signature checks, or a call from outside a server).
///
/// Requests refused before a handler runs (a bad signature, an invalid input, no route) are
/// not logged here: no handler sees them.
#[derive(Debug)]
pub struct RequestLog<S> {
    inner: S,
    enabled: bool,
}

impl<S> RequestLog<S> {
    /// `inner`, logging when `enabled` (the binary's `--quiet` turns it off, so that benchmarks
    /// do not measure writes to standard error).
    pub fn new(inner: S, enabled: bool) -> Self {
        Self { inner, enabled }
    }

    /// The service it logs for.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Writes the line of one answered call: `error` is its error code, `None` for success.
    fn log(&self, operation: &str, error: Option<&str>) {
        if !self.enabled {
            return;
        }
        let context = RequestContext::current();
        let request_id = context.as_ref().map_or("-", RequestContext::request_id);
        let key = context.as_ref().and_then(RequestContext::access_key_id).unwrap_or("-");
        let outcome = error.unwrap_or("ok");
        // Formatted first and written in one call, so that concurrent requests' lines never
        // interleave; a log that cannot be written must not fail the request.
        let line = format!("chime-local: {request_id} {operation} key={key} -> {outcome}\n");
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Each method: the inner service's answer, logged under the operation's name.
macro_rules! logged {
    ($($method:ident($input:ty) -> Result<$output:ty, $error:ident> as $name:literal;)*) => {
        impl<S: Chime> Chime for RequestLog<S> {
            $(
                async fn $method(&self, input: $input) -> Result<$output, $error> {
                    let result = self.inner.$method(input).await;
                    self.log($name, result.as_ref().err().map($error::code));
                    result
                }
            )*
        }
    };
}

logged! {
    batch_update_user(BatchUpdateUserInput) -> Result<BatchUpdateUserOutput, BatchUpdateUserError> as "BatchUpdateUser";
    create_account(CreateAccountInput) -> Result<CreateAccountOutput, CreateAccountError> as "CreateAccount";
    list_accounts(ListAccountsInput) -> Result<ListAccountsOutput, ListAccountsError> as "ListAccounts";
    list_users(ListUsersInput) -> Result<ListUsersOutput, ListUsersError> as "ListUsers";
    update_account(UpdateAccountInput) -> Result<UpdateAccountOutput, UpdateAccountError> as "UpdateAccount";
    update_user(UpdateUserInput) -> Result<UpdateUserOutput, UpdateUserError> as "UpdateUser";
}
