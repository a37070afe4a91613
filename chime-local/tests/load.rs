//! A bounded load test on loopback: concurrent generated clients drive the chime-local binary
//! (with a data file, so every change is synced to disk) over a mix of the four operations for
//! a fixed time. No request may fail, the final state must be exactly what the acknowledged
//! responses imply, and the server's memory must not grow between the first and second half.
//!
//! `CHIME_LOAD_SECONDS` (default 6) and `CHIME_LOAD_CLIENTS` (default 8) change the length and
//! the number of clients; `cargo xtask soak --seconds N` runs it long in release mode.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chime::client::Client;
use chime::service::Chime;
use chime::types::*;
use chime_local::State;
use common::start;

/// Users each client owns in its own account.
const USERS_PER_CLIENT: usize = 4;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn account_id(client: usize) -> String {
    format!("load-account-{client}")
}

fn user_id(client: usize, user: usize) -> String {
    format!("load-user-{client}-{user}")
}

/// A seed with one account per client and its users, so that no two clients write the same
/// account or user and each one's last acknowledged write is what must be stored.
fn seed(clients: usize) -> String {
    let accounts: Vec<_> = (0..clients)
        .map(|c| serde_json::json!({"AwsAccountId": "111122223333", "AccountId": account_id(c), "Name": format!("client {c}")}))
        .collect();
    let users: Vec<_> = (0..clients)
        .flat_map(|c| (0..USERS_PER_CLIENT).map(move |u| (c, u)))
        .map(|(c, u)| serde_json::json!({"UserId": user_id(c, u), "AccountId": account_id(c), "LicenseType": "Pro"}))
        .collect();
    serde_json::json!({"Accounts": accounts, "Users": users}).to_string()
}

/// What one client's acknowledged responses say the state must hold.
#[derive(Default)]
struct Expected {
    /// Account ID to (name, default license) for every account the client made or updated.
    accounts: BTreeMap<String, (String, Option<License>)>,
    /// User ID to (license, user type) for every user the client updated.
    users: BTreeMap<String, (Option<License>, Option<UserType>)>,
    requests: u64,
    errors: Vec<String>,
}

const LICENSES: [License; 4] = [License::Basic, License::Plus, License::Pro, License::ProTrial];

/// One client's loop: a fixed mix (1 create, 2 account updates, 3 user updates, 2 batches in
/// every 8 requests) until `deadline`, each request waiting for the previous one's answer.
async fn drive(client: Client, me: usize, deadline: Instant) -> Expected {
    let mut expected = Expected::default();
    let mine = account_id(me);
    let mut accounts = vec![mine.clone()];
    let mut n = 0usize;
    while Instant::now() < deadline {
        n += 1;
        let license = LICENSES[n % LICENSES.len()].clone();
        let outcome = match n % 8 {
            0 => {
                let name = format!("client {me} made {n}");
                Chime::create_account(&client, CreateAccountInput::builder().name(name.clone()).build().unwrap())
                    .await
                    .map(|out| {
                        let account = out.account.unwrap();
                        assert_eq!(account.name, name);
                        accounts.push(account.account_id.clone());
                        expected.accounts.insert(account.account_id, (name, account.default_license));
                    })
            }
            .map_err(|e| e.to_string()),
            1 | 5 => {
                let account_id = accounts[n % accounts.len()].clone();
                let name = format!("client {me} renamed {n}");
                let input = UpdateAccountInput::builder()
                    .account_id(account_id.clone())
                    .name(name.clone())
                    .default_license(license.clone())
                    .build()
                    .unwrap();
                Chime::update_account(&client, input).await.map(|out| {
                    let account = out.account.unwrap();
                    assert_eq!((&account.name, &account.default_license), (&name, &Some(license)));
                    expected.accounts.insert(account_id, (name, account.default_license));
                })
            }
            .map_err(|e| e.to_string()),
            2 | 4 | 6 => {
                let user = user_id(me, n % USERS_PER_CLIENT);
                let user_type = if n % 3 == 0 { UserType::SharedDevice } else { UserType::PrivateUser };
                let input = UpdateUserInput::builder()
                    .account_id(mine.clone())
                    .user_id(user.clone())
                    .license_type(license)
                    .user_type(user_type)
                    .build()
                    .unwrap();
                Chime::update_user(&client, input).await.map(|out| {
                    let stored = out.user.unwrap();
                    expected.users.insert(user, (stored.license_type, stored.user_type));
                })
            }
            .map_err(|e| e.to_string()),
            _ => {
                // Every user of the client, and one that does not exist: it must be the only
                // error listed, and the others must all be applied.
                let mut items: Vec<_> = (0..USERS_PER_CLIENT)
                    .map(|u| {
                        UpdateUserRequestItem::builder()
                            .user_id(user_id(me, u))
                            .license_type(LICENSES[(n + u) % LICENSES.len()].clone())
                            .build()
                            .unwrap()
                    })
                    .collect();
                items.push(
                    UpdateUserRequestItem::builder()
                        .user_id(format!("ghost-{me}"))
                        .license_type(License::Basic)
                        .build()
                        .unwrap(),
                );
                let input = BatchUpdateUserInput::builder()
                    .account_id(mine.clone())
                    .update_user_request_items(items.clone())
                    .build()
                    .unwrap();
                Chime::batch_update_user(&client, input).await.map(|out| {
                    let errors = out.user_errors.unwrap();
                    assert_eq!(errors.len(), 1, "{errors:?}");
                    assert_eq!(errors[0].user_id.as_deref(), Some(format!("ghost-{me}").as_str()));
                    for item in &items[..USERS_PER_CLIENT] {
                        let entry = expected.users.entry(item.user_id.clone()).or_insert((None, None));
                        entry.0 = item.license_type.clone();
                    }
                })
            }
            .map_err(|e| e.to_string()),
        };
        expected.requests += 1;
        if let Err(error) = outcome {
            expected.errors.push(format!("client {me} request {n}: {error}"));
        }
    }
    expected
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_lose_no_update_and_memory_stays_flat() {
    let seconds = setting("CHIME_LOAD_SECONDS", 6);
    let clients = usize::try_from(setting("CHIME_LOAD_CLIENTS", 8)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let seed_file = dir.path().join("seed.json");
    std::fs::write(&seed_file, seed(clients)).unwrap();
    let data = dir.path().join("state.json");
    let server = start(&["--data", data.to_str().unwrap(), "--seed", seed_file.to_str().unwrap()]);
    let pid = server.child.id();
    let initial = State::load(&data).unwrap();

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients).map(|me| tokio::spawn(drive(server.client(), me, deadline))).collect();
    // Memory is sampled once the first half has warmed everything up, and again at the end.
    tokio::time::sleep(Duration::from_secs(seconds) / 2).await;
    let rss_middle = rss_kib(pid);
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let rss_end = rss_kib(pid);
    let elapsed = started.elapsed();
    assert!(server.signal("-TERM").success());

    let requests: u64 = results.iter().map(|r| r.requests).sum();
    let errors: Vec<&String> = results.iter().flat_map(|r| &r.errors).collect();
    println!(
        "load: {clients} clients, {:.1} s, {requests} requests ({:.0}/s), {} errors, server RSS {rss_middle} KiB at half time, {rss_end} KiB at the end",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        errors.len(),
    );
    assert!(errors.is_empty(), "{} failed requests, the first: {}", errors.len(), errors[0]);
    assert!(requests >= clients as u64 * 8, "too few requests to say anything: {requests}");

    // The stored state is exactly the initial one with every acknowledged change applied.
    let stored = State::load(Path::new(&data)).unwrap();
    let mut want = initial;
    for result in &results {
        for (id, (name, license)) in &result.accounts {
            let account = want.accounts.entry(id.clone()).or_insert_with(|| {
                stored
                    .accounts
                    .get(id)
                    .unwrap_or_else(|| panic!("account {id} was acknowledged but is not stored"))
                    .clone()
            });
            account.name = name.clone();
            account.default_license = license.clone();
        }
        for (id, (license, user_type)) in &result.users {
            let account = want.users.keys().find(|(_, user)| user == id).unwrap().0.clone();
            let user = want.users.get_mut(&(account, id.clone())).unwrap();
            user.license_type = license.clone();
            if user_type.is_some() {
                user.user_type = user_type.clone();
            }
        }
    }
    assert_eq!(stored.accounts.len(), want.accounts.len(), "accounts stored that no response acknowledged");
    assert!(stored == want, "the stored state is not what the acknowledged responses imply");

    // Flat: the second half may not take more than a few MiB beyond the first's (the state
    // itself grows by a few hundred bytes per account made).
    let growth = rss_end.saturating_sub(rss_middle);
    assert!(growth < 16 * 1024, "server RSS grew by {growth} KiB in the second half");
}
