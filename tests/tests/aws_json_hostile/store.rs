//! The service the corpus is sent to: a key-value store over a `Mutex<BTreeMap>`, counting
//! every call that reaches it, so that a hostile request wrongly accepted shows twice: as a
//! changed map (for the writes) and as a call (for the reads too).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use fixture_aws_json::error::{DeleteEntryError, GetEntryError, ListEntriesError, PingError, PutEntryError};
use fixture_aws_json::service::KvStore;
use fixture_aws_json::types::*;

/// The table every intact request names, and the entry it starts with.
pub const TABLE: &str = "tbl";
pub const KEY: &str = "k";

/// What is stored: `(table, key)` to value.
pub type Entries = BTreeMap<(String, String), Value>;

#[derive(Debug)]
pub struct Store {
    entries: Mutex<Entries>,
    calls: AtomicUsize,
}

impl Store {
    /// One entry, `tbl`/`k` = `"seed"`, that every intact write would change.
    pub fn seeded() -> Self {
        let entries = BTreeMap::from([((TABLE.to_owned(), KEY.to_owned()), Value::S("seed".into()))]);
        Store { entries: Mutex::new(entries), calls: AtomicUsize::new(0) }
    }

    /// A copy of what is stored now.
    pub fn snapshot(&self) -> Entries {
        self.entries.lock().unwrap().clone()
    }

    /// How many calls reached the handlers.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn called(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

fn not_found(table: &str, key: &str) -> ResourceNotFoundException {
    ResourceNotFoundException::builder().message(format!("no entry {table}/{key}")).build()
}

/// Implemented on a reference so that the test keeps the store to look at it.
impl KvStore for &'static Store {
    async fn put_entry(&self, input: PutEntryInput) -> Result<PutEntryOutput, PutEntryError> {
        self.called();
        let previous = self.entries.lock().unwrap().insert((input.table_name, input.key), input.value);
        Ok(PutEntryOutput::builder()
            .stored_at(smithy_runtime::DateTime::from_secs(1_735_689_600))
            .set_previous(previous)
            .build())
    }

    async fn get_entry(&self, input: GetEntryInput) -> Result<GetEntryOutput, GetEntryError> {
        self.called();
        let entries = self.entries.lock().unwrap();
        match entries.get(&(input.table_name.clone(), input.key.clone())) {
            Some(value) => Ok(GetEntryOutput::builder().value(value.clone()).build()),
            None => Err(GetEntryError::ResourceNotFoundException(not_found(&input.table_name, &input.key))),
        }
    }

    async fn delete_entry(&self, input: DeleteEntryInput) -> Result<DeleteEntryOutput, DeleteEntryError> {
        self.called();
        match self.entries.lock().unwrap().remove(&(input.table_name.clone(), input.key.clone())) {
            Some(_) => Ok(DeleteEntryOutput::builder().build()),
            None => Err(DeleteEntryError::ResourceNotFoundException(not_found(&input.table_name, &input.key))),
        }
    }

    async fn list_entries(&self, input: ListEntriesInput) -> Result<ListEntriesOutput, ListEntriesError> {
        self.called();
        let entries = self.entries.lock().unwrap();
        let limit = input.limit.map_or(usize::MAX, |limit| usize::try_from(limit).unwrap_or(0));
        let keys = entries.keys().filter(|(table, _)| *table == input.table_name).map(|(_, key)| key.clone());
        Ok(ListEntriesOutput::builder().keys(keys.take(limit).collect()).build().unwrap())
    }

    async fn ping(&self, _: PingInput) -> Result<PingOutput, PingError> {
        self.called();
        Ok(PingOutput::builder().build())
    }
}

/// A Chime service that no request should reach: each operation answers 500, so a request
/// it wrongly took would show as the wrong status.
#[derive(Debug, Default)]
pub struct NoChime;

fn unreached<E: From<smithy_runtime::error::Unhandled>>() -> E {
    smithy_runtime::error::Unhandled::new("Unreached", Some("no request should get here".into()), 500).into()
}

impl chime::service::Chime for NoChime {
    async fn batch_update_user(
        &self,
        _: chime::types::BatchUpdateUserInput,
    ) -> Result<chime::types::BatchUpdateUserOutput, chime::error::BatchUpdateUserError> {
        Err(unreached())
    }

    async fn create_account(
        &self,
        _: chime::types::CreateAccountInput,
    ) -> Result<chime::types::CreateAccountOutput, chime::error::CreateAccountError> {
        Err(unreached())
    }

    async fn update_account(
        &self,
        _: chime::types::UpdateAccountInput,
    ) -> Result<chime::types::UpdateAccountOutput, chime::error::UpdateAccountError> {
        Err(unreached())
    }

    async fn update_user(
        &self,
        _: chime::types::UpdateUserInput,
    ) -> Result<chime::types::UpdateUserOutput, chime::error::UpdateUserError> {
        Err(unreached())
    }
}
