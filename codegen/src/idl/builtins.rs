//! The built-in sources: the prelude and the common trait packages, vendored under
//! `codegen/smithy/` (see its README), parsed and converted once per process.

use std::sync::LazyLock;

use super::convert::{self, Converted};
use super::diag::{Diagnostic, Location};
use super::parser;
use super::resolve::{Def, Scope, Symbols, PRELUDE};
use super::syntax::File;

/// The vendored files, by the name diagnostics give them.
pub const FILES: &[(&str, &str)] = &[
    ("<built-in>/prelude.smithy", include_str!("../../smithy/prelude.smithy")),
    ("<built-in>/aws.api.smithy", include_str!("../../smithy/traits/aws.api.smithy")),
    ("<built-in>/aws.apigateway.smithy", include_str!("../../smithy/traits/aws.apigateway.smithy")),
    ("<built-in>/aws.auth.smithy", include_str!("../../smithy/traits/aws.auth.smithy")),
    ("<built-in>/aws.cloudformation.smithy", include_str!("../../smithy/traits/aws.cloudformation.smithy")),
    ("<built-in>/aws.customizations.smithy", include_str!("../../smithy/traits/aws.customizations.smithy")),
    ("<built-in>/aws.endpoints.smithy", include_str!("../../smithy/traits/aws.endpoints.smithy")),
    ("<built-in>/aws.iam.smithy", include_str!("../../smithy/traits/aws.iam.smithy")),
    ("<built-in>/aws.protocols.smithy", include_str!("../../smithy/traits/aws.protocols.smithy")),
    (
        "<built-in>/smithy.framework.validation.smithy",
        include_str!("../../smithy/traits/smithy.framework.validation.smithy"),
    ),
    ("<built-in>/smithy.protocols.rpcv2.smithy", include_str!("../../smithy/traits/smithy.protocols.rpcv2.smithy")),
    ("<built-in>/smithy.rules.smithy", include_str!("../../smithy/traits/smithy.rules.smithy")),
    ("<built-in>/smithy.openapi.smithy", include_str!("../../smithy/traits/smithy.openapi.smithy")),
    ("<built-in>/smithy.test.smithy", include_str!("../../smithy/traits/smithy.test.smithy")),
    ("<built-in>/smithy.test.smoke.smithy", include_str!("../../smithy/traits/smithy.test.smoke.smithy")),
    ("<built-in>/waiters.smithy", include_str!("../../smithy/traits/waiters.smithy")),
];

/// The built-ins, ready to merge into any model.
pub struct Builtins {
    /// Every shape they define, the prelude's included.
    pub symbols: Symbols,
    /// Their shapes as JSON, the prelude's left out (the lowering adds its own).
    pub shapes: Vec<Converted>,
    /// Positions in `shapes` by shape ID.
    pub by_id: std::collections::BTreeMap<String, usize>,
    /// The prelude's shapes as JSON, for checking trait values against their definitions.
    pub prelude: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// Problems in the vendored files themselves: none, unless a file was edited.
    pub problems: Vec<Diagnostic>,
}

/// The built-ins, made on first use.
pub static BUILTINS: LazyLock<Builtins> = LazyLock::new(build);

fn build() -> Builtins {
    let mut problems = Vec::new();
    let mut files: Vec<(&str, &str, File)> = Vec::new();
    for (name, text) in FILES {
        match parser::parse(text) {
            Ok(file) => files.push((name, text, file)),
            Err((span, message)) => {
                problems.push(Diagnostic::error(Some(Location::of(name, text, span)), None, message));
            }
        }
    }
    let mut symbols = Symbols::new();
    for (_, _, file) in &files {
        let namespace = file.namespace.as_ref().map(|n| n.text.as_str()).unwrap_or_default();
        for shape in &file.shapes {
            let private = shape.traits.iter().any(|t| t.id.text == "private" || t.id.text == "smithy.api#private");
            let def = Def { kind: shape.kind.text.clone(), private };
            symbols.insert(format!("{namespace}#{}", shape.name.text), def);
        }
    }
    let mut shapes = Vec::new();
    let mut prelude = std::collections::BTreeMap::new();
    for (name, text, file) in &files {
        let scope = Scope::new(name, text, file, &symbols, &mut problems);
        let (converted, _) = convert::file(&scope, file, &mut problems);
        if scope.namespace == PRELUDE {
            prelude.extend(converted.into_iter().map(|c| (c.id, c.json)));
        } else {
            shapes.extend(converted);
        }
    }
    let by_id = shapes.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    Builtins { symbols, shapes, by_id, prelude, problems }
}
