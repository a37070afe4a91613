//! Relative shape IDs to absolute ones, in the spec's order: a `use` statement, then a shape
//! of the file's namespace (in any file: forward references are fine), then the prelude.
//! Node values become JSON here too, since their unquoted shape IDs resolve the same way.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::diag::{Diagnostic, LineIndex, Location, Span};
use super::syntax::{File, Name, Node, NodeKind};

/// The prelude's namespace.
pub const PRELUDE: &str = "smithy.api";

/// What the resolver knows of a defined shape.
#[derive(Debug, Clone)]
pub struct Def {
    /// Its shape type, such as `structure`.
    pub kind: String,
    /// Marked `@private`: other namespaces cannot refer to it, so a relative ID never
    /// resolves to it through the prelude.
    pub private: bool,
}

/// Every shape defined in any source, over the built-ins and the prelude (kept apart, so
/// that each assembly does not copy them).
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    own: BTreeMap<String, Def>,
    base: Option<&'static Symbols>,
}

impl Symbols {
    /// No shapes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The shapes of `base`, with more to be added.
    pub fn over(base: &'static Symbols) -> Self {
        Self { own: BTreeMap::new(), base: Some(base) }
    }

    /// Records a shape.
    pub fn insert(&mut self, id: String, def: Def) {
        self.own.insert(id, def);
    }

    /// What is known of shape `id`.
    pub fn get(&self, id: &str) -> Option<&Def> {
        self.own.get(id).or_else(|| self.base.and_then(|base| base.get(id)))
    }

    /// Whether shape `id` is defined.
    pub fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

/// One IDL file's view for resolution: its namespace, its `use` names, and where to report.
pub struct Scope<'a> {
    /// The file's name, for locations.
    pub file_name: &'a str,
    /// The file's text, for locations.
    pub text: &'a str,
    /// The namespace relative IDs fall into.
    pub namespace: String,
    /// `use` statements: local name to absolute ID.
    pub uses: BTreeMap<String, String>,
    /// Every defined shape.
    pub symbols: &'a Symbols,
    /// Where the file's lines start.
    lines: LineIndex,
}

impl<'a> Scope<'a> {
    /// The scope of `file`; conflicting `use` statements are reported into `diags`.
    pub fn new(
        file_name: &'a str,
        text: &'a str,
        file: &File,
        symbols: &'a Symbols,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let namespace = file.namespace.as_ref().map(|n| n.text.clone()).unwrap_or_default();
        let mut scope =
            Self { file_name, text, namespace, uses: BTreeMap::new(), symbols, lines: LineIndex::new(text) };
        for used in &file.uses {
            let local = used.text.rsplit('#').next().unwrap_or(&used.text).to_owned();
            if !symbols.contains_key(&used.text) {
                diags
                    .push(scope.error(used.span, format!("use statement names `{}`, which is not defined", used.text)));
            }
            match scope.uses.get(&local) {
                Some(previous) if *previous != used.text => {
                    let message = format!("cannot use name `{}` because it conflicts with `{previous}`", used.text);
                    diags.push(scope.error(used.span, message));
                }
                _ => {
                    scope.uses.insert(local, used.text.clone());
                }
            }
        }
        scope
    }

    /// The location of `span` in this file.
    pub fn at(&self, span: Span) -> Location {
        Location::indexed(self.file_name, self.text, &self.lines, span)
    }

    /// An error at `span` in this file.
    pub fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Some(self.at(span)), None, message)
    }

    /// The absolute ID of this file's shape `name`.
    pub fn own(&self, name: &str) -> String {
        format!("{}#{name}", self.namespace)
    }

    /// The absolute form of `text`, and whether its shape exists.
    pub fn resolve(&self, text: &str) -> (String, bool) {
        let (root, member) = match text.split_once('$') {
            Some((root, member)) => (root, Some(member)),
            None => (text, None),
        };
        let absolute = if root.contains('#') {
            root.to_owned()
        } else if let Some(used) = self.uses.get(root) {
            used.clone()
        } else {
            let own = self.own(root);
            let prelude = format!("{PRELUDE}#{root}");
            // With no namespace (a metadata-only file) only the prelude can hold it.
            let public_prelude = self.symbols.get(&prelude).is_some_and(|def| !def.private);
            if self.namespace.is_empty() || (!self.symbols.contains_key(&own) && public_prelude) {
                prelude
            } else {
                own
            }
        };
        let found = self.symbols.contains_key(&absolute);
        match member {
            Some(member) => (format!("{absolute}${member}"), found),
            None => (absolute, found),
        }
    }

    /// Resolves a reference to a shape, reporting one that is not defined.
    pub fn target(&self, name: &Name, diags: &mut Vec<Diagnostic>) -> String {
        let (absolute, found) = self.resolve(&name.text);
        if !found {
            diags
                .push(self.error(name.span, format!("`{}` resolves to `{absolute}`, which is not defined", name.text)));
        }
        absolute
    }

    /// A node value as JSON; unquoted shape IDs become absolute ID strings.
    pub fn node(&self, node: &Node, diags: &mut Vec<Diagnostic>) -> Value {
        match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(text) => number(text).unwrap_or_else(|| {
                diags.push(self.error(node.span, format!("the number `{text}` is out of range for a 64-bit float")));
                Value::Null
            }),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Id(text) => {
                let (absolute, found) = self.resolve(text);
                if !found {
                    let message =
                        format!("the shape ID `{text}` in a node value resolves to `{absolute}`, which is not defined");
                    diags.push(self.error(node.span, message));
                }
                Value::String(absolute)
            }
            NodeKind::Array(items) => Value::Array(items.iter().map(|item| self.node(item, diags)).collect()),
            NodeKind::Object(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    if map.contains_key(&key.text) {
                        diags.push(self.error(key.span, format!("the key `{}` is written twice", key.text)));
                        continue;
                    }
                    map.insert(key.text.clone(), self.node(value, diags));
                }
                Value::Object(map)
            }
        }
    }
}

/// A number as JSON: an integer when it is one and fits, else a float; `None` beyond f64.
pub fn number(text: &str) -> Option<Value> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::Number(n.into()));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::Number(n.into()));
        }
    }
    text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number)
}

/// Merges a trait value into the traits of one shape, as Smithy does when a trait is
/// applied twice: equal values are one, two lists are joined, anything else conflicts.
pub fn merge_trait(traits: &mut Map<String, Value>, id: &str, value: Value) -> Result<(), String> {
    match traits.get_mut(id) {
        None => {
            traits.insert(id.to_owned(), value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Value::Array(existing)) => match value {
            Value::Array(more) => {
                existing.extend(more);
                Ok(())
            }
            _ => Err(format!("trait `{id}` is applied twice with conflicting values")),
        },
        Some(_) => Err(format!("trait `{id}` is applied twice with conflicting values")),
    }
}
