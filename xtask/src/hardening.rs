//! `cargo xtask fuzz` and `cargo xtask soak`: the fuzz targets of `fuzz/` for a bounded time,
//! and the load test of chime-local for as long as asked.

use std::fs;
use std::path::Path;
use std::process::Stdio;

use anyhow::{bail, Context, Result};

use crate::process::cargo;
use crate::workspace_root;

/// The fuzz targets in `fuzz/fuzz_targets`.
pub const FUZZ_TARGETS: &[&str] = &["model", "request", "idl", "cbor", "event_stream"];

/// Runs each of `targets` (all when empty) for `seconds`, after replaying its kept regression
/// inputs (`fuzz/regressions/<target>`). New corpus entries go to `target/fuzz-corpus/<target>`,
/// a crashing input to `fuzz/artifacts/<target>`. Prints the executions each run made.
pub fn fuzz(seconds: u64, targets: &[String]) -> Result<()> {
    let root = workspace_root();
    ensure_cargo_fuzz()?;
    let all: Vec<String> = FUZZ_TARGETS.iter().map(|t| (*t).to_owned()).collect();
    let targets = if targets.is_empty() { &all } else { targets };
    let mut summary = Vec::new();
    for target in targets {
        if !FUZZ_TARGETS.contains(&target.as_str()) {
            bail!("no fuzz target {target}; there are {}", FUZZ_TARGETS.join(", "));
        }
        let corpus = root.join("target/fuzz-corpus").join(target);
        fs::create_dir_all(&corpus)?;
        if target == "model" {
            seed_model_corpus(&root, &corpus)?;
        }
        if target == "idl" {
            seed_idl_corpus(&root, &corpus)?;
        }
        if ["request", "cbor", "event_stream"].contains(&target.as_str()) {
            copy_seeds(&root.join("fuzz/seeds").join(target), &corpus)?;
        }
        let regressions = root.join("fuzz/regressions").join(target);
        fs::create_dir_all(&regressions)?;
        let output = cargo()
            .current_dir(&root)
            // cargo fuzz needs nightly flags; the stable toolchain accepts them this way.
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--fuzz-dir", "fuzz", "-s", "none", "--debug-assertions", target])
            .arg(&corpus)
            .arg(&regressions)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(["-timeout=20", "-rss_limit_mb=4096", "-print_final_stats=1"])
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .context("cannot run cargo fuzz")?;
        let log = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "fuzz target {target} found a problem ({}):\n{}\nfix it, then move the input from fuzz/artifacts/{target} \
                 to fuzz/regressions/{target} so it is replayed on every run",
                output.status,
                tail.join("\n")
            );
        }
        let executions = final_stat(&log, "stat::number_of_executed_units").unwrap_or_default();
        let corpus_size = fs::read_dir(&corpus).map(|d| d.count()).unwrap_or_default();
        summary
            .push(format!("{target}: {seconds} s, {executions} executions, corpus {corpus_size} inputs, no finding"));
    }
    for line in summary {
        println!("fuzz {line}");
    }
    Ok(())
}

/// Installs cargo-fuzz when it is missing.
fn ensure_cargo_fuzz() -> Result<()> {
    let present = cargo().args(["fuzz", "--version"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if present.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    println!("== installing cargo-fuzz");
    let status = cargo().args(["install", "--locked", "cargo-fuzz"]).status().context("cannot run cargo install")?;
    if !status.success() {
        bail!("cargo install cargo-fuzz failed ({status})");
    }
    Ok(())
}

/// The real models as raw-text inputs of the model target (whose first byte, even, says
/// "raw text"), so that its mutations start from models that get all the way through.
fn seed_model_corpus(root: &Path, corpus: &Path) -> Result<()> {
    let mut models = vec![root.join("model/chime.json")];
    // The golden fixtures, and models the generator refuses or that only the corpus showed
    // (event streams, Java-style patterns) kept as seeds of their own.
    for dir in ["tests/fixtures/models", "fuzz/seeds/model"] {
        for entry in fs::read_dir(root.join(dir))? {
            models.push(entry?.path());
        }
    }
    for model in models {
        let name = model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let seed = corpus.join(format!("seed-{name}"));
        if !seed.exists() {
            let mut bytes = vec![0];
            bytes.extend(fs::read(&model)?);
            fs::write(seed, bytes)?;
        }
    }
    Ok(())
}

/// The hand-written inputs of the request target (`fuzz/seeds/request`: awsJson and rpcv2Cbor
/// requests, each a mode byte, seven choices and a body on the wire; see `fuzz/src/aws_json.rs`
/// and `fuzz/src/rpc_v2_cbor.rs`), of the cbor target (`fuzz/seeds/cbor`: a node byte and a
/// CBOR body) or of the event_stream target (`fuzz/seeds/event_stream`: a layout byte and an
/// event-stream body, binary, written by `fuzz/tests/seeds.rs`), so that they start from inputs
/// that reach every operation, event and kind of broken frame, not only from random bytes.
/// `fuzz/tests/seeds.rs` checks that each still does what it was written for.
fn copy_seeds(seeds: &Path, corpus: &Path) -> Result<()> {
    for entry in fs::read_dir(seeds)? {
        let path = entry?.path();
        let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let seed = corpus.join(format!("seed-{name}"));
        if !seed.exists() {
            fs::copy(&path, seed)?;
        }
    }
    Ok(())
}

/// Our IDL model, the vendored trait packages and (when present) Smithy's loader tests as
/// raw-text inputs of the idl target (first byte 0: "raw text").
fn seed_idl_corpus(root: &Path, corpus: &Path) -> Result<()> {
    let mut files = vec![root.join("model/chime.smithy")];
    let mut dirs = vec![root.join("codegen/smithy")];
    if let Some(loader_tests) = crate::idl_tests::loader_tests_path() {
        dirs.push(loader_tests);
    }
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "smithy") {
                files.push(path);
            }
        }
    }
    for (i, file) in files.iter().enumerate() {
        let seed = corpus.join(format!("seed-{i}"));
        if !seed.exists() {
            let mut bytes = vec![0];
            bytes.extend(fs::read(file)?);
            fs::write(seed, bytes)?;
        }
    }
    Ok(())
}

/// A number from libFuzzer's `-print_final_stats` output.
fn final_stat(log: &str, name: &str) -> Option<u64> {
    log.lines().find_map(|line| line.strip_prefix(name)?.trim_start_matches(':').trim().parse().ok())
}

/// Runs chime-local's load test in release mode for `seconds` with `clients` clients.
pub fn soak(seconds: u64, clients: u64) -> Result<()> {
    let status = cargo()
        .current_dir(workspace_root())
        .args(["test", "--release", "-p", "chime-local", "--test", "load", "--", "--nocapture"])
        .env("CHIME_LOAD_SECONDS", seconds.to_string())
        .env("CHIME_LOAD_CLIENTS", clients.to_string())
        .status()
        .context("cannot run cargo test")?;
    if !status.success() {
        bail!("the soak test failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_stats_are_read_from_libfuzzer_output() {
        let log = "INFO: done\nstat::number_of_executed_units: 12345\nstat::average_exec_per_sec:     411\n";
        assert_eq!(final_stat(log, "stat::number_of_executed_units"), Some(12345));
        assert_eq!(final_stat(log, "stat::average_exec_per_sec"), Some(411));
        assert_eq!(final_stat(log, "stat::peak_rss_mb"), None);
    }
}
