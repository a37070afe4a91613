//! `cargo xtask ast`: Smithy sources (IDL, JSON AST, folders of them) to one JSON AST
//! document, as the Smithy CLI's `smithy ast` prints it; and the gathering of `--model`
//! paths that `codegen` shares.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::idl::{self, Source};

/// Reads every model file `paths` name: a file as it is, a folder as every `.smithy` and
/// `.json` file under it (sorted, so the result does not depend on the file system).
pub fn sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            if found.is_empty() {
                bail!("{} holds no .smithy or .json file", path.display());
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            Ok(Source { name: file.display().to_string(), text })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "smithy" || e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether `paths` is one JSON AST file: the generator's original path, kept as it was.
pub fn is_single_json(paths: &[PathBuf]) -> bool {
    matches!(paths, [one] if one.extension().is_some_and(|e| e == "json") && !one.is_dir())
}

/// The assembled model of `paths` as JSON AST text: mixins kept as references unless
/// `flatten`, `apply` merged, the prelude left out. Warnings are printed to stderr.
pub fn document(paths: &[PathBuf], flatten: bool) -> Result<String> {
    let sources = sources(paths)?;
    let assembly = match idl::check(&sources) {
        Ok(assembly) => assembly,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            bail!("the model was refused; nothing was written");
        }
    };
    for warning in &assembly.warnings {
        eprint!("{warning}");
    }
    let mut document = assembly.document;
    if flatten {
        idl::flatten(&mut document);
    }
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

/// Runs `cargo xtask ast`: writes the document to `out`, or prints it.
pub fn run(paths: &[PathBuf], out: Option<&Path>, flatten: bool) -> Result<()> {
    if paths.is_empty() {
        bail!("give at least one --model");
    }
    let text = document(paths, flatten)?;
    match out {
        Some(out) => {
            fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
            println!("wrote {}", out.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_gives_its_smithy_and_json_files_sorted_and_the_document_is_deterministic() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
        write("b.smithy", "$version: \"2\"\nnamespace a.b\n\nstructure B {\n    c: C\n}\n");
        write("sub/c.json", r#"{"smithy": "2.0", "shapes": {"a.b#C": {"type": "string"}}}"#);
        write("notes.txt", "not a model");
        let paths = vec![dir.path().to_path_buf()];
        let names: Vec<String> = sources(&paths)
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|s| Path::new(&s.name).strip_prefix(dir.path()).map(|p| p.display().to_string()).unwrap_or_default())
            .collect();
        assert_eq!(names, ["b.smithy", "sub/c.json"]);
        let first = document(&paths, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, document(&paths, false).unwrap_or_else(|e| panic!("{e}")));
        assert!(first.contains("\"a.b#C\""), "{first}");
        assert!(!is_single_json(&paths));
        assert!(is_single_json(&[dir.path().join("sub/c.json")]));
    }
}
