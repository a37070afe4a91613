//! The generated Chime types read and write the JSON the real service and its documentation
//! show: the seeds' sample responses parse although they carry members our model lacks and
//! nulls, and what we write back uses the wire names.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::types::{Account, AccountType, License, User, UserError};
use serde_json::{json, Value};

/// The `Account` of the CreateAccount sample response in the API reference.
fn sample_account() -> Value {
    json!({"AccountId": "12a3456b-7c89-012d-3456-78901e23fg45", "AccountStatus": "Active", "AccountType": "Team",
        "Admins": null, "AwsAccountId": "111122223333", "BillingType": "SeatBilling",
        "CreatedTimestamp": "2019-01-08T17:59:18.006Z", "DefaultLicense": "Pro", "DelegationStatus": "NoDelegation",
        "DirectoryId": null, "Domains": null, "Groups": [], "Name": "example", "Owner": null,
        "SupportedLicenses": ["Basic", "Pro"], "UseProTrialLicense": false})
}

#[test]
fn the_sample_account_parses_with_unmodeled_members_and_nulls() {
    let account: Account = serde_json::from_value(sample_account()).unwrap();
    assert_eq!(account.account_id, "12a3456b-7c89-012d-3456-78901e23fg45");
    assert_eq!(account.name, "example");
    assert_eq!(account.account_type, Some(AccountType::Team));
    assert_eq!(account.default_license, Some(License::Pro));
    assert_eq!(account.supported_licenses, Some(vec![License::Basic, License::Pro]));
    let created = account.created_timestamp.unwrap();
    assert_eq!((created.secs(), created.subsec_nanos()), (1546970358, 6_000_000));
}

#[test]
fn an_account_is_written_with_wire_names_and_without_absent_members() {
    let account: Account = serde_json::from_value(sample_account()).unwrap();
    let written = serde_json::to_value(&account).unwrap();
    assert_eq!(written["AwsAccountId"], "111122223333");
    assert_eq!(written["CreatedTimestamp"], "2019-01-08T17:59:18.006Z");
    assert!(written.get("SigninDelegateGroups").is_none(), "absent members are left out: {written}");
    assert!(written.get("Admins").is_none(), "unmodeled members are not invented: {written}");
    let again: Account = serde_json::from_value(written).unwrap();
    assert_eq!(again, account);
}

#[test]
fn the_sample_user_with_nulls_parses() {
    let sample = json!({"AccountId": null, "Delegates": null, "Devices": null, "DisplayName": null, "EmailAlias": null,
        "FullName": null, "InvitedOn": null, "IsProTrial": null, "LastActiveOn": null, "LicenseType": null,
        "PersonalPIN": null, "PresenceVisibility": null, "PrimaryEmail": null, "PrimaryProvisionedNumber": null,
        "RegisteredOn": null, "UserId": "1ab2345c-67de-8901-f23g-45h678901j2k", "UserInvitationStatus": null,
        "UserLocale": null, "UserRegistrationStatus": null, "Vanity": null});
    let user: User = serde_json::from_value(sample).unwrap();
    assert_eq!(user.user_id, "1ab2345c-67de-8901-f23g-45h678901j2k");
    assert_eq!(user.invited_on, None);
    assert_eq!(user.license_type, None);
}

#[test]
fn a_required_member_that_is_missing_is_an_error() {
    let mut account = sample_account();
    account.as_object_mut().unwrap().remove("AwsAccountId");
    let error = serde_json::from_value::<Account>(account).unwrap_err();
    assert!(error.to_string().contains("missing field `AwsAccountId`"), "{error}");
}

#[test]
fn an_unknown_enum_value_is_kept() {
    let mut account = sample_account();
    account["DefaultLicense"] = json!("Platinum");
    let parsed: Account = serde_json::from_value(account).unwrap();
    assert_eq!(parsed.default_license, Some(License::Unknown("Platinum".into())));
    assert_eq!(serde_json::to_value(&parsed).unwrap()["DefaultLicense"], "Platinum");
    assert_eq!(License::from("ProTrial"), License::ProTrial);
    assert_eq!(License::VALUES, ["Basic", "Plus", "Pro", "ProTrial"]);
}

#[test]
fn sensitive_user_members_are_redacted_in_debug() {
    let user: User = serde_json::from_value(json!({
        "UserId": "u-1", "PrimaryEmail": "secret.person@example.com", "DisplayName": "Secret Person"
    }))
    .unwrap();
    let shown = format!("{user:?}");
    assert!(shown.contains("u-1"), "{shown}");
    assert!(!shown.contains("secret.person@example.com"), "{shown}");
    assert!(!shown.contains("Secret Person"), "{shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
}

#[test]
fn user_errors_of_a_batch_response_parse() {
    let errors: Vec<UserError> = serde_json::from_value(json!([
        {"UserId": "u-1", "ErrorCode": "NotFound", "ErrorMessage": "no such user"}
    ]))
    .unwrap();
    assert_eq!(errors[0].error_message.as_deref(), Some("no such user"));
}

#[test]
fn errors_display_their_code_and_message() {
    let error = chime::types::NotFoundException::builder().message("account a-1 does not exist").build();
    assert_eq!(error.to_string(), "NotFoundException: account a-1 does not exist");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().starts_with("NotFoundException"));
}
