//! chime-local's semantics through the service trait, its store, and the binary as a user
//! runs it (start-up line, refusals, signals, the data file across restarts and kill -9).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use chime::error::{BatchUpdateUserError, UpdateAccountError, UpdateUserError};
use chime::service::Chime;
use chime::types::*;
use chime_local::store::{write_atomically, Failure};
use chime_local::{ChimeLocal, State, Store};

use common::{chime_local, start, ACCOUNT, ALICE, BOB, SEED};

fn seeded() -> ChimeLocal {
    ChimeLocal::new(Store::in_memory(State::load(Path::new(SEED)).unwrap()), "123456789012")
}

fn update_user_input(user_id: &str) -> UpdateUserInput {
    UpdateUserInput::builder().account_id(ACCOUNT).user_id(user_id).build().unwrap()
}

fn item(user_id: &str, license: License) -> UpdateUserRequestItem {
    UpdateUserRequestItem::builder().user_id(user_id).license_type(license).build().unwrap()
}

#[tokio::test]
async fn create_account_makes_a_team_account_owned_by_the_configured_aws_account() {
    let service = seeded();
    let account = service
        .create_account(CreateAccountInput::builder().name("Acme").build().unwrap())
        .await
        .unwrap()
        .account
        .unwrap();
    assert_eq!(account.name, "Acme");
    assert_eq!(account.aws_account_id, "123456789012");
    assert_eq!(account.account_type, Some(AccountType::Team));
    assert_eq!(account.account_status, Some(AccountStatus::Active));
    assert_eq!(account.default_license, Some(License::Pro));
    assert_eq!(account.supported_licenses, Some(vec![License::Basic, License::Pro]));
    assert!(account.created_timestamp.is_some());
    assert_eq!(service.snapshot().accounts[&account.account_id], account);
}

#[tokio::test]
async fn update_account_changes_only_what_is_given() {
    let service = seeded();
    let update = |name: Option<&str>, license| {
        UpdateAccountInput::builder()
            .account_id(ACCOUNT)
            .set_name(name.map(Into::into))
            .set_default_license(license)
            .build()
            .unwrap()
    };
    let unchanged = service.update_account(update(None, None)).await.unwrap().account.unwrap();
    assert_eq!(unchanged.name, "Example Corp");
    let renamed = service.update_account(update(Some("New"), None)).await.unwrap().account.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.default_license), ("New", Some(License::Pro)));
    let relicensed = service.update_account(update(None, Some(License::Basic))).await.unwrap().account.unwrap();
    assert_eq!((relicensed.name.as_str(), relicensed.default_license), ("New", Some(License::Basic)));
    assert_eq!(relicensed.created_timestamp, unchanged.created_timestamp);

    let missing = UpdateAccountInput::builder().account_id("nope").name("x").build().unwrap();
    match service.update_account(missing).await {
        Err(UpdateAccountError::NotFoundException(error)) => {
            assert_eq!(error.code, Some(ErrorCode::NotFound));
            assert_eq!(error.message.as_deref(), Some("account nope not found"));
        }
        other => panic!("expected NotFoundException, got {other:?}"),
    }
}

#[tokio::test]
async fn update_user_changes_the_given_fields_and_refuses_unknown_ids() {
    let service = seeded();
    let stored = service.update_user(update_user_input(ALICE)).await.unwrap().user.unwrap();
    assert_eq!(stored.license_type, Some(License::Pro));
    let metadata = AlexaForBusinessMetadata::builder().is_alexa_for_business_enabled(true).build();
    let input = {
        let mut value = update_user_input(ALICE);
        value.license_type = Some(License::Basic);
        value.user_type = Some(UserType::SharedDevice);
        value.alexa_for_business_metadata = Some(metadata.clone());
        value
    };
    let changed = service.update_user(input).await.unwrap().user.unwrap();
    assert_eq!(changed.license_type, Some(License::Basic));
    assert_eq!(changed.user_type, Some(UserType::SharedDevice));
    assert_eq!(changed.alexa_for_business_metadata, Some(metadata));
    assert_eq!(changed.primary_email, stored.primary_email);

    let unknown_user = service.update_user(update_user_input("ghost")).await;
    assert!(matches!(unknown_user, Err(UpdateUserError::NotFoundException(_))), "{unknown_user:?}");
    let unknown_account = {
        let mut value = update_user_input(ALICE);
        value.account_id = "nope".into();
        value
    };
    let unknown_account = service.update_user(unknown_account).await;
    assert!(matches!(unknown_account, Err(UpdateUserError::NotFoundException(_))), "{unknown_account:?}");
}

#[tokio::test]
async fn batch_update_user_applies_known_users_and_reports_unknown_ones() {
    let service = seeded();
    let input = BatchUpdateUserInput::builder()
        .account_id(ACCOUNT)
        .update_user_request_items(vec![
            item(ALICE, License::Basic),
            item("ghost", License::Pro),
            item(BOB, License::Pro),
        ])
        .build()
        .unwrap();
    let errors = service.batch_update_user(input).await.unwrap().user_errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].user_id.as_deref(), Some("ghost"));
    assert_eq!(errors[0].error_code, Some(ErrorCode::NotFound));
    let state = service.snapshot();
    assert_eq!(state.users[&(ACCOUNT.to_owned(), ALICE.to_owned())].license_type, Some(License::Basic));
    assert_eq!(state.users[&(ACCOUNT.to_owned(), BOB.to_owned())].license_type, Some(License::Pro));

    let unknown_account =
        BatchUpdateUserInput::builder().account_id("nope").update_user_request_items(vec![]).build().unwrap();
    let unknown_account = service.batch_update_user(unknown_account).await;
    assert!(matches!(unknown_account, Err(BatchUpdateUserError::NotFoundException(_))), "{unknown_account:?}");
}

/// Many tasks at once, each making accounts and flipping user licenses: every account made
/// is stored, and the data file holds exactly the final state.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_update_is_lost_under_concurrent_requests() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("state.json");
    let seed = State::load(Path::new(SEED)).unwrap();
    let service = Arc::new(ChimeLocal::new(Store::persisted(data.clone(), seed).unwrap(), "111122223333"));
    let mut tasks = Vec::new();
    for task in 0..8 {
        let service = Arc::clone(&service);
        tasks.push(tokio::spawn(async move {
            let mut made = Vec::new();
            for n in 0..25 {
                let input = CreateAccountInput::builder().name(format!("task {task} account {n}")).build().unwrap();
                made.push(service.create_account(input).await.unwrap().account.unwrap().account_id);
                let license = if n % 2 == 0 { License::Basic } else { License::Pro };
                let items = vec![item(ALICE, license.clone()), item(BOB, license)];
                let input = BatchUpdateUserInput::builder()
                    .account_id(ACCOUNT)
                    .update_user_request_items(items)
                    .build()
                    .unwrap();
                assert_eq!(service.batch_update_user(input).await.unwrap().user_errors, Some(vec![]));
            }
            made
        }));
    }
    let mut made = Vec::new();
    for task in tasks {
        made.extend(task.await.unwrap());
    }
    let state = service.snapshot();
    assert_eq!(made.len(), 200);
    assert_eq!(state.accounts.len(), 201);
    assert!(made.iter().all(|id| state.accounts.contains_key(id)));
    assert!(State::load(&data).unwrap() == state, "the data file differs from the state in memory");
}

#[test]
fn a_change_that_cannot_be_saved_is_refused_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sub/state.json");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let store = Store::persisted(data, State::load(Path::new(SEED)).unwrap()).unwrap();
    let before = store.snapshot();
    std::fs::remove_dir_all(dir.path().join("sub")).unwrap();
    let result = store.transact(|state| {
        state.accounts.clear();
        Ok(())
    });
    assert!(matches!(result, Err(Failure::Internal(ref message)) if message.contains("could not be saved")));
    assert_eq!(store.snapshot(), before);
}

#[test]
fn atomic_writes_leave_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    write_atomically(&path, "one").unwrap();
    write_atomically(&path, "two").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn state_files_with_dangling_or_duplicate_entries_are_refused() {
    let user_of_unknown_account = r#"{"Accounts": [], "Users": [{"UserId": "u", "AccountId": "a"}]}"#;
    let error = State::from_json(user_of_unknown_account).unwrap_err().to_string();
    assert_eq!(error, "user u belongs to account a, which is not in the file");
    let account = r#"{"AwsAccountId": "1", "AccountId": "a", "Name": "n"}"#;
    let twice = format!(r#"{{"Accounts": [{account}, {account}]}}"#);
    assert_eq!(State::from_json(&twice).unwrap_err().to_string(), "account a appears twice");
    assert!(State::from_json(r#"{"Acounts": []}"#).unwrap_err().to_string().contains("unknown field"));
    let round_trip = State::load(Path::new(SEED)).unwrap();
    assert_eq!(State::from_json(&round_trip.to_json()).unwrap(), round_trip);
}

// The binary, as a user runs it.

#[test]
fn without_credentials_it_refuses_to_start_unless_told_no_auth() {
    let output = chime_local(&["--listen", "127.0.0.1:0"]).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no credentials to verify signatures with"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn sigterm_and_sigint_stop_it_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let server = start(&[]);
        let account = Chime::create_account(&server.client(), CreateAccountInput::builder().name("x").build().unwrap())
            .await
            .unwrap();
        assert_eq!(account.account.unwrap().name, "x");
        let status = server.signal(signal);
        assert!(status.success(), "{signal}: {status}");
    }
}

#[tokio::test]
async fn the_data_file_keeps_the_state_across_a_restart_and_a_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("state.json");
    let data = data.to_str().unwrap();
    let first = start(&["--data", data, "--seed", SEED]);
    let renamed = UpdateAccountInput::builder().account_id(ACCOUNT).name("Kept").build().unwrap();
    Chime::update_account(&first.client(), renamed).await.unwrap();
    let made = Chime::create_account(&first.client(), CreateAccountInput::builder().name("Made").build().unwrap())
        .await
        .unwrap();
    let made = made.account.unwrap();
    // kill -9: no chance to save anything on the way out; acknowledged changes are on disk.
    assert!(!first.signal("-KILL").success());

    // The seed is ignored now that the data file exists.
    let second = start(&["--data", data, "--seed", SEED]);
    let state = State::load(Path::new(data)).unwrap();
    assert_eq!(state.accounts[ACCOUNT].name, "Kept");
    assert_eq!(state.accounts[&made.account_id], made);
    let unchanged = UpdateAccountInput::builder().account_id(made.account_id.clone()).build().unwrap();
    assert_eq!(Chime::update_account(&second.client(), unchanged).await.unwrap().account.unwrap(), made);
    assert!(second.signal("-TERM").success());
}
