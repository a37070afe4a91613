//! Generation jobs: which model goes to which directory under which crate name, and running
//! them in write or check mode. Every job is generated in memory before any is written, so
//! one bad model leaves every output directory untouched.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::{GenerateOptions, ShapeId};

use crate::{output, workspace_root};

/// One model to generate.
#[derive(Debug, Clone)]
pub struct Job {
    /// The Smithy JSON AST file.
    pub model: PathBuf,
    /// The crate directory to write.
    pub out: PathBuf,
    /// The package name; `None` lets the generator derive it from the service.
    pub crate_name: Option<String>,
    /// The service, when the model has several.
    pub service: Option<String>,
    /// Operations to leave out (`--exclude-operation`), as shape IDs.
    pub exclude_operations: Vec<String>,
}

/// The jobs `cargo xtask codegen` runs with no arguments: the Chime crate, and one crate per
/// fixture model of the generator's golden tests.
pub fn default_jobs() -> Result<Vec<Job>> {
    let root = workspace_root();
    let mut jobs = vec![Job {
        model: root.join("model/chime.json"),
        out: root.join("generated/chime"),
        crate_name: None,
        service: None,
        exclude_operations: Vec::new(),
    }];
    let fixtures = root.join("tests/fixtures/models");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .with_context(|| format!("cannot read {}", fixtures.display()))?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    for name in names {
        jobs.push(Job {
            model: fixtures.join(format!("{name}.json")),
            out: root.join("generated/fixtures").join(&name),
            crate_name: Some(format!("fixture-{name}")),
            service: None,
            exclude_operations: Vec::new(),
        });
    }
    Ok(jobs)
}

/// Generates every job in memory; fails with every problem of every model before anything
/// is written.
pub fn generate_all(jobs: &[Job]) -> Result<Vec<(PathBuf, codegen::Files)>> {
    let mut generated = Vec::new();
    let mut failures = Vec::new();
    for job in jobs {
        match generate_one(job) {
            Ok(files) => generated.push((job.out.clone(), files)),
            Err(error) => failures.push(format!("{}: {error:#}", job.model.display())),
        }
    }
    if !failures.is_empty() {
        bail!("{}\nnothing was written", failures.join("\n"));
    }
    Ok(generated)
}

fn generate_one(job: &Job) -> Result<codegen::Files> {
    let text = fs::read_to_string(&job.model).with_context(|| format!("cannot read {}", job.model.display()))?;
    let service = job
        .service
        .as_deref()
        .map(ShapeId::parse)
        .transpose()
        .map_err(|message| anyhow::anyhow!("--service: {message}"))?;
    let exclude_operations = job
        .exclude_operations
        .iter()
        .map(|id| ShapeId::parse(id).map_err(|message| anyhow::anyhow!("--exclude-operation {id}: {message}")))
        .collect::<Result<_>>()?;
    let options = GenerateOptions {
        service,
        crate_name: job.crate_name.clone(),
        runtime_path: runtime_path_from(&job.out)?,
        exclude_operations,
    };
    codegen::generate(&text, &options).map_err(|problems| anyhow::anyhow!("{problems}"))
}

/// The runtime crate's path as the crate at `out` should name it: relative when both sit in
/// this repository (so the committed crate does not depend on where the clone is), absolute
/// otherwise (so a crate written elsewhere builds where it lands).
fn runtime_path_from(out: &Path) -> Result<String> {
    let root = workspace_root().canonicalize().context("cannot resolve the workspace root")?;
    let runtime = root.join("runtime");
    let out = absolute(out)?;
    let path = if out.starts_with(&root) { pathdiff::diff_paths(&runtime, &out).unwrap_or(runtime) } else { runtime };
    Ok(path.to_string_lossy().replace('\\', "/"))
}

/// `path` made absolute through its nearest existing ancestor (it may not exist yet).
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut resolved = existing.canonicalize().with_context(|| format!("cannot resolve {}", existing.display()))?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Writes every job's crate, all of them or none (see [`output::write_all_atomically`]).
pub fn write(jobs: &[Job]) -> Result<()> {
    let generated = generate_all(jobs)?;
    output::write_all_atomically(&generated)?;
    for (out, files) in &generated {
        println!("wrote {} ({} files)", out.display(), files.len());
    }
    Ok(())
}

/// Fails, with a diff per stale file and the command that fixes it, when any job's
/// directory differs from what the generator would write.
pub fn check(jobs: &[Job]) -> Result<()> {
    let mut stale = Vec::new();
    for (out, files) in generate_all(jobs)? {
        stale.extend(output::differences(&out, &files)?);
    }
    if !stale.is_empty() {
        bail!("generated code is out of date:\n{}\nrun `cargo xtask codegen` to update it", stale.join("\n"));
    }
    Ok(())
}
