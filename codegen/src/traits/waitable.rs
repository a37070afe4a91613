//! `smithy.waiters#waitable`: the waiters of an operation, by name, as Smithy's waiter
//! specification defines them.

use indexmap::IndexMap;
use serde::Deserialize;

/// The value of `@waitable`: waiter name to waiter.
pub type Waitable = IndexMap<String, Waiter>;

/// One waiter: acceptors tried in order, and the bounds of the delay between calls.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    /// What the waiter waits for.
    pub documentation: Option<String>,
    /// The acceptors; at least one.
    pub acceptors: Vec<Acceptor>,
    /// The shortest delay between calls, in seconds (2 when absent).
    #[serde(default = "default_min_delay")]
    pub min_delay: u64,
    /// The longest delay between calls, in seconds (120 when absent).
    #[serde(default = "default_max_delay")]
    pub max_delay: u64,
    /// Whether the waiter is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

fn default_min_delay() -> u64 {
    2
}

fn default_max_delay() -> u64 {
    120
}

/// What a waiter does when its matcher matches.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Acceptor {
    /// The state it goes to.
    pub state: AcceptorState,
    /// What must match.
    pub matcher: Matcher,
}

/// An acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AcceptorState {
    /// The wait succeeded.
    Success,
    /// The wait failed.
    Failure,
    /// Call again.
    Retry,
}

/// An acceptor's matcher: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Matcher {
    /// A JMESPath expression over the output.
    Output(PathMatcher),
    /// A JMESPath expression over `{input, output}`.
    InputOutput(PathMatcher),
    /// Whether the call succeeded.
    Success(bool),
    /// The name or shape ID of the error the call failed with.
    ErrorType(String),
}

/// A JMESPath expression, the value its result is compared with, and how.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PathMatcher {
    /// The expression.
    pub path: String,
    /// The expected value.
    pub expected: String,
    /// How the result is compared.
    pub comparator: Comparator,
}

/// A path matcher's comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Comparator {
    /// The result is this string.
    StringEquals,
    /// The result is this boolean.
    BooleanEquals,
    /// Every element of a non-empty list is this string.
    AllStringEquals,
    /// Some element of a list is this string.
    AnyStringEquals,
}
