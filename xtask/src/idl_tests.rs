//! `cargo xtask idl-tests`: Smithy's own loader tests against our IDL front end. Each valid
//! case must get through the loader and the lowering and assemble to its `.json` sibling
//! (compared semantically: object keys in any order, members in order; `__shared.json`'s
//! and the built-ins' shapes left out) and, where
//! `X.flattened.smithy` exists, flattening X must give it. Each invalid case must be refused,
//! at upstream's line and column when its first-line comment gives them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::idl::{self, Source};
use serde_json::Value;

use crate::workspace_root;

/// The loader tests: `$SMITHY_LOADER_TESTS`, else `../shared/smithy/idl/loader-tests`;
/// `None` when absent.
pub fn loader_tests_path() -> Option<PathBuf> {
    let path = std::env::var_os("SMITHY_LOADER_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/smithy/idl/loader-tests"));
    path.is_dir().then_some(path)
}

/// Cases we deliberately do not follow, each with its reason (xtask/idl-known-gaps.txt).
fn known_gaps() -> BTreeMap<String, String> {
    let text = include_str!("../idl-known-gaps.txt");
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once(" # ") {
            Some((case, why)) => (case.trim().to_owned(), why.trim().to_owned()),
            None => (line.trim().to_owned(), String::new()),
        })
        .collect()
}

/// Runs every case; fails when a case fails that is not a known gap.
pub fn run(dir: Option<PathBuf>, verbose: bool) -> Result<()> {
    let dir = match dir.or_else(loader_tests_path) {
        Some(dir) => dir,
        None => bail!("the loader tests are missing (../shared/smithy/idl/loader-tests; set SMITHY_LOADER_TESTS)"),
    };
    let gaps = known_gaps();
    let mut cases = Vec::new();
    collect(&dir.join("valid"), &mut cases)?;
    collect(&dir.join("invalid"), &mut cases)?;
    cases.sort();
    let shared_path = dir.join("valid/__shared.json");
    let shared = fs::read_to_string(&shared_path).with_context(|| format!("cannot read {}", shared_path.display()))?;
    let shared = Source { name: "valid/__shared.json".to_owned(), text: shared };
    let mut per_folder: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut passed, mut failed, mut gapped) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let relative = case.strip_prefix(&dir).unwrap_or(case).display().to_string();
        let name = relative.replace('\\', "/");
        if name.ends_with(".flattened.smithy") || name.ends_with("__shared.json") {
            continue;
        }
        let valid = name.starts_with("valid/");
        if valid && !name.ends_with(".smithy") {
            continue;
        }
        let result = if valid { valid_case(case, &shared) } else { invalid_case(case) };
        let folder = name.rsplit_once('/').map_or(name.as_str(), |(folder, _)| folder).to_owned();
        let counts = per_folder.entry(folder).or_default();
        match result {
            Ok(()) => {
                passed += 1;
                counts.0 += 1;
                if gaps.contains_key(&name) {
                    failures.push(format!("{name}: passes now; remove it from xtask/idl-known-gaps.txt"));
                }
            }
            Err(why) if gaps.contains_key(&name) => {
                gapped += 1;
                counts.1 += 1;
                if verbose {
                    println!("known gap {name}: {why}");
                }
            }
            Err(why) => {
                failed += 1;
                counts.1 += 1;
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    for (folder, (ok, bad)) in &per_folder {
        println!("  {folder}: {ok} passed, {bad} failed");
    }
    println!("{passed} passed, {} failed ({gapped} of them known gaps, see xtask/idl-known-gaps.txt)", failed + gapped);
    if !failures.is_empty() {
        for failure in &failures {
            println!("FAIL {failure}");
        }
        bail!("{} loader test(s) failed outside the known gaps", failures.len());
    }
    Ok(())
}

/// Assembles each protocol-test suite of `../shared/smithy/protocol-tests` (a folder with
/// `shared-types.smithy`) with the built-in traits, and writes it as a JSON AST.
pub fn protocol_tests_assemble() -> Result<()> {
    let root = workspace_root().join("../shared/smithy/protocol-tests");
    let shared = root.join("shared-types.smithy");
    for suite in ["rpcv2Cbor", "rpcv2Json"] {
        let text = crate::ast::document(&[root.join(suite), shared.clone()], false)?;
        let document: Value = serde_json::from_str(&text)?;
        let count = document.get("shapes").and_then(Value::as_object).map_or(0, serde_json::Map::len);
        println!("  {suite}: {count} shapes");
    }
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Source, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Source { name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), text })
}

fn valid_case(case: &Path, shared: &Source) -> Result<(), String> {
    let source = read(case)?;
    // Through the loader and the lowering too: a valid model must get all the way.
    let ours = idl::check(&[source, shared.clone()]).map_err(|d| format!("refused:\n{d}"))?.document;
    let shared_ids = shape_ids(&serde_json::from_str(&shared.text).unwrap_or(Value::Null));
    let expected_path = case.with_extension("json");
    if expected_path.exists() {
        let text = fs::read_to_string(&expected_path).map_err(|e| e.to_string())?;
        let expected: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", expected_path.display()))?;
        compare_models(&ours, &expected, &shared_ids)?;
    }
    let flattened_path = case.with_extension("flattened.smithy");
    if flattened_path.exists() {
        let mut flat = ours.clone();
        idl::flatten(&mut flat);
        let expected =
            idl::assemble(&[read(&flattened_path)?, shared.clone()]).map_err(|d| format!("flattened refused:\n{d}"))?;
        compare_models(&flat, &expected.document, &shared_ids).map_err(|e| format!("flattened: {e}"))?;
    }
    Ok(())
}

fn invalid_case(case: &Path) -> Result<(), String> {
    let source = read(case)?;
    let first_line = source.text.lines().next().unwrap_or_default().to_owned();
    let diagnostics = match idl::check(&[source]) {
        Ok(_) => return Err(format!("accepted, but upstream refuses it ({first_line})")),
        Err(diagnostics) => diagnostics,
    };
    let Some(expected) = line_and_column(&first_line) else { return Ok(()) };
    let places: Vec<(usize, usize)> =
        diagnostics.errors().filter_map(|d| d.location.as_ref().map(|l| (l.line, l.column))).collect();
    if places.contains(&expected) {
        return Ok(());
    }
    Err(format!("refused, but not at {}:{} ({first_line}); ours:\n{diagnostics}", expected.0, expected.1))
}

/// `line N, column M` in an upstream message.
fn line_and_column(text: &str) -> Option<(usize, usize)> {
    let after = text.split("at line ").nth(1)?;
    let (line, rest) = after.split_once(", column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

fn shape_ids(doc: &Value) -> BTreeSet<String> {
    doc.get("shapes").and_then(Value::as_object).map(|s| s.keys().cloned().collect()).unwrap_or_default()
}

/// Compares shapes and metadata, leaving out the shapes of `__shared.json` and the built-ins.
fn compare_models(ours: &Value, expected: &Value, shared: &BTreeSet<String>) -> Result<(), String> {
    let empty = serde_json::Map::new();
    let shapes = |doc: &Value| -> BTreeMap<String, Value> {
        doc.get("shapes")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .iter()
            .filter(|(id, _)| !shared.contains(*id) && !idl::is_builtin(id))
            .map(|(id, shape)| (id.clone(), normal(shape)))
            .collect()
    };
    let (a, b) = (shapes(&merged_applies(ours)), shapes(&merged_applies(expected)));
    if let Some(id) = a.keys().find(|id| !b.contains_key(*id)) {
        return Err(format!("we define {id}, the expected model does not"));
    }
    for (id, shape) in &b {
        let Some(mine) = a.get(id) else { return Err(format!("we do not define {id}")) };
        if let Some(difference) = diff(id, mine, shape, false) {
            return Err(difference);
        }
    }
    let meta = |doc: &Value| doc.get("metadata").cloned().unwrap_or(Value::Object(serde_json::Map::new()));
    diff("metadata", &meta(ours), &meta(expected), false).map_or(Ok(()), Err)
}

/// The document with each `apply` entry for a member that its shape writes merged into it:
/// Smithy sometimes writes a member's traits that way, and the model is the same.
fn merged_applies(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let Some(shapes) = doc.get_mut("shapes").and_then(Value::as_object_mut) else { return doc };
    let applies: Vec<String> = shapes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("apply"))
        .map(|(k, _)| k.clone())
        .collect();
    for key in applies {
        let Some((root, member)) = key.split_once('$') else { continue };
        let traits =
            shapes.get(&key).and_then(|s| s.get("traits")).and_then(Value::as_object).cloned().unwrap_or_default();
        let target = shapes.get_mut(root).and_then(|s| s.get_mut("members")).and_then(|m| m.get_mut(member));
        let Some(Value::Object(target)) = target else { continue };
        let into = target.entry("traits").or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(into) = into.as_object_mut() {
            into.extend(traits);
        }
        shapes.shift_remove(&key);
    }
    doc
}

/// A shape as Smithy's model sees it: an empty list or object property is the same as an
/// absent one, and an operation's `smithy.api#Unit` input or output is the same as none.
fn normal(shape: &Value) -> Value {
    let Value::Object(map) = shape else { return shape.clone() };
    let unit = serde_json::json!({ "target": "smithy.api#Unit" });
    let mut out = serde_json::Map::new();
    for (key, value) in map {
        let empty = match value {
            Value::Array(items) => items.is_empty(),
            Value::Object(entries) => entries.is_empty() && key != "member" && key != "key" && key != "value",
            _ => false,
        };
        if empty || ((key == "input" || key == "output") && *value == unit) {
            continue;
        }
        let value = match (key.as_str(), value) {
            ("members", Value::Object(members)) => {
                Value::Object(members.iter().map(|(name, member)| (name.clone(), normal(member))).collect())
            }
            ("member" | "key" | "value", member) => normal(member),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

/// The first difference between two JSON values: objects in any key order, except the
/// `members` of a shape, whose order is part of the model.
fn diff(at: &str, ours: &Value, expected: &Value, ordered: bool) -> Option<String> {
    match (ours, expected) {
        (Value::Object(a), Value::Object(b)) => {
            if ordered && !a.keys().eq(b.keys()) {
                return Some(format!(
                    "{at}: members in order {:?}, expected {:?}",
                    a.keys().collect::<Vec<_>>(),
                    b.keys().collect::<Vec<_>>()
                ));
            }
            for key in a.keys().chain(b.keys()) {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = diff(&format!("{at}.{key}"), x, y, key == "members") {
                            return Some(d);
                        }
                    }
                    (Some(x), None) => return Some(format!("{at}.{key}: we have {x}, expected nothing")),
                    (None, Some(y)) => return Some(format!("{at}.{key}: missing, expected {y}")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{at}: {} items, expected {}", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| diff(&format!("{at}[{i}]"), x, y, false))
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!("{at}: we have {a}, expected {b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_positions_are_read_from_the_first_line() {
        let line = "// Syntax error at line 5, column 29: Expected a line break";
        assert_eq!(line_and_column(line), Some((5, 29)));
        assert_eq!(line_and_column("// Members can only elide targets"), None);
    }

    #[test]
    fn member_order_matters_and_key_order_does_not() {
        let a = serde_json::json!({"type": "structure", "members": {"a": {"target": "x"}, "b": {"target": "y"}}});
        let b = serde_json::json!({"members": {"a": {"target": "x"}, "b": {"target": "y"}}, "type": "structure"});
        let c = serde_json::json!({"type": "structure", "members": {"b": {"target": "y"}, "a": {"target": "x"}}});
        assert_eq!(diff("s", &a, &b, false), None);
        assert!(diff("s", &a, &c, false).is_some());
    }
}
