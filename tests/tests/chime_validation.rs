//! Constraint validation of typed Chime inputs: every violation, with its path and the
//! message form of the Smithy protocol tests.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::types::{BatchUpdateUserInput, CreateAccountInput, License, UpdateAccountInput, UpdateUserRequestItem};

fn item(user: &str, license: Option<License>) -> UpdateUserRequestItem {
    UpdateUserRequestItem::builder().user_id(user).set_license_type(license).build().unwrap()
}

fn violations(result: Result<(), smithy_runtime::validation::ValidationErrors>) -> Vec<(String, String)> {
    result.unwrap_err().violations.into_iter().map(|v| (v.path, v.message)).collect()
}

#[test]
fn a_valid_input_has_no_violations() {
    let input = BatchUpdateUserInput::builder()
        .account_id("a-1")
        .update_user_request_items((0..20).map(|i| item(&format!("u-{i}"), Some(License::Pro))).collect())
        .build()
        .unwrap();
    assert_eq!(input.validate(), Ok(()));
}

#[test]
fn a_long_batch_with_a_bogus_license_reports_both() {
    let mut items: Vec<_> = (0..21).map(|i| item(&format!("u-{i}"), Some(License::Basic))).collect();
    items[7].license_type = Some(License::from("Bogus"));
    let input = BatchUpdateUserInput::builder().account_id("a-1").update_user_request_items(items).build().unwrap();
    let found = violations(input.validate());
    assert_eq!(
        found,
        [
            (
                "/UpdateUserRequestItems".to_owned(),
                "Value with length 21 at '/UpdateUserRequestItems' failed to satisfy constraint: Member must have length between 0 and 20, inclusive".to_owned()
            ),
            (
                "/UpdateUserRequestItems/7/LicenseType".to_owned(),
                "Value at '/UpdateUserRequestItems/7/LicenseType' failed to satisfy constraint: Member must satisfy enum value set: [Basic, Plus, Pro, ProTrial]".to_owned()
            ),
        ]
    );
    let summary = input.validate().unwrap_err().to_string();
    assert!(summary.starts_with("2 validation errors detected. Value with length 21"), "{summary}");
}

#[test]
fn names_are_counted_in_code_points() {
    let named = |name: String| CreateAccountInput::builder().name(name).build().unwrap();
    assert_eq!(named("😀".repeat(100)).validate(), Ok(()));
    let found = violations(named("😀".repeat(101)).validate());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "/Name");
    assert!(found[0].1.starts_with("Value with length 101 at '/Name'"), "{found:?}");
}

#[test]
fn a_blank_name_breaks_the_pattern_and_an_empty_one_both_rules() {
    let found = violations(CreateAccountInput::builder().name("   ").build().unwrap().validate());
    assert_eq!(
        found,
        [(
            "/Name".to_owned(),
            "Value at '/Name' failed to satisfy constraint: Member must satisfy regular expression pattern: \\S"
                .to_owned()
        )]
    );
    assert_eq!(violations(CreateAccountInput::builder().name(String::new()).build().unwrap().validate()).len(), 2);
}

#[test]
fn labels_are_validated_under_their_member_name() {
    let input = UpdateAccountInput::builder().account_id(" ").build().unwrap();
    let found = violations(input.validate());
    assert_eq!(found[0].0, "/AccountId");
}
