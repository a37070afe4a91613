//! `cargo xtask corpus`: every model of a folder (AWS's published models by default) through
//! the release generator, optionally compiled clippy-clean, with a line per model, a table
//! by protocol and a closing `N passed, M failed`.
//!
//! What counts as passing depends on what the model needs:
//! - a model in a protocol we generate must generate (and, when built, pass clippy
//!   `-D warnings`);
//! - a model with event streams must be refused with the located message that names
//!   `--exclude-operation`, and must then generate (and build) with those operations left out;
//! - a model in a protocol we do not generate yet must be refused with a message naming that
//!   protocol.

mod build;
mod generate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::process::{cargo, checked};
use crate::workspace_root;

pub use generate::generate_folder;

/// Which generated crates `cargo xtask corpus` compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Build {
    /// Every model that generates.
    All,
    /// The first N of the coverage sample (`xtask/corpus-sample.txt`), then the rest in order.
    Sample(usize),
    /// None: generation only.
    None,
}

impl std::str::FromStr for Build {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "all" => Ok(Self::All),
            "none" => Ok(Self::None),
            n => n.parse().map(Self::Sample).map_err(|_| format!("`{n}`: expected all, none or a number")),
        }
    }
}

/// The options of `cargo xtask corpus`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of Smithy JSON AST models.
    pub dir: PathBuf,
    /// Only models whose service has one of these protocols (empty: every model).
    pub protocols: Vec<String>,
    /// Which crates to compile.
    pub build: Build,
}

/// The default model folder: AWS's published models beside the checkout.
pub fn default_dir() -> PathBuf {
    workspace_root().join("../shared/models/aws")
}

/// What happened to one model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelResult {
    /// The model file's name.
    pub model: String,
    /// The protocols its service declares, by trait name (`restJson1`).
    pub protocols: Vec<String>,
    /// What generation did.
    pub outcome: Outcome,
    /// The generator's message when it refused the model (first line of each problem).
    pub message: Option<String>,
    /// Operations left out because they have event streams.
    pub excluded: Vec<String>,
    /// Wall time of reading and generating the model, in milliseconds.
    pub millis: f64,
    /// Lines of Rust written.
    pub rust_lines: usize,
    /// The crate's directory and package name, when one was written.
    pub krate: Option<(PathBuf, String)>,
}

/// What generation did with a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Generated.
    Generated,
    /// Refused as it should be: a protocol we do not generate, named in the message.
    RefusedProtocol,
    /// Refused for a reason that should not stop it: a failure of the generator.
    Failed,
}

/// The release generator's report on a whole folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FolderReport {
    /// One result per model, in file-name order.
    pub models: Vec<ModelResult>,
    /// Wall time of the whole folder, in seconds.
    pub seconds: f64,
    /// Peak resident memory of the generator process, in KiB.
    pub peak_rss_kib: u64,
}

/// Runs `cargo xtask corpus`.
pub fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    if !options.dir.is_dir() {
        bail!("{} is not a folder of models (pass --dir, or put ../shared beside the checkout)", options.dir.display());
    }
    println!("== building the release generator");
    checked(cargo().args(["build", "--release", "-p", "xtask"]).current_dir(&root))?;
    let out = root.join("target/corpus/crates");
    let report = run_release_generator(&root, options, &out)?;
    let built = match &options.build {
        Build::None => BTreeMap::new(),
        build => build::build(&root, &out, &chosen(&report, build)?)?,
    };
    print_report(&report, &built);
    let failed = count_failures(&report, &built);
    let passed = report.models.len() - failed;
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} of {} models failed", report.models.len());
    }
    Ok(())
}

/// Generates the folder in one process of the release build, which reports as JSON.
fn run_release_generator(root: &Path, options: &Options, out: &Path) -> Result<FolderReport> {
    let binary = root.join("target/release/xtask");
    let mut command = std::process::Command::new(&binary);
    command.arg("corpus-generate").arg("--dir").arg(&options.dir).arg("--out").arg(out);
    for protocol in &options.protocols {
        command.args(["--protocol", protocol]);
    }
    println!("== generating every model of {}", options.dir.display());
    let output = command.output().with_context(|| format!("cannot run {}", binary.display()))?;
    if !output.status.success() {
        bail!("the release generator failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    serde_json::from_slice(&output.stdout).context("the release generator's report is not readable")
}

/// The generated crates to compile: all of them, or the first `n` of the coverage sample.
fn chosen(report: &FolderReport, build: &Build) -> Result<Vec<(PathBuf, String)>> {
    let generated: BTreeMap<&str, &(PathBuf, String)> =
        report.models.iter().filter_map(|m| Some((m.model.as_str(), m.krate.as_ref()?))).collect();
    let order: Vec<&str> = match build {
        Build::All | Build::None => generated.keys().copied().collect(),
        Build::Sample(n) => {
            let sample = sample_models()?;
            let mut order: Vec<&str> =
                sample.iter().filter_map(|name| generated.get_key_value(name.as_str())).map(|(k, _)| *k).collect();
            // A sample model of a protocol not asked for is not in the report; one that is
            // there must have generated.
            let in_report = |name: &str| report.models.iter().any(|m| m.model == name);
            if let Some(missing) = sample.iter().find(|name| in_report(name) && !generated.contains_key(name.as_str()))
            {
                bail!("the coverage sample names {missing}, which did not generate");
            }
            order.extend(generated.keys().filter(|name| !sample.iter().any(|s| s == *name)));
            order.truncate(*n);
            order
        }
    };
    Ok(order.iter().filter_map(|name| generated.get(name).map(|k| (*k).clone())).collect())
}

/// The coverage sample: one model file name a line, `#` comments say why each is there.
pub fn sample_models() -> Result<Vec<String>> {
    let path = workspace_root().join("xtask/corpus-sample.txt");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}

fn count_failures(report: &FolderReport, built: &BTreeMap<String, build::Built>) -> usize {
    report
        .models
        .iter()
        .filter(|m| {
            m.outcome == Outcome::Failed
                || m.krate.as_ref().is_some_and(|(_, name)| built.get(name).is_some_and(|b| !b.ok))
        })
        .count()
}

fn print_report(report: &FolderReport, built: &BTreeMap<String, build::Built>) {
    println!("\n| model | protocols | generation | ms | Rust lines | clippy -D warnings |");
    println!("|---|---|---|---|---|---|");
    let mut by_protocol: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    for m in &report.models {
        let build = m.krate.as_ref().and_then(|(_, name)| built.get(name));
        let generation = match m.outcome {
            Outcome::Generated if m.excluded.is_empty() => "generated".to_owned(),
            Outcome::Generated => format!("generated without {} event-stream operation(s)", m.excluded.len()),
            Outcome::RefusedProtocol => "refused (protocol)".to_owned(),
            Outcome::Failed => format!("FAILED: {}", m.message.as_deref().unwrap_or_default()),
        };
        let clippy = match build {
            None => "-".to_owned(),
            Some(b) if b.ok => "ok".to_owned(),
            Some(b) => format!("FAILED: {}", b.first_error.as_deref().unwrap_or("see the log")),
        };
        let protocols = if m.protocols.is_empty() { "none".to_owned() } else { m.protocols.join(", ") };
        println!("| {} | {protocols} | {generation} | {:.1} | {} | {clippy} |", m.model, m.millis, m.rust_lines);
        let row = by_protocol.entry(protocols).or_default();
        row[0] += 1;
        match m.outcome {
            Outcome::Generated => row[1] += 1,
            Outcome::RefusedProtocol => row[2] += 1,
            Outcome::Failed => row[3] += 1,
        }
        match build {
            Some(b) if b.ok => row[4] += 1,
            Some(_) => row[5] += 1,
            None => {}
        }
    }
    println!(
        "\n| protocol | models | generated | refused (protocol) | generation failed | clippy ok | clippy failed |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (protocol, [n, generated, refused, failed, ok, bad]) in &by_protocol {
        println!("| {protocol} | {n} | {generated} | {refused} | {failed} | {ok} | {bad} |");
    }
    let event_streams = report.models.iter().filter(|m| !m.excluded.is_empty()).count();
    let millis: f64 = report.models.iter().map(|m| m.millis).sum();
    println!(
        "\ngeneration: {} models in {:.1} s ({:.1} s generating), peak RSS {:.1} MiB; {event_streams} with event streams \
         refused as expected and generated without them",
        report.models.len(),
        report.seconds,
        millis / 1000.0,
        report.peak_rss_kib as f64 / 1024.0
    );
    if !built.is_empty() {
        let seconds = built.values().map(|b| b.seconds).fold(0.0, f64::max);
        println!("clippy: {} crates in {seconds:.0} s", built.len());
    }
}
