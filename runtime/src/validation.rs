//! Constraint validation: the checks every generated validator calls, the path of a value
//! inside an input, and the messages, in the forms the Smithy protocol tests use.
//!
//! The success path allocates nothing: a [`Path`] is a chain of borrowed segments on the
//! stack, rendered to text only when a violation is recorded, and the list of violations
//! is an empty `Vec` until the first push.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use regress::Regex;

mod dialect;

// `error::Rejection`, which the client uses too, holds them, so they live in the shared module.
pub use crate::error::{ValidationErrors, Violation};

/// Implemented by generated types whose values have constraints to check.
pub trait Validate {
    /// Records every violation in this value, which sits at `path`, into `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>);

    /// Checks every constraint and returns every violation.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut violations = Vec::new();
        self.validate_at(&Path::ROOT, &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors { violations })
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

/// Where a value is: a chain of segments from the input's root, kept on the stack.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Name(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The input itself.
    pub const ROOT: Path<'static> = Path { parent: None, segment: Segment::Root };

    /// A member, by its wire name, or a map value, by its key.
    pub fn name(&'a self, name: &'a str) -> Path<'a> {
        Path { parent: Some(self), segment: Segment::Name(name) }
    }

    /// An item of a list.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path { parent: Some(self), segment: Segment::Index(index) }
    }

    /// The path as text: `/A/3/B`, or the empty string for the root.
    pub fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(path) = current {
            segments.push(path.segment);
            current = path.parent;
        }
        let mut text = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Name(name) => {
                    text.push('/');
                    text.push_str(name);
                }
                Segment::Index(index) => {
                    text.push('/');
                    text.push_str(&index.to_string());
                }
            }
        }
        text
    }
}

fn push(out: &mut Vec<Violation>, path: &Path<'_>, message: impl FnOnce(&str) -> String) {
    let path = path.render();
    let message = message(&path);
    out.push(Violation { path, message });
}

/// "between 1 and 100, inclusive", "greater than or equal to 1", "less than or equal to 100".
fn bounds_text(min: Option<&dyn fmt::Display>, max: Option<&dyn fmt::Display>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
        (Some(min), None) => format!("greater than or equal to {min}"),
        (None, Some(max)) => format!("less than or equal to {max}"),
        (None, None) => "anything".to_owned(),
    }
}

/// `@length` on a string: counted in Unicode code points, not bytes or UTF-16 units.
pub fn string_length(value: &str, min: Option<u64>, max: Option<u64>, path: &Path<'_>, out: &mut Vec<Violation>) {
    // A string has between len/4 (rounded up) and len code points: when both ends are
    // inside the bounds, counting is not needed.
    let bytes = value.len() as u64;
    if min.is_none_or(|min| bytes.div_ceil(4) >= min) && max.is_none_or(|max| bytes <= max) {
        return;
    }
    length(value.chars().count(), min, max, path, out);
}

/// `@length` on a list, map or blob: a count of items, entries or bytes.
pub fn length(count: usize, min: Option<u64>, max: Option<u64>, path: &Path<'_>, out: &mut Vec<Violation>) {
    let n = count as u64;
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        let bounds = bounds_text(min.as_ref().map(|m| m as _), max.as_ref().map(|m| m as _));
        push(out, path, |at| {
            format!("Value with length {n} at '{at}' failed to satisfy constraint: Member must have length {bounds}")
        });
    }
}

/// A compiled `@pattern`, compiled once on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Engine>>,
}

/// The engine a pattern runs on. A backtracking ECMA-262 engine can take exponential time
/// on patterns like `^([0-9]+)+$`, which lets a caller hang the server with one string, so a
/// pattern goes to the linear-time `regex` crate whenever it means the same there: it
/// compiles, and it has no escape (`\d`, `\w`, `\s`, `\b` and their negations) whose class
/// differs between the two. `.` differs too (ECMA-262's stops at every line terminator, the
/// `regex` crate's only at `\n`), so it is spelled out as ECMA-262's class before compiling.
/// The rest (look-around, back-references, those escapes) stays ECMA-262 on regress.
#[derive(Debug)]
enum Engine {
    Linear(regex::Regex),
    Backtracking(Regex),
}

impl Engine {
    fn compile(source: &str) -> Option<Self> {
        let ecma = dialect::to_ecma(source);
        let differs = ["\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B"].iter().any(|e| source.contains(e));
        // A modifier group can switch `.` to dot-all, which the linear engine's rewritten
        // `.` would not follow.
        if !differs && !ecma.has_modifiers {
            if let Ok(regex) = regex::Regex::new(&with_ecma_dots(&ecma.source)) {
                return Some(Self::Linear(regex));
            }
        }
        compile_ecma(&ecma.source).ok().map(Self::Backtracking)
    }

    fn is_match(&self, value: &str) -> bool {
        match self {
            Self::Linear(regex) => regex.is_match(value),
            Self::Backtracking(regex) => regex.find(value).is_some(),
        }
    }
}

/// The pattern with each `.` that means "any character" (not escaped, not in a class)
/// written as ECMA-262's: any code point but the line terminators.
fn with_ecma_dots(source: &str) -> Cow<'_, str> {
    const ECMA_DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
    if !source.contains('.') {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len() + 16);
    let (mut escaped, mut in_class) = (false, false);
    for c in source.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '.' if !in_class => {
                out.push_str(ECMA_DOT);
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    Cow::Owned(out)
}

impl Pattern {
    /// A pattern from the model; the generator has checked that it compiles.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// The ECMA-262 pattern as the model writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn engine(&self) -> Option<&Engine> {
        self.compiled.get_or_init(|| Engine::compile(self.source)).as_ref()
    }
}

/// Compiles a model's `@pattern` the way Smithy means it: the Java constructs AWS models use
/// rewritten into ECMA-262 (see `dialect`), then in Unicode mode when the pattern allows it
/// (so `.` and classes see code points), else in the legacy mode that accepts the looser
/// escapes many models use.
pub fn compile_pattern(source: &str) -> Result<Regex, regress::Error> {
    compile_ecma(&dialect::to_ecma(source).source)
}

fn compile_ecma(source: &str) -> Result<Regex, regress::Error> {
    Regex::with_flags(source, "u").or_else(|_| Regex::new(source))
}

/// `@pattern`: the value must contain a match (the pattern is not implicitly anchored).
pub fn pattern(value: &str, pattern: &Pattern, path: &Path<'_>, out: &mut Vec<Violation>) {
    // A pattern that does not compile was rejected at generation time; if it still fails
    // here, the value is reported rather than waved through.
    if pattern.engine().is_some_and(|engine| engine.is_match(value)) {
        return;
    }
    let source = pattern.source;
    push(out, path, |at| {
        format!(
            "Value at '{at}' failed to satisfy constraint: Member must satisfy regular expression pattern: {source}"
        )
    });
}

/// `@range` on a number. The bounds' text is the model's, so the message shows `1.5`, not
/// a re-printed float. NaN is outside every range.
pub fn range<T: PartialOrd>(
    value: T,
    min: Option<(T, &str)>,
    max: Option<(T, &str)>,
    path: &Path<'_>,
    out: &mut Vec<Violation>,
) {
    // Written as "not inside" so that NaN, which compares false with everything, fails.
    let above_min = min.as_ref().is_none_or(|(min, _)| value >= *min);
    let below_max = max.as_ref().is_none_or(|(max, _)| value <= *max);
    if above_min && below_max {
        return;
    }
    let bounds = bounds_text(min.as_ref().map(|(_, t)| t as _), max.as_ref().map(|(_, t)| t as _));
    push(out, path, |at| format!("Value at '{at}' failed to satisfy constraint: Member must be {bounds}"));
}

/// An enum value: one the model does not define is a violation.
pub fn enum_value(known: bool, values: &[&str], path: &Path<'_>, out: &mut Vec<Violation>) {
    if !known {
        let set = values.join(", ");
        push(out, path, |at| {
            format!("Value at '{at}' failed to satisfy constraint: Member must satisfy enum value set: [{set}]")
        });
    }
}

/// An intEnum value: one the model does not define is a violation.
pub fn int_enum_value(known: bool, values: &[i32], path: &Path<'_>, out: &mut Vec<Violation>) {
    if !known {
        let set = values.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
        push(out, path, |at| {
            format!("Value at '{at}' failed to satisfy constraint: Member must satisfy enum value set: [{set}]")
        });
    }
}

/// `@uniqueItems`: a list with a repeated value is a violation, never silently deduplicated.
/// The message is the Smithy protocol tests' form, which names the list, not the indices.
pub fn unique_items<T: PartialEq>(items: &[T], path: &Path<'_>, out: &mut Vec<Violation>) {
    let repeated = items.iter().enumerate().any(|(i, item)| items[..i].contains(item));
    if repeated {
        push(out, path, |at| format!("Value at '{at}' failed to satisfy constraint: Member must have unique values"));
    }
}

/// A `@required` member that is absent or null; `path` is the structure's.
pub fn required(member: &str, path: &Path<'_>, out: &mut Vec<Violation>) {
    let member_path = path.name(member);
    push(out, &member_path, |at| format!("Value at '{at}' failed to satisfy constraint: Member must not be null"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(check: impl FnOnce(&Path<'_>, &mut Vec<Violation>)) -> Vec<String> {
        let mut out = Vec::new();
        let items = Path::ROOT.name("Items");
        let third = items.index(3);
        check(&third.name("Name"), &mut out);
        out.into_iter().map(|v| format!("{} | {}", v.path, v.message)).collect()
    }

    #[test]
    fn paths_render_like_json_pointers() {
        let items = Path::ROOT.name("UpdateUserRequestItems");
        assert_eq!(items.index(3).name("LicenseType").render(), "/UpdateUserRequestItems/3/LicenseType");
        assert_eq!(Path::ROOT.render(), "");
    }

    #[test]
    fn string_length_counts_code_points() {
        let emoji_100 = "😀".repeat(100);
        assert!(run(|p, o| string_length(&emoji_100, Some(1), Some(100), p, o)).is_empty());
        let emoji_101 = "😀".repeat(101);
        assert_eq!(
            run(|p, o| string_length(&emoji_101, Some(1), Some(100), p, o)),
            ["/Items/3/Name | Value with length 101 at '/Items/3/Name' failed to satisfy constraint: Member must have length between 1 and 100, inclusive"]
        );
        assert!(run(|p, o| string_length("é", Some(1), Some(1), p, o)).is_empty());
        assert_eq!(run(|p, o| string_length("é", Some(2), None, p, o)).len(), 1, "two bytes, one code point");
        assert!(run(|p, o| string_length("😀😀", None, Some(2), p, o)).is_empty(), "eight bytes, two code points");
        assert_eq!(run(|p, o| string_length("", Some(1), None, p, o)).len(), 1);
    }

    #[test]
    fn patterns_are_unanchored_ecma() {
        let non_blank = Pattern::new(r"\S");
        assert!(run(|p, o| pattern(" a ", &non_blank, p, o)).is_empty());
        assert_eq!(run(|p, o| pattern("   ", &non_blank, p, o)).len(), 1);
        let lookahead = Pattern::new(r"^(?=.*\d)[a-z\d]+$");
        assert!(run(|p, o| pattern("abc1", &lookahead, p, o)).is_empty());
        assert_eq!(run(|p, o| pattern("abc", &lookahead, p, o)).len(), 1);
        let letters = Pattern::new(r"^\p{L}+$");
        assert!(run(|p, o| pattern("héllo", &letters, p, o)).is_empty());
        assert!(run(|p, o| pattern("😀", &Pattern::new("^.$"), p, o)).is_empty(), "`.` is one code point");
    }

    #[test]
    fn dots_stop_at_every_ecma_line_terminator() {
        let email = Pattern::new(r"^.+@.+\..+$");
        assert!(run(|p, o| pattern("a@b.c", &email, p, o)).is_empty());
        for terminator in ["\r", "\n", "\u{2028}", "\u{2029}"] {
            let value = format!("a{terminator}@b.c");
            assert_eq!(run(|p, o| pattern(&value, &email, p, o)).len(), 1, "{value:?}");
        }
        assert_eq!(run(|p, o| pattern("a@bxc", &email, p, o)).len(), 1, "an escaped dot is a dot");
        let in_class = Pattern::new(r"^[.]+$");
        assert!(run(|p, o| pattern("..", &in_class, p, o)).is_empty());
        assert_eq!(run(|p, o| pattern("ab", &in_class, p, o)).len(), 1, "a dot in a class is a dot");
        assert_eq!(with_ecma_dots(r"\.[.\]].").matches("2028").count(), 1);
    }

    #[test]
    fn nested_quantifiers_run_in_linear_time() {
        // On a backtracking engine this string takes 2^60 steps; the test would never end.
        let redos = Pattern::new("^([0-9]+)+$");
        let value = format!("{}!", "0".repeat(60));
        assert_eq!(run(|p, o| pattern(&value, &redos, p, o)).len(), 1);
        assert!(run(|p, o| pattern("0123", &redos, p, o)).is_empty());
    }

    #[test]
    fn ranges_reject_nan_and_infinities() {
        assert!(run(|p, o| range(5i64, Some((1, "1")), Some((10, "10")), p, o)).is_empty());
        assert_eq!(
            run(|p, o| range(f64::NAN, Some((0.0, "0")), None, p, o)),
            ["/Items/3/Name | Value at '/Items/3/Name' failed to satisfy constraint: Member must be greater than or equal to 0"]
        );
        assert_eq!(run(|p, o| range(f64::INFINITY, None, Some((1.5, "1.5")), p, o)).len(), 1);
    }

    #[test]
    fn repeated_values_report_every_index() {
        assert_eq!(
            run(|p, o| unique_items(&["a", "b", "a", "c", "b"], p, o)),
            ["/Items/3/Name | Value at '/Items/3/Name' failed to satisfy constraint: Member must have unique values"]
        );
    }

    #[test]
    fn summary_lists_every_violation() {
        let errors = ValidationErrors {
            violations: vec![
                Violation { path: "/A".into(), message: "first".into() },
                Violation { path: "/B".into(), message: "second".into() },
            ],
        };
        assert_eq!(errors.to_string(), "2 validation errors detected. first; second");
    }
}
