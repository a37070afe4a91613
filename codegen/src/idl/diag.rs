//! Diagnostics in rustc's manner: the file, line and column, the line itself and a caret.

use std::fmt;

use crate::shape_id::ShapeId;

/// A byte range in one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// Where a problem is, resolved to a line and column, with the line's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file's name, as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of that line, without its line break.
    pub excerpt: String,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
}

/// The byte offsets where the lines of one text start, so that finding a line is a binary
/// search rather than a scan from the top (a file has a location for every shape, member and
/// trait).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { starts }
    }

    /// The 1-based line holding byte `at`, and where that line starts.
    fn line_of(&self, at: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= at).max(1);
        (line, self.starts[line - 1])
    }
}

impl Location {
    /// The location of `span` in `text`, a file named `file`.
    pub fn of(file: &str, text: &str, span: Span) -> Self {
        Self::indexed(file, text, &LineIndex::new(text), span)
    }

    /// [`Location::of`] with the text's line index already made.
    pub fn indexed(file: &str, text: &str, index: &LineIndex, span: Span) -> Self {
        let start = floor_char(text, span.start.min(text.len()));
        let (line, line_start) = index.line_of(start);
        let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |n| start + n);
        let column = text[line_start..start].chars().count() + 1;
        let end = floor_char(text, span.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        Self { file: file.to_owned(), line, column, excerpt: text[line_start..line_end].to_owned(), width }
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The model is refused.
    Error,
    /// Accepted, but worth knowing.
    Warning,
}

/// One problem (or warning) in a set of sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, when a source position is known.
    pub location: Option<Location>,
    /// The shape or member concerned, when known.
    pub shape: Option<ShapeId>,
    /// The JSON path of the assembled model, for problems found after assembly where no
    /// source position is known.
    pub path: Option<String>,
    /// What is wrong: lower-case, no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Option<Location>, shape: Option<ShapeId>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, location, shape, path: None, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.shape {
            Some(shape) => writeln!(f, "{label}: {shape}: {}", self.message)?,
            None => writeln!(f, "{label}: {}", self.message)?,
        }
        if let Some(at) = &self.location {
            let number = at.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad}--> {}:{}:{}", at.file, at.line, at.column)?;
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {}", at.excerpt.replace('\t', " "))?;
            let lead = " ".repeat(at.column - 1);
            writeln!(f, "{pad} | {lead}{}", "^".repeat(at.width.min(80)))?;
        } else if let Some(path) = &self.path {
            writeln!(f, "  = at {path}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run: errors first, then warnings, each in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// Whether there is any error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Sorted, repeats removed.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let errors = self.errors().count();
        if errors > 0 {
            writeln!(f, "error: the model has {errors} problem{}", if errors == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_has_a_caret_under_the_span() {
        let text = "namespace a\n\nstructure Foo {\n  bar: Nope\n}\n";
        let start = text.find("Nope").unwrap_or(0);
        let at = Location::of("m.smithy", text, Span::new(start, start + 4));
        assert_eq!((at.line, at.column, at.width), (4, 8, 4));
        let d = Diagnostic::error(Some(at), None, "unknown target");
        let shown = d.to_string();
        assert!(shown.contains("--> m.smithy:4:8"), "{shown}");
        assert!(shown.contains("4 |   bar: Nope\n  |        ^^^^"), "{shown}");
    }
}
