//! ListAccounts and ListUsers a page at a time, walked by the generated paginator: 250
//! accounts in pages of 40 come back whole, in account ID order, each once; filters and
//! page sizes as the real service has them. clients/python/test_boto3.py walks the same
//! listing with boto3's `get_paginator("list_accounts")`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::client::{Client, Config, RetryConfig};
use chime::server::{server, ServerConfig};
use chime::types::{License, UserType};
use chime_local::{ChimeLocal, State, Store};
use futures_util::StreamExt;
use smithy_runtime::client::ServiceTransport;

fn client(state: State) -> Client {
    let service = ChimeLocal::new(Store::in_memory(state), "111122223333");
    let transport = ServiceTransport::new(server(service, ServerConfig::new()));
    Client::new(Config::new().endpoint_url("http://chime.local").retry(RetryConfig::disabled()).transport(transport))
        .unwrap()
}

#[tokio::test]
async fn the_paginator_walks_250_accounts_in_pages_of_40() {
    let client = client(State::default());
    let mut created = Vec::new();
    for i in 0..250 {
        let account = client.create_account().name(format!("account {i:03}")).send().await.unwrap().account.unwrap();
        created.push(account.account_id);
    }
    created.sort();
    let pages: Vec<_> = client.list_accounts().into_paginator().page_size(40).send().collect().await;
    let sizes: Vec<usize> = pages.iter().map(|page| page.as_ref().unwrap().accounts.as_ref().unwrap().len()).collect();
    assert_eq!(sizes, [40, 40, 40, 40, 40, 40, 10]);
    assert!(pages.last().unwrap().as_ref().unwrap().next_token.is_none(), "the last page has no token");
    let listed: Vec<String> = client
        .list_accounts()
        .into_paginator()
        .page_size(40)
        .items()
        .map(|account| account.unwrap().account_id)
        .collect()
        .await;
    assert_eq!(listed, created);
    let default_pages: Vec<_> = client.list_accounts().into_paginator().send().collect().await;
    assert_eq!(default_pages.len(), 3, "100 a page when the request does not say");
}

#[tokio::test]
async fn list_accounts_filters_by_name_prefix() {
    let client = client(State::default());
    for name in ["north 1", "north 2", "south 1"] {
        client.create_account().name(name).send().await.unwrap();
    }
    let north: Vec<_> = client.list_accounts().name("north").into_paginator().items().collect().await;
    let names: Vec<String> = north.into_iter().map(|account| account.unwrap().name).collect();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|name| name.starts_with("north")), "{names:?}");
}

#[tokio::test]
async fn list_users_pages_one_accounts_users_with_filters() {
    let seed = r#"{
        "Accounts": [{"AwsAccountId": "111122223333", "AccountId": "a-1", "Name": "One"},
                     {"AwsAccountId": "111122223333", "AccountId": "a-2", "Name": "Two"}],
        "Users": [
            {"UserId": "u-1", "AccountId": "a-1", "PrimaryEmail": "ann@example.com", "UserType": "PrivateUser", "LicenseType": "Pro"},
            {"UserId": "u-2", "AccountId": "a-1", "PrimaryEmail": "bob@example.com", "UserType": "SharedDevice", "LicenseType": "Basic"},
            {"UserId": "u-3", "AccountId": "a-1", "PrimaryEmail": "cy@example.com", "UserType": "PrivateUser", "LicenseType": "Pro"},
            {"UserId": "u-4", "AccountId": "a-2", "PrimaryEmail": "dee@example.com", "UserType": "PrivateUser", "LicenseType": "Pro"}
        ]}"#;
    let client = client(State::from_json(seed).unwrap());
    let ids = |users: Vec<Result<chime::types::User, _>>| -> Vec<String> {
        users
            .into_iter()
            .map(|user: Result<chime::types::User, chime::error::ListUsersError>| user.unwrap().user_id)
            .collect()
    };
    let all = client.list_users().account_id("a-1").into_paginator().page_size(1).items().collect().await;
    assert_eq!(ids(all), ["u-1", "u-2", "u-3"]);
    let private = client.list_users().account_id("a-1").user_type(UserType::PrivateUser).into_paginator().items();
    assert_eq!(ids(private.collect().await), ["u-1", "u-3"]);
    let bob = client.list_users().account_id("a-1").user_email("bob@example.com").send().await.unwrap();
    assert_eq!(bob.users.unwrap()[0].license_type, Some(License::Basic));
    let missing = client.list_users().account_id("a-9").send().await.unwrap_err();
    assert_eq!(missing.code(), "NotFoundException");
}
