//! The IDL front end's benchmark (`cargo xtask idl-bench`, and `cargo xtask bench --only
//! idl`): parsing and assembling Smithy's own `.smithy` files, and `cargo xtask ast` on our
//! model, each beside the JSON AST load of the same model in the same run.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use codegen::idl::{self, Source};
use codegen::problem::Sink;
use serde_json::{json, Value};

use crate::workspace_root;

/// How many times each measurement runs; the median is reported.
const ROUNDS: usize = 31;

/// Runs the benchmark with `xtask` (a release build, ideally) for the whole-command part.
/// Prints a Markdown table and returns the figures.
pub fn run(xtask: &Path) -> Result<Value> {
    let root = workspace_root();
    let shared = root.join("../shared/smithy");
    if !shared.is_dir() {
        bail!("the IDL benchmark reads ../shared/smithy, which is missing");
    }
    let mut all = Vec::new();
    walk(&shared, &mut all)?;
    all.sort();
    let texts: Vec<Source> = all.iter().map(|p| read(p)).collect::<Result<_>>()?;
    let bytes: usize = texts.iter().map(|s| s.text.len()).sum();
    // Every file alone, as the loader tests load them (the invalid ones fail fast or late).
    let each = median(|| {
        for source in &texts {
            let _ = black_box(idl::assemble(std::slice::from_ref(source)));
        }
    });
    let models = models(&shared)?;
    let mut idl_total = Duration::ZERO;
    let mut json_total = Duration::ZERO;
    let mut rows = Vec::new();
    for (name, sources) in &models {
        let document = idl::assemble(sources).map_err(|d| anyhow::anyhow!("{name}: {d}"))?.document.to_string();
        let idl_time = median(|| {
            let _ = black_box(idl::assemble(sources));
        });
        let json_time = median(|| json_load(&document));
        idl_total += idl_time;
        json_total += json_time;
        rows.push(json!({ "model": name, "idl_ms": ms(idl_time), "json_ms": ms(json_time) }));
    }
    let chime_idl = median(|| command(xtask, &root.join("model/chime.smithy")));
    let chime_json = median(|| command(xtask, &root.join("model/chime.json")));
    let figures = json!({
        "files": texts.len(),
        "bytes": bytes,
        "every_file_alone_ms": ms(each),
        "models": rows,
        "models_idl_ms": ms(idl_total),
        "models_json_ms": ms(json_total),
        "ast_chime_smithy_ms": ms(chime_idl),
        "ast_chime_json_ms": ms(chime_json),
        "rounds": ROUNDS,
    });
    println!("{}", table(&figures));
    let mut slowest = figures["models"].as_array().cloned().unwrap_or_default();
    slowest
        .sort_by(|a, b| b["idl_ms"].as_f64().partial_cmp(&a["idl_ms"].as_f64()).unwrap_or(std::cmp::Ordering::Equal));
    for row in slowest.iter().take(3) {
        let (idl_ms, json_ms) = (row["idl_ms"].as_f64().unwrap_or(0.0), row["json_ms"].as_f64().unwrap_or(0.0));
        println!("  slowest: {} {idl_ms:.2} ms (JSON load {json_ms:.2} ms)", row["model"]);
    }
    Ok(figures)
}

/// The figures as the Markdown table BENCHMARKS.md shows.
pub fn table(f: &Value) -> String {
    let ratio = |a: &str, b: &str| f[a].as_f64().unwrap_or(0.0) / f[b].as_f64().unwrap_or(1.0).max(1e-9);
    format!(
        "| IDL front end (median of {rounds}) | IDL | JSON AST | ratio |\n|---|---|---|---|\n\
         | {files} .smithy files of ../shared/smithy ({kb} KiB), each parsed and assembled alone | {each:.1} ms | | |\n\
         | the {n} valid models among them (loader tests, traits, rpcv2 suites): assemble vs JSON load | {mi:.1} ms | {mj:.1} ms | {r1:.2}x |\n\
         | `cargo xtask ast` on model/chime (whole process) | {ci:.1} ms | {cj:.1} ms | {r2:.2}x |",
        rounds = f["rounds"],
        files = f["files"],
        kb = f["bytes"].as_u64().unwrap_or(0) / 1024,
        each = f["every_file_alone_ms"].as_f64().unwrap_or(0.0),
        n = f["models"].as_array().map_or(0, Vec::len),
        mi = f["models_idl_ms"].as_f64().unwrap_or(0.0),
        mj = f["models_json_ms"].as_f64().unwrap_or(0.0),
        r1 = ratio("models_idl_ms", "models_json_ms"),
        ci = f["ast_chime_smithy_ms"].as_f64().unwrap_or(0.0),
        cj = f["ast_chime_json_ms"].as_f64().unwrap_or(0.0),
        r2 = ratio("ast_chime_smithy_ms", "ast_chime_json_ms"),
    )
}

/// The valid models: each valid loader test with `__shared.json`, the trait packages, and
/// the two rpcv2 suites with their shared types.
fn models(shared: &Path) -> Result<Vec<(String, Vec<Source>)>> {
    let tests = shared.join("idl/loader-tests/valid");
    let common = read(&tests.join("__shared.json"))?;
    let mut cases = Vec::new();
    walk(&tests, &mut cases)?;
    cases.sort();
    let mut models = Vec::new();
    for case in cases.iter().filter(|p| !p.to_string_lossy().ends_with(".flattened.smithy")) {
        let sources = vec![read(case)?, common.clone()];
        if idl::assemble(&sources).is_ok() {
            models.push((case.display().to_string(), sources));
        }
    }
    let mut traits = Vec::new();
    walk(&shared.join("traits"), &mut traits)?;
    traits.sort();
    models.push(("traits".to_owned(), traits.iter().map(|p| read(p)).collect::<Result<_>>()?));
    let types = read(&shared.join("protocol-tests/shared-types.smithy"))?;
    for suite in ["rpcv2Cbor", "rpcv2Json"] {
        let mut files = Vec::new();
        walk(&shared.join("protocol-tests").join(suite), &mut files)?;
        files.sort();
        let mut sources: Vec<Source> = files.iter().map(|p| read(p)).collect::<Result<_>>()?;
        sources.push(types.clone());
        models.push((suite.to_owned(), sources));
    }
    Ok(models)
}

/// The JSON path of the same model: parse the text, then the generator's loader.
fn json_load(document: &str) {
    let mut sink = Sink::default();
    let _ = black_box(codegen::load::load(document, &mut sink));
}

fn command(xtask: &Path, model: &Path) {
    let status = Command::new(xtask).arg("ast").arg("--model").arg(model).stdout(Stdio::null()).status();
    black_box(status.ok());
}

fn median(mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn read(path: &Path) -> Result<Source> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Source { name: path.display().to_string(), text })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "smithy") {
            out.push(path);
        }
    }
    Ok(())
}
