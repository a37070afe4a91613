//! Validators generated from tests/fixtures/models/constraints.json: one constraint trait per
//! member, on members and on targets, nested in lists, maps, unions and recursive structures.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;

use fixture_constraints::types::{CheckInput, Child, Color, Level, Shape};
use smithy_runtime::Blob;

fn valid() -> CheckInput {
    CheckInput::builder()
        .id("abc-12")
        .short_name("ab")
        .name("Ann")
        .code("AB12")
        .count(5)
        .ratio(0.5)
        .half(1)
        .big("999".parse().unwrap())
        .tags(vec!["a".into(), "b".into()])
        .labels(BTreeMap::from([("k".to_owned(), 1)]))
        .maybe_names(vec![None, Some("x".into())])
        .level(Level::High)
        .color(Color::Red)
        .shape(Shape::Label("sq".into()))
        .data(Blob::new(vec![1, 2]))
        .children(vec![Child::builder()
            .name("c")
            .children(vec![Child::builder().name("d").build().unwrap()])
            .build()
            .unwrap()])
        .build()
        .unwrap()
}

/// The paths of every violation of `input`.
fn paths(input: &CheckInput) -> Vec<String> {
    match input.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.violations.into_iter().map(|v| v.path).collect(),
    }
}

#[test]
fn the_valid_input_passes() {
    assert_eq!(paths(&valid()), Vec::<String>::new());
}

#[test]
fn a_member_trait_wins_over_the_target_trait() {
    let input = {
        let mut value = valid();
        value.short_name = Some("abcd".into());
        value
    };
    let errors = input.validate().unwrap_err();
    assert_eq!(errors.violations.len(), 1);
    assert!(errors.violations[0].message.contains("Member must have length less than or equal to 3"), "{errors}");
}

#[test]
fn json_names_and_label_names_make_the_path() {
    let input = {
        let mut value = valid();
        value.id = "ABC".into();
        value.name = Some(String::new());
        value
    };
    assert_eq!(paths(&input), ["/id", "/displayName"]);
}

#[test]
fn patterns_with_look_ahead() {
    assert_eq!(
        paths(&{
            let mut value = valid();
            value.code = Some("ABCD".into());
            value
        }),
        ["/code"]
    );
}

#[test]
fn ranges_on_integers_doubles_fractions_and_big_numbers() {
    let input = {
        let mut value = valid();
        value.count = Some(11);
        value.ratio = Some(f64::NAN);
        value.half = Some(0);
        value.big = Some("1001".parse().unwrap());
        value
    };
    assert_eq!(paths(&input), ["/count", "/ratio", "/half", "/big"]);
    assert_eq!(
        paths(&{
            let mut value = valid();
            value.ratio = Some(f64::INFINITY);
            value
        }),
        ["/ratio"]
    );
    assert_eq!(
        paths(&{
            let mut value = valid();
            value.count = Some(1);
            value.ratio = Some(1.0);
            value
        }),
        Vec::<String>::new()
    );
}

#[test]
fn lists_check_count_uniqueness_and_items() {
    let input = {
        let mut value = valid();
        value.tags = Some(vec!["a".into(), "a".into(), "b".into(), "toolong".into()]);
        value
    };
    let errors = input.validate().unwrap_err();
    let found: Vec<_> = errors.violations.iter().map(|v| (v.path.as_str(), v.message.as_str())).collect();
    assert_eq!(found[0].0, "/tags");
    assert!(found[0].1.starts_with("Value with length 4 at '/tags'"), "{errors}");
    assert!(
        found[1].1.starts_with("Value at '/tags' failed to satisfy constraint: Member must have unique values"),
        "{errors}"
    );
    assert_eq!(found[2].0, "/tags/3");
    assert_eq!(found.len(), 3);
}

#[test]
fn map_keys_are_checked_at_the_map_path_and_values_under_the_key() {
    let input = {
        let mut value = valid();
        value.labels = Some(BTreeMap::from([("toolong".to_owned(), -1)]));
        value
    };
    assert_eq!(paths(&input), ["/labels", "/labels/toolong"]);
}

#[test]
fn sparse_nulls_are_skipped_and_items_checked() {
    let input = {
        let mut value = valid();
        value.maybe_names = Some(vec![None, Some(String::new())]);
        value
    };
    assert_eq!(paths(&input), ["/maybeNames/1"]);
}

#[test]
fn unknown_enum_and_int_enum_values_are_violations() {
    let input = {
        let mut value = valid();
        value.level = Some(Level::from(7));
        value.color = Some(Color::from("blue"));
        value
    };
    let errors = input.validate().unwrap_err();
    assert_eq!(
        errors.violations[0].message,
        "Value at '/level' failed to satisfy constraint: Member must satisfy enum value set: [1, 2]"
    );
    assert_eq!(
        errors.violations[1].message,
        "Value at '/color' failed to satisfy constraint: Member must satisfy enum value set: [red, green]"
    );
}

#[test]
fn union_members_and_blobs_are_checked() {
    assert_eq!(
        paths(&{
            let mut value = valid();
            value.shape = Some(Shape::Circle(2.0));
            value
        }),
        ["/shape/circle"]
    );
    assert_eq!(
        paths(&{
            let mut value = valid();
            value.data = Some(Blob::new(vec![]));
            value
        }),
        ["/data"]
    );
}

#[test]
fn recursion_is_followed_to_any_depth() {
    let deep = Child::builder().name(String::new()).build().unwrap();
    let input = {
        let mut value = valid();
        value.children = Some(vec![Child::builder()
            .name("a")
            .children(vec![Child::builder().name("b").children(vec![deep]).build().unwrap()])
            .build()
            .unwrap()]);
        value
    };
    assert_eq!(paths(&input), ["/children/0/children/0/children/0/name"]);
}
