//! Reading Chime inputs from restJson1 requests: labels and body bound to members, every
//! missing required member and constraint violation reported together, malformed requests
//! told apart from invalid ones.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::types::{BatchUpdateUserInput, CreateAccountInput, License, UpdateAccountInput};
use serde_json::json;
use smithy_runtime::error::Rejection;
use smithy_runtime::router::Matched;
use smithy_runtime::server::RequestParts;

fn parts<'a>(matched: &'a Matched, uri: &'a http::Uri, headers: &'a http::HeaderMap) -> RequestParts<'a> {
    RequestParts::new(matched, uri, headers)
}

/// The headers of a request with a JSON body: the server refuses a body of another type.
fn json_headers() -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    headers
}

fn account_label() -> Matched {
    Matched { operation: 0, labels: vec![("AccountId", "a-1".to_owned())] }
}

fn items(count: usize) -> Vec<serde_json::Value> {
    (0..count).map(|i| json!({"UserId": format!("u-{i}"), "LicenseType": "Basic"})).collect()
}

#[test]
fn a_batch_of_21_with_a_missing_user_id_and_a_bogus_license_has_exactly_three_violations() {
    let mut batch = items(21);
    batch[4].as_object_mut().unwrap().remove("UserId");
    batch[9]["LicenseType"] = json!("Bogus");
    let body = serde_json::to_vec(&json!({"UpdateUserRequestItems": batch})).unwrap();
    let (matched, uri, headers) = (account_label(), "/accounts/a-1/users".parse().unwrap(), json_headers());
    let Err(Rejection::Invalid(errors)) = BatchUpdateUserInput::from_request(&parts(&matched, &uri, &headers), &body)
    else {
        panic!("the input should be invalid");
    };
    let paths: Vec<&str> = errors.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/UpdateUserRequestItems/4/UserId", "/UpdateUserRequestItems", "/UpdateUserRequestItems/9/LicenseType"]
    );
    assert_eq!(
        errors.violations[0].message,
        "Value at '/UpdateUserRequestItems/4/UserId' failed to satisfy constraint: Member must not be null"
    );
    assert!(errors.to_string().starts_with("3 validation errors detected. "), "{errors}");
}

#[test]
fn a_valid_request_binds_the_label_and_the_body() {
    let body = serde_json::to_vec(&json!({"Name": "Example3", "DefaultLicense": "Pro"})).unwrap();
    let (matched, uri, headers) = (account_label(), "/accounts/a-1".parse().unwrap(), json_headers());
    let input = UpdateAccountInput::from_request(&parts(&matched, &uri, &headers), &body).unwrap();
    assert_eq!(input.account_id, "a-1");
    assert_eq!(input.name.as_deref(), Some("Example3"));
    assert_eq!(input.default_license, Some(License::Pro));
}

#[test]
fn a_missing_required_top_level_member_and_null_are_violations() {
    let (matched, uri, headers) =
        (Matched { operation: 0, labels: vec![] }, "/accounts".parse().unwrap(), json_headers());
    for body in [&b"{}"[..], b"{\"Name\": null}", b""] {
        let Err(Rejection::Invalid(errors)) = CreateAccountInput::from_request(&parts(&matched, &uri, &headers), body)
        else {
            panic!("a missing Name should be invalid");
        };
        assert_eq!(errors.violations.len(), 1, "{errors}");
        assert_eq!(errors.violations[0].path, "/Name");
    }
}

#[test]
fn malformed_bodies_are_told_apart_from_invalid_ones() {
    let (matched, uri, headers) =
        (Matched { operation: 0, labels: vec![] }, "/accounts".parse().unwrap(), json_headers());
    for body in [&b"{\"Name\": "[..], b"[1, 2]", b"{\"Name\": 42}", b"not json"] {
        match CreateAccountInput::from_request(&parts(&matched, &uri, &headers), body) {
            Err(Rejection::Malformed(message)) => {
                assert!(message.starts_with("the request body is not valid"), "{message}")
            }
            other => panic!("{} should be malformed, got {other:?}", String::from_utf8_lossy(body)),
        }
    }
}

#[test]
fn an_empty_batch_is_valid_and_twenty_items_are_the_maximum() {
    let (matched, uri, headers) = (account_label(), "/accounts/a-1/users".parse().unwrap(), json_headers());
    for (count, valid) in [(0, true), (20, true), (21, false)] {
        let body = serde_json::to_vec(&json!({"UpdateUserRequestItems": items(count)})).unwrap();
        let result = BatchUpdateUserInput::from_request(&parts(&matched, &uri, &headers), &body);
        assert_eq!(result.is_ok(), valid, "{count} items: {result:?}");
    }
}

#[test]
fn a_body_nested_ten_thousand_levels_deep_is_malformed_not_a_crash() {
    let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (matched, uri, headers) = (account_label(), "/accounts/a-1/users".parse().unwrap(), json_headers());
    let result = BatchUpdateUserInput::from_request(&parts(&matched, &uri, &headers), body.as_bytes());
    assert!(matches!(result, Err(Rejection::Malformed(_))), "{result:?}");
    let nested = format!("{{\"UpdateUserRequestItems\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let result = BatchUpdateUserInput::from_request(&parts(&matched, &uri, &headers), nested.as_bytes());
    assert!(matches!(result, Err(Rejection::Malformed(_))), "{result:?}");
}

#[test]
fn a_json_body_without_application_json_is_an_unsupported_media_type() {
    let matched = Matched { operation: 0, labels: vec![] };
    let uri = "/accounts".parse().unwrap();
    let body = br#"{"Name": "x"}"#;
    for content_type in [None, Some("text/plain"), Some("application/hal+json"), Some("application/jsonx")] {
        let mut headers = http::HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(value));
        }
        let read = CreateAccountInput::from_request(&parts(&matched, &uri, &headers), body);
        assert!(matches!(read, Err(Rejection::UnsupportedMediaType(_))), "{content_type:?}: {read:?}");
    }
    for content_type in ["application/json", "application/json; charset=utf-8", "Application/JSON"] {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
        let read = CreateAccountInput::from_request(&parts(&matched, &uri, &headers), body);
        assert_eq!(read.unwrap().name, "x", "{content_type}");
    }
    // No body, no media type to check: an empty body reads as `{}`.
    let read = CreateAccountInput::from_request(&parts(&matched, &uri, &http::HeaderMap::new()), b"");
    assert!(matches!(read, Err(Rejection::Invalid(_))), "{read:?}");
}
