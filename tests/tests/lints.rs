//! The shapes behind the two lints the AWS corpus showed in generated code
//! (tests/fixtures/models/lints.json): required `@httpQuery` lists and headers (as every
//! UntagResource has) and maps whose keys or values alone have constraints. The crate is a
//! workspace member, so clippy -D warnings checks it; these tests check it behaves.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fixture_lints::error::{TagResourceError, UntagResourceError};
use fixture_lints::server::{server, ServerConfig};
use fixture_lints::service::Lints;
use fixture_lints::types::*;
use http_body_util::{BodyExt, Full};
use tower::ServiceExt;

/// Keeps the last untag request's keys.
#[derive(Default, Clone)]
struct Tags(Arc<Mutex<Vec<String>>>);

impl Lints for Tags {
    async fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, UntagResourceError> {
        *self.0.lock().unwrap() = input.tag_keys;
        Ok(UntagResourceOutput::builder().build())
    }

    async fn tag_resource(&self, _: TagResourceInput) -> Result<TagResourceOutput, TagResourceError> {
        Ok(TagResourceOutput::builder().build())
    }
}

async fn send(service: Tags, request: http::Request<Full<Bytes>>) -> (u16, String) {
    let response = server(service, ServerConfig::new()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn a_required_query_list_is_read() {
    let tags = Tags::default();
    let request = http::Request::delete("/tags/arn1?tagKeys=a&tagKeys=b").header("x-token", "t");
    let (status, body) = send(tags.clone(), request.body(Full::default()).unwrap()).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(*tags.0.lock().unwrap(), ["a", "b"]);
}

#[tokio::test]
async fn missing_required_query_lists_and_headers_are_each_reported() {
    let request = http::Request::delete("/tags/arn1").body(Full::default()).unwrap();
    let (status, body) = send(Tags::default(), request).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("2 validation errors detected"), "{body}");
    assert!(body.contains("Value at '/tagKeys' failed to satisfy constraint: Member must not be null"), "{body}");
    assert!(body.contains("Value at '/token' failed to satisfy constraint: Member must not be null"), "{body}");
}

#[tokio::test]
async fn a_map_checks_only_what_has_constraints() {
    let tags: BTreeMap<&str, &str> = [("much-too-long-key", "any value at all")].into();
    let notes: BTreeMap<&str, &str> = [("any key at all", "much-too-long-value")].into();
    let body = serde_json::json!({"tags": tags, "notes": notes}).to_string();
    let request = http::Request::post("/tags/arn1").header("content-type", "application/json");
    let (status, body) = send(Tags::default(), request.body(Full::new(Bytes::from(body))).unwrap()).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("2 validation errors detected"), "{body}");
    assert!(body.contains("Value with length 17 at '/tags' failed"), "{body}");
    assert!(body.contains("Value with length 19 at '/notes/any key at all' failed"), "{body}");
}
