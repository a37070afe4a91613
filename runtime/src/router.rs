//! Routing requests to operations. restJson1 routes by method, by the `@http` URI pattern's
//! literal segments, labels and greedy labels (percent-decoded per segment), and by the
//! literal query parameters a URI may carry (`/accounts/{AccountId}/users?operation=create`).
//! Routes are tried most specific first, so a route with a query literal wins over the same
//! path without one. awsJson routes by `X-Amz-Target` (see [`crate::protocol::aws_json`]).

use std::borrow::Cow;

use http::Method;
use percent_encoding::percent_decode_str;

use crate::protocol::aws_json::Targets;
use crate::protocol::Protocol;

/// One segment of a URI pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Must equal the request's segment.
    Literal(&'static str),
    /// `{Name}`: one non-empty segment, bound to the member whose `@httpLabel` is `Name`.
    Label(&'static str),
    /// `{Name+}`: one or more segments, slashes kept.
    Greedy(&'static str),
}

/// A literal query parameter of a URI pattern: `?operation=create` or `?list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLiteral {
    /// The parameter name.
    pub key: &'static str,
    /// The value it must have, or `None` when it must only be present.
    pub value: Option<&'static str>,
}

/// An operation's route: the generator writes one per operation from its `@http` trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path pattern's segments.
    pub path: &'static [Segment],
    /// The pattern's literal query parameters.
    pub query: &'static [QueryLiteral],
}

impl Route {
    /// How specific the route is: literal segments and query literals count; a greedy label
    /// counts against.
    fn specificity(&self) -> (usize, usize, std::cmp::Reverse<usize>) {
        let literals = self.path.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let greedy = self.path.iter().filter(|s| matches!(s, Segment::Greedy(_))).count();
        (literals + self.query.len(), self.path.len(), std::cmp::Reverse(greedy))
    }
}

/// A request routed to an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The index of the operation's route in the table the router was built from.
    pub operation: usize,
    /// Label names to their percent-decoded values.
    pub labels: Vec<(&'static str, String)>,
}

impl Matched {
    /// The value of label `name`.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// Why a request matched no operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// No route has this path and query.
    NotFound,
    /// A route has this path and query, but not this method.
    MethodNotAllowed,
    /// A label is not valid percent-encoded UTF-8.
    BadLabel(String),
    /// An RPC protocol's request names no operation of the service (awsJson's missing or
    /// unknown `X-Amz-Target`); the text says what it named.
    UnknownTarget(String),
}

/// How a service's requests find their operation, and the protocol each is answered in.
#[derive(Debug, Clone)]
pub struct Router {
    table: Table,
}

/// The routing table of the service's protocols.
#[derive(Debug, Clone)]
enum Table {
    /// restJson1's URI patterns, ordered most specific first.
    Http(Vec<(usize, Route)>),
    /// The RPC protocols' operation names (awsJson's `X-Amz-Target`, rpcv2Cbor's path), for
    /// each protocol the service speaks, in the model's order.
    Rpc(&'static [Protocol], Targets),
}

impl Router {
    /// A restJson1 router over `routes`; `Matched::operation` is an index into this slice.
    pub fn new(routes: &[Route]) -> Self {
        let mut routes: Vec<(usize, Route)> = routes.iter().copied().enumerate().collect();
        // Stable: equally specific routes keep the generator's (sorted) order.
        routes.sort_by_key(|(_, route)| std::cmp::Reverse(route.specificity()));
        Self { table: Table::Http(routes) }
    }

    /// A router of a service that speaks the RPC `protocols` (awsJson1_0, awsJson1_1,
    /// rpcv2Cbor; the first is the one answers are in when a request says none): a request
    /// with `smithy-protocol` is rpcv2Cbor's, one with `X-Amz-Target` awsJson's.
    pub fn rpc(protocols: &'static [Protocol], targets: Targets) -> Self {
        Self { table: Table::Rpc(protocols, targets) }
    }

    /// The protocol the service speaks first, in which it answers what it cannot tell apart.
    pub fn protocol(&self) -> Protocol {
        match &self.table {
            Table::Http(_) => Protocol::RestJson1,
            Table::Rpc(protocols, _) => protocols.first().copied().unwrap_or_default(),
        }
    }

    /// The protocol a request is in, by the headers that tell the protocols apart; the
    /// service's first when none says.
    pub fn protocol_for(&self, headers: &http::HeaderMap) -> Protocol {
        let Table::Rpc(protocols, _) = &self.table else { return Protocol::RestJson1 };
        let says = |protocol: &&Protocol| match protocol {
            Protocol::RpcV2Cbor => headers.contains_key(crate::protocol::rpc_v2_cbor::PROTOCOL_HEADER),
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
                headers.contains_key(crate::protocol::aws_json::TARGET_HEADER)
            }
            Protocol::RestJson1 => false,
        };
        protocols.iter().find(says).copied().unwrap_or_else(|| self.protocol())
    }

    /// Finds the operation for a request in `protocol` (see [`Router::protocol_for`]):
    /// `query` is the request's query, already parsed.
    pub fn route_request(
        &self,
        head: &http::request::Parts,
        query: &[(Cow<'_, str>, Cow<'_, str>)],
    ) -> Result<Matched, RouteError> {
        match &self.table {
            Table::Http(_) => self.route_parsed(&head.method, head.uri.path(), query),
            Table::Rpc(_, targets) => match self.protocol_for(&head.headers) {
                Protocol::RpcV2Cbor => {
                    crate::protocol::rpc_v2_cbor::route(targets, &head.method, head.uri.path(), &head.headers)
                }
                _ => targets.route(&head.method, head.uri.path(), &head.headers),
            },
        }
    }

    /// Finds the operation for a request.
    pub fn route(&self, method: &Method, path: &str, query: Option<&str>) -> Result<Matched, RouteError> {
        self.route_parsed(method, path, &query.map(parse_query).unwrap_or_default())
    }

    /// Finds the operation for a request whose query the caller has already parsed (the
    /// server parses it once, for routing and for binding).
    pub fn route_parsed(
        &self,
        method: &Method,
        path: &str,
        query: &[(Cow<'_, str>, Cow<'_, str>)],
    ) -> Result<Matched, RouteError> {
        let Table::Http(routes) = &self.table else {
            // An RPC protocol has one path for every operation; its header decides.
            return Err(RouteError::NotFound);
        };
        let segments: Vec<&str> = split_path(path);
        let mut method_mismatch = false;
        for (index, route) in routes {
            if !query_matches(route.query, query) {
                continue;
            }
            let Some(raw_labels) = match_path(route.path, &segments) else { continue };
            if route.method != method.as_str() {
                method_mismatch = true;
                continue;
            }
            let mut labels = Vec::with_capacity(raw_labels.len());
            for (name, raw) in raw_labels {
                let value = percent_decode_str(&raw)
                    .decode_utf8()
                    .map_err(|_| RouteError::BadLabel(format!("label {name} is not valid percent-encoded UTF-8")))?;
                labels.push((name, value.into_owned()));
            }
            return Ok(Matched { operation: *index, labels });
        }
        Err(if method_mismatch { RouteError::MethodNotAllowed } else { RouteError::NotFound })
    }
}

/// A path's segments without the leading slash; `/` alone has none.
fn split_path(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// A query string's parameters, percent-decoded (`+` is a space, as forms encode it).
pub fn parse_query(query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_query_part(key), decode_query_part(value))
        })
        .collect()
}

fn decode_query_part(part: &str) -> Cow<'_, str> {
    if !part.contains(['%', '+']) {
        return Cow::Borrowed(part);
    }
    let spaced = part.replace('+', " ");
    Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
}

fn query_matches(literals: &[QueryLiteral], query: &[(Cow<'_, str>, Cow<'_, str>)]) -> bool {
    literals.iter().all(|literal| {
        query.iter().any(|(key, value)| key == literal.key && literal.value.is_none_or(|expected| value == expected))
    })
}

/// Matches path segments against a pattern, returning each label's raw (still encoded)
/// value. A greedy label takes as many segments as leaves the rest of the pattern matching.
/// Labels borrow from the path (a greedy one is joined only when it spans segments), so a
/// route that does not match, or one refused for its method, costs no allocation.
fn match_path<'p>(pattern: &[Segment], segments: &[&'p str]) -> Option<Vec<(&'static str, Cow<'p, str>)>> {
    let mut labels = Vec::new();
    let mut at = 0;
    for (i, segment) in pattern.iter().enumerate() {
        match segment {
            Segment::Literal(text) => {
                if !literal_matches(segments.get(at)?, text) {
                    return None;
                }
                at += 1;
            }
            Segment::Label(name) => {
                let actual = segments.get(at).filter(|s| !s.is_empty())?;
                labels.push((*name, Cow::Borrowed(*actual)));
                at += 1;
            }
            Segment::Greedy(name) => {
                let rest = pattern.len() - i - 1;
                let end = segments.len().checked_sub(rest)?;
                if end <= at {
                    return None;
                }
                let taken = match &segments[at..end] {
                    [one] => Cow::Borrowed(*one),
                    many => Cow::Owned(many.join("/")),
                };
                if taken.is_empty() {
                    return None;
                }
                labels.push((*name, taken));
                at = end;
            }
        }
    }
    (at == segments.len()).then_some(labels)
}

/// Whether a request's path segment, percent-decoded, is the pattern's literal; a segment
/// with nothing to decode is compared as it is.
fn literal_matches(actual: &str, literal: &str) -> bool {
    if actual.contains('%') {
        percent_decode_str(actual).decode_utf8().is_ok_and(|decoded| decoded == literal)
    } else {
        actual == literal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[Route] = &[
        Route {
            method: "POST",
            path: &[Segment::Literal("accounts"), Segment::Label("AccountId"), Segment::Literal("users")],
            query: &[],
        },
        Route {
            method: "POST",
            path: &[Segment::Literal("accounts"), Segment::Label("AccountId"), Segment::Literal("users")],
            query: &[QueryLiteral { key: "operation", value: Some("create") }],
        },
        Route { method: "GET", path: &[Segment::Literal("accounts"), Segment::Label("AccountId")], query: &[] },
        Route {
            method: "GET",
            path: &[Segment::Literal("files"), Segment::Greedy("Key"), Segment::Literal("meta")],
            query: &[],
        },
        Route { method: "GET", path: &[], query: &[] },
    ];

    fn route(method: &str, path: &str, query: Option<&str>) -> Result<Matched, RouteError> {
        Router::new(ROUTES).route(&method.parse().unwrap(), path, query)
    }

    #[test]
    fn a_query_literal_makes_a_route_more_specific() {
        assert_eq!(route("POST", "/accounts/a-1/users", Some("operation=create")).unwrap().operation, 1);
        assert_eq!(route("POST", "/accounts/a-1/users", None).unwrap().operation, 0);
        assert_eq!(route("POST", "/accounts/a-1/users", Some("operation=other")).unwrap().operation, 0);
    }

    #[test]
    fn labels_are_percent_decoded_per_segment() {
        let matched = route("GET", "/accounts/a%2Fb%20c", None).unwrap();
        assert_eq!(matched.label("AccountId"), Some("a/b c"));
        assert_eq!(
            route("GET", "/accounts/%FF", None),
            Err(RouteError::BadLabel("label AccountId is not valid percent-encoded UTF-8".into()))
        );
    }

    #[test]
    fn greedy_labels_span_segments() {
        let matched = route("GET", "/files/a/b/c.txt/meta", None).unwrap();
        assert_eq!((matched.operation, matched.label("Key")), (3, Some("a/b/c.txt")));
        assert_eq!(route("GET", "/files/meta", None), Err(RouteError::NotFound));
        let matched = route("GET", "/files/one%20file/meta", None).unwrap();
        assert_eq!(matched.label("Key"), Some("one file"), "a greedy label over one segment is decoded too");
    }

    #[test]
    fn literal_segments_match_percent_encoded() {
        assert_eq!(route("GET", "/%61ccounts/a-1", None).unwrap().operation, 2);
        assert_eq!(route("GET", "/%FFccounts/a-1", None), Err(RouteError::NotFound));
    }

    #[test]
    fn wrong_method_is_405_and_unknown_path_is_404() {
        assert_eq!(route("DELETE", "/accounts/a-1", None), Err(RouteError::MethodNotAllowed));
        assert_eq!(route("GET", "/nowhere", None), Err(RouteError::NotFound));
        assert_eq!(route("GET", "/accounts/", None), Err(RouteError::NotFound), "an empty label matches nothing");
        assert_eq!(route("GET", "/", None).unwrap().operation, 4);
    }
}
