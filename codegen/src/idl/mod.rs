//! The Smithy IDL front end: `.smithy` files (2.0 and 1.0) to the same JSON AST document the
//! JSON loader reads, so lowering, mixins, `apply` and every check stay single.
//!
//! ```text
//! lexer     text -> tokens with byte spans (whitespace and comments are tokens: the grammar
//!           needs line breaks in places)
//! parser    tokens -> syntax tree of one file (node.rs holds the small productions)
//! resolve   relative shape IDs -> absolute: use, then namespace, then prelude
//! convert   one file's syntax tree -> JSON AST shapes
//! assemble  every source (IDL and JSON AST) and the built-ins -> ONE document; elision,
//!           apply, metadata, 1.0-in-2.0 upgrade
//! ```
//!
//! Problems are [`Diagnostic`]s with file, line, column and a caret; problems the lowering
//! finds later are placed through the [`SourceMap`].

mod assemble;
mod builtins;
mod convert;
mod diag;
mod elide;
mod flatten;
mod lexer;
mod node;
mod parser;
mod resolve;
mod source_map;
mod syntax;
mod trait_check;
mod upgrade;

pub use assemble::{assemble, Assembly, Source};
pub use diag::{Diagnostic, Diagnostics, LineIndex, Location, Severity, Span};
pub use flatten::flatten;
pub use source_map::SourceMap;

use crate::problem::{Problems, Sink};

/// Turns the lowering's problems into diagnostics placed where the shapes were written.
pub fn locate(problems: Problems, map: &SourceMap) -> Diagnostics {
    let diagnostics = problems
        .0
        .into_iter()
        .map(|problem| {
            let location = map.locate(&problem.path).cloned();
            let path = location.is_none().then(|| problem.path.clone());
            Diagnostic { severity: Severity::Error, location, shape: problem.shape, path, message: problem.message }
        })
        .collect();
    Diagnostics(diagnostics).sorted()
}

/// Assembles `sources` and runs the JSON loader and the lowering on the result, so that
/// every problem the generator would find is reported, placed in the sources.
pub fn check(sources: &[Source]) -> Result<Assembly, Diagnostics> {
    let assembly = assemble(sources)?;
    let mut sink = Sink::default();
    if let Some(loaded) = crate::load::load(&assembly.document.to_string(), &mut sink) {
        crate::lower::lower(loaded, &mut sink);
    }
    sink.finish(()).map_err(|problems| locate(problems, &assembly.source_map))?;
    Ok(assembly)
}

/// Whether `id` is a shape of the built-in prelude or trait packages.
pub fn is_builtin(id: &str) -> bool {
    builtins::BUILTINS.symbols.contains_key(id.split('$').next().unwrap_or(id))
}
