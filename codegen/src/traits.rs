//! Traits: every trait kept as JSON by its ID, and the ones the generator acts on read into
//! typed form once, with a located problem for a value of the wrong form.

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::problem::{path, Sink};
use crate::shape_id::ShapeId;

pub mod waitable;

/// Absolute IDs of the traits the generator understands.
pub mod ids {
    #![allow(missing_docs)]
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const JSON_NAME: &str = "smithy.api#jsonName";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const ENUM: &str = "smithy.api#enum";
    pub const ERROR: &str = "smithy.api#error";
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    pub const HTTP: &str = "smithy.api#http";
    pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
    pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
    pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
    pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
    pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
    pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
    pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
    pub const LENGTH: &str = "smithy.api#length";
    pub const PATTERN: &str = "smithy.api#pattern";
    pub const RANGE: &str = "smithy.api#range";
    pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const BOX: &str = "smithy.api#box";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
    pub const ENDPOINT: &str = "smithy.api#endpoint";
    pub const HOST_LABEL: &str = "smithy.api#hostLabel";
    pub const INPUT: &str = "smithy.api#input";
    pub const OUTPUT: &str = "smithy.api#output";
    pub const UNIT_TYPE: &str = "smithy.api#unitType";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const TITLE: &str = "smithy.api#title";
    pub const AWS_SERVICE: &str = "aws.api#service";
    pub const SIGV4: &str = "aws.auth#sigv4";
    pub const REST_JSON1: &str = "aws.protocols#restJson1";
    pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
    pub const INTERNAL: &str = "smithy.api#internal";
    pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
    pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
    pub const PAGINATED: &str = "smithy.api#paginated";
    pub const WAITABLE: &str = "smithy.waiters#waitable";
}

/// The `@timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TimestampFormat {
    /// RFC 3339, `2019-12-16T23:48:18Z`.
    #[serde(rename = "date-time")]
    DateTime,
    /// RFC 7231, `Mon, 16 Dec 2019 23:48:18 GMT`.
    #[serde(rename = "http-date")]
    HttpDate,
    /// Seconds since the Unix epoch, a number.
    #[serde(rename = "epoch-seconds")]
    EpochSeconds,
}

/// The `@error` values: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// The caller sent something wrong (4xx).
    Client,
    /// The service failed (5xx).
    Server,
}

/// `@http`: how an operation is bound to HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// The method, such as `POST`.
    pub method: String,
    /// The URI pattern, with `{Label}` and `{Greedy+}` labels and an optional query part.
    pub uri: String,
    /// The status code of a successful response.
    #[serde(default = "default_http_code")]
    pub code: u16,
}

fn default_http_code() -> u16 {
    200
}

/// One segment of an `@http` URI pattern's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// `{Name}`, or `{Name+}` when greedy.
    Label {
        /// The label's name: the `@httpLabel` member's name.
        name: String,
        /// Whether it spans segments.
        greedy: bool,
    },
}

impl Http {
    /// The path's segments, without the empty one before the leading slash.
    pub fn path_segments(&self) -> Vec<PathSegment> {
        let path = self.uri.split('?').next().unwrap_or_default();
        let path = path.strip_prefix('/').unwrap_or(path);
        if path.is_empty() {
            return Vec::new();
        }
        path.split('/')
            .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => match label.strip_suffix('+') {
                    Some(name) => PathSegment::Label { name: name.to_owned(), greedy: true },
                    None => PathSegment::Label { name: label.to_owned(), greedy: false },
                },
                None => PathSegment::Literal(segment.to_owned()),
            })
            .collect()
    }

    /// The pattern's literal query parameters: `?operation=create` or a bare `?list`.
    pub fn query_literals(&self) -> Vec<(String, Option<String>)> {
        let Some((_, query)) = self.uri.split_once('?') else { return Vec::new() };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => (key.to_owned(), Some(value.to_owned())),
                None => (pair.to_owned(), None),
            })
            .collect()
    }
}

/// `@length`: bounds on a length or a count, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    /// The smallest allowed.
    pub min: Option<u64>,
    /// The largest allowed.
    pub max: Option<u64>,
}

/// `@range`: bounds on a number, inclusive. Kept as JSON numbers so big ones lose nothing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// The smallest allowed.
    pub min: Option<serde_json::Number>,
    /// The largest allowed.
    pub max: Option<serde_json::Number>,
}

/// One entry of the Smithy 1.0 `@enum` trait.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDefinition {
    /// The value on the wire.
    pub value: String,
    /// The constant's name, when the model gives one.
    pub name: Option<String>,
    /// Documentation for the value.
    pub documentation: Option<String>,
    /// Tags; kept for completeness.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether the value is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// `@endpoint`: a host prefix for an operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The prefix, with `{Label}` placeholders bound by `@hostLabel` members.
    #[serde(rename = "hostPrefix")]
    pub host_prefix: String,
}

/// `@paginated`, on an operation or (as defaults for its operations) on a service. Every
/// property is a member name of the input (`inputToken`, `pageSize`) or a path of member
/// names through the output (`outputToken`, `items`, such as `Result.NextToken`). Other
/// properties are ignored: AWS's opensearchserverless model has a `maxResults` Smithy does
/// not define.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paginated {
    /// The input member that carries the token of the page wanted.
    pub input_token: Option<String>,
    /// Where the output holds the token of the next page.
    pub output_token: Option<String>,
    /// Where the output holds the page's items.
    pub items: Option<String>,
    /// The input member that limits a page's size.
    pub page_size: Option<String>,
}

/// `aws.api#service`: the names an AWS service is known by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AwsService {
    /// The SDK's name for the service, such as `Chime`.
    #[serde(rename = "sdkId")]
    pub sdk_id: String,
    /// The endpoint prefix, such as `chime`.
    #[serde(rename = "endpointPrefix")]
    pub endpoint_prefix: Option<String>,
}

/// `aws.auth#sigv4`: the service signs requests with SigV4.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Sigv4 {
    /// The signing name, such as `chime`.
    pub name: String,
}

/// The value of `@enumValue`: a string for enums, an integer for intEnums.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum EnumValue {
    /// An `enum` member's value.
    String(String),
    /// An `intEnum` member's value.
    Int(i32),
}

/// The traits the generator acts on, typed.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)] // each field is the trait of the same name
pub struct Known {
    pub documentation: Option<String>,
    pub required: bool,
    pub default: Option<Value>,
    pub client_optional: bool,
    pub sensitive: bool,
    pub json_name: Option<String>,
    pub timestamp_format: Option<TimestampFormat>,
    pub enum_value: Option<EnumValue>,
    pub legacy_enum: Option<Vec<EnumDefinition>>,
    pub error: Option<Fault>,
    pub http_error: Option<u16>,
    pub http: Option<Http>,
    pub http_label: bool,
    pub http_query: Option<String>,
    pub http_query_params: bool,
    pub http_header: Option<String>,
    pub http_prefix_headers: Option<String>,
    pub http_payload: bool,
    pub http_response_code: bool,
    pub length: Option<Length>,
    pub pattern: Option<String>,
    pub range: Option<Range>,
    pub unique_items: bool,
    pub sparse: bool,
    pub boxed: bool,
    pub mixin: bool,
    pub streaming: bool,
    pub idempotency_token: bool,
    pub endpoint: Option<Endpoint>,
    pub host_label: bool,
    pub unit_type: bool,
    pub deprecated: bool,
    pub title: Option<String>,
    pub aws_service: Option<AwsService>,
    pub sigv4: Option<Sigv4>,
    pub rest_json1: bool,
    pub paginated: Option<Paginated>,
    pub waitable: Option<waitable::Waitable>,
}

impl Known {
    /// Whether these are the traits of a member that travels outside the JSON body: in the
    /// URI, the query, a header, or as the status code. (`@httpPayload` is the body itself.)
    pub fn binds_outside_body(&self) -> bool {
        self.http_label
            || self.http_query.is_some()
            || self.http_query_params
            || self.http_header.is_some()
            || self.http_prefix_headers.is_some()
            || self.http_response_code
    }
}

/// A shape's or member's traits: all of them as JSON, and the known ones typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits {
    /// Every trait by absolute ID, in the order written.
    pub raw: IndexMap<String, Value>,
    /// The known traits, filled in by [`Traits::type_known`]. Boxed: it is large, and
    /// every member carries one.
    pub known: Box<Known>,
}

impl Traits {
    /// Traits from their JSON, not yet typed.
    pub fn from_raw(raw: IndexMap<String, Value>) -> Self {
        Self { raw, known: Box::default() }
    }

    /// Whether a trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.raw.contains_key(id)
    }

    /// Reads the known traits into [`Known`], reporting each malformed value at its path
    /// under `owner_path`.
    pub fn type_known(&mut self, owner: &ShapeId, owner_path: &str, sink: &mut Sink) {
        let mut reader = Reader { raw: &self.raw, owner, owner_path, sink };
        *self.known = Known {
            documentation: reader.value(ids::DOCUMENTATION),
            required: reader.annotation(ids::REQUIRED),
            default: self.raw.get(ids::DEFAULT).cloned(),
            client_optional: reader.annotation(ids::CLIENT_OPTIONAL),
            sensitive: reader.annotation(ids::SENSITIVE),
            json_name: reader.value(ids::JSON_NAME),
            timestamp_format: reader.value(ids::TIMESTAMP_FORMAT),
            enum_value: reader.value(ids::ENUM_VALUE),
            legacy_enum: reader.value(ids::ENUM),
            error: reader.value(ids::ERROR),
            http_error: reader.value(ids::HTTP_ERROR),
            http: reader.value(ids::HTTP),
            http_label: reader.annotation(ids::HTTP_LABEL),
            http_query: reader.value(ids::HTTP_QUERY),
            http_query_params: reader.annotation(ids::HTTP_QUERY_PARAMS),
            http_header: reader.value(ids::HTTP_HEADER),
            http_prefix_headers: reader.value(ids::HTTP_PREFIX_HEADERS),
            http_payload: reader.annotation(ids::HTTP_PAYLOAD),
            http_response_code: reader.annotation(ids::HTTP_RESPONSE_CODE),
            length: reader.value(ids::LENGTH),
            pattern: reader.value(ids::PATTERN),
            range: reader.value(ids::RANGE),
            unique_items: reader.annotation(ids::UNIQUE_ITEMS),
            sparse: reader.annotation(ids::SPARSE),
            boxed: reader.annotation(ids::BOX),
            mixin: reader.annotation(ids::MIXIN),
            streaming: reader.annotation(ids::STREAMING),
            idempotency_token: reader.annotation(ids::IDEMPOTENCY_TOKEN),
            endpoint: reader.value(ids::ENDPOINT),
            host_label: reader.annotation(ids::HOST_LABEL),
            unit_type: reader.annotation(ids::UNIT_TYPE),
            deprecated: reader.annotation(ids::DEPRECATED),
            title: reader.value(ids::TITLE),
            aws_service: reader.value(ids::AWS_SERVICE),
            sigv4: reader.value(ids::SIGV4),
            rest_json1: reader.annotation(ids::REST_JSON1),
            paginated: reader.value(ids::PAGINATED),
            waitable: reader.value(ids::WAITABLE),
        };
    }
}

/// Reads typed trait values out of a raw trait map, reporting the malformed ones.
struct Reader<'a> {
    raw: &'a IndexMap<String, Value>,
    owner: &'a ShapeId,
    owner_path: &'a str,
    sink: &'a mut Sink,
}

impl Reader<'_> {
    /// A trait with a value: `None` when absent, or when malformed (and then reported).
    fn value<T: DeserializeOwned>(&mut self, id: &str) -> Option<T> {
        let value = self.raw.get(id)?;
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(typed) => Some(typed),
            Err(error) => {
                let mut at = path::on_trait(self.owner_path, id);
                let inner = error.path().to_string();
                if inner != "." {
                    at = format!("{at}.{inner}");
                }
                self.sink.report(
                    Some(self.owner),
                    at,
                    format!("trait {id} has a malformed value: {}", error.into_inner()),
                );
                None
            }
        }
    }

    /// An annotation trait, whose value must be an object (usually `{}`); some properties
    /// are allowed (such as `@deprecated`'s message), so only the JSON type is checked.
    fn annotation(&mut self, id: &str) -> bool {
        match self.raw.get(id) {
            None => false,
            Some(Value::Object(_)) => true,
            Some(other) => {
                self.sink.report(
                    Some(self.owner),
                    path::on_trait(self.owner_path, id),
                    format!("trait {id} is an annotation and takes an object such as {{}}, not {other}"),
                );
                false
            }
        }
    }
}
