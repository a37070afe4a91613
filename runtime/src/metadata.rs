//! What a response says about itself beyond the operation's members: the request ID the
//! service gave it and its HTTP status. The generated client keeps both on every output and
//! every error it reads, as [`ResponseMetadata`], reached through the [`RequestId`] trait.

use std::fmt;
use std::hash::{Hash, Hasher};

use http::HeaderMap;

/// The headers a service names its request ID in: AWS's JSON and CBOR protocols use the
/// first; S3 and some older services the second.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-amzn-requestid", "x-amz-request-id"];

/// The request ID and HTTP status of the response an output or error was read from; empty
/// for one a program built itself (a server's handler, a test).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ResponseMetadata {
    request_id: Option<String>,
    http_status: Option<u16>,
}

impl ResponseMetadata {
    /// The metadata of a response with this status and these headers.
    pub fn from_response(status: u16, headers: &HeaderMap) -> Self {
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok())
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        Self { request_id, http_status: Some(status) }
    }

    /// The request ID the service gave the response (`x-amzn-requestid`), when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response's HTTP status; `None` for a value that did not come from a response.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }
}

/// The field of a generated output or error structure that holds its [`ResponseMetadata`].
///
/// It compares equal to any other and hashes to nothing, so that the metadata takes no part
/// in the structure's `==` and `Hash`: two outputs with the same members are equal whichever
/// request they came from, and an output read from the wire equals the one a test builds.
/// (`ResponseMetadata` itself compares as usual.)
#[derive(Clone, Default)]
pub struct ResponseMetadataField(ResponseMetadata);

impl ResponseMetadataField {
    /// The field of a value read from a response with this status and these headers.
    pub fn from_response(status: u16, headers: &HeaderMap) -> Self {
        Self(ResponseMetadata::from_response(status, headers))
    }

    /// The metadata it holds.
    pub fn get(&self) -> &ResponseMetadata {
        &self.0
    }
}

impl fmt::Debug for ResponseMetadataField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq for ResponseMetadataField {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ResponseMetadataField {}

impl Hash for ResponseMetadataField {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// An output or error that knows the response it came from: every operation output, error
/// structure and operation error enum of a generated crate, and
/// [`Unhandled`](crate::error::Unhandled).
///
/// A trait rather than inherent methods, because a model's structure may have a member named
/// `RequestId` whose accessor is `request_id()`: that accessor then wins for method-call
/// syntax, and `RequestId::request_id(&output)` still reaches the response's.
pub trait RequestId {
    /// The request ID and status of the response this was read from.
    fn response_metadata(&self) -> &ResponseMetadata;

    /// The request ID the service gave the response, when it gave one.
    fn request_id(&self) -> Option<&str> {
        self.response_metadata().request_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn the_request_id_comes_from_either_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(ResponseMetadata::from_response(200, &headers).request_id(), None);
        headers.insert("x-amz-request-id", HeaderValue::from_static("s3-style"));
        assert_eq!(ResponseMetadata::from_response(200, &headers).request_id(), Some("s3-style"));
        headers.insert("X-Amzn-RequestId", HeaderValue::from_static(" abc "));
        let metadata = ResponseMetadata::from_response(404, &headers);
        assert_eq!((metadata.request_id(), metadata.http_status()), (Some("abc"), Some(404)));
        assert_ne!(metadata, ResponseMetadata::default());
        let field = ResponseMetadataField::from_response(404, &headers);
        assert_eq!(field, ResponseMetadataField::default(), "the field never makes structures unequal");
        assert_eq!(format!("{field:?}"), format!("{metadata:?}"));
    }
}
