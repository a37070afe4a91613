//! The release generator's half of `cargo xtask corpus`: every model of a folder generated
//! in this one process (so its peak memory is the generator's), reported as JSON.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use codegen::{GenerateOptions, ShapeId};
use serde_json::Value;

use super::{FolderReport, ModelResult, Outcome};
use crate::output;

/// Protocol traits of services, by the name the corpus command prints.
const PROTOCOLS: &[(&str, &str)] = &[
    ("aws.protocols#restJson1", "restJson1"),
    ("aws.protocols#awsJson1_0", "awsJson1_0"),
    ("aws.protocols#awsJson1_1", "awsJson1_1"),
    ("aws.protocols#restXml", "restXml"),
    ("aws.protocols#awsQuery", "awsQuery"),
    ("aws.protocols#ec2Query", "ec2Query"),
    ("smithy.protocols#rpcv2Cbor", "rpcv2Cbor"),
];

/// The protocols the generator writes.
const GENERATED: &[&str] = &["restJson1", "awsJson1_0", "awsJson1_1"];

/// Generates every `*.json` model of `dir` whose service speaks one of `protocols` (all when
/// empty) into `out/<model>`, and prints a [`FolderReport`] as JSON on standard output.
pub fn generate_folder(dir: &Path, out: &Path, protocols: &[String]) -> Result<()> {
    let start = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut models = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let declared = declared_protocols(&text);
        if !protocols.is_empty() && !declared.iter().any(|p| protocols.contains(p)) {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        models.push(generate_model(&name, &text, declared, out));
    }
    let report = FolderReport { models, seconds: start.elapsed().as_secs_f64(), peak_rss_kib: peak_rss_kib() };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

/// The protocols the model's services declare, in the table's order.
fn declared_protocols(text: &str) -> Vec<String> {
    let Ok(model) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let services = model["shapes"].as_object().into_iter().flat_map(|shapes| shapes.values());
    let traits: Vec<&Value> =
        services.filter(|shape| shape["type"] == "service").map(|shape| &shape["traits"]).collect();
    PROTOCOLS
        .iter()
        .filter(|(id, _)| traits.iter().any(|t| t.get(id).is_some()))
        .map(|(_, name)| (*name).to_owned())
        .collect()
}

fn generate_model(name: &str, text: &str, protocols: Vec<String>, out: &Path) -> ModelResult {
    let stem = name.trim_end_matches(".json");
    let crate_name = format!("corpus-{}", stem.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let dir = out.join(stem);
    let mut result = ModelResult {
        model: name.to_owned(),
        protocols,
        outcome: Outcome::Failed,
        message: None,
        excluded: Vec::new(),
        millis: 0.0,
        rust_lines: 0,
        krate: None,
    };
    let excluded = codegen::refused_event_stream_operations(text, None);
    let options = |exclude_operations: Vec<ShapeId>| GenerateOptions {
        service: None,
        crate_name: Some(crate_name.clone()),
        runtime_path: crate::workspace_root().join("runtime").to_string_lossy().into_owned(),
        exclude_operations,
    };
    let speaks_generated = result.protocols.iter().any(|p| GENERATED.contains(&p.as_str()));
    // A model in a protocol we do not generate is refused for that first (kinesis, s3 and
    // cloudwatch-logs have event streams too); only the others must name their streams.
    if !excluded.is_empty() && speaks_generated {
        // Without the flag the model must be refused, naming each operation and the flag.
        if let Err(message) = refused_as_event_streams(text, &excluded, &options(Vec::new())) {
            result.message = Some(message);
            return result;
        }
        result.excluded = excluded.iter().map(ToString::to_string).collect();
    }
    let start = Instant::now();
    let generated = codegen::generate(text, &options(excluded));
    result.millis = start.elapsed().as_secs_f64() * 1000.0;
    match generated {
        Ok(files) => match output::write_atomically(&dir, &files) {
            Ok(()) => {
                result.outcome = Outcome::Generated;
                result.rust_lines =
                    files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, f)| f.lines().count()).sum();
                result.krate = Some((dir, crate_name));
            }
            Err(error) => result.message = Some(format!("cannot write {}: {error:#}", dir.display())),
        },
        Err(problems) => {
            let message = problems.to_string();
            let ungenerated = result.protocols.iter().find(|p| !GENERATED.contains(&p.as_str()));
            let names_it = ungenerated.is_some_and(|p| message.contains(p.as_str()));
            if names_it && !speaks_generated {
                result.outcome = Outcome::RefusedProtocol;
            }
            result.message = Some(summary(&message));
        }
    }
    result
}

/// Checks that generating without `--exclude-operation` refuses every event-stream operation
/// with a message that names it and the flag.
fn refused_as_event_streams(text: &str, operations: &[ShapeId], options: &GenerateOptions) -> Result<(), String> {
    let message = match codegen::generate(text, options) {
        Ok(_) => return Err("its event-stream operations were generated instead of refused".to_owned()),
        Err(problems) => problems.to_string(),
    };
    for id in operations {
        if !message.contains(&format!("operation {id} has an event stream"))
            || !message.contains(&format!("--exclude-operation {id}"))
        {
            return Err(format!("the refusal does not name {id} and --exclude-operation: {}", summary(&message)));
        }
    }
    Ok(())
}

/// The first problems of a report, on one line.
fn summary(message: &str) -> String {
    let problems: Vec<&str> = message.lines().filter_map(|l| l.trim().strip_prefix("- ")).collect();
    let shown: Vec<&str> = problems.iter().take(3).copied().collect();
    let more = problems.len().saturating_sub(shown.len());
    let text = if shown.is_empty() { message.lines().next().unwrap_or_default().to_owned() } else { shown.join("; ") };
    if more > 0 {
        format!("{text}; and {more} more")
    } else {
        text
    }
}

/// This process's peak resident memory (Linux), in KiB; 0 where it cannot be read.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
