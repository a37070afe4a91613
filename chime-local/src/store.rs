//! The service's state: accounts and their users, behind one lock, optionally persisted to
//! a JSON file after every change.
//!
//! Every operation runs as one transaction under the lock: read, change, persist, reply.
//! So concurrent requests never lose an update, and with a data file an acknowledged change
//! is on disk before the client hears about it.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use anyhow::{bail, Context, Result};
use chime::types::{Account, User};
use serde::{Deserialize, Serialize};

/// Accounts by ID, and users by account ID and user ID.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Every account, keyed by its `AccountId`.
    pub accounts: BTreeMap<String, Account>,
    /// Every user, keyed by (`AccountId`, `UserId`).
    pub users: BTreeMap<(String, String), User>,
}

/// The JSON form of [`State`], for `--seed` and `--data` files: the model's member names.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    #[serde(rename = "Accounts", default)]
    accounts: Vec<Account>,
    #[serde(rename = "Users", default)]
    users: Vec<User>,
}

impl State {
    /// Reads a seed or data file of the form `{"Accounts": [Account...], "Users": [User...]}`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        Self::from_json(&text).with_context(|| format!("{} is not a valid state file", path.display()))
    }

    /// Parses the JSON form of the state, refusing duplicates and users of unknown accounts.
    pub fn from_json(text: &str) -> Result<Self> {
        let file: StateFile = serde_json::from_str(text)?;
        let mut state = State::default();
        for account in file.accounts {
            let id = account.account_id.clone();
            if state.accounts.insert(id.clone(), account).is_some() {
                bail!("account {id} appears twice");
            }
        }
        for user in file.users {
            let Some(account_id) = user.account_id.clone() else {
                bail!("user {} has no AccountId", user.user_id);
            };
            if !state.accounts.contains_key(&account_id) {
                bail!("user {} belongs to account {account_id}, which is not in the file", user.user_id);
            }
            let key = (account_id, user.user_id.clone());
            if state.users.insert(key.clone(), user).is_some() {
                bail!("user {} of account {} appears twice", key.1, key.0);
            }
        }
        Ok(state)
    }

    /// The JSON form of the state, in the same shape [`State::from_json`] reads.
    pub fn to_json(&self) -> String {
        let file = StateFile {
            accounts: self.accounts.values().cloned().collect(),
            users: self.users.values().cloned().collect(),
        };
        // Plain data with string keys: serialization cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }
}

/// Why a transaction did not commit.
#[derive(Debug)]
pub enum Failure {
    /// A resource the request names does not exist; the text says which.
    NotFound(String),
    /// The change could not be made durable; nothing was changed.
    Internal(String),
}

/// The state behind a lock, with the file that persists it (if any).
#[derive(Debug)]
pub struct Store {
    state: Mutex<State>,
    data_file: Option<PathBuf>,
}

impl Store {
    /// A store that keeps `state` in memory only.
    pub fn in_memory(state: State) -> Self {
        Store { state: Mutex::new(state), data_file: None }
    }

    /// A store persisted to `data_file`: its contents when it exists, else `initial`
    /// (which is written to it at once, so that the file always exists once serving starts).
    pub fn persisted(data_file: PathBuf, initial: State) -> Result<Self> {
        let state = if data_file.exists() { State::load(&data_file)? } else { initial };
        write_atomically(&data_file, &state.to_json())?;
        Ok(Store { state: Mutex::new(state), data_file: Some(data_file) })
    }

    /// A copy of the current state.
    pub fn snapshot(&self) -> State {
        self.lock().clone()
    }

    /// Runs `read` on the current state under the lock, for answers that change nothing.
    pub fn read<T>(&self, read: impl FnOnce(&State) -> T) -> T {
        read(&self.lock())
    }

    /// Runs `change` as one transaction: under the lock, and, with a data file, written to
    /// disk before it is acknowledged. A change that cannot be written is undone.
    pub fn transact<T>(&self, change: impl FnOnce(&mut State) -> Result<T, Failure>) -> Result<T, Failure> {
        let mut state = self.lock();
        let Some(path) = &self.data_file else {
            return change(&mut state);
        };
        let before = state.clone();
        let value = change(&mut state)?;
        if *state != before {
            if let Err(error) = write_atomically(path, &state.to_json()) {
                *state = before;
                return Err(Failure::Internal(format!("the change could not be saved: {error:#}")));
            }
        }
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a half-made change behind: changes are
        // made on plain data and the data file is only ever replaced whole. So a poisoned
        // lock is still consistent, and serving goes on.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Replaces `path` with `contents` so that a crash at any moment leaves either the old file
/// or the new one: write a temporary file beside it, flush it to disk, rename it over.
pub fn write_atomically(path: &Path, contents: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().context("the data file path names no file")?.to_string_lossy();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        // The rename itself is durable only once the directory is synced.
        File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}
