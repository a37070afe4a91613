//! Problems found in a model: every one carries the shape it concerns and where it sits in
//! the JSON, and all of them are collected before the generator gives up.

use std::fmt;

use crate::shape_id::ShapeId;

/// One thing wrong with a model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The shape or member the problem concerns, when there is one.
    pub shape: Option<ShapeId>,
    /// Where in the model's JSON it is, as a JSONPath such as `$.shapes["a#B"].members.c`.
    pub path: String,
    /// What is wrong: lower-case, no trailing period.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Some(shape) => write!(f, "{shape}: {} (at {})", self.message, self.path),
            None => write!(f, "{} (at {})", self.message, self.path),
        }
    }
}

/// Every problem found in a model, sorted and without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(f, "the model has {count} problem{}:", if count == 1 { "" } else { "s" })?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Collects problems while a pass goes on, so that one bad shape does not hide the next.
#[derive(Debug, Default)]
pub struct Sink {
    problems: Vec<Problem>,
}

impl Sink {
    /// Records a problem about `shape` at JSON `path`.
    pub fn report(&mut self, shape: Option<&ShapeId>, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { shape: shape.cloned(), path: path.into(), message: message.into() });
    }

    /// Whether nothing has been reported.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Ends collection: `Ok(value)` when nothing was reported, else every problem.
    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.problems.is_empty() {
            return Ok(value);
        }
        let mut problems = self.problems;
        problems.sort();
        // A problem inherited through a mixin is found once per shape that uses it, at the
        // same place in the JSON: it is reported once.
        let mut seen = std::collections::BTreeSet::new();
        problems.retain(|p| seen.insert((p.path.clone(), p.message.clone())));
        Err(Problems(problems))
    }
}

/// JSON paths into a model, built the same way everywhere so that messages are uniform.
pub mod path {
    use crate::shape_id::ShapeId;

    /// The path of a shape's entry in the `shapes` object.
    pub fn shape(id: &ShapeId) -> String {
        format!("$.shapes[\"{}\"]", id.root())
    }

    /// The path of a member of a structure-like shape.
    pub fn member(id: &ShapeId, member: &str) -> String {
        format!("{}.members.{}", shape(id), key(member))
    }

    /// The path of a trait on a shape or on a member.
    pub fn on_trait(owner_path: &str, trait_id: &str) -> String {
        format!("{owner_path}.traits[\"{trait_id}\"]")
    }

    /// A property of an object, in dot form where the key allows it.
    pub fn key(name: &str) -> String {
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            name.to_owned()
        } else {
            format!("[{}]", serde_json::Value::String(name.to_owned()))
        }
    }
}
