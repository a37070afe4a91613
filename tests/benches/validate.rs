//! `validate()` on Chime inputs: the success path (which should allocate nothing) and a
//! failing input whose violations are rendered. Run with `cargo bench -p integration-tests`.

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use chime::types::{BatchUpdateUserInput, License, UpdateUserRequestItem, UserType};
use criterion::{criterion_group, criterion_main, Criterion};

fn batch(items: usize) -> BatchUpdateUserInput {
    BatchUpdateUserInput::builder()
        .account_id("12a3456b-7c89-012d-3456-78901e23fg45")
        .update_user_request_items(
            (0..items)
                .map(|i| {
                    UpdateUserRequestItem::builder()
                        .user_id(format!("1ab2345c-67de-8901-f23g-45h678901j{i:05}"))
                        .license_type(License::Pro)
                        .user_type(UserType::PrivateUser)
                        .build()
                        .unwrap()
                })
                .collect(),
        )
        .build()
        .unwrap()
}

fn validate(c: &mut Criterion) {
    let valid = batch(20);
    assert!(valid.validate().is_ok());
    c.bench_function("BatchUpdateUser 20 items, valid", |b| b.iter(|| black_box(&valid).validate()));

    let mut invalid = batch(21);
    invalid.update_user_request_items[3].license_type = Some(License::from("Bogus"));
    invalid.update_user_request_items[5].user_id = " ".into();
    assert_eq!(invalid.validate().unwrap_err().violations.len(), 3);
    c.bench_function("BatchUpdateUser 21 items, 3 violations", |b| b.iter(|| black_box(&invalid).validate()));

    // A large input: ten thousand items, valid but for the list's length.
    let large = batch(10_000);
    assert_eq!(large.validate().unwrap_err().violations.len(), 1);
    c.bench_function("BatchUpdateUser 10000 items, 1 violation", |b| b.iter(|| black_box(&large).validate()));
}

criterion_group!(benches, validate);
criterion_main!(benches);
