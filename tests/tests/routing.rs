//! Routing on the full Chime API: every one of its 62 routes (tests/fixtures/models/routing.json,
//! extracted from the real model) goes to its own operation, including the routes that differ
//! only by a `?operation=` literal; a wrong method is 405 and an unknown path 404.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use fixture_routing::server::operation_for;
use http::{Method, Uri};
use smithy_runtime::router::RouteError;

/// (operation, method, URI pattern) for every operation of the fixture model.
fn routes() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/models/routing.json")).unwrap();
    let model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut routes = Vec::new();
    for (id, shape) in model["shapes"].as_object().unwrap() {
        if shape["type"] == "operation" {
            let http = &shape["traits"]["smithy.api#http"];
            let name = id.split('#').nth(1).unwrap().to_owned();
            routes.push((name, http["method"].as_str().unwrap().to_owned(), http["uri"].as_str().unwrap().to_owned()));
        }
    }
    routes
}

/// A request URI for a pattern: each label filled with a value that needs percent-encoding.
fn concrete(pattern: &str) -> String {
    let mut uri = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        uri.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        let label = &rest[open + 1..close];
        uri.push_str(&format!("{}%20x%2Fy", label.trim_end_matches('+')));
        rest = &rest[close + 1..];
    }
    uri.push_str(rest);
    uri
}

#[test]
fn every_route_of_the_full_model_reaches_its_operation() {
    let routes = routes();
    assert_eq!(routes.len(), 62);
    // 17 `?operation=` literals and `/search?type=phone-numbers`.
    let with_literal = routes.iter().filter(|(_, _, uri)| uri.contains('?')).count();
    assert_eq!(with_literal, 18, "the model's routes with a query literal");
    for (name, method, pattern) in &routes {
        let uri: Uri = concrete(pattern).parse().unwrap();
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        assert_eq!(operation_for(&method, &uri), Ok(name.as_str()), "{method} {uri}");
    }
}

#[test]
fn look_alike_uris_are_told_apart_by_their_query_literal() {
    let route = |method: Method, uri: &str| operation_for(&method, &uri.parse().unwrap());
    assert_eq!(route(Method::POST, "/accounts/A/users?operation=create"), Ok("CreateUser"));
    assert_eq!(route(Method::POST, "/accounts/A/users"), Ok("BatchUpdateUser"));
    assert_eq!(route(Method::POST, "/accounts/A/users?x=1&operation=create"), Ok("CreateUser"));
    assert_eq!(route(Method::POST, "/accounts/A/users?operation=suspend"), Ok("BatchSuspendUser"));
    assert_eq!(route(Method::POST, "/accounts/A/users/U?operation=logout"), Ok("LogoutUser"));
    assert_eq!(route(Method::POST, "/accounts/A/users/U"), Ok("UpdateUser"));
    assert_eq!(route(Method::POST, "/accounts/A"), Ok("UpdateAccount"));
    assert_eq!(route(Method::GET, "/accounts/A"), Ok("GetAccount"));
    assert_eq!(route(Method::DELETE, "/accounts/A"), Ok("DeleteAccount"));
}

#[test]
fn a_wrong_method_is_405_and_an_unknown_path_404() {
    let route = |method: Method, uri: &str| operation_for(&method, &uri.parse().unwrap());
    assert_eq!(route(Method::PATCH, "/accounts/A"), Err(RouteError::MethodNotAllowed));
    assert_eq!(route(Method::PUT, "/accounts"), Err(RouteError::MethodNotAllowed));
    assert_eq!(route(Method::GET, "/nothing"), Err(RouteError::NotFound));
    assert_eq!(route(Method::GET, "/accounts/A/users/U/extra/segments"), Err(RouteError::NotFound));
    assert_eq!(route(Method::GET, "/accounts//users"), Err(RouteError::NotFound));
}
