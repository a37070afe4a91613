//! A waiter's acceptors and how one matches a call's outcome: JMESPath expressions (run by
//! the `jmespath` crate) over the input and output seen as JSON keyed by member names, as
//! Smithy's waiter specification has them.

use serde_json::{Map, Value};

/// A value a waiter's JMESPath expressions can look into: a model type seen as JSON whose
/// object keys are the model's member names (not wire names), as Smithy's waiters expect.
/// Timestamps are epoch seconds, blobs base64 text, enums their string or integer value.
pub trait Searchable {
    /// This value as JSON for JMESPath.
    fn to_search_value(&self) -> Value;
}

/// What a waiter does when an acceptor matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop: the wait succeeded.
    Success,
    /// Stop: the resource reached a state it cannot leave for the one awaited.
    Failure,
    /// Call again after a delay.
    Retry,
}

/// How a JMESPath result is compared with an acceptor's expected value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// The result is a string equal to the expected one.
    StringEquals,
    /// The result is a boolean equal to the expected `true` or `false`.
    BooleanEquals,
    /// The result is a non-empty list of strings, each equal to the expected one.
    AllStringEquals,
    /// The result is a list with at least one string equal to the expected one.
    AnyStringEquals,
}

/// What an acceptor looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// A JMESPath expression over a successful call's output.
    Output {
        /// The expression.
        path: &'static str,
        /// The value compared with its result.
        expected: &'static str,
        /// How they are compared.
        comparator: Comparator,
    },
    /// A JMESPath expression over `{"input": .., "output": ..}` of a successful call.
    InputOutput {
        /// The expression.
        path: &'static str,
        /// The value compared with its result.
        expected: &'static str,
        /// How they are compared.
        comparator: Comparator,
    },
    /// `true` matches any successful call, `false` any failed one.
    Success(bool),
    /// A failed call whose error has this code (an error shape's name).
    ErrorType(&'static str),
}

/// One acceptor of a waiter: when its matcher matches, the waiter goes to its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptor {
    /// Where the waiter goes.
    pub state: AcceptorState,
    /// What must match.
    pub matcher: Matcher,
}

/// A call's outcome, as the matchers see it.
pub(super) enum Outcome<'a> {
    /// The call succeeded: its input and output.
    Output { input: &'a dyn Searchable, output: &'a dyn Searchable },
    /// The call failed with an error of this code.
    Error(&'a str),
}

impl Matcher {
    /// Whether this matcher matches the outcome. An expression that fails to run (a type
    /// error inside it, say) does not match.
    pub(super) fn matches(&self, outcome: &Outcome<'_>) -> bool {
        match (self, outcome) {
            (Self::Success(success), Outcome::Output { .. }) => *success,
            (Self::Success(success), Outcome::Error(_)) => !*success,
            (Self::ErrorType(expected), Outcome::Error(code)) => error_type_matches(expected, code),
            (Self::Output { path, expected, comparator }, Outcome::Output { output, .. }) => {
                search_matches(path, output.to_search_value(), expected, *comparator)
            }
            (Self::InputOutput { path, expected, comparator }, Outcome::Output { input, output }) => {
                let mut both = Map::new();
                both.insert("input".to_owned(), input.to_search_value());
                both.insert("output".to_owned(), output.to_search_value());
                search_matches(path, Value::Object(both), expected, *comparator)
            }
            _ => false,
        }
    }
}

/// `errorType` names an error by its shape name or its absolute shape ID; a response's code
/// may carry a namespace or a `:`-suffix (restJson1's rules), which are not the name.
fn error_type_matches(expected: &str, code: &str) -> bool {
    let name = |text: &str| {
        let text = text.split(':').next().unwrap_or(text);
        text.rsplit('#').next().unwrap_or(text).to_owned()
    };
    name(expected) == name(code)
}

/// Runs `path` over `data` and compares the result with `expected`.
fn search_matches(path: &str, data: Value, expected: &str, comparator: Comparator) -> bool {
    let Ok(expression) = jmespath::compile(path) else {
        return false;
    };
    let Ok(result) = expression.search(data) else {
        return false;
    };
    let is_expected = |item: &jmespath::Rcvar| item.as_string().is_some_and(|text| text == expected);
    match comparator {
        Comparator::StringEquals => result.as_string().is_some_and(|text| text == expected),
        Comparator::BooleanEquals => result.as_boolean().is_some_and(|value| value.to_string() == expected),
        Comparator::AllStringEquals => {
            result.as_array().is_some_and(|items| !items.is_empty() && items.iter().all(is_expected))
        }
        Comparator::AnyStringEquals => result.as_array().is_some_and(|items| items.iter().any(is_expected)),
    }
}

impl Searchable for String {
    fn to_search_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Searchable for bool {
    fn to_search_value(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! searchable_numbers {
    ($($ty:ty),*) => {
        $(impl Searchable for $ty {
            fn to_search_value(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}
searchable_numbers!(i8, i16, i32, i64, f32, f64);

impl Searchable for crate::Blob {
    fn to_search_value(&self) -> Value {
        Value::String(aws_smithy_types::base64::encode(self.as_ref()))
    }
}

impl Searchable for crate::DateTime {
    fn to_search_value(&self) -> Value {
        Value::from(self.as_secs_f64())
    }
}

impl Searchable for crate::BigInteger {
    fn to_search_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Searchable for crate::BigDecimal {
    fn to_search_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Searchable for crate::Document {
    fn to_search_value(&self) -> Value {
        self.clone()
    }
}

/// A `@streaming` blob cannot be looked into without reading it.
impl Searchable for crate::ByteStream {
    fn to_search_value(&self) -> Value {
        Value::Null
    }
}

impl<T: Searchable> Searchable for Option<T> {
    fn to_search_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_search_value)
    }
}

impl<T: Searchable> Searchable for Box<T> {
    fn to_search_value(&self) -> Value {
        T::to_search_value(self)
    }
}

impl<T: Searchable> Searchable for Vec<T> {
    fn to_search_value(&self) -> Value {
        Value::Array(self.iter().map(T::to_search_value).collect())
    }
}

/// A map is an object; its keys are strings or enums, whose values are strings.
impl<K: Searchable, T: Searchable> Searchable for std::collections::BTreeMap<K, T> {
    fn to_search_value(&self) -> Value {
        let key_text = |key: &K| match key.to_search_value() {
            Value::String(text) => text,
            other => other.to_string(),
        };
        Value::Object(self.iter().map(|(key, value)| (key_text(key), value.to_search_value())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Json(Value);

    impl Searchable for Json {
        fn to_search_value(&self) -> Value {
            self.0.clone()
        }
    }

    fn output(path: &'static str, expected: &'static str, comparator: Comparator, data: Value) -> bool {
        let (input, output) = (Json(Value::Null), Json(data));
        Matcher::Output { path, expected, comparator }.matches(&Outcome::Output { input: &input, output: &output })
    }

    #[test]
    fn comparators_follow_the_waiter_specification() {
        let table = serde_json::json!({"Table": {"Status": "ACTIVE", "Ready": true}, "Items": ["a", "a"], "None": []});
        assert!(output("Table.Status", "ACTIVE", Comparator::StringEquals, table.clone()));
        assert!(!output("Table.Status", "DELETING", Comparator::StringEquals, table.clone()));
        assert!(output("Table.Ready", "true", Comparator::BooleanEquals, table.clone()));
        assert!(output("Items", "a", Comparator::AllStringEquals, table.clone()));
        assert!(!output("None", "a", Comparator::AllStringEquals, table.clone()), "an empty list is not all-equal");
        assert!(output("Items[]", "a", Comparator::AnyStringEquals, table.clone()));
        assert!(output("length(Items) == `2`", "true", Comparator::BooleanEquals, table.clone()));
        assert!(!output("Missing.Path", "ACTIVE", Comparator::StringEquals, table.clone()));
        assert!(!output("Table.[", "x", Comparator::StringEquals, table), "a bad expression matches nothing");
    }

    #[test]
    fn input_output_sees_both() {
        let (input, output) = (Json(serde_json::json!({"Name": "t"})), Json(serde_json::json!({"Name": "t"})));
        let path = "input.Name == output.Name";
        let matcher = Matcher::InputOutput { path, expected: "true", comparator: Comparator::BooleanEquals };
        assert!(matcher.matches(&Outcome::Output { input: &input, output: &output }));
        assert!(!matcher.matches(&Outcome::Error("NotFound")));
    }

    #[test]
    fn error_types_match_by_name() {
        assert!(Matcher::ErrorType("ResourceNotFoundException").matches(&Outcome::Error("ResourceNotFoundException")));
        assert!(Matcher::ErrorType("com.example#Gone").matches(&Outcome::Error("Gone:http://internal")));
        assert!(!Matcher::ErrorType("Gone").matches(&Outcome::Error("Going")));
        assert!(Matcher::Success(false).matches(&Outcome::Error("Gone")));
    }
}
