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
    /// The model: a Smithy JSON AST file, an IDL file, or a folder of them.
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

/// The jobs `cargo xtask codegen` runs with no arguments: the Chime crate, one crate per
/// fixture model of the generator's golden tests, and one per folder of
/// `tests/fixtures/overlaid/` (a model with a user's IDL overlay, read together).
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
        .filter_map(|entry| entry.ok()?.file_name().to_str().map(str::to_owned))
        .filter(|file| file.ends_with(".json") || file.ends_with(".smithy"))
        .collect();
    names.sort();
    // A fixture is a JSON AST or an IDL file; the crate is named for the file's stem.
    for file in names {
        let name = file.rsplit_once('.').map_or(file.as_str(), |(stem, _)| stem).to_owned();
        jobs.push(Job {
            model: fixtures.join(&file),
            out: root.join("generated/fixtures").join(&name),
            crate_name: Some(format!("fixture-{name}")),
            service: None,
            exclude_operations: Vec::new(),
        });
    }
    jobs.extend(overlaid_jobs(&root)?);
    Ok(jobs)
}

/// One job per folder of `tests/fixtures/overlaid/`: the folder is the model (every file in
/// it, as `--model DIR` reads it), the crate `generated/fixtures/<folder>`.
fn overlaid_jobs(root: &Path) -> Result<Vec<Job>> {
    let overlaid = root.join("tests/fixtures/overlaid");
    let mut folders: Vec<PathBuf> = fs::read_dir(&overlaid)
        .with_context(|| format!("cannot read {}", overlaid.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    let jobs = folders.into_iter().filter_map(|folder| {
        let name = folder.file_name()?.to_str()?.to_owned();
        Some(Job {
            model: folder,
            out: root.join("generated/fixtures").join(&name),
            crate_name: Some(format!("fixture-{name}")),
            service: None,
            exclude_operations: Vec::new(),
        })
    });
    Ok(jobs.collect())
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
    generate_from(std::slice::from_ref(&job.model), job)
}

/// Generates `job` from the model files `models` (the job's own `model` is not read).
fn generate_from(models: &[PathBuf], job: &Job) -> Result<codegen::Files> {
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
    if crate::ast::is_single_json(models) {
        let model = &models[0];
        let text = fs::read_to_string(model).with_context(|| format!("cannot read {}", model.display()))?;
        return codegen::generate(&text, &options).map_err(|problems| anyhow::anyhow!("{problems}"));
    }
    let sources = crate::ast::sources(models)?;
    let assembly = codegen::idl::assemble(&sources).map_err(|diagnostics| anyhow::anyhow!("\n{diagnostics}"))?;
    for warning in &assembly.warnings {
        eprint!("{warning}");
    }
    codegen::generate_assembled(&assembly, &options).map_err(|diagnostics| anyhow::anyhow!("\n{diagnostics}"))
}

/// Writes (or with `check`, checks) one job generated from several model files.
pub fn run_with_models(models: &[PathBuf], job: &Job, check: bool) -> Result<()> {
    let files = generate_from(models, job).with_context(|| format!("{}", job.model.display()))?;
    let generated = vec![(job.out.clone(), files)];
    if check {
        let stale = output::differences(&job.out, &generated[0].1)?;
        if !stale.is_empty() {
            bail!("generated code is out of date:\n{}", stale.join("\n"));
        }
        return Ok(());
    }
    output::write_all_atomically(&generated)?;
    println!("wrote {} ({} files)", job.out.display(), generated[0].1.len());
    Ok(())
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
