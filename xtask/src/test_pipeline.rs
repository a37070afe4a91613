//! `cargo xtask test`: every check a change must pass, in the order that fails fastest.

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::codegen_job::{self, Job};
use crate::{conformance, corpus, full_model, workspace_root};

/// Whether this is a CI run, where nothing may be skipped.
pub fn in_ci() -> bool {
    env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs fmt, clippy, the freshness check, the tests and the full-model build.
pub fn run() -> Result<()> {
    let root = workspace_root();
    step("cargo fmt --check", || cargo(&root, &["fmt", "--all", "--check"]))?;
    step("cargo clippy", || cargo(&root, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    for feature in ONE_SIDE_FEATURES {
        let name = match feature {
            Some(feature) => format!("cargo clippy of chime and the runtime with only the features {feature}"),
            None => "cargo clippy of chime and the runtime with no features".to_owned(),
        };
        step(&name, || clippy_with_feature(&root, feature))?;
    }
    step("generated code is fresh", || codegen_job::check(&codegen_job::default_jobs()?))?;
    step("cargo test", || cargo(&root, &["test", "--workspace"]))?;
    step("real AWS clients against chime-local and json-local", || crate::clients::run(&[]))?;
    step("the bench tools compile, clippy-clean", || bench_tools(&root))?;
    // The fuzz crate is a workspace of its own: its seeds' expected answers are tested here.
    step("the fuzz targets' seeds", || {
        cargo(&root, &["test", "--manifest-path", "fuzz/Cargo.toml", "--test", "seeds"])
    })?;
    let seconds = FUZZ_SECONDS_IN_TEST;
    step(&format!("fuzz each target for {seconds} s"), || crate::hardening::fuzz(seconds, &[]))?;
    // The model's documentation becomes rustdoc: a broken link or bad block fails here.
    let deny = [("RUSTDOCFLAGS", OsStr::new("-D warnings"))];
    step("cargo doc -D warnings", || cargo_with_env(&root, &["doc", "--no-deps", "--workspace"], &deny))?;
    match crate::idl_tests::loader_tests_path() {
        Some(dir) => {
            step("cargo xtask idl-tests: Smithy's loader tests", || crate::idl_tests::run(Some(dir.clone()), false))?;
            step("the rpcv2 protocol tests' .smithy sources assemble", crate::idl_tests::protocol_tests_assemble)?;
        }
        None if in_ci() => {
            bail!("the Smithy loader tests (../shared/smithy/idl/loader-tests) are missing, and CI requires them")
        }
        None => println!("== skipped: Smithy loader tests (no ../shared/smithy; set SMITHY_LOADER_TESTS to run them)"),
    }
    match full_model() {
        Some(model) => {
            step("model/chime.json agrees with the real Chime model", || model_matches_real(&model))?;
            step("full Chime model: generate outside the repo, clippy, build", || full_model_builds(&model))?;
            // Both suites are required here: a missing one fails the step, never skips it.
            let models = conformance::Models::load(conformance::SERVICES, None, None)
                .context("the protocol compliance suite is missing")?;
            for service in conformance::SERVICES {
                let name = format!("protocol-test service {}: generate outside the repo, clippy", service.id);
                step(&name, || protocol_test_service_builds(models.of(service)?, service.id))?;
            }
            step(
                "cargo xtask conformance: the restJson1, awsJson1_0, awsJson1_1 and rpcv2Cbor compliance suite",
                || conformance::run(&conformance::Options::default()),
            )?;
            step(
                &format!(
                    "cargo xtask corpus: every restJson1 and awsJson model, the first {CORPUS_SAMPLE} of the sample \
                     clippy-clean"
                ),
                || {
                    let protocols = ["restJson1", "awsJson1_0", "awsJson1_1"].map(str::to_owned).to_vec();
                    corpus::run(&corpus::Options {
                        dir: corpus::default_dir(),
                        protocols,
                        build: corpus::Build::Sample(CORPUS_SAMPLE),
                    })
                },
            )?;
        }
        None if in_ci() => {
            bail!("the full Chime model (../shared/models/chime-2018-05-01.json) is missing, and CI requires it")
        }
        None => println!("== skipped: full Chime model build (no ../shared/models; set SMITHY_FULL_MODEL to run it)"),
    }
    println!("== all checks passed");
    Ok(())
}

/// The generated crate's features besides the default (both sides, TLS): each side alone,
/// without and with TLS, and neither (the model types only). Everything else in the workspace
/// builds with the defaults, so a wrong `#[cfg]` would go unnoticed without these builds.
const ONE_SIDE_FEATURES: [Option<&str>; 5] =
    [Some("client"), Some("server"), None, Some("client,tls"), Some("server,tls")];

/// Runs clippy on the generated Chime crate with only `feature` (comma-separated features, or
/// none), and so on the runtime with only what those turn on in it.
fn clippy_with_feature(root: &Path, feature: Option<&str>) -> Result<()> {
    let features =
        feature.map(|list| list.split(',').map(|name| format!("chime/{name}")).collect::<Vec<_>>().join(","));
    let mut args = vec!["clippy", "-p", "chime", "-p", "smithy-runtime", "--no-default-features"];
    if let Some(features) = &features {
        args.extend(["--features", features.as_str()]);
    }
    args.extend(["--all-targets", "--", "-D", "warnings"]);
    cargo(root, &args)
}

/// Clippy on `bench/`, the benchmark tools: a workspace of its own that uses the generated
/// Chime crate beside aws-sdk-chime, so nothing else compiles it, and a change of the crate's
/// surface would otherwise break `cargo xtask bench` unseen. Its target directory is the Rust
/// SDK client test's, whose aws-sdk-chime build scripts (aws-lc-sys's C library) it reuses.
fn bench_tools(root: &Path) -> Result<()> {
    let target = root.join("target/rust-sdk");
    let args = ["clippy", "--manifest-path", "bench/Cargo.toml", "--all-targets", "--", "-D", "warnings"];
    cargo_with_env(root, &args, &[("CARGO_TARGET_DIR", target.as_os_str())])
}

/// How many models of the corpus's coverage sample (xtask/corpus-sample.txt) CI compiles.
const CORPUS_SAMPLE: usize = 21;

/// How long each fuzz target runs in the test pipeline; `cargo xtask fuzz` runs them longer.
const FUZZ_SECONDS_IN_TEST: u64 = 30;

fn step(name: &str, run: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("== {name}");
    run().with_context(|| format!("step failed: {name}"))
}

fn cargo(dir: &Path, args: &[&str]) -> Result<()> {
    cargo_with_env(dir, args, &[])
}

fn cargo_with_env(dir: &Path, args: &[&str], envs: &[(&str, &OsStr)]) -> Result<()> {
    let mut command = crate::process::cargo();
    command.args(args).current_dir(dir);
    for (key, value) in envs {
        command.env(key, value);
    }
    let status = command.status().with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Runs model/check_chime_model.py: our hand-written model must keep the real model's
/// names, bindings and constraints.
fn model_matches_real(real: &Path) -> Result<()> {
    let root = workspace_root();
    let status = Command::new("python3")
        .arg(root.join("model/check_chime_model.py"))
        .arg("--real")
        .arg(real)
        .current_dir(&root)
        .status()
        .context("cannot run python3 model/check_chime_model.py")?;
    if !status.success() {
        bail!("model/chime.json differs from the real model ({status})");
    }
    Ok(())
}

/// Generates one service of the compliance suite (a JSON AST, `model`) outside the repository
/// and runs clippy on it.
fn protocol_test_service_builds(model: &str, service: &str) -> Result<()> {
    let name = service.rsplit('#').next().unwrap_or(service).to_lowercase();
    let scratch = env::temp_dir().join(format!("smithy-protocol-{name}-{}", std::process::id()));
    let out = scratch.join(&name);
    fs::create_dir_all(&scratch).with_context(|| format!("cannot create {}", scratch.display()))?;
    let model_path = scratch.join("model.json");
    fs::write(&model_path, model).with_context(|| format!("cannot write {}", model_path.display()))?;
    let job = Job {
        model: model_path,
        out: out.clone(),
        crate_name: Some(format!("protocol-{name}")),
        service: Some(service.to_owned()),
        // Event streams are refused until they are generated; the rest of the service is built.
        exclude_operations: event_stream_operations(model, service)?,
    };
    codegen_job::write(std::slice::from_ref(&job))?;
    let target = workspace_root().join("target/full-model");
    let envs = [("CARGO_TARGET_DIR", target.as_os_str())];
    let result = cargo_with_env(&out, &["clippy", "--all-targets", "--", "-D", "warnings"], &envs);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The shape IDs of the operations of `service` in the JSON AST `model` that have event
/// streams.
fn event_stream_operations(model: &str, service: &str) -> Result<Vec<String>> {
    let service = codegen::ShapeId::parse(service).map_err(|message| anyhow::anyhow!("{service}: {message}"))?;
    Ok(codegen::refused_event_stream_operations(model, Some(&service)).iter().map(ToString::to_string).collect())
}

/// Generates the 62-operation model into a directory outside the repository and builds it
/// there, clippy-clean: proof that the generator is not tied to our small model and that a
/// crate written elsewhere resolves its dependencies where it lands.
fn full_model_builds(model: &Path) -> Result<()> {
    let scratch = env::temp_dir().join(format!("smithy-full-chime-{}", std::process::id()));
    let out = scratch.join("chime-full");
    let job = Job {
        model: model.to_path_buf(),
        out: out.clone(),
        crate_name: Some("chime-full".into()),
        service: None,
        exclude_operations: Vec::new(),
    };
    codegen_job::write(std::slice::from_ref(&job))?;
    // A target directory in the workspace keeps the dependencies' builds between runs.
    let target = workspace_root().join("target/full-model");
    let envs = [("CARGO_TARGET_DIR", target.as_os_str())];
    let doc_envs = [("CARGO_TARGET_DIR", target.as_os_str()), ("RUSTDOCFLAGS", OsStr::new("-D warnings"))];
    let result = cargo_with_env(&out, &["clippy", "--all-targets", "--", "-D", "warnings"], &envs)
        .and_then(|()| cargo_with_env(&out, &["build"], &envs))
        .and_then(|()| cargo_with_env(&out, &["doc", "--no-deps"], &doc_envs));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
