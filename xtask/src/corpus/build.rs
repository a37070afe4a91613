//! Compiling the generated crates of `cargo xtask corpus`: one throw-away workspace of all of
//! them, so cargo resolves and builds the shared dependencies once and spreads the crates
//! over the cores, and one `cargo clippy --keep-going` whose JSON messages say which crate
//! failed and why.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::process::cargo;

/// How one crate's clippy went.
#[derive(Debug, Clone)]
pub struct Built {
    /// Whether clippy `-D warnings` found nothing.
    pub ok: bool,
    /// The first error's headline, when it did.
    pub first_error: Option<String>,
    /// Wall time of the whole clippy run, in seconds (the crates build together).
    pub seconds: f64,
}

/// Runs clippy `-D warnings` on every crate of `crates` (directory, package name) together,
/// and returns how each went, by package name.
pub fn build(root: &Path, out: &Path, crates: &[(PathBuf, String)]) -> Result<BTreeMap<String, Built>> {
    let members: Vec<String> = crates
        .iter()
        .filter_map(|(dir, _)| dir.strip_prefix(out).ok().map(|p| format!("{:?}", p.to_string_lossy())))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: the generated crates it compiles.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest).context("cannot write the corpus workspace")?;
    println!("== clippy -D warnings on {} generated crates", crates.len());
    let start = Instant::now();
    let mut child = cargo()
        .args(["clippy", "--workspace", "--all-targets", "--keep-going", "--message-format=json"])
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target/corpus/target"))
        .current_dir(out)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run cargo clippy on the corpus")?;
    let by_manifest: BTreeMap<PathBuf, &str> =
        crates.iter().map(|(dir, name)| (dir.join("Cargo.toml"), name.as_str())).collect();
    let mut errors: BTreeMap<&str, String> = BTreeMap::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(&line?) else { continue };
            if let Some((name, headline)) = error_of(&message, &by_manifest) {
                errors.entry(name).or_insert(headline);
            }
        }
    }
    let status = child.wait().context("cargo clippy on the corpus did not finish")?;
    let seconds = start.elapsed().as_secs_f64();
    if !status.success() && errors.is_empty() {
        // Cargo failed before any crate reported (a manifest or resolution error): nothing passed.
        let message = format!("cargo clippy failed ({status}) before reporting on any crate; see its output");
        return Ok(crates
            .iter()
            .map(|(_, name)| (name.clone(), Built { ok: false, first_error: Some(message.clone()), seconds }))
            .collect());
    }
    Ok(crates
        .iter()
        .map(|(_, name)| {
            let first_error = errors.get(name.as_str()).cloned();
            (name.clone(), Built { ok: first_error.is_none(), first_error, seconds })
        })
        .collect())
}

/// The crate and headline of a compiler error message (`-D warnings` makes lints errors).
fn error_of<'a>(message: &Value, crates: &BTreeMap<PathBuf, &'a str>) -> Option<(&'a str, String)> {
    if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
        return None;
    }
    let manifest = PathBuf::from(message["manifest_path"].as_str()?);
    let name = crates.get(&manifest)?;
    let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
    let headline =
        rendered.lines().take(2).collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    Some((name, headline))
}
