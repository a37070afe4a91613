//! Assembly: IDL and JSON AST sources, and the built-ins, into ONE JSON AST document that
//! the JSON loader reads unchanged. Every file is parsed even when another has an error.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::builtins::BUILTINS;
use super::convert::{self, Converted, ResolvedApply};
use super::diag::{Diagnostic, Diagnostics, LineIndex, Location, Severity, Span};
use super::resolve::{merge_trait, Def, Scope, Symbols, PRELUDE};
use super::source_map::SourceMap;
use super::syntax::{File, Version};
use super::{elide, parser, trait_check, upgrade};

/// One model file: its name (for messages; `.json` means a JSON AST) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name or path, as messages should show it.
    pub name: String,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// Whether this source is a JSON AST rather than IDL, by its name.
    pub fn is_json(&self) -> bool {
        self.name.ends_with(".json")
    }
}

/// The assembled model.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// A Smithy JSON AST document: `smithy`, `metadata` when any, `shapes`.
    pub document: Value,
    /// Where each shape and member was written.
    pub source_map: SourceMap,
    /// Warnings (unknown control statements and the like).
    pub warnings: Vec<Diagnostic>,
}

/// One shape on its way into the document.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub converted: Converted,
    /// From the built-ins, so printed only when a user shape refers to it.
    pub builtin: bool,
}

/// Shapes by absolute ID, in the order first seen.
pub(super) type Shapes = IndexMap<String, Entry>;

enum Parsed {
    Idl(File),
    Json(Value),
}

/// Assembles `sources` with the built-ins. Fails with every problem found, each located.
pub fn assemble(sources: &[Source]) -> Result<Assembly, Diagnostics> {
    let builtins = &*BUILTINS;
    let mut diags: Vec<Diagnostic> = builtins.problems.clone();
    let mut parsed = Vec::new();
    for source in sources {
        match parse(source) {
            Ok((p, errors)) => {
                diags.extend(errors);
                parsed.push((source, p));
            }
            Err(diag) => diags.push(*diag),
        }
    }
    let mut symbols = Symbols::over(&builtins.symbols);
    for (_, p) in &parsed {
        match p {
            Parsed::Idl(file) => {
                let namespace = file.namespace.as_ref().map(|n| n.text.as_str()).unwrap_or_default();
                for shape in &file.shapes {
                    let def = Def { kind: shape.kind.text.clone(), private: false };
                    symbols.insert(format!("{namespace}#{}", shape.name.text), def);
                }
            }
            Parsed::Json(doc) => {
                for (key, shape) in doc.get("shapes").and_then(Value::as_object).into_iter().flatten() {
                    let kind = shape.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
                    if kind != "apply" {
                        symbols.insert(key.clone(), Def { kind, private: false });
                    }
                }
            }
        }
    }
    let mut shapes = Shapes::new();
    let mut applies = Vec::new();
    let mut metadata = Map::new();
    let mut versions = BTreeSet::new();
    let mut warnings = Vec::new();
    for (source, p) in &parsed {
        let (converted, file_applies, file_metadata) = match p {
            Parsed::Idl(file) => {
                let scope = Scope::new(&source.name, &source.text, file, &symbols, &mut diags);
                if file.namespace.is_some() || !file.shapes.is_empty() {
                    versions.insert(file.version);
                }
                for (span, message) in &file.warnings {
                    let mut warning = scope.error(*span, message.clone());
                    warning.severity = Severity::Warning;
                    warnings.push(warning);
                }
                let (converted, applies) = convert::file(&scope, file, &mut diags);
                let meta: Vec<_> = file
                    .metadata
                    .iter()
                    .map(|(k, v)| (k.text.clone(), scope.node(v, &mut diags), scope.at(k.span)))
                    .collect();
                (converted, applies, meta)
            }
            // A JSON file that is not a Smithy model (no `smithy` key) is left alone, as
            // Smithy's assembler does: a folder of models may hold other JSON.
            Parsed::Json(doc) if doc.get("smithy").is_none() => {
                let at = Location::of(&source.name, &source.text, Span::new(0, 1));
                let mut warning = Diagnostic::error(Some(at), None, "ignored: a JSON file with no `smithy` version");
                warning.severity = Severity::Warning;
                warnings.push(warning);
                continue;
            }
            Parsed::Json(doc) => json_source(source, doc, &mut versions, &mut diags),
        };
        for converted in converted {
            add_shape(&mut shapes, converted, false, &mut diags);
        }
        applies.extend(file_applies);
        for (key, value, at) in file_metadata {
            if let Err(message) = merge_trait(&mut metadata, &key, value) {
                let message = message.replace("trait", "metadata key").replace("applied", "defined");
                diags.push(Diagnostic::error(Some(at), None, message));
            }
        }
    }
    // Only the built-in shapes the model refers to (or applies traits to) join it: copying
    // all of them into every assembly would cost more than the rest of a small model.
    let mut wanted: Vec<String> =
        applies.iter().map(|a| a.target.split('$').next().unwrap_or(&a.target).to_owned()).collect();
    for entry in shapes.values() {
        map_references(&entry.converted.json, &mut wanted);
        wanted.extend(entry.converted.for_resource.clone());
    }
    let mut seen = BTreeSet::new();
    while let Some(id) = wanted.pop() {
        if shapes.contains_key(&id) || !seen.insert(id.clone()) {
            continue;
        }
        if let Some(converted) = builtins.by_id.get(&id).and_then(|&i| builtins.shapes.get(i)) {
            map_references(&converted.json, &mut wanted);
            shapes.insert(id, Entry { converted: converted.clone(), builtin: true });
        }
    }
    let inherited = elide::fill(&mut shapes, &mut diags);
    let mut deferred = apply_all(&mut shapes, applies, &mut diags);
    for (member, traits) in inherited {
        let into = deferred.entry(member).or_default();
        for (id, value) in traits {
            if let Err(message) = merge_trait(into, &id, value) {
                diags.push(Diagnostic::error(None, None, message));
            }
        }
    }
    check_trait_values(&shapes, &mut diags, &mut warnings);
    let version = if versions.contains(&Version::V2) { Version::V2 } else { Version::V1 };
    if version == Version::V2 && versions.contains(&Version::V1) {
        upgrade::v1_to_v2(&mut shapes);
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        diags.extend(warnings);
        return Err(Diagnostics(diags).sorted());
    }
    let keep = reachable(&shapes);
    let mut source_map = SourceMap::default();
    let mut out = Map::new();
    for (id, entry) in shapes {
        if entry.builtin && !keep.contains(&id) {
            continue;
        }
        source_map.insert(&id, &entry.converted);
        out.insert(id, Value::Object(entry.converted.json));
    }
    for (member, traits) in deferred {
        let mut apply = Map::new();
        apply.insert("type".to_owned(), json!("apply"));
        apply.insert("traits".to_owned(), Value::Object(traits));
        out.insert(member, Value::Object(apply));
    }
    let mut document = Map::new();
    document.insert("smithy".to_owned(), json!(if version == Version::V2 { "2.0" } else { "1.0" }));
    if !metadata.is_empty() {
        document.insert("metadata".to_owned(), Value::Object(metadata));
    }
    document.insert("shapes".to_owned(), Value::Object(out));
    Ok(Assembly { document: Value::Object(document), source_map, warnings })
}

/// Reads one source: a JSON AST, or an IDL file with its syntax errors (the statements that
/// parsed are kept, so that other files' references to them are not reported too).
fn parse(source: &Source) -> Result<(Parsed, Vec<Diagnostic>), Box<Diagnostic>> {
    if source.is_json() {
        return serde_json::from_str(&source.text).map(|json| (Parsed::Json(json), Vec::new())).map_err(|error| {
            let at = line_column(&source.text, error.line(), error.column());
            let location = Location::of(&source.name, &source.text, Span::new(at, at + 1));
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            Box::new(Diagnostic::error(Some(location), None, format!("the file is not valid JSON: {message}")))
        });
    }
    let (file, errors) = parser::parse_recovering(&source.text);
    let lines = LineIndex::new(&source.text);
    let errors = errors
        .into_iter()
        .map(|(span, message)| {
            Diagnostic::error(Some(Location::indexed(&source.name, &source.text, &lines, span)), None, message)
        })
        .collect();
    Ok((Parsed::Idl(file), errors))
}

/// The byte offset of a 1-based line and column.
fn line_column(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

type SourceParts = (Vec<Converted>, Vec<ResolvedApply>, Vec<(String, Value, Location)>);

/// A JSON AST file's shapes, applies and metadata; the loader checks their contents later.
fn json_source(
    source: &Source,
    doc: &Value,
    versions: &mut BTreeSet<Version>,
    diags: &mut Vec<Diagnostic>,
) -> SourceParts {
    let whole = Location::of(&source.name, &source.text, Span::new(0, 1));
    let version = match doc.get("smithy").and_then(Value::as_str) {
        Some("1" | "1.0") => Version::V1,
        Some("2" | "2.0") => Version::V2,
        other => {
            let message = format!("unsupported or missing Smithy version {}", other.unwrap_or("(none)"));
            diags.push(Diagnostic::error(Some(whole.clone()), None, message));
            Version::V2
        }
    };
    versions.insert(version);
    let lines = LineIndex::new(&source.text);
    let strings = string_offsets(&source.text);
    let locate = |key: &str| {
        let quoted = Value::String(key.to_owned()).to_string();
        let at = strings.get(quoted.as_str()).copied().unwrap_or(0);
        Location::indexed(&source.name, &source.text, &lines, Span::new(at, at + quoted.len()))
    };
    let mut shapes = Vec::new();
    let mut applies = Vec::new();
    for (key, shape) in doc.get("shapes").and_then(Value::as_object).into_iter().flatten() {
        let Some(object) = shape.as_object() else {
            diags.push(Diagnostic::error(Some(locate(key)), None, "a shape must be a JSON object"));
            continue;
        };
        if object.get("type").and_then(Value::as_str) == Some("apply") {
            let traits = object.get("traits").and_then(Value::as_object).cloned().unwrap_or_default();
            applies.push(ResolvedApply { target: key.clone(), traits: traits.into_iter().collect(), at: locate(key) });
            continue;
        }
        if version == Version::V1
            && object.get("type").and_then(Value::as_str) == Some("resource")
            && object.contains_key("properties")
        {
            let message = "resource properties can only be used with Smithy version 2 or later";
            diags.push(Diagnostic::error(Some(locate(key)), None, message));
        }
        let members = ["members"]
            .iter()
            .filter_map(|k| object.get(*k).and_then(Value::as_object))
            .flat_map(|m| m.keys())
            .map(|name| (name.clone(), locate(key)))
            .collect();
        shapes.push(Converted {
            id: key.clone(),
            json: object.clone(),
            at: locate(key),
            elided: Vec::new(),
            members,
            version,
            for_resource: None,
            traits_at: Vec::new(),
        });
    }
    let metadata = doc.get("metadata").and_then(Value::as_object).into_iter().flatten();
    let metadata = metadata.map(|(k, v)| (k.clone(), v.clone(), locate(k))).collect();
    (shapes, applies, metadata)
}

/// Where each JSON string literal of `text` first appears, quotes included, found in one
/// pass (looking each shape's key up with `find` would be quadratic in a large model).
fn string_offsets(text: &str) -> std::collections::HashMap<&str, usize> {
    let bytes = text.as_bytes();
    let mut offsets = std::collections::HashMap::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        if let Some(literal) = text.get(start..end) {
            offsets.entry(literal).or_insert(start);
        }
        i = end;
    }
    offsets
}

/// Adds a shape; one defined twice is a problem unless both definitions are the same.
fn add_shape(shapes: &mut Shapes, converted: Converted, builtin: bool, diags: &mut Vec<Diagnostic>) {
    if converted.id.starts_with(&format!("{PRELUDE}#")) && !builtin {
        let message = "the smithy.api namespace belongs to the prelude";
        diags.push(Diagnostic::error(Some(converted.at.clone()), None, message));
        return;
    }
    match shapes.get(&converted.id) {
        Some(existing) if same_shape(&existing.converted.json, &converted.json) => {}
        Some(existing) => {
            let first = &existing.converted.at;
            let message = format!(
                "`{}` is defined more than once (first at {}:{}:{})",
                converted.id, first.file, first.line, first.column
            );
            diags.push(Diagnostic::error(Some(converted.at.clone()), None, message));
        }
        None => {
            shapes.insert(converted.id.clone(), Entry { converted, builtin });
        }
    }
}

/// Shapes to check trait values against: the model's, then the built-ins and the prelude.
struct Known<'a>(&'a Shapes);

impl trait_check::Lookup for Known<'_> {
    fn shape(&self, id: &str) -> Option<&Map<String, Value>> {
        let builtins = &*BUILTINS;
        self.0
            .get(id)
            .map(|e| &e.converted.json)
            .or_else(|| builtins.by_id.get(id).and_then(|&i| builtins.shapes.get(i)).map(|c| &c.json))
            .or_else(|| builtins.prelude.get(id))
    }
}

/// Checks every trait value of the model's shapes and members against its trait's shape,
/// reporting each at the trait's application.
fn check_trait_values(shapes: &Shapes, diags: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>) {
    let known = Known(shapes);
    for (id, entry) in shapes.iter().filter(|(_, e)| !e.builtin) {
        let json = &entry.converted.json;
        let mut owners: Vec<(String, &Map<String, Value>)> = vec![(String::new(), json)];
        let members = json.get("members").and_then(Value::as_object).into_iter().flatten();
        owners.extend(members.filter_map(|(name, m)| Some((name.clone(), m.as_object()?))));
        for name in ["member", "key", "value"] {
            owners.extend(json.get(name).and_then(Value::as_object).map(|m| (name.to_owned(), m)));
        }
        for (owner, object) in owners {
            for (trait_id, value) in object.get("traits").and_then(Value::as_object).into_iter().flatten() {
                let mut unknown = Vec::new();
                let problem = trait_check::check(value, trait_id, &known, &mut unknown);
                if problem.is_none() && unknown.is_empty() {
                    continue;
                }
                let key = (owner.clone(), trait_id.clone());
                let at = entry.converted.traits_at.iter().find(|(k, _)| *k == key).map(|(_, at)| at.clone());
                let at = at.or_else(|| Some(entry.converted.at.clone()));
                let shape = if owner.is_empty() { id.clone() } else { format!("{id}${owner}") };
                let shape = crate::shape_id::ShapeId::parse(&shape).ok();
                for message in unknown {
                    let mut warning =
                        Diagnostic::error(at.clone(), shape.clone(), format!("trait {trait_id}: {message}"));
                    warning.severity = Severity::Warning;
                    warnings.push(warning);
                }
                if let Some(problem) = problem {
                    let message = format!("the value of trait {trait_id} does not fit its shape: {problem}");
                    diags.push(Diagnostic::error(at, shape, message));
                }
            }
        }
    }
}

/// Whether two definitions of a shape are the same shape: an empty list or object property
/// is the same as an absent one, and so is an operation's `smithy.api#Unit` input or output
/// (the JSON AST that `smithy ast` writes spells them out, the IDL does not).
fn same_shape(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    fn meaningful(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
        map.iter().filter(|(key, value)| {
            let empty = match value {
                Value::Array(items) => items.is_empty(),
                Value::Object(entries) => entries.is_empty() && !matches!(key.as_str(), "member" | "key" | "value"),
                _ => false,
            };
            let unit = matches!(key.as_str(), "input" | "output")
                && value.get("target").and_then(Value::as_str) == Some("smithy.api#Unit");
            !empty && !unit
        })
    }
    let (left, right): (Map<_, _>, Map<_, _>) = (
        meaningful(a).map(|(k, v)| (k.clone(), v.clone())).collect(),
        meaningful(b).map(|(k, v)| (k.clone(), v.clone())).collect(),
    );
    left == right
}

/// Merges every `apply` into its shape or member. A member that only a mixin gives is
/// handed back, by member ID with its traits, to be written as an `apply` entry.
fn apply_all(
    shapes: &mut Shapes,
    applies: Vec<ResolvedApply>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Map<String, Value>> {
    let mut deferred: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for apply in applies {
        let (root, member) = match apply.target.split_once('$') {
            Some((root, member)) => (root.to_owned(), Some(member.to_owned())),
            None => (apply.target.clone(), None),
        };
        let Some(entry) = shapes.get_mut(&root) else {
            diags.push(Diagnostic::error(
                Some(apply.at),
                None,
                format!("apply targets `{}`, which is not defined", apply.target),
            ));
            continue;
        };
        let json = &mut entry.converted.json;
        let has_mixins = json.get("mixins").is_some();
        let owner = match &member {
            None => Some(json),
            Some(name) => elide::member_mut(json, name),
        };
        let traits = match owner {
            Some(owner) => owner.entry("traits").or_insert_with(|| json!({})).as_object_mut(),
            None if has_mixins => Some(deferred.entry(apply.target.clone()).or_default()),
            None => {
                let message =
                    format!("apply targets member `{}`, which `{root}` does not have", member.unwrap_or_default());
                diags.push(Diagnostic::error(Some(apply.at), None, message));
                continue;
            }
        };
        let Some(traits) = traits else { continue };
        for (id, value) in apply.traits {
            if let Err(message) = merge_trait(traits, &id, value) {
                diags.push(Diagnostic::error(Some(apply.at.clone()), None, message));
            }
        }
    }
    deferred
}

/// The IDs of built-in shapes that user shapes refer to (as targets, mixins, operations and
/// the like, not as traits), directly or through other built-ins.
fn reachable(shapes: &Shapes) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = shapes.iter().filter(|(_, e)| !e.builtin).map(|(id, _)| id.clone()).collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(entry) = shapes.get(&id) {
            map_references(&entry.converted.json, &mut stack);
        }
    }
    seen
}

/// Every `{"target": id}` in a shape's JSON outside its traits.
fn map_references(map: &Map<String, Value>, out: &mut Vec<String>) {
    for (key, inner) in map {
        if key == "traits" {
            continue;
        }
        if key == "target" {
            if let Some(target) = inner.as_str() {
                out.push(target.split('$').next().unwrap_or(target).to_owned());
            }
        }
        match inner {
            Value::Object(map) => map_references(map, out),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(map) = item {
                        map_references(map, out);
                    }
                }
            }
            _ => {}
        }
    }
}
