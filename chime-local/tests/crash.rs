//! The `--data` file survives `kill -9` at any moment: after a restart the state is the state
//! after some prefix of the requests sent, and that prefix holds every acknowledged one.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use chime::service::Chime;
use chime::types::{CreateAccountInput, UpdateAccountInput};
use chime_local::State;
use common::{start, ACCOUNT, SEED};

/// Request `i` of the stream: even ones rename the seed's account to `step i`, odd ones make an
/// account named `made i`.
async fn send(client: &chime::client::Client, i: usize) -> bool {
    if i % 2 == 0 {
        let input = UpdateAccountInput::builder().account_id(ACCOUNT).name(format!("step {i}")).build().unwrap();
        Chime::update_account(client, input).await.is_ok()
    } else {
        Chime::create_account(client, CreateAccountInput::builder().name(format!("made {i}")).build().unwrap())
            .await
            .is_ok()
    }
}

/// What the state holds after the first `prefix` requests: the account's name and the names
/// of the accounts made.
fn after(prefix: usize) -> (String, BTreeSet<String>) {
    let name = (0..prefix).rev().find(|i| i % 2 == 0).map_or("Example Corp".to_owned(), |i| format!("step {i}"));
    (name, (0..prefix).filter(|i| i % 2 == 1).map(|i| format!("made {i}")).collect())
}

fn observed(state: &State) -> (String, BTreeSet<String>) {
    let made = state.accounts.values().filter(|a| a.account_id != ACCOUNT).map(|a| a.name.clone()).collect();
    (state.accounts[ACCOUNT].name.clone(), made)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_at_any_moment_keeps_a_prefix_holding_every_acknowledged_request() {
    for (round, delay_ms) in [0u64, 15, 40, 90, 160, 250, 400, 600].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("state.json");
        let data = data.to_str().unwrap();
        let server = start(&["--data", data, "--seed", SEED]);
        let client = server.client();
        let stream = tokio::spawn(async move {
            let mut acknowledged = 0;
            while send(&client, acknowledged).await {
                acknowledged += 1;
            }
            acknowledged
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        assert!(!server.signal("-KILL").success());
        let acknowledged = stream.await.unwrap();

        // The file is whole JSON of a state (never torn), and it is the state after the
        // acknowledged requests, or after those and the one in flight when the kill came.
        let state = State::load(Path::new(data)).unwrap();
        let seen = observed(&state);
        assert!(
            seen == after(acknowledged) || seen == after(acknowledged + 1),
            "round {round}: {acknowledged} acknowledged, but the data file holds {seen:?}"
        );
        // And chime-local starts from it.
        let restarted = start(&["--data", data]);
        let input = UpdateAccountInput::builder().account_id(ACCOUNT).build().unwrap();
        let account = Chime::update_account(&restarted.client(), input).await.unwrap().account.unwrap();
        assert_eq!(account.name, seen.0);
        assert!(restarted.signal("-TERM").success());
        println!("round {round}: killed after {delay_ms} ms, {acknowledged} acknowledged, prefix kept");
    }
}
